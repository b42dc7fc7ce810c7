/**
 * The environment variables a stayup service reads at start and its platform sets: the names are
 * written here once, so the app's loader, the Kubernetes constructs that fill them in and the
 * platform's environment files cannot disagree on a spelling.
 */
export const ServiceEnv = {
  /** HTTP port the service listens on. */
  port: 'PORT',
  /** Address the service binds. */
  host: 'HOST',
  /** Least severe log level written. */
  logLevel: 'LOG_LEVEL',
  /** Milliseconds to keep serving after SIGTERM while readiness reports 503. */
  shutdownDelayMs: 'SHUTDOWN_DELAY_MS',
  /** Milliseconds then allowed for in-flight requests. */
  shutdownTimeoutMs: 'SHUTDOWN_TIMEOUT_MS',
  /** Requests run through the app in-process before readiness goes up. */
  warmupRequests: 'WARMUP_REQUESTS',
  /** Port of the Prometheus endpoint, apart from the HTTP port. */
  metricsPort: 'METRICS_PORT',
  /** Comma-separated origins allowed by CORS. */
  corsOrigins: 'CORS_ORIGINS',
  /** Requests in flight past which new ones are answered 503 (load shedding). */
  maxInFlightRequests: 'MAX_IN_FLIGHT_REQUESTS',
  /** Open connections past which requests are answered 503 with `Connection: close`. */
  maxConnections: 'MAX_CONNECTIONS',
  /** Event-loop delay (ms) past which new requests are answered 503; 0 turns it off. */
  maxEventLoopDelayMs: 'MAX_EVENT_LOOP_DELAY_MS',
} as const;

/** The name of one of the {@link ServiceEnv} variables. */
export type ServiceEnvName = (typeof ServiceEnv)[keyof typeof ServiceEnv];

/**
 * The variables a Kubernetes workload construct derives from its own props (ports and drain),
 * so that the app, the probes and the grace period agree; a user-supplied value is refused.
 */
export const DERIVED_ENV: readonly ServiceEnvName[] = [
  ServiceEnv.port,
  ServiceEnv.metricsPort,
  ServiceEnv.shutdownDelayMs,
  ServiceEnv.shutdownTimeoutMs,
];
