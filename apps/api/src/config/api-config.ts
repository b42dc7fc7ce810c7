import {
  DEFAULT_HTTP_PORT,
  DEFAULT_METRICS_PORT,
  DEFAULT_SHUTDOWN_DELAY_MS,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  MAX_PORT,
  MAX_SHUTDOWN_MS,
  ServiceEnv,
  type ServiceEnvName,
} from '@stayup/contract';
import {
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_EVENT_LOOP_DELAY_MS,
  DEFAULT_MAX_IN_FLIGHT_REQUESTS,
  type OverloadOptions,
} from '@stayup/nest-lifecycle';
import { isIP } from 'node:net';
import { cpuLimit } from './cpu-limit.js';

/** Log levels the API accepts in `LOG_LEVEL`, most to least severe (pino's names). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The API's configuration, read from environment variables and validated once at start. */
export interface ApiConfig {
  /** `PORT`: HTTP port. Default 8080. */
  readonly port: number;
  /** `HOST`: address to bind. Default 0.0.0.0 (every IPv4 interface, as a container needs). */
  readonly host: string;
  /** `LOG_LEVEL`: least severe level written. Default info. */
  readonly logLevel: LogLevel;
  /** `SHUTDOWN_DELAY_MS`: keep serving after SIGTERM while /ready says 503. Default 5000. */
  readonly shutdownDelayMs: number;
  /** `SHUTDOWN_TIMEOUT_MS`: time allowed for in-flight requests after the delay. Default 10000. */
  readonly shutdownTimeoutMs: number;
  /** `WARMUP_REQUESTS`: requests run through the app in-process before /ready goes up. Default 0. */
  readonly warmupRequests: number;
  /** `METRICS_PORT`: port of the Prometheus endpoint (`/metrics`), apart from `PORT`. Default 9464. */
  readonly metricsPort: number;
  /** `CORS_ORIGINS`: comma-separated origins allowed by CORS. Default none: CORS off. */
  readonly corsOrigins: readonly string[];
  /**
   * Load shedding: `MAX_IN_FLIGHT_REQUESTS` (default 1024), `MAX_CONNECTIONS` (default 1000 per
   * core of the CPU limit, at least 100; 10000 without a limit),
   * `MAX_EVENT_LOOP_DELAY_MS` (default 200; 0 turns that bound off). Past any of them a request
   * gets 503 with `Retry-After`; the probes never do.
   */
  readonly overload: Required<
    Pick<OverloadOptions, 'maxInFlightRequests' | 'maxConnections' | 'maxEventLoopDelayMs'>
  >;
}

/** Thrown by {@link loadConfig} with one line per invalid variable. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * The variables the API reads, with their defaults: the documented contract. `MAX_CONNECTIONS`'s
 * is the one without a CPU limit; with one, {@link defaultMaxConnections} sizes it.
 */
export const CONFIG_DEFAULTS: Readonly<Record<ServiceEnvName, string>> = {
  [ServiceEnv.port]: String(DEFAULT_HTTP_PORT),
  [ServiceEnv.host]: '0.0.0.0',
  [ServiceEnv.logLevel]: 'info',
  [ServiceEnv.shutdownDelayMs]: String(DEFAULT_SHUTDOWN_DELAY_MS),
  [ServiceEnv.shutdownTimeoutMs]: String(DEFAULT_SHUTDOWN_TIMEOUT_MS),
  [ServiceEnv.warmupRequests]: '0',
  [ServiceEnv.metricsPort]: String(DEFAULT_METRICS_PORT),
  [ServiceEnv.corsOrigins]: '',
  [ServiceEnv.maxInFlightRequests]: String(DEFAULT_MAX_IN_FLIGHT_REQUESTS),
  [ServiceEnv.maxConnections]: String(DEFAULT_MAX_CONNECTIONS),
  [ServiceEnv.maxEventLoopDelayMs]: String(DEFAULT_MAX_EVENT_LOOP_DELAY_MS),
};

/**
 * Open connections allowed per core of the pod's CPU limit, for the default `MAX_CONNECTIONS`.
 * Behind a balancer, which opens a connection per concurrent request, the connections bound the
 * requests queued on a replica: at 0.5 CPU the API answers ~4,000 /hello a second, so 500
 * connections wait at most ~130 ms. Measured with the fault suite's direct overload (README):
 * 2xx p99 193 ms at 1.5× capacity with 500, 4.1 s without a bound.
 */
export const CONNECTIONS_PER_CPU = 1_000;
/** Least default `MAX_CONNECTIONS`, however small the CPU limit. */
export const MIN_DEFAULT_MAX_CONNECTIONS = 100;

/**
 * The default of `MAX_CONNECTIONS`: {@link CONNECTIONS_PER_CPU} per core of the CPU limit, or the
 * library's memory guard (10,000) when the process has no CPU limit.
 */
