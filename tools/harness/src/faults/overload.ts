import { READINESS_PATH, ServiceEnv } from '@stayup/contract';
import type { ApiProcess } from '../api-process.js';
import { podCgroup, type PodCgroup } from '../cgroup.js';
import { Haproxy } from '../haproxy.js';
import { httpRequest } from '../http-client.js';
import { openLoopLoad, type OpenLoopReport } from '../open-loop-load.js';
import { freePorts } from '../ports.js';
import { sleep, startService, type ServiceVariant } from './services.js';

/** Options of {@link overload}. */
export interface OverloadOptions {
  readonly variant: ServiceVariant;
  /** Replicas behind the balancer. @default 2 */
  readonly replicas?: number;
  /** CPU limit of each replica, in cores: ResourcePreset.SMALL's `limits.cpu`. @default 0.5 */
  readonly cpus?: number;
  /** Offered load as a multiple of the measured capacity. @default 1.5 */
  readonly factor?: number;
  /** How long the overload lasts. @default 10000 */
  readonly durationMs?: number;
  /** Extra environment of the replicas (e.g. MAX_CONNECTIONS for the API). @default {} */
  readonly env?: Record<string, string>;
  /**
   * One replica and no balancer: the load reaches the process directly, and a kubelet-style probe
   * (`GET /ready` on a new connection every second, 2 s timeout: k8s-ha's probe; on the API's
   * metrics port, where the API serves its probes apart from traffic) is counted instead of the
   * balancer's flaps. @default false
   */
  readonly direct?: boolean;
}

/** What {@link overload} measured. */
export interface OverloadReport {
  /** Requests per second the replicas answered under a closed loop (their capacity here). */
  readonly capacityPerSecond: number;
  /** Requests per second offered: `factor` × capacity. */
  readonly offeredPerSecond: number;
  readonly load: OpenLoopReport;
  /** Times any replica went from UP to DOWN in the balancer's health checks (flapping). */
  readonly flaps: number;
  /** `direct`: kubelet-style probes that failed or took over 2 s, and how many were sent. */
  readonly probes?: { readonly failed: number; readonly sent: number };
  /** Whether the replicas ran in CPU cgroups (false: no limit could be set on this machine). */
  readonly cpuLimited: boolean;
}

/**
 * Overload at `factor` × capacity: replicas with the pod's CPU (and memory) limit behind HAProxy
 * checking `/ready` like an ALB target group, scaled down so that ten seconds see ten checks per
 * replica: every 1 s with a 900 ms timeout, out after 2 failures (the ALB: every 5 s, 2 s
 * timeout, 2 failures). First 128 saturating connections measure what the replicas answer per
 * second; then an open loop offers `factor` times that for `durationMs` and counts the health-check flaps.
 */
export async function overload(options: OverloadOptions): Promise<OverloadReport> {
  const replicas = options.direct ? 1 : (options.replicas ?? 2);
  const [lbPort, ...ports] = await freePorts(replicas + 1);
  const cgroups: PodCgroup[] = ports.map((_, i) =>
    podCgroup({
      name: `stayup-overload-${process.pid}-${i}`,
      cpus: options.cpus ?? 0.5,
      memoryMiB: 256,
    }),
  );
  const cpuLimited = cgroups.every((c) => c.procs);
  const env = {
    [ServiceEnv.logLevel]: 'warn',
    [ServiceEnv.shutdownDelayMs]: '0',
    ...options.env,
  };
  const services: ApiProcess[] = [];
  let haproxy: Haproxy | undefined;
  try {
    for (const [i, port] of ports.entries()) {
      services.push(
        await startService(options.variant, {
          port,
          env,
          cgroup: cpuLimited ? cgroups[i] : undefined,
        }),
      );
    }
    haproxy = options.direct
      ? undefined
      : await Haproxy.start({
          port: lbPort,
          servers: ports.map((port, i) => ({ name: `r${i}`, port })),
          checkIntervalMs: 1_000,
          checkTimeoutMs: 900,
          fall: 2,
          rise: 2,
        });
    const lb = haproxy;
    if (lb) await Promise.all(ports.map((_, i) => lb.waitForState(`r${i}`, 'UP', 15_000)));
    const target = lb ? lbPort : ports[0];
    // capacity: as many requests as 128 connections can carry (a closed loop on the raw client,
    // which costs far less per request than node:http's, so the replicas are the bottleneck)
    const saturate = (durationMs: number) =>
      openLoopLoad({
        port: target,
        path: '/hello',
        ratePerSecond: 1_000_000,
        durationMs,
        maxSockets: 128,
      });
    await saturate(3_000); // warm-up: the JIT, V8's heap, the connections
    const saturated = await saturate(3_000);
    const capacityPerSecond = Math.round((saturated.ok.count * 1000) / 3_000);
    const offeredPerSecond = Math.round(capacityPerSecond * (options.factor ?? 1.5));
    await sleep(2_500); // two checks: every replica UP again if the closed loop flapped one
    const downBefore = (await lb?.downTransitions()) ?? {};
    const probes = { failed: 0, sent: 0 };
    // the API serves its probes on the metrics port too (k8s-ha's probePort: 'metrics'); the bare
    // service only on its one port
    const probePort = options.variant === 'api' ? services[0].metricsPort : ports[0];
    const prober = setInterval(() => {
      probes.sent++;
      httpRequest(`http://127.0.0.1:${probePort}${READINESS_PATH}`, { timeoutMs: 2_000 }).then(
        (r) => r.status !== 200 && probes.failed++,
        () => probes.failed++,
      );
    }, 1_000);
    const load = await openLoopLoad({
      port: target,
      path: '/hello',
      ratePerSecond: offeredPerSecond,
      durationMs: options.durationMs ?? 10_000,
      maxSockets: 4_000,
      timeoutMs: 5_000,
    });
    clearInterval(prober);
    const downAfter = (await lb?.downTransitions()) ?? {};
    const flaps = Object.keys(downAfter).reduce(
      (sum, name) => sum + downAfter[name] - (downBefore[name] ?? 0),
      0,
    );
    return {
      capacityPerSecond,
      offeredPerSecond,
      load,
      flaps,
      cpuLimited,
      probes: options.direct ? probes : undefined,
    };
  } finally {
    await haproxy?.stop();
    for (const service of services) service.kill('SIGKILL');
    await Promise.all(services.map((s) => s.exited));
    for (const cgroup of cgroups) cgroup.release?.();
  }
}
