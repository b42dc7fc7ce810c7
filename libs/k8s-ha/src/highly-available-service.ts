import { Construct } from 'constructs';
import {
  AlbIngress,
  autoModeMinReadySeconds,
  DEFAULT_ALB_DRAIN_DELAY,
  type AlbIngressProps,
} from './alb-ingress.js';
import { ApiAlertRules, type ApiAlertRulesProps } from './api-alert-rules.js';
import { DrainTiming } from './drain-timing.js';
import { HaDeployment, type HaDeploymentProps } from './ha-deployment.js';
import type {
  HaHorizontalPodAutoscaler,
  HaHorizontalPodAutoscalerProps,
} from './ha-horizontal-pod-autoscaler.js';
import type { HaNamespace } from './ha-namespace.js';
import { HaNetworkPolicy, type HaNetworkPolicyProps } from './ha-network-policy.js';
import type { HaPodDisruptionBudget } from './ha-pod-disruption-budget.js';
import type { HaPriorityClass } from './ha-priority-class.js';
import { HaService } from './ha-service.js';
import type { ProbePaths } from './probes.js';
import { deploymentBase, scaleAndProtect, workloadScope } from './private/workload-scaffold.js';

/** Scaling of a {@link HighlyAvailableService}. */
export type ScalingProps = Omit<HaHorizontalPodAutoscalerProps, 'deployment'>;

/** The container and pod props shared with {@link HaDeployment} (same meaning, same defaults). */
export type HaPodProps = Pick<
  HaDeploymentProps,
  | 'image'
  | 'imagePullPolicy'
  | 'immutableTags'
  | 'port'
  | 'metricsPort'
  | 'probes'
  | 'env'
  | 'resources'
  | 'drain'
  | 'spread'
  | 'maxSurge'
  | 'component'
  | 'partOf'
  | 'version'
  | 'labels'
  | 'minReadySeconds'
>;

/** Options of {@link HighlyAvailableService}. */
export interface HighlyAvailableServiceProps extends Omit<HaPodProps, 'port' | 'probes'> {
  /** Container port for HTTP, passed as `PORT`. @default 8080 */
  readonly port?: number;
  /** Probe paths. @default { readiness: '/ready', liveness: '/alive', startup: '/alive' } */
  readonly probes?: ProbePaths;
  /** Name of every object; a DNS-1123 label. */
  readonly name: string;
  /** Namespace. @default the service name */
  readonly namespace?: string;
  /**
   * Create the namespace (restricted Pod Security, ALB readiness gates); `false` when it exists.
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * Autoscaling; `false` for a fixed replica count (`replicas`).
   * @default min 2, max 10, cpu 70 %, memory 80 %
   */
  readonly scaling?: ScalingProps | false;
  /** Fixed replica count, only with `scaling: false`. @default 2 */
  readonly replicas?: number;
  /** Pods that may be down during voluntary disruptions. @default 1 */
  readonly maxUnavailable?: number;
  /**
   * The pods' PriorityClass: by default the one the app's HA workloads share (created by the
   * first of them); `{ name, value }` to create another; a name to use an existing one without
   * creating anything (no cluster-admin needed); `false` for none.
   * @default the shared 'highly-available', value 100000
   */
  readonly priorityClass?: { readonly name?: string; readonly value?: number } | string | false;
  /** The ALB Ingress; omitted, no Ingress (e.g. local clusters). @default none */
  readonly ingress?: Omit<AlbIngressProps, 'service' | 'deployment'>;
  /** The NetworkPolicy; `false` for none. @default load balancer CIDRs in, DNS out */
  readonly networkPolicy?: Omit<HaNetworkPolicyProps, 'deployment'> | false;
  /** PrometheusRule alerts; `true` for the defaults. @default false */
  readonly alerts?: Omit<ApiAlertRulesProps, 'deployment'> | boolean;
}

