/**
 * Defaults for the lifecycle module. Each one is a named constant with the reason it has the
 * value it has; `LifecycleModule` resolves them under the user's options.
 */

/**
 * Time to keep serving normally after SIGTERM while readiness reports 503. Kubernetes removes the
 * pod from the Service endpoints at the same moment it sends SIGTERM, and the AWS Load Balancer
 * Controller then deregisters the target: requests keep arriving for a few seconds.
 * lightship uses 5 s; AWS guidance for the ALB is 10-15 s (set it per environment).
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination
 */
export const DEFAULT_SHUTDOWN_DELAY_MS = 5_000;

/** Time allowed, after the delay, for in-flight requests to finish and the app to close. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

/**
 * Idle keep-alive timeout of the HTTP server. Above the AWS ALB's 60 s idle timeout, so the ALB
 * always closes an idle connection before the app does and never reuses one the app just closed.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#connection-idle-timeout
 */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Time to receive a request's headers. Above the keep-alive timeout, as the ALB guidance asks. */
export const DEFAULT_HEADERS_TIMEOUT_MS = 66_000;

/**
 * Time to receive a whole request. Bounds clients that trickle a body; Node requires it to be at
 * least the headers timeout. Node's own default (300 s) lets a slow client hold a socket 5 minutes.
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;

/** Path of the readiness endpoint (Kubernetes readiness probe, ALB target group health check). */
export const DEFAULT_READINESS_PATH = 'ready';

/** Path of the liveness endpoint (Kubernetes liveness probe). */
export const DEFAULT_LIVENESS_PATH = 'alive';

/** Signals that start the drain: SIGTERM from the kubelet, SIGINT from a terminal. */
export const DEFAULT_SHUTDOWN_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/** Injection token of the resolved {@link ResolvedLifecycleOptions}. */
export const LIFECYCLE_OPTIONS = Symbol('LIFECYCLE_OPTIONS');

/** Injection token of the options as the user gave them (before defaults). */
export const LIFECYCLE_MODULE_OPTIONS = Symbol('LIFECYCLE_MODULE_OPTIONS');
