import {
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_SHUTDOWN_DELAY_MS,
  DEFAULT_SHUTDOWN_SIGNALS,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
} from '../lifecycle.constants.js';
import type {
  LifecycleModuleOptions,
  ResolvedLifecycleOptions,
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
 * message naming the option, the value and the fix.
 */
export function resolveLifecycleOptions(
  options: LifecycleModuleOptions = {},
): ResolvedLifecycleOptions {
  const resolved: ResolvedLifecycleOptions = {
    shutdownDelayMs: options.shutdownDelayMs ?? DEFAULT_SHUTDOWN_DELAY_MS,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS,
    signals: options.signals ?? DEFAULT_SHUTDOWN_SIGNALS,
    keepAliveTimeoutMs: options.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
    headersTimeoutMs: options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    readinessIndicators: options.readinessIndicators ?? [],
    exitProcess: options.exitProcess ?? true,
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
