/**
 * Defaults for the lifecycle module. Each one is a named constant with the reason it has the
 * value it has; `LifecycleModule` resolves them under the user's options.
 */

import { DEFAULT_KEEP_ALIVE_TIMEOUT_MS, LIVENESS_PATH, READINESS_PATH } from '@stayup/contract';

/*
 * The drain defaults and the keep-alive timeout are the contract with the platform (the pod's
 * grace period, the ALB's deregistration delay and idle timeout derive from the same values):
 * they live in @stayup/contract and are re-exported here.
 */
export {
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  DEFAULT_SHUTDOWN_DELAY_MS,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
} from '@stayup/contract';

/** Time to receive a request's headers. Above the keep-alive timeout, as the ALB guidance asks. */
export const DEFAULT_HEADERS_TIMEOUT_MS = DEFAULT_KEEP_ALIVE_TIMEOUT_MS + 1_000;

/**
 * Time to receive a whole request. Bounds clients that trickle a body; Node requires it to be at
 * least the headers timeout. Node's own default (300 s) lets a slow client hold a socket 5 minutes.
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;

/** Path of the readiness endpoint (Kubernetes readiness probe, ALB target group health check). */
export const DEFAULT_READINESS_PATH = READINESS_PATH.slice(1);

/** Path of the liveness endpoint (Kubernetes liveness probe). */
export const DEFAULT_LIVENESS_PATH = LIVENESS_PATH.slice(1);

/**
 * Whether the module looks for Kubernetes (the `KUBERNETES_SERVICE_HOST` variable of the
 * cluster's API service in a pod's environment) and, outside it, defaults the shutdown delay to
 * 0: on a laptop nothing deregisters the process, and `nest start --watch` waits for the old
 * process to exit before it starts the new one. lightship does the same ("local mode",
 * gajus/lightship README).
 */
export const DEFAULT_DETECT_KUBERNETES = true;
/** The variable whose presence means "running in a Kubernetes pod". */
export const KUBERNETES_ENV = 'KUBERNETES_SERVICE_HOST';

/** Signals that start the drain: SIGTERM from the kubelet, SIGINT from a terminal. */
export const DEFAULT_SHUTDOWN_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/**
 * Requests in flight at once before new ones get 503. An API answering in milliseconds has a few
 * dozen in flight at full CPU; a thousand means it is waiting on something slower, and more
 * would only queue answers the caller has given up on, in memory.
 */
export const DEFAULT_MAX_IN_FLIGHT_REQUESTS = 1024;

/**
 * Open connections before new requests get 503 with `Connection: close`. An idle keep-alive
 * connection costs a few KiB; 10,000 stays within a 256 MiB pod (measured in the fault suite,
 * see the README) and above what one ALB keeps open to a target.
 */
export const DEFAULT_MAX_CONNECTIONS = 10_000;

/**
 * Event-loop delay past which new requests get 503 (two samples running): one callback holding the
 * loop this long. Well under the 2 s probe timeouts (k8s-ha's
 * kubelet probes and its ALB health check), so a shedding replica still answers its
 * probes in time, and about what a user notices.
 */
export const DEFAULT_MAX_EVENT_LOOP_DELAY_MS = 200;

/** `Retry-After` of a shed request: a replica's overload is usually over within a second. */
export const DEFAULT_RETRY_AFTER_SECONDS = 1;

/** Injection token of the resolved {@link ResolvedLifecycleOptions}. */
export const LIFECYCLE_OPTIONS = Symbol('LIFECYCLE_OPTIONS');

/** Injection token of the probe paths ({@link ProbeRoutes}). */
export const LIFECYCLE_ROUTES = Symbol('LIFECYCLE_ROUTES');

/** The probe paths a module was declared with, as `LIFECYCLE_ROUTES` provides them. */
export interface ProbeRoutes {
  readonly readinessPath: string;
  readonly livenessPath: string;
}

/** Injection token of the options as the user gave them (before defaults). */
export const LIFECYCLE_MODULE_OPTIONS = Symbol('LIFECYCLE_MODULE_OPTIONS');
