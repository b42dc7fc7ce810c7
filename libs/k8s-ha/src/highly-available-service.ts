import { Construct } from 'constructs';
import { AlbIngress, type AlbIngressProps } from './alb-ingress.js';
import { ApiAlertRules, type ApiAlertRulesProps } from './api-alert-rules.js';
import { HaDeployment, type HaDeploymentProps } from './ha-deployment.js';
import { DEFAULT_REPLICAS } from './ha-deployment-defaults.js';
import {
  HaHorizontalPodAutoscaler,
  type HaHorizontalPodAutoscalerProps,
} from './ha-horizontal-pod-autoscaler.js';
import { HaNamespace } from './ha-namespace.js';
import { HaNetworkPolicy, type HaNetworkPolicyProps } from './ha-network-policy.js';
import { HaPodDisruptionBudget } from './ha-pod-disruption-budget.js';
import { HaPriorityClass } from './ha-priority-class.js';
import { HaService } from './ha-service.js';

/** Whether the service creates its namespace: yes, with restricted Pod Security and ALB gates. */
export const DEFAULT_CREATE_NAMESPACE = true;
/** Suffix of the PriorityClass created per service: `<name>-high`. */
export const DEFAULT_PRIORITY_CLASS_SUFFIX = '-high';

/** Scaling of a {@link HighlyAvailableService}. */
export type ScalingProps = Omit<HaHorizontalPodAutoscalerProps, 'deployment'>;

/** The container and pod props shared with {@link HaDeployment} (same meaning, same defaults). */
export type HaPodProps = Pick<
  HaDeploymentProps,
  | 'image'
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
>;

/** Options of {@link HighlyAvailableService}. */
export interface HighlyAvailableServiceProps extends HaPodProps {
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
   * A PriorityClass to create (`{ name, value }`), an existing one's name, or `false`.
   * @default creates '<name>-high' with value 100000
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
    this.namespaceName = props.namespace ?? props.name;
    if (props.createNamespace ?? DEFAULT_CREATE_NAMESPACE) {
      this.namespace = new HaNamespace(this, 'Namespace', { name: this.namespaceName });
    }

    let priorityClassName: string | undefined;
    if (typeof props.priorityClass === 'string') {
      priorityClassName = props.priorityClass;
    } else if (props.priorityClass !== false) {
      this.priorityClass = new HaPriorityClass(this, 'PriorityClass', {
        name: props.priorityClass?.name ?? `${props.name}${DEFAULT_PRIORITY_CLASS_SUFFIX}`,
        value: props.priorityClass?.value,
      });
      priorityClassName = this.priorityClass.name;
    }

    const scaling = props.scaling;
    let fixedReplicas: number | undefined;
    if (scaling === false) {
      fixedReplicas = props.replicas ?? DEFAULT_REPLICAS;
      if (fixedReplicas < 2) {
        throw new Error(
          `'replicas' (${fixedReplicas}) must be at least 2: one replica means an outage at ` +
            `every node drain or crash; use 2 or more`,
        );
      }
    } else if (props.replicas !== undefined) {
      throw new Error(
        `'replicas' (${props.replicas}) must be unset while 'scaling' is on: the autoscaler owns ` +
          `the count; set scaling.minReplicas, or scaling: false for a fixed count`,
      );
    }

    this.deployment = new HaDeployment(this, 'Deployment', {
      name: props.name,
      namespace: this.namespaceName,
      image: props.image,
      port: props.port,
      metricsPort: props.metricsPort,
      probes: props.probes,
      env: props.env,
      resources: props.resources,
      drain: props.drain,
      spread: props.spread,
      maxSurge: props.maxSurge,
      component: props.component,
      partOf: props.partOf,
      priorityClassName,
      autoscaled: scaling !== false,
      replicas: fixedReplicas,
    });
    // kubectl apply order: the namespace and the priority class exist before the pods need them
    if (this.namespace) this.deployment.node.addDependency(this.namespace);
    if (this.priorityClass) this.deployment.node.addDependency(this.priorityClass);
    this.service = new HaService(this, 'Service', { deployment: this.deployment });

    if (scaling !== false) {
      this.autoscaler = new HaHorizontalPodAutoscaler(this, 'Autoscaler', {
        deployment: this.deployment,
        ...scaling,
      });
    }
    const minReplicas = this.autoscaler?.minReplicas ?? fixedReplicas ?? DEFAULT_REPLICAS;
    this.minReplicas = minReplicas;
    this.disruptionBudget = new HaPodDisruptionBudget(this, 'DisruptionBudget', {
      deployment: this.deployment,
      minReplicas,
      maxUnavailable: props.maxUnavailable,
    });
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
