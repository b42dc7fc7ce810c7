import { LIVENESS_PATH, ServiceEnv } from '@stayup/contract';
import { connect, type Socket } from 'node:net';
import type { PodCgroup } from '../cgroup.js';
import { httpRequest } from '../http-client.js';
import { LoadGenerator } from '../load-generator.js';
import { sleep, startService, type ServiceVariant } from './services.js';

/** Resolves with how long `promise` took, or with undefined after `ms`. */
async function timed(promise: Promise<unknown>, ms: number): Promise<number | undefined> {
  const started = performance.now();
  const result = await Promise.race([
    promise.then(() => 'done' as const),
    sleep(ms).then(() => 'late' as const),
  ]);
  return result === 'done' ? Math.round(performance.now() - started) : undefined;
}

/** Options of {@link pipeliningClients}. */
export interface PipeliningOptions {
  readonly variant: ServiceVariant;
  /** Cgroups with the pod's limits (256 MiB for ResourcePreset.SMALL). */
  readonly cgroup?: PodCgroup;
  /** Concurrent clients. @default 300 */
  readonly clients?: number;
  /** Requests each client pipelines before hanging up. @default 100 */
  readonly pipelined?: number;
  /** How long clients keep coming. @default 5000 */
  readonly durationMs?: number;
}

/** What {@link pipeliningClients} measured. */
export interface PipeliningReport {
  readonly connections: number;
  readonly rssBeforeMb: number;
  /** Highest RSS seen, sampled every 100 ms. */
  readonly rssPeakMb: number;
  /** `http_requests_in_flight` a second after the clients stopped (the API only). */
  readonly inFlightAfter?: number;
  /** Whether the process was still running at the end (not OOM-killed). */
  readonly survived: boolean;
  /** GET /hello afterwards. */
  readonly statusAfter: number;
}

/**
 * Clients that pipeline many requests and hang up once the first answer comes back, against
 * one process (in the pod's memory limit): the leak of issue 14 item 1 grew memory to an OOM kill.
 */
export async function pipeliningClients(options: PipeliningOptions): Promise<PipeliningReport> {
  const service = await startService(options.variant, {
    cgroup: options.cgroup,
    env: { [ServiceEnv.logLevel]: 'warn', [ServiceEnv.shutdownDelayMs]: '0' },
  });
  try {
    const requests = 'GET /hello HTTP/1.1\r\nHost: api\r\n\r\n'.repeat(options.pipelined ?? 100);
    const oneClient = () =>
      new Promise<void>((resolve) => {
        const socket = connect(service.port, '127.0.0.1', () => socket.write(requests));
        socket.once('data', () => socket.destroy());
        socket.on('error', () => undefined);
        socket.on('close', () => resolve());
      });
    const rssBeforeMb = Math.round(await service.rssMb());
    let rssPeakMb = rssBeforeMb;
    const sampler = setInterval(() => {
      service.rssMb().then(
        (mb) => (rssPeakMb = Math.max(rssPeakMb, Math.round(mb))),
        () => undefined,
      );
    }, 100);
    let connections = 0;
    const until = performance.now() + (options.durationMs ?? 5_000);
    await Promise.all(
      Array.from({ length: options.clients ?? 300 }, async () => {
        while (performance.now() < until && service.running) {
          await oneClient();
          connections++;
        }
      }),
    );
    await sleep(1_000);
    clearInterval(sampler);
    const survived = service.running;
    let inFlightAfter: number | undefined;
    if (survived && options.variant === 'api') {
      const metrics = await httpRequest(`http://127.0.0.1:${service.metricsPort}/metrics`);
      inFlightAfter = Number(/^http_requests_in_flight (\d+)$/m.exec(metrics.body)?.[1]);
    }
    const statusAfter = survived
      ? await httpRequest(`${service.url}/hello`, { timeoutMs: 2_000 }).then(
          (r) => r.status,
          () => 0,
        )
      : 0;
    return { connections, rssBeforeMb, rssPeakMb, inFlightAfter, survived, statusAfter };
  } finally {
    service.kill('SIGKILL');
    await service.exited;
  }
}

/** What {@link blockedStdout} measured. */
export interface BlockedStdoutReport {
  /** Requests answered in the 3 s of load while nobody read stdout. */
  readonly answered: number;
  /** GET /alive afterwards: milliseconds, or undefined if no answer within 2 s. */
  readonly aliveMs?: number;
  /** SIGTERM until exit (delay 0): milliseconds, or undefined if still running after 5 s. */
  readonly exitMs?: number;
  readonly exitCode?: number | null;
}

