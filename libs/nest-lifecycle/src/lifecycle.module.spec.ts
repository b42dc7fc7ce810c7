import { afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Injectable, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { LifecycleModule } from './lifecycle.module.js';
import type {
  LifecycleModuleOptions,
  LifecycleRouteOptions,
} from './lifecycle-options.interface.js';
import { LifecycleService } from './lifecycle.service.js';
import { GracefulShutdownService } from './shutdown/graceful-shutdown.service.js';
import { listenWithLifecycle } from './shutdown/listen-with-lifecycle.js';

async function createApp(imports: unknown[], providers: unknown[] = []) {
  const moduleRef = await Test.createTestingModule({
    imports: imports as never[],
    providers: providers as never[],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
  await app.init();
  return app;
}

type HealthBody = {
  status: string;
  info: Record<string, Record<string, unknown>>;
  error: Record<string, Record<string, unknown>>;
};

/**
 * A real request over a socket. (fastify's `inject` is not used: it loads cookie@2, which is
 * ESM-only and cannot be required under Jest on Node 20.)
 */
async function probe(app: NestFastifyApplication, path: string) {
  const res = await fetch(`${await app.getUrl()}${path}`);
  return {
    status: res.status,
    body: (await res.json()) as HealthBody,
    cacheControl: res.headers.get('cache-control'),
  };
}

/** Collects what the lifecycle logs at warn, until `spy.mockRestore()`. */
function captureWarnings() {
  const warnings: string[] = [];
  const spy = jest
    .spyOn(Logger.prototype, 'warn')
    .mockImplementation((message: unknown) => void warnings.push(String(message)));
  return { warnings, spy };
}

describe('LifecycleModule', () => {
  let app: NestFastifyApplication | undefined;
  beforeAll(() => Logger.overrideLogger(false));
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('stays starting until the server listens', async () => {
    app = await createApp([LifecycleModule.forRoot()]);
    expect(app.get(LifecycleService).state).toBe('starting');
    await app.listen(0, '127.0.0.1');
    await new Promise((r) => setImmediate(r));
    expect(app.get(LifecycleService).state).toBe('ready');
  });

  it('reports 503 on /ready while starting, 200 once ready, and 200 on /alive all along', async () => {
    let finish: () => void = () => undefined;
    @Injectable()
    class Slow implements OnModuleInit {
      constructor(private readonly lifecycle: LifecycleService) {}
      onModuleInit() {
        this.lifecycle.addStartupTask('slow', () => new Promise<void>((r) => (finish = r)));
      }
    }
    app = await createApp([LifecycleModule.forRoot()], [Slow]);
    await app.listen(0, '127.0.0.1');
    expect(await probe(app, '/ready')).toEqual({
      status: 503,
      cacheControl: 'no-cache, no-store, must-revalidate',
      body: {
        status: 'error',
        info: {},
        error: { lifecycle: { status: 'down', state: 'starting', pending: ['slow'] } },
        details: { lifecycle: { status: 'down', state: 'starting', pending: ['slow'] } },
      },
    });
    expect((await probe(app, '/alive')).status).toBe(200);

    finish();
    await new Promise((r) => setImmediate(r));
    expect(await probe(app, '/ready')).toMatchObject({
      status: 200,
      body: { status: 'ok', info: { lifecycle: { status: 'up', state: 'ready' } } },
    });
  });

  it('keeps readiness down while startup tasks run, naming them', async () => {
    let finish: () => void = () => undefined;
    @Injectable()
    class Warmup implements OnModuleInit {
      constructor(private readonly lifecycle: LifecycleService) {}
      onModuleInit() {
        this.lifecycle.addStartupTask('fill-cache', () => new Promise<void>((r) => (finish = r)));
      }
    }
    app = await createApp([LifecycleModule.forRoot()], [Warmup]);
    await app.listen(0, '127.0.0.1');
    await new Promise((r) => setImmediate(r));
    expect(await probe(app, '/ready')).toMatchObject({
      status: 503,
      body: {
        error: { lifecycle: { status: 'down', state: 'starting', pending: ['fill-cache'] } },
      },
    });
    finish();
    await new Promise((r) => setImmediate(r));
    expect((await probe(app, '/ready')).status).toBe(200);
  });

  it('marks the service failed when a startup task rejects', async () => {
    @Injectable()
    class Broken implements OnModuleInit {
      constructor(private readonly lifecycle: LifecycleService) {}
      onModuleInit() {
        this.lifecycle.addStartupTask('connect-db', async () => {
          throw new Error('ECONNREFUSED');
        });
      }
    }
    app = await createApp([LifecycleModule.forRoot()], [Broken]);
    await app.listen(0, '127.0.0.1');
    await new Promise((r) => setImmediate(r));
    expect(await probe(app, '/ready')).toMatchObject({
      status: 503,
      body: {
        error: {
          lifecycle: { status: 'down', state: 'failed', reason: 'connect-db: ECONNREFUSED' },
        },
      },
    });
    expect((await probe(app, '/alive')).status).toBe(200);
  });

  it('refuses startup tasks added after the server started', async () => {
    app = await createApp([LifecycleModule.forRoot()]);
    await app.listen(0, '127.0.0.1');
    await new Promise((r) => setImmediate(r));
    const started = app;
    expect(() =>
      started.get(LifecycleService).addStartupTask('late', async () => undefined),
    ).toThrow(
      `'addStartupTask' ('late') must be called before the server starts listening: register it from a constructor or onModuleInit`,
    );
  });

  it('serves the probes on custom paths and runs extra readiness indicators', async () => {
    let dbUp = true;
    app = await createApp([
      LifecycleModule.forRoot({
        readinessPath: 'health/ready',
        livenessPath: '/health/live',
        readinessIndicators: [async () => ({ db: { status: dbUp ? 'up' : 'down' } })],
      }),
    ]);
    await app.listen(0, '127.0.0.1');
    await new Promise((r) => setImmediate(r));
    expect(await probe(app, '/health/ready')).toMatchObject({
      status: 200,
      body: { info: { lifecycle: { status: 'up' }, db: { status: 'up' } } },
    });
    dbUp = false;
    expect(await probe(app, '/health/ready')).toMatchObject({
      status: 503,
      body: { error: { db: { status: 'down' } } },
    });
    // a dependency outage never fails liveness
    expect((await probe(app, '/health/live')).status).toBe(200);
    expect((await probe(app, '/ready')).status).toBe(404);
  });

  it('reports a readiness indicator that throws as down (503, its message, no stack), not as a 500', async () => {
    async function checkDatabase(): Promise<never> {
      throw new Error('connect ECONNREFUSED 10.0.0.5:5432');
    }
    app = await createApp([
      LifecycleModule.forRoot({
        readinessIndicators: [checkDatabase, async () => Promise.reject('timed out')],
      }),
    ]);
    await app.listen(0, '127.0.0.1');
    await new Promise((r) => setImmediate(r));
    const res = await fetch(`${await app.getUrl()}/ready`);
    const text = await res.text();
    expect(res.status).toBe(503);
    expect(JSON.parse(text).error).toEqual({
      checkDatabase: { status: 'down', message: 'connect ECONNREFUSED 10.0.0.5:5432' },
      indicator2: { status: 'down', message: 'timed out' },
    });
    expect(text).not.toMatch(/\bat .*\(.*:\d+:\d+\)|stack/);
    expect((await probe(app, '/alive')).status).toBe(200);
  });

  it('warns when the application listens with a plain app.listen() (no drain installed)', async () => {
    const { warnings, spy } = captureWarnings();
    try {
      app = await createApp([LifecycleModule.forRoot({ exitProcess: false })]);
      await app.listen(0, '127.0.0.1');
      expect(warnings).toEqual([
        expect.stringMatching(
          /^the application was started with app\.listen\(\): the drain is not installed .* Start it with listenWithLifecycle\(app, port\)/,
        ),
      ]);
    } finally {
      spy.mockRestore();
    }
  });

  it('warns at start when app.enableShutdownHooks() would race the drain, and not with listenWithLifecycle alone', async () => {
    const { warnings, spy } = captureWarnings();
    try {
      app = await createApp([LifecycleModule.forRoot({ exitProcess: false })]);
      await listenWithLifecycle(app, 0, '127.0.0.1');
      expect(warnings).toEqual([]);
      await app.close();
      app = await createApp([LifecycleModule.forRoot({ exitProcess: false })]);
      app.enableShutdownHooks();
      await listenWithLifecycle(app, 0, '127.0.0.1');
      expect(warnings).toEqual([
        expect.stringMatching(
          /^SIGTERM, SIGINT already has another handler \(app\.enableShutdownHooks\(\)\?\).* Remove app\.enableShutdownHooks\(\)/,
        ),
      ]);
    } finally {
      spy.mockRestore();
    }
  });

  it('listens on a port given as a string (process.env.PORT), and refuses one that is not a port', async () => {
    app = await createApp([LifecycleModule.forRoot({ exitProcess: false })]);
    await expect(listenWithLifecycle(app, '80a')).rejects.toThrow(
      `'port' (80a) must be a port number from 0 to 65535, as a number or a string of digits: e.g. listenWithLifecycle(app, process.env.PORT ?? 3000)`,
    );
    await expect(listenWithLifecycle(app, 70_000)).rejects.toThrow(`'port' (70000) must be`);
    const url = await listenWithLifecycle(app, '0', '127.0.0.1'); // refused ports attached nothing
    expect((await fetch(`${url}/ready`)).status).toBe(200);
  });

  it('builds its options from injected providers with forRootAsync', async () => {
    @Injectable()
    class Settings {
      readonly drainMs = 1234;
    }
    @Module({ providers: [Settings], exports: [Settings] })
    class SettingsModule {}
    app = await createApp([
      LifecycleModule.forRootAsync({
        imports: [SettingsModule],
        inject: [Settings],
        useFactory: (settings: Settings): LifecycleModuleOptions => ({
          shutdownDelayMs: settings.drainMs,
          exitProcess: false,
        }),
      }),
    ]);
    const service = app.get(GracefulShutdownService);
    app.get(GracefulShutdownService).attach(app);
    await app.listen(0, '127.0.0.1');
    await new Promise((r) => setImmediate(r));
    const started = Date.now();
    void service.shutdown('test');
    expect((await probe(app, '/ready')).body.error.lifecycle.state).toBe('draining');
    expect((await probe(app, '/alive')).body.info.lifecycle).toEqual({
      status: 'up',
      state: 'draining',
    });
    while (app.get(LifecycleService).state !== 'closed')
      await new Promise((r) => setTimeout(r, 20));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1234);
    app = undefined; // closed by the drain
  });

  it('refuses invalid options when the module is declared', () => {
    const same: LifecycleRouteOptions = { readinessPath: '/health', livenessPath: 'health/' };
    expect(() => LifecycleModule.forRoot(same)).toThrow(
      `'livenessPath' (health/) must differ from 'readinessPath' (/health): liveness stays up while draining and readiness does not, so they cannot share a path`,
    );
    expect(() => LifecycleModule.forRoot({ shutdownDelayMs: -5 })).toThrow(
      `'shutdownDelayMs' (-5) must be an integer`,
    );
  });
});
