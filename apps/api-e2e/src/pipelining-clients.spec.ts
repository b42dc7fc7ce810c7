import { afterAll, describe, expect, it } from '@jest/globals';
import { ApiProcess, httpRequest } from '@stayup/harness';
import { connect } from 'node:net';

// Issue 14, item 1: clients that pipeline requests and disconnect left the queued requests "in
// flight" forever in the API (Node emits no 'close' for a pipelined response still queued when
// its socket dies, before Node 24.21: nodejs/node#62534). 300 such clients grew RSS from 124 to
// 273 MB in 5 s, to an OOM kill in the pod's limit, with http_requests_in_flight stuck at 22,164
// on 0 open sockets. The API now forgets a connection's requests when the connection closes.

const CLIENTS = 50;
const PIPELINED = 100;
const RUN_MS = 3_000;
const REQUESTS = 'GET /hello HTTP/1.1\r\nHost: api\r\n\r\n'.repeat(PIPELINED);

/** One client: connects, pipelines PIPELINED requests, and hangs up once the first bytes come back. */
function pipelineAndHangUp(port: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(REQUESTS));
    socket.once('data', () => socket.destroy());
    socket.on('error', () => undefined);
    socket.on('close', () => resolve());
  });
}

async function inFlightGauge(api: ApiProcess): Promise<number> {
  const metrics = await httpRequest(`http://127.0.0.1:${api.metricsPort}/metrics`);
  const line = /^http_requests_in_flight (\d+)$/m.exec(metrics.body);
  if (!line) throw new Error(`no http_requests_in_flight in:\n${metrics.body.slice(0, 500)}`);
  return Number(line[1]);
}

describe('clients that pipeline requests and disconnect', () => {
  afterAll(() => ApiProcess.killAll());

  it('leave nothing in flight, and the API keeps its memory and drains at once', async () => {
    const api = await ApiProcess.startReady({ LOG_LEVEL: 'warn', SHUTDOWN_DELAY_MS: '0' });
    const rssBefore = await api.rssMb();
    let connections = 0;
    const until = performance.now() + RUN_MS;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (performance.now() < until) {
          await pipelineAndHangUp(api.port);
          connections++;
        }
      }),
    );
    expect(connections).toBeGreaterThan(CLIENTS);

    let inFlight = await inFlightGauge(api);
    for (let waited = 0; inFlight > 0 && waited < 3_000; waited += 100) {
      await new Promise((r) => setTimeout(r, 100));
      inFlight = await inFlightGauge(api);
    }
    const rssAfter = await api.rssMb();
    console.log(
      `${connections} connections × ${PIPELINED} pipelined requests, hung up: ` +
        `in flight afterwards ${inFlight}, RSS ${rssBefore} → ${rssAfter} MB`,
    );
    expect(inFlight).toBe(0);
    expect((await httpRequest(`${api.url}/hello`)).status).toBe(200);
    // before the fix: +224 MB (50,978 requests stuck); after: +80 MB, V8 growing its young
    // generation under load on a machine with no memory limit
    expect(rssAfter - rssBefore).toBeLessThan(150);

    const stopping = performance.now();
    const exit = await api.stop();
    expect(exit.code).toBe(0);
    expect(performance.now() - stopping).toBeLessThan(2_000);
    expect(api.output()).not.toMatch(/timed out/);
  });
});