/**
 * A log shipper that stops reading: the process's stdout pipe fills (64 KiB) and stays full while
 * requests keep coming. The probes must still answer and SIGTERM must still end the process.
 */
export async function blockedStdout(variant: ServiceVariant): Promise<BlockedStdoutReport> {
  const service = await startService(variant, {
    stdout: 'unread',
    env: { [ServiceEnv.logLevel]: 'info', [ServiceEnv.shutdownDelayMs]: '0' },
  });
  try {
    const load = new LoadGenerator({
      url: `${service.url}/hello`,
      connections: 16,
      timeoutMs: 2_000,
      maxDurationMs: 3_000,
    }).start();
    await sleep(3_000);
    const { ok: answered } = await load.stop();
    const aliveMs = await timed(
      httpRequest(`${service.url}${LIVENESS_PATH}`, { timeoutMs: 2_000 }),
      2_000,
    );
    service.kill('SIGTERM');
    const exitMs = await timed(service.exited, 5_000);
    return {
      answered,
      aliveMs,
      exitMs,
      exitCode: exitMs === undefined ? undefined : (await service.exited).code,
    };
  } finally {
    service.kill('SIGKILL');
    await service.exited;
  }
}

/** Options of {@link drainWithOpenConnections}. */
export interface OpenConnectionsOptions {
  readonly variant: ServiceVariant;
  /** Keep-alive connections that sent one request and stay open, idle. @default 10000 */
  readonly idle?: number;
  /** Connections that never send a request. @default 1000 */
  readonly silent?: number;
  /** SHUTDOWN_DELAY_MS. @default 1000 */
  readonly delayMs?: number;
  /** How long to wait for the exit before giving up (SIGKILL). @default delay + 10 s */
  readonly giveUpMs?: number;
}

/** What {@link drainWithOpenConnections} measured. */
export interface OpenConnectionsReport {
  readonly idle: number;
  readonly silent: number;
  readonly rssMb: number;
  /** SIGTERM until exit, or undefined when it had not exited by `giveUpMs`. */
  readonly exitMs?: number;
  readonly exitCode?: number | null;
}

/** Opens `count` raw connections, in batches, each running `onOpen`; resolves once all are open. */
async function openConnections(port: number, count: number, onOpen: (s: Socket) => Promise<void>) {
  const sockets: Socket[] = [];
  for (let i = 0; i < count; i += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, count - i) }, async () => {
        const socket = connect(port, '127.0.0.1');
        socket.on('error', () => undefined);
        await new Promise((r) => socket.once('connect', r));
        await onOpen(socket);
        sockets.push(socket);
      }),
    );
  }
  return sockets;
}

/**
 * 10,000 idle keep-alive connections and 1,000 that never send a request, then SIGTERM: the drain
 * must close them all and exit 0 within the delay and a second.
 */
export async function drainWithOpenConnections(
  options: OpenConnectionsOptions,
): Promise<OpenConnectionsReport> {
  const delayMs = options.delayMs ?? 1_000;
  const service = await startService(options.variant, {
    env: { [ServiceEnv.logLevel]: 'warn', [ServiceEnv.shutdownDelayMs]: String(delayMs) },
  });
  const sockets: Socket[] = [];
  try {
    const request = 'GET /hello HTTP/1.1\r\nHost: api\r\n\r\n';
    sockets.push(
      ...(await openConnections(service.port, options.idle ?? 10_000, async (socket) => {
        socket.write(request);
        await new Promise((r) => socket.once('data', r));
      })),
      ...(await openConnections(service.port, options.silent ?? 1_000, async () => undefined)),
    );
    const rssMb = Math.round(await service.rssMb());
    service.kill('SIGTERM');
    const exitMs = await timed(service.exited, options.giveUpMs ?? delayMs + 10_000);
    return {
      idle: options.idle ?? 10_000,
      silent: options.silent ?? 1_000,
      rssMb,
      exitMs,
      exitCode: exitMs === undefined ? undefined : (await service.exited).code,
    };
  } finally {
    for (const socket of sockets) socket.destroy();
    service.kill('SIGKILL');
    await service.exited;
  }
}
