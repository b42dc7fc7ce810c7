import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { DrainTiming, type DrainTimingProps } from './drain-timing.js';
import { HaDeployment } from './ha-deployment.js';
import type { HaHorizontalPodAutoscaler } from './ha-horizontal-pod-autoscaler.js';
import type { HaNamespace } from './ha-namespace.js';
import { HaNetworkPolicy, type HaNetworkPolicyProps } from './ha-network-policy.js';
import type { HaPodDisruptionBudget } from './ha-pod-disruption-budget.js';
import type { HaPriorityClass } from './ha-priority-class.js';
import type { HaPodProps, HighlyAvailableServiceProps } from './highly-available-service.js';
import { deploymentBase, scaleAndProtect, workloadScope } from './private/workload-scaffold.js';
import type { ExecProbes, NoProbes } from './probes.js';

/** A worker's drain delay: nothing routes traffic to it, so there is nothing to wait out. */
export const DEFAULT_WORKER_DRAIN_DELAY = Duration.seconds(0);
/**
 * Time a worker has after SIGTERM to finish the job in hand (stop taking new ones first): with
 * the 5 s margin, the grace period is Kubernetes' default 30 s. Set it to the longest job.
 */
export const DEFAULT_WORKER_DRAIN_TIMEOUT = Duration.seconds(25);
/** A worker's metrics port: none unless given (a worker that exports metrics names its port). */
export const DEFAULT_WORKER_METRICS_PORT: number | false = false;

/** Options of {@link HighlyAvailableWorker}. */
export interface HighlyAvailableWorkerProps
  extends
    Omit<HaPodProps, 'port' | 'probes' | 'metricsPort' | 'drain'>,
    Pick<
      HighlyAvailableServiceProps,
      | 'name'
      | 'namespace'
      | 'createNamespace'
      | 'scaling'
      | 'replicas'
      | 'maxUnavailable'
      | 'priorityClass'
    > {
  /**
   * How the kubelet tells a hung worker: a command (`{ exec: [...] }`), or no probes with the
   * reason (`{ none: '…' }`). Required: a worker's health has no safe default.
   */
  readonly probes: ExecProbes | NoProbes;
  /** Port for Prometheus metrics, passed as `METRICS_PORT`. @default none */
  readonly metricsPort?: number;
  /**
   * Drain after SIGTERM: `timeout` is the longest job (stop taking new work, finish the current).
   * @default delay 0, timeout 25 s: a 30 s grace period
   */
  readonly drain?: DrainTiming | DrainTimingProps;
  /**
   * The NetworkPolicy: no ingress (the metrics port, if any, from the monitoring namespace),
   * egress to cluster DNS and what `egress` names (the queue, the database). `false` for none.
   * @default no ingress, DNS out
   */
  readonly networkPolicy?: Pick<HaNetworkPolicyProps, 'egress' | 'monitoringNamespace'> | false;
}

/**
 * A workload that serves no HTTP (a queue consumer, a stream processor) run highly available:
 * Namespace, Deployment, HorizontalPodAutoscaler, PodDisruptionBudget, the shared PriorityClass
 * and a NetworkPolicy that admits nothing, with the same pod hardening, spread and drain as
 * {@link HighlyAvailableService}. No Service, no Ingress, no `PORT`; probes by command or none.
 *
 * @example
 * new HighlyAvailableWorker(chart, 'mailer', {
 *   name: 'mailer',
 *   image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/mailer:2.0.1',
 *   probes: { exec: ['node', 'dist/healthcheck.js'] },
 *   networkPolicy: { egress: [{ cidr: '10.0.48.0/20', port: 5672 }] },
 * });
 */
export class HighlyAvailableWorker extends Construct {
  /** The namespace name. */
  readonly namespaceName: string;
  /** The Namespace, when created. */
  readonly namespace?: HaNamespace;
  /** The PriorityClass, when this worker created it. */
  readonly priorityClass?: HaPriorityClass;
  readonly deployment: HaDeployment;
  /** The autoscaler, unless `scaling: false`. */
  readonly autoscaler?: HaHorizontalPodAutoscaler;
  readonly disruptionBudget: HaPodDisruptionBudget;
  /** The NetworkPolicy, unless `networkPolicy: false`. */
  readonly networkPolicy?: HaNetworkPolicy;
  /** The smallest replica count: the HPA minimum or the fixed count. */
  readonly minReplicas: number;

  constructor(scope: Construct, id: string, props: HighlyAvailableWorkerProps) {
    super(scope, id);
    const workload = workloadScope(this, props);
    this.namespaceName = workload.namespaceName;
    this.namespace = workload.namespace;
    this.priorityClass = workload.priorityClass;
    const drain =
      props.drain instanceof DrainTiming
        ? props.drain
        : new DrainTiming({
            delay: DEFAULT_WORKER_DRAIN_DELAY,
            timeout: DEFAULT_WORKER_DRAIN_TIMEOUT,
            ...props.drain,
          });
    this.deployment = new HaDeployment(this, 'Deployment', {
      ...deploymentBase(props, workload),
      port: false,
      metricsPort: props.metricsPort ?? DEFAULT_WORKER_METRICS_PORT,
      probes: props.probes,
      drain,
    });
    const protection = scaleAndProtect(this, this.deployment, workload, props);
    this.autoscaler = protection.autoscaler;
    this.disruptionBudget = protection.disruptionBudget;
    this.minReplicas = protection.minReplicas;
    if (props.networkPolicy !== false) {
      this.networkPolicy = new HaNetworkPolicy(this, 'NetworkPolicy', {
        deployment: this.deployment,
        ...props.networkPolicy,
      });
    }
  }
}
