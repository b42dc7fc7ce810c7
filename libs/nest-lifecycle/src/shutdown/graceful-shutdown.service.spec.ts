import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { HealthIndicatorService } from '@nestjs/terminus';
import {
  Agent,
  createServer,
  request,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { LifecycleService } from '../lifecycle.service.js';
import type { LifecycleModuleOptions } from '../lifecycle-options.interface.js';
import { MAX_DESCRIBED_REQUESTS } from '../private/connection-tracker.js';
import { resolveLifecycleOptions } from '../private/resolve-options.js';
import { GracefulShutdownService } from './graceful-shutdown.service.js';

type Response = IncomingMessage & { body: string };

function get(port: number, path: string, agent: Agent | false = false): Promise<Response> {
  return new Promise((resolve, reject) => {
    request({ port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(Object.assign(res, { body })));
    })
      .on('error', reject)
      .end();
  });
}

/** Lets real I/O (sockets) make progress while timers are fake. */
const io = () => new Promise((resolve) => setImmediate(resolve));

describe('GracefulShutdownService', () => {
  const attached: GracefulShutdownService[] = [];
  let server: Server;
  let port: number;
  let held: ServerResponse[];
  let lifecycle: LifecycleService;
  let appClose: jest.Mock<() => Promise<void>>;
  let logs: { log: string[]; error: string[]; warn: string[] };

  async function setUp(options: LifecycleModuleOptions = {}) {
    held = [];
    server = createServer((req, res) => {
      if (req.url?.startsWith('/hold')) held.push(res);
      else res.end(req.url);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
    const host = { httpAdapter: { getHttpServer: () => server } } as unknown as HttpAdapterHost;
    lifecycle = new LifecycleService(new HealthIndicatorService(), host);
    lifecycle.onApplicationBootstrap();
    await io();
    appClose = jest.fn(async () => undefined);
    const service = new GracefulShutdownService(
      resolveLifecycleOptions({ exitProcess: false, ...options }),
      lifecycle,
    );
    attached.push(service);
    service.attach({ getHttpServer: () => server, close: appClose });
    return service;
  }

  beforeEach(() => {
    logs = { log: [], error: [], warn: [] };
    for (const level of ['log', 'error', 'warn'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation((message: unknown) => {
        logs[level].push(String(message));
      });
    }
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  });

  afterEach(() => {
    // every test's signal handlers go, as the application's shutdown removes them
    for (const service of attached.splice(0)) service.onApplicationShutdown();
    jest.useRealTimers();
    jest.restoreAllMocks();
    server?.closeAllConnections();
    server?.close();
    process.exitCode = undefined;
  });

  it('applies the ALB-friendly server timeouts on attach', async () => {
    await setUp();
    expect(server.keepAliveTimeout).toBe(65_000);
    expect(server.headersTimeout).toBe(66_000);
    expect(server.requestTimeout).toBe(120_000);
  });

  it('tells keep-alive callers to reconnect during the delay (Connection: close), by default', async () => {
    // Issue 13: a caller with no balancer in front (service to service through a ClusterIP)
    // keeps its connection to a draining pod until closing cuts it; told to close after each
    // response, it reconnects, and its new connection goes to the Service's other endpoints.
    const service = await setUp({ shutdownDelayMs: 5_000 });
    const keepAlive = new Agent({ keepAlive: true });
    expect((await get(port, '/before', keepAlive)).headers.connection).not.toBe('close');
    const drained = service.shutdown('SIGTERM');
    const during = await get(port, '/during-delay', keepAlive);
    expect([during.statusCode, during.headers.connection]).toEqual([200, 'close']);
    await jest.advanceTimersByTimeAsync(5_000);
    expect(await drained).toBe(0);
    keepAlive.destroy();
  });

  it('turns readiness down at once and keeps serving for the whole delay', async () => {
    const service = await setUp({ shutdownDelayMs: 5_000, closeKeepAliveWhileDraining: false });
    expect(lifecycle.state).toBe('ready');
    const drained = service.shutdown('SIGTERM');
    expect(lifecycle.state).toBe('draining');
    expect(lifecycle.readiness()).toEqual({ lifecycle: { status: 'down', state: 'draining' } });
    expect(lifecycle.liveness()).toEqual({ lifecycle: { status: 'up', state: 'draining' } });

    await jest.advanceTimersByTimeAsync(4_999);
    expect(server.listening).toBe(true);
    const keepAlive = new Agent({ keepAlive: true });
    const during = await get(port, '/during-delay', keepAlive);
    expect(during.statusCode).toBe(200);
    expect(during.headers.connection).not.toBe('close');

    await jest.advanceTimersByTimeAsync(1);
    expect(server.listening).toBe(false);
    expect(await drained).toBe(0);
    expect(appClose).toHaveBeenCalledTimes(1);
    expect(lifecycle.state).toBe('closed');
    expect(process.exitCode).toBe(0);
    expect(logs.log).toEqual([
      'ready',
      'SIGTERM: draining, readiness is down; serving for 5000 ms more (0 request(s) in flight)',
      // the idle keep-alive connection is closed by the server, not left to time out
      'closing: no new connections; 0 request(s) in flight on 1 connection(s)',
      expect.stringMatching(/^closed in \d+ ms$/),
    ]);
    keepAlive.destroy();
  });

  it('lets in-flight requests finish, with Connection: close, before closing the app', async () => {
    const service = await setUp({ shutdownDelayMs: 1_000, shutdownTimeoutMs: 10_000 });
    const inFlight = get(port, '/hold');
    while (held.length < 1) await io();
    const drained = service.shutdown('SIGTERM');
    await jest.advanceTimersByTimeAsync(1_000);
    expect(lifecycle.state).toBe('closing');
    await jest.advanceTimersByTimeAsync(3_000);
    expect(appClose).not.toHaveBeenCalled();

    held[0].end('finished');
    const response = await inFlight;
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('finished');
    expect(response.headers.connection).toBe('close');
    expect(await drained).toBe(0);
    expect(appClose).toHaveBeenCalledTimes(1);
  });

  it('exits 1 and names what was still open when the timeout passes', async () => {
    const service = await setUp({ shutdownDelayMs: 0, shutdownTimeoutMs: 2_000 });
    const stuck = get(port, '/hold').catch((error: Error) => error);
    while (held.length < 1) await io();
    const drained = service.shutdown('SIGTERM');
    await jest.advanceTimersByTimeAsync(1_999);
    expect(lifecycle.state).toBe('closing');
    await jest.advanceTimersByTimeAsync(1);
    expect(await drained).toBe(1);
    expect(process.exitCode).toBe(1);
    expect(logs.error).toEqual([
      expect.stringMatching(
        /^shutdown timed out after 2000 ms with 1 request\(s\) in flight: GET \/hold \(\d+ ms\) and 1 connection\(s\) open$/,
      ),
    ]);
    expect(String(await stuck)).toMatch(/socket hang up|ECONNRESET/);
  });

  it('keeps the timed-out report to one bounded line however many requests are open', async () => {
    const service = await setUp({ shutdownDelayMs: 0, shutdownTimeoutMs: 2_000 });
    const long = `/hold/${'x'.repeat(4_000)}`;
    const stuck = Array.from({ length: 60 }, () => get(port, long).catch((e: Error) => e));
    while (held.length < 60) await io();
    const drained = service.shutdown('SIGTERM');
    await jest.advanceTimersByTimeAsync(2_000);
    expect(await drained).toBe(1);
    expect(logs.error).toHaveLength(1);
    const [line] = logs.error;
    expect(line).toMatch(/^shutdown timed out after 2000 ms with 60 request\(s\) in flight: GET /);
    expect(line).toContain(`, … and ${60 - MAX_DESCRIBED_REQUESTS} more and 60 connection(s) open`);
    expect(line.length).toBeLessThan(8 * 1024); // container runtimes split lines at 16 KiB
    await Promise.all(stuck);
  });

  it('runs the drain once when signals repeat', async () => {
    const service = await setUp({ shutdownDelayMs: 1_000 });
    const first = service.shutdown('SIGTERM');
    const second = service.shutdown('SIGINT');
    expect(second).toBe(first);
    expect(logs.warn).toEqual(['SIGINT received while draining: the drain goes on']);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(await first).toBe(0);
    expect(appClose).toHaveBeenCalledTimes(1);
  });

  it('starts the drain on the configured signals and removes its handlers afterwards', async () => {
    const before = process.listenerCount('SIGUSR2');
    await setUp({ shutdownDelayMs: 10, signals: ['SIGUSR2'] });
    expect(process.listenerCount('SIGUSR2')).toBe(before + 1);
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(lifecycle.state).toBe('draining');
    await jest.advanceTimersByTimeAsync(10);
    while (lifecycle.state !== 'closed') await io();
    expect(process.listenerCount('SIGUSR2')).toBe(before);
  });

  it('refuses a second attach and a shutdown before attach', async () => {
    const service = await setUp();
    expect(() => service.attach({ getHttpServer: () => server, close: appClose })).toThrow(
      `'attach' was called twice: call listenWithLifecycle() or attach() once per application`,
    );
    const detached = new GracefulShutdownService(resolveLifecycleOptions(), lifecycle);
    expect(() => detached.shutdown('SIGTERM')).toThrow(
      `'shutdown' (SIGTERM) needs an attached application: call listenWithLifecycle(app, port) instead of app.listen(port)`,
    );
  });
});
