import type { ModuleMetadata } from '@nestjs/common';
import type { HealthIndicatorFunction } from '@nestjs/terminus';

/** Options of {@link LifecycleModule.forRoot}. */
export interface LifecycleModuleOptions {
  /**
   * Milliseconds to keep serving normally after a shutdown signal, with readiness at 503, so the
   * load balancer stops routing to this instance before it stops accepting connections.
   * @default 5000 (DEFAULT_SHUTDOWN_DELAY_MS) in a Kubernetes pod; 0 elsewhere while
   * `detectKubernetes` is on
   * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination
   */
  readonly shutdownDelayMs?: number;

  /**
   * Look for Kubernetes (`KUBERNETES_SERVICE_HOST` in the environment, as in a pod) and,
   * outside it, default `shutdownDelayMs` to 0, so a restart on a laptop (`nest start --watch`)
   * does not hold the port for the delay. Turn it off behind another load balancer (ECS, VMs),
   * or set `shutdownDelayMs`.
   * @default true
   */
  readonly detectKubernetes?: boolean;

  /**
   * Milliseconds allowed, after the delay, for in-flight requests to finish and the application
   * to close. When it passes, the open requests are logged and the process exits with code 1.
   * @default 10000 (DEFAULT_SHUTDOWN_TIMEOUT_MS)
   */
  readonly shutdownTimeoutMs?: number;

  /**
   * Whether responses during the delay carry `Connection: close`, so that keep-alive callers with
   * no load balancer in front (service to service through a ClusterIP) reconnect, to the other
   * pods, before closing starts and cuts their connections. Behind an ALB it costs a reconnect
   * per connection and loses nothing; turn it off to keep connections until closing.
   * @default true
   */
  readonly closeKeepAliveWhileDraining?: boolean;

  /**
   * Signals that start the drain.
   * @default ['SIGTERM', 'SIGINT']
   */
  readonly signals?: readonly NodeJS.Signals[];

  /**
   * Idle keep-alive timeout of the HTTP server, in milliseconds. Keep it above the load
   * balancer's idle timeout (60 s on an AWS ALB).
   * @default 65000 (DEFAULT_KEEP_ALIVE_TIMEOUT_MS)
   * @see https://nodejs.org/api/http.html#serverkeepalivetimeout
   */
  readonly keepAliveTimeoutMs?: number;

  /**
   * Time allowed to receive a request's headers, in milliseconds. Must exceed `keepAliveTimeoutMs`.
   * @default 66000 (DEFAULT_HEADERS_TIMEOUT_MS)
   * @see https://nodejs.org/api/http.html#serverheaderstimeout
   */
  readonly headersTimeoutMs?: number;

  /**
   * Time allowed to receive a whole request, in milliseconds. Must be at least `headersTimeoutMs`.
   * @default 120000 (DEFAULT_REQUEST_TIMEOUT_MS)
   * @see https://nodejs.org/api/http.html#serverrequesttimeout
   */
  readonly requestTimeoutMs?: number;

  /**
   * Extra terminus indicators that must be up for readiness (a database ping, a cache). Liveness
   * never runs them: a dependency outage must not make the kubelet restart healthy pods.
   * @default []
   */
  readonly readinessIndicators?: readonly HealthIndicatorFunction[];

  /**
   * Whether the drain ends with `process.exit(code)`. Turn off when something else owns the
   * process (tests, a supervisor in the same process); the exit code is then left in
   * `process.exitCode`.
   * @default true
   */
  readonly exitProcess?: boolean;

  /**
   * Load shedding: requests past these bounds are answered at once with 503 and `Retry-After`,
   * before the framework, and counted (`GracefulShutdownService.shedRequests`). The probes are
   * answered before the bounds apply. `false` turns shedding off.
   * @default { maxInFlightRequests: 1024, maxConnections: 10000, maxEventLoopDelayMs: 200, retryAfterSeconds: 1 }
   */
  readonly overload?: OverloadOptions | false;
}

/** Bounds of {@link LifecycleModuleOptions.overload}. */
export interface OverloadOptions {
  /**
   * Requests received and not yet answered. Past it, new requests get 503: work waiting on
   * something slower (a database) stops piling up in memory.
   * @default 1024 (DEFAULT_MAX_IN_FLIGHT_REQUESTS)
   */
  readonly maxInFlightRequests?: number;
  /**
   * Open connections. A request on a connection past it gets 503 with `Connection: close`.
   * @default 10000 (DEFAULT_MAX_CONNECTIONS)
   */
  readonly maxConnections?: number;
  /**
   * Event-loop delay, in milliseconds, past which new requests get 503 until it falls again: the
   * bound that follows the pod's CPU (a request waits as long as the loop is late). Keep it well
   * under the probes' timeouts. `0` turns this bound off.
   * @default 200 (DEFAULT_MAX_EVENT_LOOP_DELAY_MS)
   */
  readonly maxEventLoopDelayMs?: number;
  /**
   * `Retry-After` of the 503s, in seconds.
   * @default 1 (DEFAULT_RETRY_AFTER_SECONDS)
   */
  readonly retryAfterSeconds?: number;
}

/** {@link OverloadOptions} with every default applied. */
export type ResolvedOverloadOptions = Required<OverloadOptions>;

/** Paths of the probe endpoints; fixed when the module is declared, so not part of async options. */
export interface LifecycleRouteOptions {
  /**
   * Path of the readiness endpoint.
   * @default 'ready'
   */
  readonly readinessPath?: string;

  /**
   * Path of the liveness endpoint.
   * @default 'alive'
   */
  readonly livenessPath?: string;
}

/** Options of {@link LifecycleModule.forRootAsync}. */
export interface LifecycleModuleAsyncOptions
  extends LifecycleRouteOptions, Pick<ModuleMetadata, 'imports'> {
  /** Builds the options from injected providers (a config service, a database client). */
  readonly useFactory: (
    ...args: never[]
  ) => LifecycleModuleOptions | Promise<LifecycleModuleOptions>;
  /**
   * Providers passed to `useFactory`.
   * @default []
   */
  readonly inject?: unknown[];
}

/** The options with every default applied; what the module's providers read. */
export type ResolvedLifecycleOptions = Required<Omit<LifecycleModuleOptions, 'overload'>> & {
  /** The load-shedding bounds, or `false` when shedding is off. */
  readonly overload: ResolvedOverloadOptions | false;
  /** Not in Kubernetes, so the delay defaulted to 0 (`detectKubernetes`). */
  readonly localMode: boolean;
};
