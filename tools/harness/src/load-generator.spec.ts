import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LoadGenerator } from './load-generator.js';

describe('LoadGenerator', () => {
  let server: Server;
  afterEach(() => {
    server.closeAllConnections();
    server.close();
  });

  async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
    server = createServer(handler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  }

  it('counts 2xx responses on one keep-alive connection per client', async () => {
    const url = await serve((_req, res) => res.end('ok'));
    const load = new LoadGenerator({ url, connections: 4, maxRequests: 400 }).start();
    while (load.snapshot().total < 400) await new Promise((r) => setTimeout(r, 5));
    const report = await load.stop();
    expect(report.failed).toBe(0);
    expect(report.ok).toBe(report.total);
    expect(report.statuses).toEqual({ '200': report.total });
    expect(report.connectionsOpened).toBe(4);
    expect(report.errors).toEqual({});
  });

  it('counts non-2xx statuses and reset connections as failures', async () => {
    let n = 0;
    const url = await serve((req, res) => {
      n++;
      if (n % 10 === 0) req.socket.destroy();
      else if (n % 5 === 0) res.writeHead(503).end();
      else res.end('ok');
    });
    const load = new LoadGenerator({ url, connections: 2, maxRequests: 200 }).start();
    while (load.snapshot().total < 200) await new Promise((r) => setTimeout(r, 5));
    const report = await load.stop();
    expect(report.statuses['503']).toBeGreaterThan(0);
    expect(Object.values(report.errors).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(report.failed).toBe(report.total - report.ok);
    expect(report.failed).toBeGreaterThan(0);
    expect(report.connectionsOpened).toBeGreaterThan(2);
  });

  it('stops by itself at maxDurationMs', async () => {
    const url = await serve((_req, res) => res.end('ok'));
    const load = new LoadGenerator({ url, connections: 2, maxDurationMs: 200 }).start();
    await new Promise((r) => setTimeout(r, 400));
    const before = load.snapshot().total;
    await new Promise((r) => setTimeout(r, 100));
    expect(load.snapshot().total).toBe(before);
    await load.stop();
  });
});
