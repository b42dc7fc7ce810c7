import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { AppModule } from './app.module.js';
import { loadConfig } from './config/api-config.js';

// Real sockets, not fastify `inject`: inject loads cookie@2 (ESM-only), which Jest on Node 20
// cannot require. The end-to-end suite in apps/api-e2e runs the built bundle as a process.
describe('AppModule', () => {
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.forRoot(loadConfig({}))],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
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
});
