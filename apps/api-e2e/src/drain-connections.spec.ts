import { afterAll, describe, expect, it } from '@jest/globals';
import { ApiProcess, httpRequest } from '@stayup/harness';
import { Agent } from 'node:http';
import { connect, type Socket } from 'node:net';

// Issue 14, item 3: one connection that never sends a request made every drain wait out its whole
// timeout and exit 1 ("0 request(s) in flight and 1 connection(s) open"): Node's
// closeIdleConnections() leaves such connections open. The drain now closes every connection with
// no request in progress, idle keep-alive ones and silent ones alike.

const IDLE = 200;
const SILENT = 100;
const DELAY_MS = 500;

function silentConnection(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

describe('the drain with connections that carry no request', () => {
  afterAll(() => ApiProcess.killAll());

  it('closes idle keep-alive and silent connections and exits 0 within the delay and a second', async () => {
    const api = await ApiProcess.startReady({
      LOG_LEVEL: 'info',
      SHUTDOWN_DELAY_MS: String(DELAY_MS),
      SHUTDOWN_TIMEOUT_MS: '10000',
    });
    // idle keep-alive connections: one request each, then kept open by the agent
    const agent = new Agent({ keepAlive: true, maxSockets: IDLE });
    const answers = await Promise.all(
      Array.from({ length: IDLE }, () => httpRequest(`${api.url}/hello`, { agent })),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const silent = await Promise.all(
      Array.from({ length: SILENT }, () => silentConnection(api.port)),
    );
    const closed = silent.map((s) => new Promise((r) => s.once('close', r)));

    const signalled = performance.now();
    api.kill('SIGTERM');
    const exit = await api.waitForExit(15_000);
    const took = performance.now() - signalled;
    console.log(`${IDLE} idle + ${SILENT} silent connections: drained in ${Math.round(took)} ms`);
    expect(exit.code).toBe(0);
    expect(took).toBeLessThan(DELAY_MS + 1_000);
    await Promise.all(closed);
    expect(api.output()).toMatch(/closed in \d+ ms/);
    agent.destroy();
  });
});
