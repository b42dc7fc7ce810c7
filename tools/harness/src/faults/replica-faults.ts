import { ServiceEnv } from '@stayup/contract';
import type { ApiProcess } from '../api-process.js';
import { Haproxy } from '../haproxy.js';
import { LoadGenerator, type LoadReport } from '../load-generator.js';
import { freePorts } from '../ports.js';
import { sleep, startService, type ServiceVariant } from './services.js';

/** Time after the balancer marks a replica DOWN for the requests already sent to it to settle. */
export const OUT_OF_ROTATION_SETTLE_MS = 250;

/** A fault that hits replicas behind the balancer. */
export type ReplicaFault =
  /** SIGKILL `count` replicas at once (a crash; 2 of 6 is a lost zone of three). */
  | { readonly kind: 'kill'; readonly count: number }
  /** SIGSTOP one replica for `ms`, then SIGCONT (a long GC pause, a frozen node, a CPU stall). */
  | { readonly kind: 'stall'; readonly ms: number };

/** Options of {@link replicaFault}. */
export interface ReplicaFaultOptions {
  readonly variant: ServiceVariant;
  /** Replicas behind the balancer. @default 3 */
  readonly replicas?: number;
  readonly fault: ReplicaFault;
  /**
   * Balancer health-check interval. The ALB's floor is 5 s (k8s-ha's default); 1 s here keeps
   * the run short, and the failures scale with the window (fall × interval). @default 1000
   */
  readonly checkIntervalMs?: number;
  /** Failed checks before a replica is taken out (ALB UnhealthyThresholdCount). @default 2 */
  readonly fall?: number;
  /** Keep-alive clients of the balancer (closed loop). @default 32 */
  readonly connections?: number;
}

/** What {@link replicaFault} measured. */
export interface ReplicaFaultReport {
  readonly load: LoadReport;
  /** Requests that failed from the fault to the end of the run. */
  readonly failedAfterFault: number;
  /**
   * Requests that failed after the balancer had taken the hit replicas out, from
   * {@link OUT_OF_ROTATION_SETTLE_MS} later (kill only).
   */
  readonly failedAfterOutOfRotation?: number;
  /** The fault until the balancer had taken every hit replica out; undefined if it never did. */
  readonly outOfRotationMs?: number;
  /** For a stall: SIGCONT until the replica was back in rotation. */
  readonly backInRotationMs?: number;
  /** fall × interval: the detection window the failures are bounded by. */
  readonly detectionWindowMs: number;
}

/**
 * Runs `replicas` processes of `variant` behind a real HAProxy configured as an ALB target group
 * (no retries), keeps closed-loop load on them, injects the fault and measures what clients saw
 * and how long the balancer took to route around it.
 */
export async function replicaFault(options: ReplicaFaultOptions): Promise<ReplicaFaultReport> {
  const replicas = options.replicas ?? 3;
  const checkIntervalMs = options.checkIntervalMs ?? 1_000;
  const fall = options.fall ?? 2;
  const [lbPort, ...ports] = await freePorts(replicas + 1);
  const env = { [ServiceEnv.logLevel]: 'warn', [ServiceEnv.shutdownDelayMs]: '0' };
  const services: ApiProcess[] = await Promise.all(
    ports.map((port) => startService(options.variant, { port, env })),
  );
  const names = ports.map((_, i) => `r${i}`);
  const haproxy = await Haproxy.start({
    port: lbPort,
    servers: ports.map((port, i) => ({ name: names[i], port })),
    checkIntervalMs,
    fall,
    rise: 2,
  });
  try {
    await Promise.all(names.map((name) => haproxy.waitForState(name, 'UP', 15_000)));
    const load = new LoadGenerator({
      url: `${haproxy.url}/hello`,
      connections: options.connections ?? 32,
      timeoutMs: 10_000,
      maxDurationMs: 60_000,
    }).start();
    await sleep(1_000);
    const failedBefore = load.snapshot().failed;
    const faultAt = performance.now();
    let outOfRotationMs: number | undefined;
    let backInRotationMs: number | undefined;
    let failedAtOut: number | undefined;
    if (options.fault.kind === 'kill') {
      const hit = names.slice(0, options.fault.count);
      for (const service of services.slice(0, hit.length)) service.kill('SIGKILL');
      await Promise.all(hit.map((name) => haproxy.waitForState(name, 'DOWN', 30_000)));
      outOfRotationMs = performance.now() - faultAt;
      // requests the balancer dispatched just before it marked them DOWN settle first (the state
      // is polled every 20 ms, and an answer is counted when it arrives)
      await sleep(OUT_OF_ROTATION_SETTLE_MS);
      failedAtOut = load.snapshot().failed;
    } else {
      services[0].kill('SIGSTOP');
      const until = faultAt + options.fault.ms;
      while (performance.now() < until) {
        if (outOfRotationMs === undefined && (await haproxy.serverStates())[names[0]] === 'DOWN') {
          outOfRotationMs = performance.now() - faultAt;
        }
        await sleep(20);
      }
      services[0].kill('SIGCONT');
      const resumedAt = performance.now();
      await haproxy.waitForState(names[0], 'UP', 30_000);
      backInRotationMs = performance.now() - resumedAt;
    }
    await sleep(1_000);
    const report = await load.stop();
    return {
      load: report,
      failedAfterFault: report.failed - failedBefore,
      failedAfterOutOfRotation: failedAtOut === undefined ? undefined : report.failed - failedAtOut,
      outOfRotationMs: outOfRotationMs && Math.round(outOfRotationMs),
      backInRotationMs: backInRotationMs && Math.round(backInRotationMs),
      detectionWindowMs: fall * checkIntervalMs,
    };
  } finally {
    await haproxy.stop();
    for (const service of services) service.kill('SIGKILL');
    await Promise.all(services.map((s) => s.exited));
  }
}
