import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JSON_API_SECURITY_HEADERS, jsonApiResponse } from './json-api-response.js';

/** Each path answers the way some framework or handler would write a response. */
const handlers: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  // Fastify: writeHead(status, headersObject)
  '/object': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': 2 });
    res.end('{}');
  },
  '/own-cache-control': (_req, res) => {
    res.writeHead(200, { 'cache-control': 'max-age=60' });
    res.end();
  },
  '/set-header': (_req, res) => {
    res.setHeader('cache-control', 'private');
    res.setHeader('X-Request-Id', 'from-handler');
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('x');
  },
  '/implicit': (_req, res) => {
    res.statusCode = 204;
    res.end();
  },
  '/pairs': (_req, res) => {
    res.writeHead(200, ['Cache-Control', 'max-age=5', 'content-type', 'text/plain']);
    res.end('x');
  },
  '/reason': (_req, res) => {
    res.writeHead(418, 'Short and stout', { 'content-type': 'text/plain' });
    res.end('x');
  },
};

describe('jsonApiResponse', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const ServerResponseClass = jsonApiResponse({
      headers: JSON_API_SECURITY_HEADERS,
      requestId: (req) => req.headers['x-test-id'] as string | undefined,
    });
    server = createServer({ ServerResponse: ServerResponseClass }, (req, res) =>
      handlers[req.url ?? '']?.(req, res),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { headers });

  it('adds the security headers to the headers the framework passes, keeping its own', async () => {
    const res = await get('/object', { 'x-test-id': 'abc-1' });
    expect(res.status).toBe(200);
    for (const [name, value] of Object.entries(JSON_API_SECURITY_HEADERS))
      expect(res.headers.get(name)).toBe(value);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('x-request-id')).toBe('abc-1');
    expect(await res.text()).toBe('{}');
  });

  it('sends no x-request-id when the request has none', async () => {
    expect((await get('/object')).headers.get('x-request-id')).toBeNull();
  });

  it('lets a handler’s own value win, whether passed to writeHead or set with setHeader', async () => {
    expect((await get('/own-cache-control')).headers.get('cache-control')).toBe('max-age=60');
    const set = await get('/set-header', { 'x-test-id': 'abc-2' });
    expect(set.headers.get('cache-control')).toBe('private');
    expect(set.headers.get('x-request-id')).toBe('from-handler');
    expect(set.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('covers responses ended without writeHead, with header pairs, and with a reason phrase', async () => {
    const implicit = await get('/implicit', { 'x-test-id': 'abc-3' });
    expect([
      implicit.status,
      implicit.headers.get('x-content-type-options'),
      implicit.headers.get('x-request-id'),
    ]).toEqual([204, 'nosniff', 'abc-3']);
    const pairs = await get('/pairs');
    expect([pairs.headers.get('cache-control'), pairs.headers.get('referrer-policy')]).toEqual([
      'max-age=5',
      'no-referrer',
    ]);
    const reason = await get('/reason');
    expect([
      reason.status,
      reason.statusText,
      reason.headers.get('x-content-type-options'),
    ]).toEqual([418, 'Short and stout', 'nosniff']);
  });
});