export function defaultMaxConnections(cpus: number | undefined): number {
  if (cpus === undefined) return DEFAULT_MAX_CONNECTIONS;
  return Math.min(
    DEFAULT_MAX_CONNECTIONS,
    Math.max(MIN_DEFAULT_MAX_CONNECTIONS, Math.round(cpus * CONNECTIONS_PER_CPU)),
  );
}

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** The process's CPU limit in cores, for defaults sized to it. @default the cgroup's ({@link cpuLimit}) */
  readonly cpuLimit?: () => number | undefined;
}

type VariableName = ServiceEnvName;
const { port: PORT, host: HOST, logLevel: LOG_LEVEL, metricsPort: METRICS_PORT } = ServiceEnv;

const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i;

const HOSTNAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/**
 * Reads and validates the API's environment variables. Every problem is reported, not just the
 * first, each as `'<NAME>' (<value>) must <rule>: <fix>`.
 *
 * Written by hand rather than with envalid or zod: eleven variables, messages in the repository's
 * error format, and cross-variable rules that those libraries do not express.
 */
export function loadConfig(env: NodeJS.ProcessEnv, options: LoadConfigOptions = {}): ApiConfig {
  const problems: string[] = [];
  const defaults: Record<ServiceEnvName, string> = {
    ...CONFIG_DEFAULTS,
    [ServiceEnv.maxConnections]: String(defaultMaxConnections((options.cpuLimit ?? cpuLimit)())),
  };
  const read = (name: VariableName): string => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? defaults[name] : value.trim();
  };
  const integer = (name: VariableName, min: number, max: number, example: string): number => {
    const raw = read(name);
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      problems.push(
        `'${name}' (${raw}) must be an integer from ${min} to ${max}: ` +
          `set ${name}=${example}, or unset it for the default ${defaults[name]}`,
      );
    }
    return value;
  };

  const port = integer(PORT, 1, MAX_PORT, String(DEFAULT_HTTP_PORT));
  const host = read(HOST);
  if (isIP(host) === 0 && !HOSTNAME.test(host)) {
    problems.push(
      `'${HOST}' (${host}) must be an IP address or a host name: ` +
        `set ${HOST}=0.0.0.0 to listen on every interface, or ${HOST}=127.0.0.1 for this machine only`,
    );
  }
  const logLevel = read(LOG_LEVEL).toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(
      `'${LOG_LEVEL}' (${read(LOG_LEVEL)}) must be one of ${LOG_LEVELS.join(', ')}: ` +
        `set ${LOG_LEVEL}=info, or unset it for the default`,
    );
  }
  // Upper bounds: the pod's terminationGracePeriodSeconds is derived from these two, and a drain
  // longer than ten minutes is a mistake, not a choice.
  const shutdownDelayMs = integer(
    ServiceEnv.shutdownDelayMs,
    0,
    MAX_SHUTDOWN_MS,
    String(DEFAULT_SHUTDOWN_DELAY_MS),
  );
  const shutdownTimeoutMs = integer(
    ServiceEnv.shutdownTimeoutMs,
    1,
    MAX_SHUTDOWN_MS,
    String(DEFAULT_SHUTDOWN_TIMEOUT_MS),
  );
  const warmupRequests = integer(ServiceEnv.warmupRequests, 0, 1_000_000, '1000');
  const metricsPort = integer(METRICS_PORT, 1, MAX_PORT, String(DEFAULT_METRICS_PORT));
  if (metricsPort === port) {
    problems.push(
      `'${METRICS_PORT}' (${metricsPort}) must differ from '${PORT}' (${port}): metrics are served on ` +
        `their own port so the public load balancer never exposes them; unset it for the default ${DEFAULT_METRICS_PORT}`,
    );
  }
  const corsOrigins = read(ServiceEnv.corsOrigins)
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  for (const origin of corsOrigins) {
    if (!ORIGIN.test(origin)) {
      problems.push(
        `'${ServiceEnv.corsOrigins}' (${origin}) must be a comma-separated list of origins like ` +
          `https://app.example.com (scheme, host, optional port; no path, no '*'): fix or unset it`,
      );
    }
  }

  const overload = {
    maxInFlightRequests: integer(ServiceEnv.maxInFlightRequests, 1, 1_000_000, '1024'),
    maxConnections: integer(ServiceEnv.maxConnections, 1, 1_000_000, '10000'),
    maxEventLoopDelayMs: integer(ServiceEnv.maxEventLoopDelayMs, 0, 60_000, '200'),
  };

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host,
    logLevel,
    shutdownDelayMs,
    shutdownTimeoutMs,
    warmupRequests,
    metricsPort,
    corsOrigins,
    overload,
  };
}
