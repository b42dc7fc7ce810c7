import { afterAll, describe, expect, it } from '@jest/globals';
import { ServiceEnv } from '@stayup/contract';
import {
  ApiProcess,
  blockedStdout,
  drainWithOpenConnections,
  httpRequest,
  overload,
  pipeliningClients,
  podCgroup,
  replicaFault,
} from '@stayup/harness';
import { connect } from 'node:net';

// Issue 14's fault suite, the API's side: each scenario runs the built API as real processes,
// behind a real HAProxy where a balancer is involved (configured as an ALB target group: no
// retries, active /ready checks). `node tools/bench/faults.mjs` runs the same scenarios against a
// bare node:http service too and prints the README's table; these tests hold the API to what it
// promises. Health checks every 1 s here; the ALB's are every 5 s at best (k8s-ha's default, the
// ALB's minimum: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html),
// so in production the windows below are 5× longer and the failures scale with them.

describe('fault suite', () => {
  afterAll(() => ApiProcess.killAll());

  it('SIGKILL of one replica of three: requests fail only until the balancer takes it out', async () => {
    const r = await replicaFault({
      variant: 'api',
      replicas: 3,
      fault: { kind: 'kill', count: 1 },
    });
    console.log(`kill 1 of 3: ${JSON.stringify(r)}`);
    expect(r.failedAfterFault).toBeGreaterThan(0); // the fault really hit traffic
    expect(r.failedAfterOutOfRotation).toBe(0);
    expect(r.outOfRotationMs).toBeLessThanOrEqual(r.detectionWindowMs + 1_500);
  });

  it('zone loss (2 of 6 killed at once): the same, for both', async () => {
    const r = await replicaFault({
      variant: 'api',
      replicas: 6,
      fault: { kind: 'kill', count: 2 },
    });
    console.log(`kill 2 of 6: ${JSON.stringify(r)}`);
    expect(r.failedAfterOutOfRotation).toBe(0);
    expect(r.outOfRotationMs).toBeLessThanOrEqual(r.detectionWindowMs + 1_500);
  });

  it('a 3 s stall (SIGSTOP) fails nothing: queued requests are served, not shed, on SIGCONT', async () => {
    const r = await replicaFault({
      variant: 'api',
      replicas: 3,
      fault: { kind: 'stall', ms: 3_000 },
    });
    console.log(`stall 3 s: ${JSON.stringify(r)}`);
    expect(r.failedAfterFault).toBe(0);
    expect(r.load.maxLatencyMs).toBeGreaterThanOrEqual(2_500); // the stall really held requests
    expect(r.backInRotationMs).toBeLessThan(5_000);
  });

  it('pipelining clients that hang up, inside the pod memory limit: survives, nothing left in flight', async () => {
    const cgroup = podCgroup({ name: `stayup-e2e-${process.pid}`, memoryMiB: 256 });
    if (cgroup.unavailable)
      console.warn(`running without the 256 MiB limit: ${cgroup.unavailable}`);
    try {
      const r = await pipeliningClients({
        variant: 'api',
        cgroup: cgroup.procs ? cgroup : undefined,
        durationMs: 3_000,
      });
      console.log(`pipelining: ${JSON.stringify(r)}`);
      expect(r).toMatchObject({ survived: true, inFlightAfter: 0, statusAfter: 200 });
      expect(r.connections).toBeGreaterThan(300);
      expect(r.rssPeakMb).toBeLessThan(256);
    } finally {
      cgroup.release?.();
    }
  });

  it('stdout nobody reads: the probes answer and SIGTERM still ends the process', async () => {
    const r = await blockedStdout('api');
    console.log(`blocked stdout: ${JSON.stringify(r)}`);
    expect(r.answered).toBeGreaterThan(1_000); // far past the 64 KiB the pipe holds
    expect(r.aliveMs).toBeLessThan(1_000);
    expect(r.exitCode).toBe(0);
    expect(r.exitMs).toBeLessThan(2_000);
  });

  it('10,000 idle and 1,000 silent connections: the drain exits 0 within the delay and a second', async () => {
    const r = await drainWithOpenConnections({ variant: 'api', delayMs: 1_000 });
    console.log(`open connections: ${JSON.stringify(r)}`);
    expect(r.exitCode).toBe(0);
    expect(r.exitMs).toBeLessThanOrEqual(1_000 + 1_000);
  });

  it('overload at 1.5× capacity in the pod CPU limit: served latency bounded, probes on the metrics port pass', async () => {
    const r = await overload({ variant: 'api', direct: true });
    console.log(`overload direct: ${JSON.stringify(r)}`);
    if (!r.cpuLimited) {
      console.warn("no CPU cgroup here (needs root): the overload figures are not the pod's");
      return;
    }
    // bare Node in the same set-up: 2xx p99 4.1 s, 7 of 10 probes failed (README, fault suite)
    expect(r.load.ok.count).toBeGreaterThan(r.capacityPerSecond * 5); // served at least half of 10 s
    expect(r.load.ok.p99).toBeLessThan(1_500);
    expect(r.probes).toMatchObject({ failed: 0 });
    expect(r.probes?.sent).toBeGreaterThanOrEqual(8);
  });

  it('past MAX_CONNECTIONS: 503 with Retry-After and Connection: close, counted, probes still 200', async () => {
    const api = await ApiProcess.startReady({
      [ServiceEnv.logLevel]: 'warn',
      [ServiceEnv.shutdownDelayMs]: '0',
      [ServiceEnv.maxConnections]: '20',
    });
    const sockets = await Promise.all(
      Array.from(
        { length: 40 },
        () =>
          new Promise<import('node:net').Socket>((resolve) => {
            const socket = connect(api.port, '127.0.0.1', () => resolve(socket));
          }),
      ),
    );
    const answers = await Promise.all(
      sockets.map(
        (socket) =>
          new Promise<string>((resolve) => {
            let head = '';
            socket.setEncoding('latin1');
            // keep-alive: every connection stays open, 40 at once
            socket.on('data', (chunk: string) => {
              head += chunk;
              if (head.includes('\r\n\r\n')) resolve(head);
            });
            socket.write('GET /hello HTTP/1.1\r\nHost: api\r\n\r\n');
          }),
      ),
    );
    const shed = answers.filter((a) => a.startsWith('HTTP/1.1 503'));
    expect(shed.length).toBe(20);
    for (const answer of shed) {
      expect(answer).toMatch(/\r\nretry-after: 1\r\n/i);
      expect(answer).toMatch(/\r\nconnection: close\r\n/i);
    }
    expect(answers.filter((a) => a.startsWith('HTTP/1.1 200')).length).toBe(20);
    for (const socket of sockets) socket.destroy();
    expect((await httpRequest(`${api.url}/ready`)).status).toBe(200);
    const metrics = await httpRequest(`http://127.0.0.1:${api.metricsPort}/metrics`);
    expect(metrics.body).toContain('http_requests_shed_total{reason="connections"} 20');
    expect((await api.stop()).code).toBe(0);
  });
});