/**
 * An HTTP service run highly available: Namespace, Deployment, Service, HorizontalPodAutoscaler,
 * PodDisruptionBudget, PriorityClass, NetworkPolicy, and optionally an ALB Ingress and alerts,
 * all consistent with each other. Each piece is also a construct of its own.
 *
 * @example
 * new HighlyAvailableService(chart, 'api', {
 *   name: 'api',
 *   image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.2',
 *   ingress: { hosts: ['api.example.com'] },
 * });
 */
export class HighlyAvailableService extends Construct {
  /** The namespace name. */
  readonly namespaceName: string;
  /** The Namespace, when created. */
  readonly namespace?: HaNamespace;
  /** The PriorityClass, when created. */
  readonly priorityClass?: HaPriorityClass;
  readonly deployment: HaDeployment;
  readonly service: HaService;
  /** The autoscaler, unless `scaling: false`. */
  readonly autoscaler?: HaHorizontalPodAutoscaler;
  readonly disruptionBudget: HaPodDisruptionBudget;
  /** The NetworkPolicy, unless `networkPolicy: false`. */
  readonly networkPolicy?: HaNetworkPolicy;
  /** The Ingress, when `ingress` is given. */
  readonly ingress?: AlbIngress;
  /** The alerts, when `alerts` is set. */
  readonly alerts?: ApiAlertRules;
  /** The smallest replica count: the HPA minimum or the fixed count. */
  readonly minReplicas: number;

  constructor(scope: Construct, id: string, props: HighlyAvailableServiceProps) {
    super(scope, id);
    if ((props.port as unknown) === false) {
      throw new Error(
        `'port' (false) must be a port number for a HighlyAvailableService, which serves HTTP: ` +
          `model a workload without HTTP with HighlyAvailableWorker`,
      );
    }
    const workload = workloadScope(this, props);
    this.namespaceName = workload.namespaceName;
    this.namespace = workload.namespace;
    this.priorityClass = workload.priorityClass;

    this.deployment = new HaDeployment(this, 'Deployment', {
      ...deploymentBase(props, workload),
      port: props.port,
      metricsPort: props.metricsPort,
      probes: props.probes,
      // behind an ALB, unless told: long enough for the ALB to deregister the pod
      drain:
        props.ingress && !(props.drain instanceof DrainTiming) && props.drain?.delay === undefined
          ? { ...props.drain, delay: DEFAULT_ALB_DRAIN_DELAY }
          : props.drain,
      // behind Auto Mode's load balancing, long enough for the ALB to register each new pod
      minReadySeconds:
        props.minReadySeconds ??
        (props.ingress?.controller === 'eks-auto-mode'
          ? autoModeMinReadySeconds(props.ingress.healthCheck)
          : undefined),
    });
    this.service = new HaService(this, 'Service', { deployment: this.deployment });
    const protection = scaleAndProtect(this, this.deployment, workload, props);
    this.autoscaler = protection.autoscaler;
    this.disruptionBudget = protection.disruptionBudget;
    const minReplicas = protection.minReplicas;
    this.minReplicas = minReplicas;
    if (props.networkPolicy !== false) {
      this.networkPolicy = new HaNetworkPolicy(this, 'NetworkPolicy', {
        deployment: this.deployment,
        ...props.networkPolicy,
      });
    }
    if (props.ingress) {
      this.ingress = new AlbIngress(this, 'Ingress', {
        service: this.service,
        deployment: this.deployment,
        ...props.ingress,
      });
    }
    if (props.alerts) {
      this.alerts = new ApiAlertRules(this, 'Alerts', {
        deployment: this.deployment,
        minAvailableReplicas: minReplicas,
        ...(props.alerts === true ? {} : props.alerts),
      });
    }

    const spread = props.spread;
    this.node.addValidation({
      validate: () =>
        spread?.minDomains !== undefined && minReplicas < spread.minDomains
          ? [
              `'scaling.minReplicas' (${minReplicas}) must be at least 'spread.minDomains' ` +
                `(${spread.minDomains}): with DoNotSchedule the extra zones would stay empty and ` +
                `the skew rule would block scheduling; raise minReplicas or lower minDomains`,
            ]
          : [],
    });
  }
}
