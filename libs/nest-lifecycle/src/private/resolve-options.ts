import {
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_EVENT_LOOP_DELAY_MS,
  DEFAULT_MAX_IN_FLIGHT_REQUESTS,
  DEFAULT_RETRY_AFTER_SECONDS,
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_DETECT_KUBERNETES,
  DEFAULT_SHUTDOWN_DELAY_MS,
  DEFAULT_SHUTDOWN_SIGNALS,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  KUBERNETES_ENV,
} from '../lifecycle.constants.js';
import type {
  LifecycleModuleOptions,
  OverloadOptions,
  ResolvedLifecycleOptions,
  ResolvedOverloadOptions,
} from '../lifecycle-options.interface.js';

/** Upper bound for every duration: setTimeout overflows above 2^31-1 ms and fires at once. */
const MAX_TIMER_MS = 2_147_483_647;

function checkDuration(name: keyof LifecycleModuleOptions, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min || value > MAX_TIMER_MS) {
    throw new Error(
      `'${name}' (${value}) must be an integer number of milliseconds between ${min} and ${MAX_TIMER_MS}: ` +
        `pass a whole number of milliseconds, e.g. ${name}: 5000`,
    );
  }
}

/**
 * Applies the defaults under the user's options and refuses values that cannot work, with a
 * message naming the option, the value and the fix. `env`: where to look for Kubernetes.
 */
export function resolveLifecycleOptions(
  options: LifecycleModuleOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): ResolvedLifecycleOptions {
  const detectKubernetes = options.detectKubernetes ?? DEFAULT_DETECT_KUBERNETES;
  const localMode =
    detectKubernetes && !env[KUBERNETES_ENV] && options.shutdownDelayMs === undefined;
  const resolved: ResolvedLifecycleOptions = {
    shutdownDelayMs: options.shutdownDelayMs ?? (localMode ? 0 : DEFAULT_SHUTDOWN_DELAY_MS),
    detectKubernetes,
    localMode,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS,
    signals: options.signals ?? DEFAULT_SHUTDOWN_SIGNALS,
    keepAliveTimeoutMs: options.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
    headersTimeoutMs: options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    readinessIndicators: options.readinessIndicators ?? [],
    exitProcess: options.exitProcess ?? true,
    closeKeepAliveWhileDraining: options.closeKeepAliveWhileDraining ?? true,
    overload: options.overload === false ? false : resolveOverload(options.overload ?? {}),
  };
  checkDuration('shutdownDelayMs', resolved.shutdownDelayMs, 0);
  checkDuration('shutdownTimeoutMs', resolved.shutdownTimeoutMs, 1);
  checkDuration('keepAliveTimeoutMs', resolved.keepAliveTimeoutMs, 1);
  checkDuration('headersTimeoutMs', resolved.headersTimeoutMs, 1);
  checkDuration('requestTimeoutMs', resolved.requestTimeoutMs, 1);
  if (resolved.headersTimeoutMs <= resolved.keepAliveTimeoutMs) {
    throw new Error(
      `'headersTimeoutMs' (${resolved.headersTimeoutMs}) must be greater than 'keepAliveTimeoutMs' ` +
        `(${resolved.keepAliveTimeoutMs}): raise headersTimeoutMs or lower keepAliveTimeoutMs`,
    );
  }
  if (resolved.requestTimeoutMs < resolved.headersTimeoutMs) {
    throw new Error(
      `'requestTimeoutMs' (${resolved.requestTimeoutMs}) must be at least 'headersTimeoutMs' ` +
        `(${resolved.headersTimeoutMs}): Node refuses a request timeout shorter than the headers timeout`,
    );
  }
  if (resolved.signals.length === 0) {
    throw new Error(
      `'signals' ([]) must name at least one signal: keep the default ['SIGTERM', 'SIGINT'] ` +
        `or list the signals your supervisor sends`,
    );
  }
  return resolved;
}

function resolveOverload(options: OverloadOptions): ResolvedOverloadOptions {
  const resolved: ResolvedOverloadOptions = {
    maxInFlightRequests: options.maxInFlightRequests ?? DEFAULT_MAX_IN_FLIGHT_REQUESTS,
    maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    maxEventLoopDelayMs: options.maxEventLoopDelayMs ?? DEFAULT_MAX_EVENT_LOOP_DELAY_MS,
    retryAfterSeconds: options.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS,
  };
  const bounds: [keyof OverloadOptions, number, string][] = [
    ['maxInFlightRequests', 1, 'e.g. maxInFlightRequests: 1024'],
    ['maxConnections', 1, 'e.g. maxConnections: 10000'],
    ['maxEventLoopDelayMs', 0, 'e.g. maxEventLoopDelayMs: 200, or 0 to turn this bound off'],
    ['retryAfterSeconds', 0, 'e.g. retryAfterSeconds: 1'],
  ];
  for (const [name, min, example] of bounds) {
    const value = resolved[name];
    if (!Number.isInteger(value) || value < min || value > MAX_TIMER_MS) {
      throw new Error(
        `'overload.${name}' (${value}) must be a whole number from ${min}: pass ${example}, ` +
          `or overload: false to turn load shedding off`,
      );
    }
  }
  return resolved;
}
