import { describe, expect, it } from '@jest/globals';
import { ApiProcess, freePort, httpRequest, LoadGenerator } from '@stayup/harness';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `path` until it answers (any status), returning the first answer. */
async function firstAnswer(api: ApiProcess, path: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await httpRequest(`${api.url}${path}`, { timeoutMs: 1_000 }).catch(() => undefined);
    if (res) return res;
    await sleep(2);
  }
  throw new Error(`${path} never answered:\n${api.output()}`);
}

describe('start-up and drain of the built API', () => {
  it('answers /ready 503 until start-up completes, while /alive answers 200', async () => {
    // WARMUP_REQUESTS keeps the process in its start-up phase, listening, long enough to observe.
    const api = await ApiProcess.start({
      port: await freePort(),
      env: { WARMUP_REQUESTS: '20000', SHUTDOWN_DELAY_MS: '0' },
    });
    const early = await firstAnswer(api, '/ready');
    expect(early.status).toBe(503);
    expect(JSON.parse(early.body)).toMatchObject({
      status: 'error',
      error: { lifecycle: { status: 'down', state: 'starting', pending: ['warm-up'] } },
    });
    const alive = await httpRequest(`${api.url}/alive`);
    expect(alive.status).toBe(200);
    expect(JSON.parse(alive.body)).toMatchObject({ info: { lifecycle: { state: 'starting' } } });

    await api.waitForReady(30_000);
    await api.waitForLog(/^20000 warm-up request\(s\) in \d+ ms$/);
    api.kill('SIGTERM');
    expect((await api.waitForExit()).code).toBe(0);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'on %s: /ready 503 at once (on both ports), /alive 200 and /hello served during the delay, then exit 0',
    async (signal) => {
      const api = await ApiProcess.start({
        port: await freePort(),
        env: { SHUTDOWN_DELAY_MS: '1500', SHUTDOWN_TIMEOUT_MS: '5000' },
      });
      await api.waitForReady();
      const signalled = Date.now();
      api.kill(signal);
      await sleep(100);

      const ready = await httpRequest(`${api.url}/ready`);
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.body)).toMatchObject({
        error: { lifecycle: { status: 'down', state: 'draining' } },
      });
      const alive = await httpRequest(`${api.url}/alive`);
      expect(alive.status).toBe(200);
      expect(JSON.parse(alive.body)).toMatchObject({
        info: { lifecycle: { status: 'up', state: 'draining' } },
      });
      expect((await httpRequest(`${api.url}/hello`)).status).toBe(200);
      // the same answers on the metrics port, where the kubelet's probes never wait behind traffic
      const admin = `http://127.0.0.1:${api.metricsPort}`;
      expect((await httpRequest(`${admin}/ready`)).body).toBe(ready.body);
      expect((await httpRequest(`${admin}/alive`)).status).toBe(200);

      const exit = await api.waitForExit();
      expect(exit).toEqual({ code: 0, signal: null });
      expect(Date.now() - signalled).toBeGreaterThanOrEqual(1500);
      const messages = api.logRecords().map((r) => String(r.msg));
      const drainLog = messages.filter((m) => /^(SIGTERM|SIGINT|closing|closed)/.test(m));
      expect(drainLog).toEqual([
        expect.stringMatching(
          new RegExp(`^${signal}: draining, readiness is down; serving for 1500 ms more`),
        ),
        expect.stringMatching(/^closing: no new connections/),
        expect.stringMatching(/^closed in \d+ ms$/),
      ]);
    },
  );

  it('drains under load: every request on the keep-alive connections gets a 2xx, none is reset', async () => {
    const delay = 2_000;
    const api = await ApiProcess.start({
      port: await freePort(),
      env: { SHUTDOWN_DELAY_MS: String(delay), SHUTDOWN_TIMEOUT_MS: '5000', LOG_LEVEL: 'info' },
    });
    await api.waitForReady();
    const load = new LoadGenerator({
      url: `${api.url}/hello`,
      connections: 32,
      maxDurationMs: 20_000,
    }).start();
    await sleep(500);
    const before = load.snapshot();
    api.kill('SIGTERM');
    // The balancer keeps routing for a while after SIGTERM (here: most of the delay), then stops
    // sending new requests; the process then closes the idle keep-alive connections itself.
    await sleep(delay - 300);
    const report = await load.stop();
    const exit = await api.waitForExit();

    console.log(
      `drain under load: ${report.total} requests on ${report.connectionsOpened} connections ` +
        `(${report.total - before.total} after SIGTERM), statuses ${JSON.stringify(report.statuses)}, ` +
        `errors ${JSON.stringify(report.errors)}`,
    );
    expect(report.errors).toEqual({});
    expect(report.failed).toBe(0);
    expect(report.total - before.total).toBeGreaterThan(100);
    // told `Connection: close` during the delay, the keep-alive clients reconnected (here to the
    // same process, as there is no other; behind a Service, to the other pods) and lost nothing
    expect(report.connectionClose).toBeGreaterThan(0);
    expect(report.connectionsOpened).toBeGreaterThan(32);
    expect(exit).toEqual({ code: 0, signal: null });
    const closing = api.logRecords().find((r) => String(r.msg).startsWith('closing'));
    expect(closing?.msg).toMatch(
      /^closing: no new connections; 0 request\(s\) in flight on \d+ connection\(s\)$/,
    );
  });
});
