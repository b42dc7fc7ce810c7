import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiProcess, httpRequest } from '@stayup/harness';

describe('logs and metrics of the built API', () => {
  let api: ApiProcess;
  beforeAll(async () => {
    api = await ApiProcess.startReady({ SHUTDOWN_DELAY_MS: '1000' });
  });
  afterAll(() => api.stop());

  it('writes one JSON line per request with method, route, status, duration and request id', async () => {
    const res = await httpRequest(`${api.url}/hello?from=test`, {
      headers: { 'x-request-id': 'trace-abc.123' },
    });
    expect(res.headers['x-request-id']).toBe('trace-abc.123');
    const line = await api.waitForLog(/^request completed$/);
    expect(line).toEqual({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      pid: expect.any(Number),
      reqId: 'trace-abc.123',
      method: 'GET',
      url: '/hello?from=test',
      route: '/hello',
      statusCode: 200,
      durationMs: expect.any(Number),
      msg: 'request completed',
    });
  });

  it('generates a UUID request id when none, or an unsafe one, is sent', async () => {
    const none = await httpRequest(`${api.url}/hello`);
    expect(none.headers['x-request-id']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    const unsafe = await httpRequest(`${api.url}/hello`, {
      headers: { 'x-request-id': 'x"}{"level":"fatal' },
    });
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('does not log probe requests at info', async () => {
    for (let i = 0; i < 5; i++) await httpRequest(`${api.url}/ready`);
    await httpRequest(`${api.url}/hello?marker=after-probes`);
    await api.waitForLog(/^request completed$/);
    await new Promise((r) => setTimeout(r, 100));
    const routes = api
      .logRecords()
      .filter((r) => r.msg === 'request completed')
      .map((r) => r.route);
    expect(routes).not.toContain('/ready');
    expect(routes).toContain('/hello');
  });

  it('serves Prometheus metrics on METRICS_PORT only, labelled by route template', async () => {
    await httpRequest(`${api.url}/random/${Math.random()}`);
    const metrics = await httpRequest(`http://127.0.0.1:${api.metricsPort}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.body).toMatch(
      /^http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/hello",status_code="200"\} \d+$/m,
    );
    expect(metrics.body).toMatch(
      /^http_request_duration_seconds_count\{method="GET",route="unmatched",status_code="404"\} \d+$/m,
    );
    expect(metrics.body).not.toContain('/random/');
    expect(metrics.body).toMatch(/^http_requests_in_flight \d+$/m);
    expect(metrics.body).toMatch(/^process_cpu_user_seconds_total /m);
    expect(metrics.body).toMatch(/^nodejs_eventloop_lag_seconds /m);
    expect((await httpRequest(`${api.url}/metrics`)).status).toBe(404);
    expect((await httpRequest(`http://127.0.0.1:${api.metricsPort}/other`)).status).toBe(404);
  });

  it('keeps serving metrics while draining, and logs each lifecycle event once', async () => {
    api.kill('SIGTERM');
    await api.waitForLog(/^SIGTERM: draining/);
    const during = await httpRequest(`http://127.0.0.1:${api.metricsPort}/metrics`);
    expect(during.status).toBe(200);
    expect((await api.waitForExit()).code).toBe(0);
    const messages = api.logRecords().map((r) => String(r.msg));
    for (const event of [/^ready/, /^SIGTERM: draining/, /^closing:/, /^closed in/]) {
      expect(messages.filter((m) => event.test(m))).toHaveLength(1);
    }
  });
});
