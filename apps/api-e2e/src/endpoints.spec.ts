import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiProcess, httpRequest } from '@stayup/harness';

describe('the built API (node dist/apps/api/main.js)', () => {
  let api: ApiProcess;

  beforeAll(async () => {
    api = await ApiProcess.startReady({ SHUTDOWN_DELAY_MS: '0' });
  });
  afterAll(async () => expect((await api.stop()).code).toBe(0));

  it('GET /hello answers 200 {"message":"Hello!"}', async () => {
    const res = await httpRequest(`${api.url}/hello`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(res.body)).toEqual({ message: 'Hello!' });
  });

  it('GET /ready answers 200 once started', async () => {
    const res = await httpRequest(`${api.url}/ready`);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-cache, no-store, must-revalidate');
    expect(JSON.parse(res.body)).toMatchObject({
      status: 'ok',
      info: { lifecycle: { status: 'up', state: 'ready' } },
    });
  });

  it('GET /alive answers 200', async () => {
    const res = await httpRequest(`${api.url}/alive`);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ status: 'ok' });
  });

  it('an unknown path answers 404 JSON, no HTML, no stack', async () => {
    const res = await httpRequest(`${api.url}/does/not/exist`);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(res.body)).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Cannot GET /does/not/exist',
    });
  });

  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])(
    '%s /hello answers 405 JSON with Allow: GET, HEAD',
    async (method) => {
      const res = await httpRequest(`${api.url}/hello`, { method });
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD');
      expect(JSON.parse(res.body)).toEqual({
        statusCode: 405,
        error: 'Method Not Allowed',
        message: `Cannot ${method} /hello: allowed GET, HEAD`,
      });
    },
  );

  it('logs JSON lines, one object per line', () => {
    const records = api.logRecords();
    expect(records.length).toBeGreaterThan(0);
    expect(records.length).toBe(api.stdout.filter((l) => l.trim() !== '').length);
    expect(records.map((r) => r.msg)).toContain('ready');
  });

  it('names Nest components and our classes as written in its start-up log (the bundle keeps class names)', () => {
    const records = api.logRecords();
    expect(records.map((r) => r.context)).toEqual(
      expect.arrayContaining([
        'NestFactory',
        'InstanceLoader',
        'RoutesResolver',
        'RouterExplorer',
        'NestApplication',
      ]),
    );
    const messages = records.map((r) => r.msg);
    expect(messages).toContain('AppModule dependencies initialized');
    expect(messages).toEqual(
      expect.arrayContaining(['HelloController {/hello}:', 'HealthController {/}:']),
    );
  });
});
