import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { listenWithLifecycle } from '@stayup/nest-lifecycle';
import { openSync } from 'node:fs';
import { request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../config/api-config.js';
import { createApp } from '../create-app.js';
import { createApiLogger } from '../observability/logger.js';
import { MAX_URL_LENGTH } from './request-target.js';

// The API's request hooks run inside @stayup/nest-lifecycle's ConnectionTracker, which wraps the
// 'request' listeners the server has when listenWithLifecycle() attaches it
// (docs/internals.md#connection-tracker). That holds only while the framework attaches its one
// request handler when the server is created. Checked here on the API as createApp() builds it, so
// that an upgrade of Fastify or Nest that changes it fails here rather than in production, where
// the framework would answer again the requests the hooks refused.

type RequestListener = (this: Server, req: IncomingMessage, res: ServerResponse) => void;

/** One request on its own connection; resolves with the status code. */
function get(port: number, path: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    request({ port, host: '127.0.0.1', path, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    })
      .on('error', reject)
      .end();
  });
}

describe('the API’s request hooks on the raw server', () => {
  let app: NestFastifyApplication;
  let server: Server;
  let listenersBeforeListen: number;
  const reachedFastify: string[] = [];
  const accessLog: Array<{ url: string; statusCode: number }> = [];

  beforeAll(async () => {
    const log = {
      ...createApiLogger('info', openSync('/dev/null', 'w')),
      write: (line: string) => void accessLog.push(JSON.parse(line)),
    };
    ({ app } = await createApp(loadConfig({ SHUTDOWN_DELAY_MS: '0' }), log));
    server = app.getHttpServer() as Server;
    listenersBeforeListen = server.listenerCount('request');
    // test-only: Fastify's handler, counting what reaches it (the tracker then wraps this one)
    const [fastifyHandler] = server.listeners('request') as RequestListener[];
    server.removeAllListeners('request');
    server.on('request', function (this: Server, req: IncomingMessage, res: ServerResponse) {
      reachedFastify.push(req.url ?? '');
      fastifyHandler.call(this, req, res);
    });
    await listenWithLifecycle(app, 0, '127.0.0.1');
  });
  afterAll(() => app.close());

  it('keeps one request listener: Fastify’s, attached at creation, wrapped by the tracker', () => {
    expect(listenersBeforeListen).toBe(1);
    expect(server.listenerCount('request')).toBe(1);
  });

  it('answers refused requests once, before Fastify sees them, and still logs them', async () => {
    const { port } = server.address() as AddressInfo;
    const tooLong = `/${'a'.repeat(MAX_URL_LENGTH)}`;
    expect(await get(port, '/hello')).toBe(200);
    expect(await get(port, '*hello')).toBe(400); // in no RFC 9112 form
    expect(await get(port, tooLong)).toBe(414);
    while (accessLog.length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(reachedFastify.map((url) => url.slice(0, 8))).toEqual(['/hello']);
    expect(accessLog.map(({ url, statusCode }) => [url.slice(0, 8), statusCode])).toEqual([
      ['/hello', 200],
      ['*hello', 400],
      ['/aaaaaaa', 414],
    ]);
  });
});
