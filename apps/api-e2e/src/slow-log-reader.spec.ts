import { afterAll, describe, expect, it } from '@jest/globals';
import { LIVENESS_PATH, READINESS_PATH, ServiceEnv } from '@stayup/contract';
import { ApiProcess, freePort, httpRequest, LoadGenerator, waitForStatus } from '@stayup/harness';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** SHUTDOWN_DELAY_MS of the API under test. */
const DELAY_MS = 1_000;
/** What "keeps answering" means here: each probe answers within this. */
const ANSWER_WITHIN_MS = 500;
/** Requests sent while stdout is not read: their log lines are far more than pipe + queue. */
const REQUESTS = 4_000;
/** A request target just under the API's 4096-character limit (its log line is cut). */
const LONG_PATH = `/hello?q=${'a'.repeat(4_000)}`;

/**
 * Issue 14, item 2: the API's stdout is a pipe whose reader stops reading (a stalled log shipper).
 * ApiProcess leaves the child's stdout pipe unread (`stdout: 'unread'`) for the whole run.
 */
describe('the built API whose log reader stops reading', () => {
  afterAll(() => ApiProcess.killAll());

  it('keeps answering, counts the log lines it drops, and drains on SIGTERM', async () => {
    const api = await ApiProcess.start({
      port: await freePort(),
      stdout: 'unread',
      env: {
        [ServiceEnv.logLevel]: 'info',
        [ServiceEnv.shutdownDelayMs]: String(DELAY_MS),
        [ServiceEnv.shutdownTimeoutMs]: '5000',
      },
    });
    const port = api.port;
    const metricsPort = api.metricsPort;
    const stderr = () => api.stderr.join('\n');
    const exited = api.exited.then((exit) => exit.code);

    const url = `http://127.0.0.1:${port}`;
    const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    const ready = await waitForStatus(`${url}${READINESS_PATH}`, { timeoutMs: 15_000 });
    // on failure, say why: the API's stderr holds its fatal start-up line (a port taken, …)
    expect({ ready, exitCode: api.running ? null : 'exited', stderr: stderr() }).toEqual({
      ready: true,
      exitCode: null,
      stderr: '',
    });

    const slowest: Record<string, number> = { hello: 0, alive: 0, metrics: 0 };
    const failures: string[] = [];
    const probe = async (name: string, target: string) => {
      const started = performance.now();
      const status = await httpRequest(target, { timeoutMs: 2_000 }).then(
        (r) => r.status,
        (e: Error) => e.message,
      );
      const took = performance.now() - started;
      slowest[name] = Math.max(slowest[name], took);
      if (status !== 200) failures.push(`${name}: ${status} after ${Math.round(took)} ms`);
    };
    const probeAll = () =>
      Promise.all([
        probe('hello', `${url}/hello`),
        probe('alive', `${url}${LIVENESS_PATH}`),
        probe('metrics', metricsUrl),
      ]);

    // 8 clients outrun the 1 MiB queue many times over; with more, a probe mostly measures how
    // many requests it waits behind on two shared cores
    const load = new LoadGenerator({
      url: `${url}${LONG_PATH}`,
      connections: 8,
      maxRequests: REQUESTS,
      maxDurationMs: 12_000,
      timeoutMs: 2_000,
    }).start();
    const deadline = performance.now() + 12_000;
    while (load.snapshot().total < REQUESTS && performance.now() < deadline) {
      await probeAll();
      await sleep(50);
    }
    const report = await load.stop();
    await probeAll();

    console.log(
      `slow log reader: ${report.total} requests in ${report.durationMs} ms, statuses ` +
        `${JSON.stringify(report.statuses)}, errors ${JSON.stringify(report.errors)}; slowest ` +
        `probes (ms) ${JSON.stringify(slowest, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v) : v))}`,
    );
    expect(failures).toEqual([]);
    expect(slowest.hello).toBeLessThan(ANSWER_WITHIN_MS);
    expect(slowest.alive).toBeLessThan(ANSWER_WITHIN_MS);
    expect(slowest.metrics).toBeLessThan(ANSWER_WITHIN_MS);
    expect(report.total).toBeGreaterThanOrEqual(REQUESTS);
    expect(report).toMatchObject({ ok: report.total, failed: 0 });

    const metrics = await httpRequest(metricsUrl, { timeoutMs: 2_000 });
    const dropped = Number(/^log_lines_dropped_total (\d+)$/m.exec(metrics.body)?.[1]);
    expect(dropped).toBeGreaterThan(0);

    // SIGTERM with stdout still unread: the drain runs on time and the process exits 0
    const signalled = performance.now();
    api.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      exited,
      new Promise((done) => (timer = setTimeout(() => done('still running'), DELAY_MS + 5_000))),
    ]);
    clearTimeout(timer);
    const tookToExit = performance.now() - signalled;
    console.log(
      `slow log reader: log_lines_dropped_total ${dropped}; exit ${code} ` +
        `${Math.round(tookToExit)} ms after SIGTERM (delay ${DELAY_MS} ms)`,
    );
    expect({ code, stderr: code === 0 ? '' : stderr() }).toEqual({ code: 0, stderr: '' });
    expect(tookToExit).toBeLessThan(DELAY_MS + 1_000);

    // What the pipe holds: whole JSON lines (the last may be cut: the reader never read it),
    // request lines with the URL cut at 512 characters (LOGGED_URL_MAX_CHARS) and its length
    const lines = (await api.readUnreadStdout()).toString('utf8').split('\n');
    lines.pop();
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const requests = records.filter((r) => r.msg === 'request completed');
    const long = requests.filter((r) => r.urlLength !== undefined);
    expect(long.length).toBeGreaterThan(0);
    for (const r of long) {
      expect(r).toMatchObject({ url: `${LONG_PATH.slice(0, 512)}…`, urlLength: LONG_PATH.length });
    }
    expect(requests.filter((r) => String(r.url).length > 513)).toEqual([]);
  }, 30_000);
});
