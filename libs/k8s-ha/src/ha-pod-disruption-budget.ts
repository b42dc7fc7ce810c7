import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { HaDeployment } from './ha-deployment.js';

/**
 * Pods that may be down at once during voluntary disruptions: one, so a node drain proceeds pod by
 * pod and the others keep serving.
 */
export const DEFAULT_MAX_UNAVAILABLE = 1;

/** Options of {@link HaPodDisruptionBudget}. */
export interface HaPodDisruptionBudgetProps {
  /** The Deployment whose pods the budget covers. */
  readonly deployment: HaDeployment;
  /** The smallest replica count the workload runs with (HPA minimum or fixed count). */
  readonly minReplicas: number;
  /**
   * Pods that may be down at once during voluntary disruptions (node drains, upgrades).
   * @default 1
   */
  readonly maxUnavailable?: number;
}

/**
 * A PodDisruptionBudget that keeps all but one pod up during node drains, and never blocks a
 * drain: `maxUnavailable` is at least 1 and fewer than the minimum replicas, and unhealthy pods
 * may always be evicted (`unhealthyPodEvictionPolicy: AlwaysAllow`), so a crash-looping pod cannot
 * hold a node upgrade hostage.
 * @see https://kubernetes.io/docs/tasks/run-application/configure-pdb/#unhealthy-pod-eviction-policy
 */
export class HaPodDisruptionBudget extends Construct {
  /** The PodDisruptionBudget. */
  readonly apiObject: k8s.KubePodDisruptionBudget;
  /** The effective maxUnavailable. */
  readonly maxUnavailable: number;

  constructor(scope: Construct, id: string, props: HaPodDisruptionBudgetProps) {
    super(scope, id);
    this.maxUnavailable = props.maxUnavailable ?? DEFAULT_MAX_UNAVAILABLE;
    if (!Number.isInteger(this.maxUnavailable) || this.maxUnavailable < 1) {
      throw new Error(
        `'maxUnavailable' (${this.maxUnavailable}) must be at least 1: a budget ` +
          `of 0 blocks every voluntary disruption, so node drains and cluster upgrades hang`,
      );
    }
    if (props.minReplicas > 1 && this.maxUnavailable >= props.minReplicas) {
      throw new Error(
        `'maxUnavailable' (${this.maxUnavailable}) must be less than the minimum ` +
          `replicas (${props.minReplicas}): a drain could then take every pod down at once; use 1`,
      );
    }
    this.apiObject = new k8s.KubePodDisruptionBudget(this, 'Resource', {
      metadata: {
        name: props.deployment.name,
        namespace: props.deployment.namespace,
        labels: props.deployment.labels,
      },
      spec: {
        maxUnavailable: k8s.IntOrString.fromNumber(this.maxUnavailable),
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
        selector: { matchLabels: props.deployment.selector },
      },
    });
  }
}
