import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { HaDeployment } from './ha-deployment.js';
import { checkInteger } from './private/validation.js';

/** Default minimum replicas: one pod can be lost (a node, a zone) without an outage. */
export const DEFAULT_MIN_REPLICAS = 2;
/** Default maximum replicas. */
export const DEFAULT_MAX_REPLICAS = 10;
/** Default CPU target, % of the request: headroom for a spike while new pods start. */
export const DEFAULT_CPU_UTILIZATION = 70;
/** Default memory target, % of the request. */
export const DEFAULT_MEMORY_UTILIZATION = 80;
/** Default scale-down stabilisation: 5 minutes, so a dip between spikes does not flap. */
export const DEFAULT_SCALE_DOWN_STABILIZATION_SECONDS = 300;

/**
 * Scale-up: at once (no stabilisation window), by whichever is more of doubling or 4 pods every
 * 30 s, so a spike is met while new pods start.
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#configurable-scaling-behavior
 */
export const DEFAULT_SCALE_UP = { percent: 100, pods: 4, periodSeconds: 30 } as const;
/** Scale-down: at most half the pods per minute, after the stabilisation window. */
export const DEFAULT_SCALE_DOWN = { percent: 50, periodSeconds: 60 } as const;

/** Options of {@link HaHorizontalPodAutoscaler}. */
export interface HaHorizontalPodAutoscalerProps {
  /** The Deployment to scale. */
  readonly deployment: HaDeployment;
  /** @default 2 */
  readonly minReplicas?: number;
  /** @default 10 */
  readonly maxReplicas?: number;
  /**
   * Allow `minReplicas: 1` (development environments only).
   * @default false
   */
  readonly allowSingleReplica?: boolean;
  /** @default 70 */
  readonly cpuUtilization?: number;
  /** @default 80 */
  readonly memoryUtilization?: number;
  /** @default 300 */
  readonly scaleDownStabilizationSeconds?: number;
}

/**
 * An autoscaling/v2 HorizontalPodAutoscaler on CPU and memory that scales up fast (double, or 4
 * pods, every 30 s) and down slowly (half every minute after 5 stable minutes), never below 2.
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#configurable-scaling-behavior
 */
export class HaHorizontalPodAutoscaler extends Construct {
  /** The HorizontalPodAutoscaler. */
  readonly apiObject: k8s.KubeHorizontalPodAutoscalerV2;
  /** The effective minimum. */
  readonly minReplicas: number;
  /** The effective maximum. */
  readonly maxReplicas: number;

  constructor(scope: Construct, id: string, props: HaHorizontalPodAutoscalerProps) {
    super(scope, id);
    this.minReplicas = props.minReplicas ?? DEFAULT_MIN_REPLICAS;
    this.maxReplicas = props.maxReplicas ?? DEFAULT_MAX_REPLICAS;
    checkInteger('scaling.minReplicas', this.minReplicas, 1, 1_000, 'use 2 or more');
    checkInteger('scaling.maxReplicas', this.maxReplicas, 1, 1_000, 'use more than minReplicas');
    if (this.minReplicas < 2 && !props.allowSingleReplica) {
      throw new Error(
        `'scaling.minReplicas' (${this.minReplicas}) must be at least 2: one replica means an ` +
          `outage at every node drain or crash; use 2, or set scaling.allowSingleReplica for development`,
      );
    }
    if (this.maxReplicas <= this.minReplicas) {
      throw new Error(
        `'scaling.maxReplicas' (${this.maxReplicas}) must be greater than 'scaling.minReplicas' ` +
          `(${this.minReplicas}): the autoscaler needs room; raise maxReplicas, or fix the count ` +
          `without an autoscaler (scaling: false)`,
      );
    }
    const cpu = props.cpuUtilization ?? DEFAULT_CPU_UTILIZATION;
    const memory = props.memoryUtilization ?? DEFAULT_MEMORY_UTILIZATION;
    checkInteger(
      'scaling.cpuUtilization',
      cpu,
      10,
      100,
      'use a percentage of the request, e.g. 70',
    );
    checkInteger(
      'scaling.memoryUtilization',
      memory,
      10,
      100,
      'use a percentage of the request, e.g. 80',
    );
    const stabilization =
      props.scaleDownStabilizationSeconds ?? DEFAULT_SCALE_DOWN_STABILIZATION_SECONDS;
    checkInteger('scaling.scaleDownStabilizationSeconds', stabilization, 0, 3_600, 'e.g. 300');
    const deployment = props.deployment;
    const utilization = (name: string, averageUtilization: number): k8s.MetricSpecV2 => ({
      type: 'Resource',
      resource: { name, target: { type: 'Utilization', averageUtilization } },
    });
    this.apiObject = new k8s.KubeHorizontalPodAutoscalerV2(this, 'Resource', {
      metadata: {
        name: deployment.name,
        namespace: deployment.namespace,
        labels: deployment.labels,
      },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.name },
        minReplicas: this.minReplicas,
        maxReplicas: this.maxReplicas,
        metrics: [utilization('cpu', cpu), utilization('memory', memory)],
        behavior: {
          scaleUp: {
            stabilizationWindowSeconds: 0,
            selectPolicy: 'Max',
            policies: [
              {
                type: 'Percent',
                value: DEFAULT_SCALE_UP.percent,
                periodSeconds: DEFAULT_SCALE_UP.periodSeconds,
              },
              {
                type: 'Pods',
                value: DEFAULT_SCALE_UP.pods,
                periodSeconds: DEFAULT_SCALE_UP.periodSeconds,
              },
            ],
          },
          scaleDown: {
            stabilizationWindowSeconds: stabilization,
            selectPolicy: 'Min',
            policies: [
              {
                type: 'Percent',
                value: DEFAULT_SCALE_DOWN.percent,
                periodSeconds: DEFAULT_SCALE_DOWN.periodSeconds,
              },
            ],
          },
        },
      },
    });
  }
}
