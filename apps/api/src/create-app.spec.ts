import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { listenWithLifecycle } from '@stayup/nest-lifecycle';
import { openSync } from 'node:fs';
import { loadConfig } from './config/api-config.js';
import { createApp } from './create-app.js';
import type { HttpMetrics } from './observability/http-metrics.js';
import { createApiLogger } from './observability/logger.js';

// The API exactly as main.ts builds it (LeanFastifyAdapter, the JSON API response class, the
// per-request hooks), on a real socket. Real sockets, not fastify `inject`: inject loads cookie@2
// (ESM-only), which Jest on Node 20 cannot require. The end-to-end suite in apps/api-e2e runs the
// built bundle as a process.
describe('createApp', () => {
  let app: NestFastifyApplication;
  let metrics: HttpMetrics;
  let url: string;
  const accessLog: string[] = [];

  beforeAll(async () => {
    const log = {
      ...createApiLogger('info', openSync('/dev/null', 'w')),
      write: (line: string) => void accessLog.push(line),
    };
    ({ app, metrics } = await createApp(
      loadConfig({ SHUTDOWN_DELAY_MS: '0', CORS_ORIGINS: 'https://app.example.com' }),
      log,
    ));
    url = await listenWithLifecycle(app, 0, '127.0.0.1');
  });
  afterAll(() => app.close());

  it('answers GET /hello with the original body', async () => {
    const res = await fetch(`${url}/hello`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toEqual({ message: 'Hello!' });
  });

  it('answers HEAD /hello without a body', async () => {
    const res = await fetch(`${url}/hello`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('answers a wrong method on a known path with 405 JSON and an Allow header', async () => {
    const res = await fetch(`${url}/hello?x=1`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect(await res.json()).toEqual({
      statusCode: 405,
      error: 'Method Not Allowed',
      message: 'Cannot DELETE /hello: allowed GET, HEAD',
    });
  });

  it('answers an unknown path with 404 JSON', async () => {
    const res = await fetch(`${url}/nope`, { method: 'POST' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Cannot POST /nope',
    });
  });

  it('serves the probes from @stayup/nest-lifecycle', async () => {
    expect((await fetch(`${url}/ready`)).status).toBe(200);
    expect((await fetch(`${url}/alive`)).status).toBe(200);
  });

  it('sends the security headers and the request id on every response, 404s included', async () => {
    // the probes are answered before Fastify (by the lifecycle), and still carry them
    for (const path of ['/hello', '/nope', '/ready', '/alive']) {
      const res = await fetch(`${url}${path}`, { headers: { 'x-request-id': 'req-42' } });
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toMatch(/\bno-store\b/); // probes: terminus's
      expect(res.headers.get('x-request-id')).toBe('req-42');
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('writes one access-log line per request with its route template, none for the probes at info', async () => {
    accessLog.length = 0;
    await fetch(`${url}/hello?x=1`, { headers: { 'x-request-id': 'log-1' } });
    await fetch(`${url}/ready`);
    await new Promise((resolve) => setTimeout(resolve, 20)); // the line is written on 'close'
    expect(accessLog.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({
        reqId: 'log-1',
        method: 'GET',
        url: '/hello?x=1',
        route: '/hello',
        statusCode: 200,
        msg: 'request completed',
      }),
    ]);
  });

  it('counts requests in the histogram by route template, the probes by their path', async () => {
    await fetch(`${url}/hello`);
    await fetch(`${url}/ready`);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(
      /^http_request_duration_seconds_count\{method="GET",route="\/hello",status_code="200"\} [1-9]/m,
    );
    expect(text).toMatch(
      /^http_request_duration_seconds_count\{method="GET",route="\/ready",status_code="200"\} [1-9]/m,
    );
    // and as a counter, which the CloudWatch agent keeps (it drops histograms)
    expect(text).toMatch(
      /^http_requests_total\{method="GET",route="\/hello",status_code="200"\} [1-9]/m,
    );
    // and the last minute's p99, a gauge (the first read starts its window)
    expect(text).toMatch(/^http_request_duration_p99_seconds \d/m);
  });

  it('exports the load-shedding counter for each bound, at 0 while nothing is shed', async () => {
    const text = await metrics.registry.metrics();
    for (const reason of ['in_flight', 'connections', 'event_loop']) {
      expect(text).toContain(`http_requests_shed_total{reason="${reason}"} 0`);
    }
  });

  it('answers CORS preflights for the configured origins only', async () => {
    const preflight = (origin: string) =>
      fetch(`${url}/hello`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'GET' },
      });
    const allowed = await preflight('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const other = await preflight('https://evil.example.com');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
