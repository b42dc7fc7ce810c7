import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiProcess, freePort, httpRequest } from '@stayup/harness';
import { connect } from 'node:net';
import { rawRequest } from './raw-http.js';

describe('hostile and malformed input', () => {
  let api: ApiProcess;
  const stillServing = async () => {
    const res = await httpRequest(`${api.url}/hello`, { timeoutMs: 2_000 });
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    api = await ApiProcess.startReady({ SHUTDOWN_DELAY_MS: '0' });
  });
  afterAll(async () => expect((await api.stop()).code).toBe(0));

  it('answers a request target over 4096 characters with 414 JSON', async () => {
    const res = await httpRequest(`${api.url}/hello?q=${'a'.repeat(5000)}`);
    expect(res.status).toBe(414);
    expect(JSON.parse(res.body)).toEqual({
      statusCode: 414,
      error: 'URI Too Long',
      message: 'the request target is longer than 4096 characters',
    });
    await stillServing();
  });

  it('answers headers over 16 KiB with 431 and closes the connection', async () => {
    const res = await rawRequest(
      api.port,
      `GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`,
    );
    expect(res.status).toBe(431);
    expect(res.closedByServer).toBe(true);
    const longTarget = await rawRequest(
      api.port,
      `GET /${'c'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    );
    expect(longTarget.status).toBe(431);
    await stillServing();
  });

  it('answers invalid HTTP with 400 and closes the connection', async () => {
    for (const garbage of [
      'GARBAGE\r\n\r\n',
      'GET / HTTP/9.9\r\n\r\n',
      'GET /hello HTTP/1.1\r\nHost x\r\n\r\n',
      '\x00\x01\x02\r\n\r\n',
    ]) {
      const res = await rawRequest(api.port, garbage);
      expect([res.status, res.closedByServer]).toEqual([400, true]);
    }
    await stillServing();
  });

  it('ignores a body on GET and refuses an oversized body', async () => {
    const withBody = await rawRequest(
      api.port,
      'GET /hello HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 11\r\nConnection: close\r\n\r\n{"a":"b"}\r\n',
    );
    expect(withBody.status).toBe(200);
    const big = await rawRequest(
      api.port,
      `POST /hello HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1048576\r\nConnection: close\r\n\r\n${'x'.repeat(1_048_576)}`,
      5_000,
    );
    expect([405, 413]).toContain(big.status);
    await stillServing();
  });

  it.each([
    ['/hello/../alive', 404],
    ['//hello', 404],
    ['/%2e%2e/hello', 404],
    ['/%2e%2e%2f%2e%2e%2fetc%2fpasswd', 404],
    ['/hello%00', 404],
    ['/hello?x=%ff%fe', 200],
    ['/%ff%fe', 400], // not valid UTF-8 once decoded
    ['/hello#fragment', 200],
    [`/${'x/'.repeat(1500)}`, 404],
  ])('answers %s with a defined status (%i), never a 5xx', async (path, status) => {
    const res = await rawRequest(
      api.port,
      `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    );
    expect(res.status).toBe(status);
    await stillServing();
  });

  it.each([
    ['GET *hello', 400], // Fastify would route it as /hello; Nest's not-found path answered 500
    ['GET *', 400], // asterisk-form is for OPTIONS only
    ['GET hello', 400], // refused by Node's parser already
    ['GET x:80', 400], // authority-form is for CONNECT only; Node's parser refuses it
    ['OPTIONS *', 404],
    ['GET http://api.example/hello', 200], // absolute-form: servers must accept it (RFC 9112 §3.2.2)
    ['GET HTTPS://api.example/hello?x=1', 200],
  ])('answers request target "%s" by its form (%i)', async (requestLine, status) => {
    const res = await rawRequest(
      api.port,
      `${requestLine} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    );
    expect(res.status).toBe(status);
    if (requestLine.startsWith('GET *')) {
      const [head, body] = res.raw.split('\r\n\r\n');
      expect(JSON.parse(body)).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'the request target must be a path ("/hello") or an absolute http(s) URL',
      });
      expect(head.toLowerCase()).toContain('x-content-type-options: nosniff');
    }
    await stillServing();
  });

  it('answers raw non-UTF-8 bytes in the request line with a 4xx', async () => {
    const res = await rawRequest(
      api.port,
      Buffer.concat([
        Buffer.from('GET /'),
        Buffer.from([0xff, 0xfe, 0xc3]),
        Buffer.from(' HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
      ]),
    );
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    await stillServing();
  });

  it('keeps answering while hundreds of slow clients trickle their headers (slowloris)', async () => {
    const sockets = await Promise.all(
      Array.from(
        { length: 300 },
        () =>
          new Promise<import('node:net').Socket>((resolve) => {
            const s = connect(api.port, '127.0.0.1', () => {
              s.write('GET /hello HTTP/1.1\r\nHost: x\r\n');
              resolve(s);
            });
            s.on('error', () => undefined);
          }),
      ),
    );
    const drip = setInterval(() => sockets.forEach((s) => s.write('X-Slow: 1\r\n')), 200);
    try {
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        await stillServing();
        expect(performance.now() - started).toBeLessThan(1_000);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      clearInterval(drip);
      sockets.forEach((s) => s.destroy());
    }
  });

  it('sends the JSON API security headers and no x-powered-by, on every response', async () => {
    const responses = [
      ['/hello', 'GET', 200],
      ['/nope', 'GET', 404],
      ['/ready', 'GET', 200],
      ['/hello', 'DELETE', 405],
      ['/hello', 'HEAD', 200],
      [`/hello?q=${'a'.repeat(5000)}`, 'GET', 414],
      ['/%ff%fe', 'GET', 400],
    ] as const;
    for (const [path, method, status] of responses) {
      const res = await httpRequest(`${api.url}${path}`, {
        method,
        headers: { 'x-request-id': 'sec-check-1' },
      });
      expect([method, path.slice(0, 20), res.status]).toEqual([method, path.slice(0, 20), status]);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-request-id']).toBe('sec-check-1');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
    expect((await httpRequest(`${api.url}/hello`)).headers['cache-control']).toBe('no-store');
  });

  it('has CORS off unless configured', async () => {
    const res = await httpRequest(`${api.url}/hello`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await httpRequest(`${api.url}/hello`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('CORS when configured', () => {
  it('allows exactly the configured origins', async () => {
    const api = await ApiProcess.start({
      port: await freePort(),
      env: { SHUTDOWN_DELAY_MS: '0', CORS_ORIGINS: 'https://app.example.com' },
    });
    await api.waitForReady();
    const allowed = await httpRequest(`${api.url}/hello`, {
      headers: { origin: 'https://app.example.com' },
    });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    const other = await httpRequest(`${api.url}/hello`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    api.kill('SIGTERM');
    expect((await api.waitForExit()).code).toBe(0);
  });
});
