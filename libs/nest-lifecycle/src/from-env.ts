import { ServiceEnv } from '@stayup/contract';
import type { LifecycleModuleOptions, OverloadOptions } from './lifecycle-options.interface.js';

type EnvNumber = (typeof ServiceEnv)[
  | 'shutdownDelayMs'
  | 'shutdownTimeoutMs'
  | 'maxInFlightRequests'
  | 'maxConnections'
  | 'maxEventLoopDelayMs'];

/**
 * The lifecycle options the platform passes as environment variables, for
 * `LifecycleModule.forRoot(lifecycleOptionsFromEnv())`: `SHUTDOWN_DELAY_MS` and
 * `SHUTDOWN_TIMEOUT_MS` (which @stayup/k8s-ha derives from its drain timing, so that the pod's
 * grace period, the load balancer and the app agree), and the load-shedding bounds
 * `MAX_IN_FLIGHT_REQUESTS`, `MAX_CONNECTIONS`, `MAX_EVENT_LOOP_DELAY_MS`. An unset or empty
 * variable leaves the option to its default; one that is not a whole number throws, naming it.
 *
 * @example
 * LifecycleModule.forRoot({ ...lifecycleOptionsFromEnv(), readinessIndicators: [dbPing] })
 */
export function lifecycleOptionsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): LifecycleModuleOptions {
  const read = (name: EnvNumber, example: string): number | undefined => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return undefined;
    if (!/^\d+$/.test(raw)) {
      throw new Error(
        `'${name}' (${raw}) must be a whole number: set ${name}=${example}, or unset it for the default`,
      );
    }
    return Number(raw);
  };
  const overload: OverloadOptions = {
    maxInFlightRequests: read(ServiceEnv.maxInFlightRequests, '1024'),
    maxConnections: read(ServiceEnv.maxConnections, '10000'),
    maxEventLoopDelayMs: read(ServiceEnv.maxEventLoopDelayMs, '200'),
  };
  return withoutUndefined({
    shutdownDelayMs: read(ServiceEnv.shutdownDelayMs, '5000'),
    shutdownTimeoutMs: read(ServiceEnv.shutdownTimeoutMs, '10000'),
    overload: Object.values(overload).some((v) => v !== undefined)
      ? withoutUndefined(overload)
      : undefined,
  });
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
