import { DEFAULT_SHUTDOWN_TIMEOUT_MS, ServiceEnv } from '@stayup/contract';
import { ApiProcess } from './api-process.js';
import { Haproxy } from './haproxy.js';
import { LoadGenerator, type LoadReport } from './load-generator.js';
import { freePort, freePorts } from './ports.js';

/** Options of {@link rollingRestart}. */
export interface RollingRestartOptions {
  /** API processes behind the balancer. @default 3 */
  readonly replicas?: number;
  /** Concurrent keep-alive clients of the balancer. @default 64 */
  readonly connections?: number;
  /**
   * SHUTDOWN_DELAY_MS of the API processes; must exceed the balancer's detection time
   * (fall × interval) with a margin, as the ALB's deregistration must fit in the real one.
   * @default 2000
   */
  readonly shutdownDelayMs?: number;
  /** SHUTDOWN_TIMEOUT_MS of the API processes. @default 10000 */
  readonly shutdownTimeoutMs?: number;
  /** Balancer health-check interval. @default 250 */
  readonly checkIntervalMs?: number;
  /** Load before the first replacement and after the last, in milliseconds. @default 1000 */
  readonly settleMs?: number;
  /** Script of the API. @default dist/apps/api/main.js */
  readonly entry?: string;
  /** Progress messages. @default none */
  readonly onProgress?: (message: string) => void;
}

/** One replaced process. */
export interface Replacement {
  readonly slot: string;
  readonly oldPid: number;
  readonly newPid: number;
  /** Exit code of the replaced process (0 after a clean drain). */
  readonly exitCode: number | null;
  /** SIGTERM until the balancer marked the slot DOWN. */
  readonly markedDownMs: number;
  /** SIGTERM until the old process exited. */
  readonly drainMs: number;
  /** Spawn of the new process until the balancer marked it UP. */
  readonly upMs: number;
}

/** What {@link rollingRestart} measured. */
export interface RollingRestartReport {
  readonly load: LoadReport;
  readonly replacements: readonly Replacement[];
}

/**
 * Replaces every API process behind a real HAProxy, one at a time, the way a Deployment's
 * RollingUpdate does with maxUnavailable 0, while a load generator keeps many keep-alive
 * connections busy through the balancer: SIGTERM the old process, wait for it to exit, start the
 * new one on the same port, wait until the balancer sees it UP, go on to the next.
 */
export async function rollingRestart(
  options: RollingRestartOptions = {},
): Promise<RollingRestartReport> {
  const replicas = options.replicas ?? 3;
  const delay = options.shutdownDelayMs ?? 2_000;
  const settle = options.settleMs ?? 1_000;
  const progress = options.onProgress ?? (() => undefined);
  const env = {
    [ServiceEnv.shutdownDelayMs]: String(delay),
    [ServiceEnv.shutdownTimeoutMs]: String(
      options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS,
    ),
    [ServiceEnv.logLevel]: 'warn',
  };
  // every process's HTTP and metrics ports, all different, each slot keeping its own across restarts
  const ports = await freePorts(replicas * 2);
  const slots = Array.from({ length: replicas }, (_, i) => ({
    name: `api-${i}`,
    port: ports[2 * i],
    metricsPort: ports[2 * i + 1],
  }));
  const spawnApi = (slot: (typeof slots)[number]) =>
    ApiProcess.start({ port: slot.port, metricsPort: slot.metricsPort, env, entry: options.entry });
  const running = new Map(
    await Promise.all(slots.map(async (s) => [s.name, await spawnApi(s)] as const)),
  );
  let haproxy: Haproxy | undefined;
  let load: LoadGenerator | undefined;
  try {
    await Promise.all([...running.values()].map((p) => p.waitForReady()));
    haproxy = await Haproxy.start({
      port: await freePort(),
      servers: slots,
      checkIntervalMs: options.checkIntervalMs ?? 250,
    });
    const balancer = haproxy;
    await Promise.all(slots.map((s) => balancer.waitForState(s.name, 'UP')));
    progress(`${replicas} processes UP behind haproxy at ${balancer.url}`);

    load = new LoadGenerator({
      url: `${balancer.url}/hello`,
      connections: options.connections ?? 64,
    }).start();
    await new Promise((r) => setTimeout(r, settle));

    const replacements: Replacement[] = [];
    for (const slot of slots) {
      const old = running.get(slot.name) as ApiProcess;
      const signalled = performance.now();
      old.kill('SIGTERM');
      await balancer.waitForState(slot.name, 'DOWN', delay + 5_000);
      const markedDownMs = performance.now() - signalled;
      const exit = await old.waitForExit();
      const drainMs = performance.now() - signalled;
      const fresh = await spawnApi(slot);
      running.set(slot.name, fresh);
      await balancer.waitForState(slot.name, 'UP', 15_000);
      const upMs = performance.now() - fresh.spawnedAt;
      replacements.push({
        slot: slot.name,
        oldPid: old.pid,
        newPid: fresh.pid,
        exitCode: exit.code,
        markedDownMs: Math.round(markedDownMs),
        drainMs: Math.round(drainMs),
        upMs: Math.round(upMs),
      });
      progress(
        `${slot.name}: pid ${old.pid} -> ${fresh.pid}, exit ${exit.code}, DOWN after ` +
          `${Math.round(markedDownMs)} ms, drained in ${Math.round(drainMs)} ms, new UP after ` +
          `${Math.round(upMs)} ms; ${JSON.stringify(load.snapshot().statuses)}`,
      );
    }
    await new Promise((r) => setTimeout(r, settle));
    return { load: await load.stop(), replacements };
  } finally {
    await load?.stop();
    await haproxy?.stop();
    for (const p of running.values()) p.kill('SIGKILL');
    await Promise.all([...running.values()].map((p) => p.exited));
  }
}
