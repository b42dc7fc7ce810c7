/**
 * Time a service keeps serving after SIGTERM with readiness at 503. Kubernetes removes the pod
 * from the Service endpoints as it sends SIGTERM, and the load balancer then deregisters the
 * target: requests keep arriving for a few seconds. lightship's default; behind an AWS ALB, set
 * 10-15 s per environment.
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination
 * @see https://github.com/gajus/lightship#lightship-configuration
 */
export const DEFAULT_SHUTDOWN_DELAY_MS = 5_000;

/** Time then allowed for in-flight requests to finish before the process exits 1. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

/**
 * Upper bound of the delay and of the timeout. The pod's `terminationGracePeriodSeconds` is
 * derived from the two; a drain longer than ten minutes is a mistake, not a choice.
 */
export const MAX_SHUTDOWN_MS = 600_000;
