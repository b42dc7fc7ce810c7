import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { LifecycleModule } from './lifecycle.module.js';
import type {
  LifecycleModuleOptions,
  LifecycleRouteOptions,
} from './lifecycle-options.interface.js';
import type { LifecycleState } from './lifecycle-state.js';
import { LifecycleService } from './lifecycle.service.js';
import { GracefulShutdownService } from './shutdown/graceful-shutdown.service.js';
import { listenWithLifecycle } from './shutdown/listen-with-lifecycle.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

type Options = LifecycleModuleOptions & LifecycleRouteOptions;

/**
 * Two copies of the same application: one started with plain `app.listen()` (terminus answers
 * the probes through Nest and Fastify) and one with `listenWithLifecycle()` (the lifecycle answers
 * them on the raw server). `framework` counts the requests Fastify saw.
 */
async function start(options: Options, withLifecycle: boolean) {
  const moduleRef = await Test.createTestingModule({
    imports: [LifecycleModule.forRoot({ exitProcess: false, overload: false, ...options })],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
  const seen = { framework: 0 };
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', async () => void seen.framework++);
  await app.init();
  if (withLifecycle) await listenWithLifecycle(app, 0, '127.0.0.1');
  else await app.listen(0, '127.0.0.1');
  await new Promise((r) => setImmediate(r)); // startup tasks (none) → ready
  return { app, seen, url: await app.getUrl() };
}

async function answer(url: string, method = 'GET') {
  const res = await fetch(url, { method });
  return {
    status: res.status,
    cacheControl: res.headers.get('cache-control'),
    contentType: res.headers.get('content-type'),
    body: await res.text(),
  };
}

describe('probes answered before the framework', () => {
  let apps: NestFastifyApplication[] = [];
  beforeAll(() => Logger.overrideLogger(false));
  afterEach(async () => {
    await Promise.all(apps.map((app) => app.close()));
    apps = [];
  });

  async function pair(options: Options = {}) {
    const terminus = await start(options, false);
    const lifecycle = await start(options, true);
    apps.push(terminus.app, lifecycle.app);
    const toState = (state: LifecycleState) => {
      for (const { app } of [terminus, lifecycle]) app.get(LifecycleService).transition(state);
    };
    return { terminus, lifecycle, toState };
  }

  it('give the same status, headers and body as terminus in every state, for GET and HEAD', async () => {
    const { terminus, lifecycle, toState } = await pair();
    for (const state of ['ready', 'draining', 'closing', 'failed'] as const) {
      toState(state);
      for (const path of ['/ready', '/alive', '/ready?verbose=1']) {
        for (const method of ['GET', 'HEAD']) {
          const expected = await answer(`${terminus.url}${path}`, method);
          expect({
            state,
            path,
            method,
            ...(await answer(`${lifecycle.url}${path}`, method)),
          }).toEqual({ state, path, method, ...expected });
        }
      }
    }
    expect(lifecycle.seen.framework).toBe(0);
    expect(terminus.seen.framework).toBeGreaterThan(0);
  });

  it('are answered the same on another server through answerProbe (an admin port)', async () => {
    const { lifecycle, toState } = await pair();
    const shutdown = lifecycle.app.get(GracefulShutdownService);
    const admin = createServer((req, res) => {
      if (!shutdown.answerProbe(req, res)) res.writeHead(404).end('not a probe');
    });
    await new Promise<void>((r) => admin.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(admin.address() as AddressInfo).port}`;
    try {
      for (const state of ['ready', 'draining'] as const) {
        toState(state);
        for (const path of ['/ready', '/alive']) {
          expect(await answer(`${url}${path}`)).toEqual(await answer(`${lifecycle.url}${path}`));
        }
      }
      expect(await answer(`${url}/metrics`)).toMatchObject({ status: 404, body: 'not a probe' });
    } finally {
      admin.close();
    }
  });

  it('follow custom paths', async () => {
    const { lifecycle } = await pair({
      readinessPath: '/health/ready/',
      livenessPath: 'health/live',
    });
    expect((await answer(`${lifecycle.url}/health/ready`)).status).toBe(200);
    expect((await answer(`${lifecycle.url}/health/live`)).status).toBe(200);
    expect(lifecycle.seen.framework).toBe(0);
  });

  it('run readiness indicators through terminus, still before the framework, with the same answers', async () => {
    let dbUp = true;
    const { terminus, lifecycle } = await pair({
      readinessIndicators: [async () => ({ db: { status: dbUp ? 'up' : 'down' } })],
    });
    for (const up of [true, false]) {
      dbUp = up;
      const expected = await answer(`${terminus.url}/ready`);
      expect(await answer(`${lifecycle.url}/ready`)).toEqual(expected);
      expect(expected.status).toBe(up ? 200 : 503);
    }
    expect(lifecycle.seen.framework).toBe(0);
  });

  it('stay at their paths under a global prefix (the framework would move them)', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        LifecycleModule.forRoot({
          exitProcess: false,
          readinessIndicators: [async () => ({ db: { status: 'up' } })],
        }),
      ],
    }).compile();
    const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
    apps.push(app);
    app.setGlobalPrefix('api');
    await listenWithLifecycle(app, 0, '127.0.0.1');
    const url = await app.getUrl();
    expect((await answer(`${url}/ready`)).status).toBe(200);
    expect((await answer(`${url}/alive`)).status).toBe(200);
  });
});
