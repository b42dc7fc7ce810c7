import { ServiceEnv } from '@stayup/contract';
import { API_BUNDLE, ApiProcess } from '../api-process.js';
import type { PodCgroup } from '../cgroup.js';
import { freePort } from '../ports.js';
import { bareServiceEntry } from './bare-service.js';

/**
 * What a fault scenario runs: the built API, or the same service written with node:http alone
 * ({@link BARE_SERVICE_SOURCE}: same endpoints, same drain delay, none of the API's defences).
 */
export type ServiceVariant = 'api' | 'bare';

/** Options of {@link startService}. */
export interface StartServiceOptions {
  /** Port; a free one by default. */
  readonly port?: number;
  /** Extra environment (LOG_LEVEL, SHUTDOWN_DELAY_MS…). */
  readonly env?: Record<string, string>;
  /** Cgroups with a pod's limits. @default none */
  readonly cgroup?: PodCgroup;
  /** `'unread'`: nobody reads stdout (a stalled log shipper). @default 'collect' */
  readonly stdout?: 'collect' | 'unread';
  /** Wait until /ready answers 200. @default true */
  readonly waitReady?: boolean;
}

export { BARE_SERVICE_SOURCE } from './bare-service.js';

/** Starts one process of `variant` and, by default, waits until it is ready. */
export async function startService(
  variant: ServiceVariant,
  options: StartServiceOptions = {},
): Promise<ApiProcess> {
  const service = await ApiProcess.start({
    port: options.port ?? (await freePort()),
    entry: variant === 'api' ? API_BUNDLE : bareServiceEntry(),
    env: { [ServiceEnv.logLevel]: 'info', ...options.env },
    cgroup: options.cgroup,
    stdout: options.stdout,
  });
  if (options.waitReady ?? true) await service.waitForReady(15_000);
  return service;
}

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
