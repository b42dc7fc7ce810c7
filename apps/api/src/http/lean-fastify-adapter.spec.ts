import { afterEach, describe, expect, it } from '@jest/globals';
import {
  Controller,
  Get,
  Logger,
  Module,
  VersioningType,
  type Type,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { LeanFastifyAdapter } from './lean-fastify-adapter.js';

@Controller()
class PingController {
  @Get('ping')
  ping(): { pong: true } {
    return { pong: true };
  }
}

@Module({ controllers: [PingController] })
class PingModule {}

@Module({ controllers: [PingController] })
class PingWithMiddlewareModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply((_req: unknown, res: { setHeader(n: string, v: string): void }, next: () => void) => {
        res.setHeader('x-middleware', 'ran');
        next();
      })
      .forRoutes('*path');
  }
}

const fastifyOf = (app: NestFastifyApplication): FastifyInstance =>
  app.getHttpAdapter().getInstance() as FastifyInstance;

/** The request hooks Fastify runs for GET /ping, as its public printRoutes() lists them. */
function requestHooksOf(app: NestFastifyApplication): string[] {
  const tree = fastifyOf(app).printRoutes({ includeHooks: true });
  //     └── ping (GET)
  //         • (onRequest) ["anonymous()","runMiddie()"]
  const lines = tree.split('\n');
  const hooks: string[] = [];
  for (const line of lines.slice(lines.findIndex((l) => l.includes('ping (GET)')) + 1)) {
    const hook = /• \((\w+)\) (\[.*\])/.exec(line);
    if (!hook) break;
    if (hook[1] === 'onRequest' || hook[1] === 'onResponse') {
      for (const name of JSON.parse(hook[2]) as string[]) hooks.push(`${hook[1]} ${name}`);
    }
  }
  return hooks;
}

describe('LeanFastifyAdapter', () => {
  const opened: NestFastifyApplication[] = [];
  afterEach(async () => {
    for (const app of opened.splice(0)) await app.close();
  });

  async function start(
    module: Type<unknown>,
    adapter: FastifyAdapter,
    setUp?: (a: NestFastifyApplication) => void,
  ) {
    Logger.overrideLogger(false);
    const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
      logger: false,
    });
    opened.push(app);
    setUp?.(app);
    await app.listen(0, '127.0.0.1');
    return { app, url: await app.getUrl() };
  }

  it('serves routes with no request hook at all, where FastifyAdapter runs eight', async () => {
    const lean = await start(PingModule, new LeanFastifyAdapter());
    expect(requestHooksOf(lean.app)).toEqual([]);
    const res = await fetch(`${lean.url}/ping`);
    expect([res.status, await res.json()]).toEqual([200, { pong: true }]);
    const missing = await fetch(`${lean.url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ statusCode: 404 });

    const stock = await start(PingModule, new FastifyAdapter());
    expect(requestHooksOf(stock.app)).toHaveLength(8); // 6 onRequest + middie's, 1 onResponse
  });

  it('adds Nest’s hooks back when CORS is enabled, and CORS works', async () => {
    const { app, url } = await start(PingModule, new LeanFastifyAdapter(), (a) =>
      a.enableCors({ origin: ['https://app.example'], methods: ['GET'] }),
    );
    expect(requestHooksOf(app).filter((h) => h.startsWith('onRequest'))).toHaveLength(6);
    const res = await fetch(`${url}/ping`, { headers: { origin: 'https://app.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example');
  });

  it('runs Nest middleware (middie is registered on demand)', async () => {
    const { url } = await start(PingWithMiddlewareModule, new LeanFastifyAdapter());
    const res = await fetch(`${url}/ping`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-middleware')).toBe('ran');
  });

  it('runs app.use() middleware', async () => {
    const { url } = await start(PingModule, new LeanFastifyAdapter(), (a) =>
      a.use((_req: unknown, res: { setHeader(n: string, v: string): void }, next: () => void) => {
        res.setHeader('x-use', 'ran');
        next();
      }),
    );
    expect((await fetch(`${url}/ping`)).headers.get('x-use')).toBe('ran');
  });

  it('supports URI versioning', async () => {
    const { url } = await start(PingModule, new LeanFastifyAdapter(), (a) =>
      a.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' }),
    );
    expect((await fetch(`${url}/v1/ping`)).status).toBe(200);
  });

  it('refuses header versioning at start-up, naming the fix', async () => {
    await expect(
      start(PingModule, new LeanFastifyAdapter(), (a) =>
        a.enableVersioning({
          type: VersioningType.HEADER,
          header: 'x-api-version',
          defaultVersion: '1',
        }),
      ),
    ).rejects.toThrow(
      /LeanFastifyAdapter does not support header, media-type or custom versioning.*FastifyAdapter/,
    );
  });

  it('passes Fastify options through', async () => {
    const { app } = await start(
      PingModule,
      new LeanFastifyAdapter({ bodyLimit: 10, maxParamLength: 50 }),
    );
    const { initialConfig } = fastifyOf(app);
    expect([initialConfig.bodyLimit, initialConfig.maxParamLength]).toEqual([10, 50]);
  });
});
