import { LIVENESS_PATH, READINESS_PATH, RUN_AS_UID } from '@stayup/contract';

/*
 * The defaults of {@link HaDeployment}, each with the reason for its value. The ports, probe
 * paths and UID are the contract with the app (`@stayup/contract`); the rest is rollout,
 * scheduling and probing practice.
 */

/** UID and GID the container runs as: not root, and not a UID an image's own user is likely to have. */
export const DEFAULT_RUN_AS_USER = RUN_AS_UID;
/** The HTTP and metrics ports: the contract's, under the same names (`@stayup/contract`). */
export { DEFAULT_HTTP_PORT, DEFAULT_METRICS_PORT } from '@stayup/contract';
/**
 * Readiness probe path: what the app reports 503 on while draining (`@stayup/contract`'s
 * READINESS_PATH, with its '/'; @stayup/nest-lifecycle's DEFAULT_READINESS_PATH is the route
 * without it).
 */
export const DEFAULT_READINESS_PROBE_PATH = READINESS_PATH;
/** Liveness and start-up probe path: up during the drain too (`@stayup/contract`). */
export const DEFAULT_LIVENESS_PROBE_PATH = LIVENESS_PATH;
/** Zones a cluster's nodes span (the eks-platform default). */
export const DEFAULT_ZONES = 3;

/** Replicas without an autoscaler: one pod can be lost (a node, a zone) without an outage. */
export const DEFAULT_REPLICAS = 2;
/**
 * Extra pods a rollout may start. With `maxUnavailable` always 0, a quarter of the replicas are
 * replaced at a time (Kubernetes' own default surge), at least one pod.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#max-surge
 */
export const DEFAULT_MAX_SURGE = '25%';
/** Old ReplicaSets kept for `kubectl rollout undo`: enough to go back a few releases. */
export const DEFAULT_REVISION_HISTORY_LIMIT = 5;
/**
 * Seconds a new pod must stay ready before it counts as available and the rollout moves on: a
 * pod that passes its first probe and then crashes stops the rollout instead of replacing all.
 */
export const DEFAULT_MIN_READY_SECONDS = 5;
/** Seconds without progress before a rollout is reported failed (Kubernetes' default). */
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

/**
 * What the scheduler does when the zone spread cannot be met: `ScheduleAnyway` never leaves a pod
 * Pending, so a lost zone does not stop the others from scaling.
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/
 */
export const DEFAULT_WHEN_UNSATISFIABLE = 'ScheduleAnyway';
/** Largest difference in pod count between two zones. */
export const DEFAULT_MAX_SKEW = 1;
/** Weight of the preferred one-pod-per-node anti-affinity: the strongest preference (1-100). */
export const DEFAULT_ANTI_AFFINITY_WEIGHT = 100;

/** Timing of one probe: how often, how many failures in a row count. */
export interface ProbeTiming {
  readonly periodSeconds: number;
  readonly failureThreshold: number;
}

/**
 * Probe timings: start-up allows 60 s (2 s × 30) before liveness takes over; readiness takes a
 * pod out after 2 failures (10 s); liveness restarts it after 3 (30 s), never during a drain
 * because the app keeps liveness up while draining.
 * @see https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/
 */
export const DEFAULT_PROBE_TIMINGS: Readonly<
  Record<'startup' | 'readiness' | 'liveness', ProbeTiming>
> = {
  startup: { periodSeconds: 2, failureThreshold: 30 },
  readiness: { periodSeconds: 5, failureThreshold: 2 },
  liveness: { periodSeconds: 10, failureThreshold: 3 },
};
/**
 * The container port the kubelet probes: the traffic port, which every app has. An app that also
 * answers its probes on its metrics port (the stayup API) is better probed there (`'metrics'`).
 */
export const DEFAULT_PROBE_PORT = 'http';
/** Seconds a probe request may take: well above the app's sub-millisecond answer, below the period. */
export const DEFAULT_PROBE_TIMEOUT_SECONDS = 2;

/** When the kubelet pulls a container's image. */
export type ImagePullPolicy = 'Always' | 'IfNotPresent' | 'Never';
/**
 * Pull policy of an image pinned by digest, or by a tag the registry never moves (ECR
 * `IMMUTABLE`): the reference names one image forever, so a node's cached copy is that image and
 * a restarted pod needs no registry.
 * @see https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy
 */
export const DEFAULT_PINNED_IMAGE_PULL_POLICY: ImagePullPolicy = 'IfNotPresent';
/**
 * Pull policy of an image pinned by a tag a registry may move: every pod runs what the tag names
 * now, and the kubelet re-checks the registry credentials (kube-score's
 * container-image-pull-policy).
 */
export const DEFAULT_IMAGE_PULL_POLICY: ImagePullPolicy = 'Always';
