import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type INestApplication,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { HealthCheckService } from '@nestjs/terminus';
import { checkReadiness } from '../health/readiness-checks.js';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import {
  DEFAULT_LIVENESS_PATH,
  DEFAULT_READINESS_PATH,
  KUBERNETES_ENV,
  LIFECYCLE_OPTIONS,
  LIFECYCLE_ROUTES,
  type ProbeRoutes,
} from '../lifecycle.constants.js';
import type { ResolvedLifecycleOptions } from '../lifecycle-options.interface.js';
import { LifecycleService } from '../lifecycle.service.js';
import { ConnectionTracker } from '../private/connection-tracker.js';
import { LoadShedder, type ShedReason } from '../private/load-shedder.js';
import { createProbeResponder, type ProbeResponder } from '../private/probe-responder.js';
import type { ServerRequestHooks } from '../server-request-hooks.interface.js';
import { delay } from '../private/delay.js';

/** The part of a Nest application the shutdown sequence drives. */
export type ShutdownTarget = Pick<INestApplication, 'getHttpServer' | 'close'>;

/**
 * The drain sequence that lets Kubernetes replace a pod without failing a request:
 *
 * 1. on a shutdown signal, readiness goes down at once and the server keeps accepting and serving
 *    for `shutdownDelayMs`, while the load balancer deregisters the instance;
 * 2. then it stops accepting, closes idle keep-alive connections, answers what is left with
 *    `Connection: close`, and waits up to `shutdownTimeoutMs` for in-flight requests and for the
 *    application's own shutdown hooks;
 * 3. it exits 0, or, when the timeout passes, logs what was still open and exits 1.
 *
 * Liveness stays up throughout. Do not also call `app.enableShutdownHooks()`: Nest would close
 * the application the moment the signal arrives, skipping step 1.
 */
@Injectable()
export class GracefulShutdownService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Lifecycle');
  private readonly signalHandlers = new Map<NodeJS.Signals, () => void>();
  private app?: ShutdownTarget;
  private tracker?: ConnectionTracker;
  private shedder?: LoadShedder;
  private drain?: Promise<number>;
  private hooks: ServerRequestHooks = {};
  private warnedSignals = false;
  private readonly probes: ProbeResponder;

  constructor(
    @Inject(LIFECYCLE_OPTIONS) private readonly options: ResolvedLifecycleOptions,
    private readonly lifecycle: LifecycleService,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
    @Optional()
    @Inject(LIFECYCLE_ROUTES)
    routes: ProbeRoutes = {
      readinessPath: DEFAULT_READINESS_PATH,
      livenessPath: DEFAULT_LIVENESS_PATH,
    },
    @Optional() health?: HealthCheckService,
  ) {
    const indicators = options.readinessIndicators;
    this.probes = createProbeResponder(lifecycle, {
      ...routes,
      readinessFromStateAlone: indicators.length === 0,
      checkReadiness: health && (() => checkReadiness(health, lifecycle, indicators)),
    });
  }

  /**
   * Answers `req` if it is a probe (`GET`/`HEAD` on the liveness or the readiness path, the
   * readiness indicators run through terminus) with what terminus would answer, and returns true;
   * otherwise returns false and leaves `res` alone. The application's own server does this before
   * the framework; call it from another server to serve the probes on a port of their own (the
   * API's metrics port), where they never wait behind traffic: under overload, new connections
   * wait seconds on a saturated traffic port before the process reads them, and a kubelet probe is
   * one: the kubelet's prober opens a connection per probe (`DisableKeepAlives: true` in
   * kubernetes/kubernetes pkg/probe/http/http.go).
   */
  answerProbe(req: IncomingMessage, res: ServerResponse): boolean {
    return this.probes(req, res);
  }

  /** Requests received and not yet answered; 0 before {@link attach}. */
  get inFlightRequests(): number {
    return this.tracker?.inFlightCount ?? 0;
  }

  /**
   * Requests answered with 503 by load shedding (the `overload` option), by the bound they met:
   * `in_flight`, `connections`, `event_loop`. All zero when shedding is off or before {@link attach}.
   */
  get shedRequests(): Readonly<Record<ShedReason, number>> {
    return this.shedder?.shedCounts ?? { in_flight: 0, connections: 0, event_loop: 0 };
  }

  /**
   * Installs {@link ServerRequestHooks}: per-request work (request ids, early refusals, metrics,
   * access logs) that runs on the raw HTTP server together with the lifecycle's own tracking,
   * with no framework hook. Call it before {@link attach}.
   */
  useServerRequestHooks(hooks: ServerRequestHooks): void {
    if (this.tracker) {
      throw new Error(
        `'useServerRequestHooks' must be called before the application listens: call it before listenWithLifecycle()`,
      );
    }
    this.hooks = hooks;
  }

  /**
   * Takes charge of `app`: applies the server timeouts, follows its connections and installs the
   * signal handlers. Call it once, before `app.listen()` ({@link listenWithLifecycle} does).
   */
  attach(app: ShutdownTarget): void {
    if (this.app) {
      throw new Error(
        `'attach' was called twice: call listenWithLifecycle() or attach() once per application`,
      );
    }
    this.app = app;
    if (this.options.localMode) {
      this.logger.log(
        `not in Kubernetes (${KUBERNETES_ENV} unset): no shutdown delay, so a restart frees the ` +
          `port at once; behind another load balancer set shutdownDelayMs, or detectKubernetes: false`,
      );
    }
    const taken = this.options.signals.filter((signal) => process.listenerCount(signal) > 0);
    if (taken.length > 0) this.warnOtherSignalHandlers(taken);
    const server = app.getHttpServer() as Server;
    server.keepAliveTimeout = this.options.keepAliveTimeoutMs;
    server.headersTimeout = this.options.headersTimeoutMs;
    server.requestTimeout = this.options.requestTimeoutMs;
    const { overload } = this.options;
    this.shedder = overload ? new LoadShedder(overload) : undefined;
    this.shedder?.start();
    this.tracker = new ConnectionTracker(server, {
      hooks: this.hooks,
      probes: this.probes,
      shedder: this.shedder,
    });
    for (const signal of this.options.signals) {
      const handler = (): void => {
        if (process.listenerCount(signal) > 1) this.warnOtherSignalHandlers([signal]);
        void this.shutdown(signal);
      };
      this.signalHandlers.set(signal, handler);
      process.on(signal, handler);
    }
  }

  /**
   * Runs the drain sequence once; later calls return the same promise. Resolves with the exit
   * code (0 after a clean drain, 1 after a timeout); exits the process with it unless
   * `exitProcess` is off.
   */
  shutdown(reason: string): Promise<number> {
    if (this.drain) {
      this.logger.warn(`${reason} received while ${this.lifecycle.state}: the drain goes on`);
      return this.drain;
    }
    if (!this.app || !this.tracker) {
      throw new Error(
        `'shutdown' (${reason}) needs an attached application: call listenWithLifecycle(app, port) ` +
          `instead of app.listen(port)`,
      );
    }
    this.drain = this.run(reason, this.app, this.tracker);
    return this.drain;
  }

  /**
   * `app.enableShutdownHooks()` (or any other handler of the drain's signals) closes the
   * application the moment the signal arrives (Nest 12's `listenToShutdownSignals` adds a
   * `process.on(signal, cleanup)` that calls `app.close()`, nest-application-context.js): readiness never goes down first and in-flight
   * requests are cut. Said once, at attach or when the signal arrives.
   */
  private warnOtherSignalHandlers(signals: readonly NodeJS.Signals[]): void {
    if (this.warnedSignals) return;
    this.warnedSignals = true;
    this.logger.warn(
      `${signals.join(', ')} already has another handler (app.enableShutdownHooks()?): if it ` +
        `closes the application, it does so at once and skips the drain (no delay, requests cut). ` +
        `Remove app.enableShutdownHooks(): the drain closes the application itself, running the ` +
        `same onModuleDestroy/beforeApplicationShutdown/onApplicationShutdown hooks`,
    );
  }

  /**
   * Nest calls it (`OnApplicationBootstrap`): warns when the application listens without {@link attach} (a plain `app.listen()`
   * while the module is imported): then nothing drains on SIGTERM.
   */
  onApplicationBootstrap(): void {
    const server = this.adapterHost?.httpAdapter?.getHttpServer?.() as Server | undefined;
    if (!server || typeof server.once !== 'function') return;
    server.once('listening', () => {
      if (this.app) return;
      this.logger.warn(
        `the application was started with app.listen(): the drain is not installed (SIGTERM ` +
          `stops it at once, readiness never goes down first, in-flight requests are cut) and ` +
          `the probes go through the framework. Start it with listenWithLifecycle(app, port) ` +
          `from @stayup/nest-lifecycle`,
      );
    });
  }

  /** Nest calls it (`OnApplicationShutdown`): removes the signal handlers when the application closes by other means. */
  onApplicationShutdown(): void {
    this.shedder?.stop();
    for (const [signal, handler] of this.signalHandlers) process.off(signal, handler);
    this.signalHandlers.clear();
  }

  private async run(reason: string, app: ShutdownTarget, tracker: ConnectionTracker) {
    const { shutdownDelayMs, shutdownTimeoutMs, exitProcess } = this.options;
    this.lifecycle.transition('draining');
    if (this.options.closeKeepAliveWhileDraining) tracker.endKeepAlive();
    this.logger.log(
      `${reason}: draining, readiness is down; serving for ${shutdownDelayMs} ms more ` +
        `(${tracker.inFlightCount} request(s) in flight)`,
    );
    await delay(shutdownDelayMs);

    this.lifecycle.transition('closing');
    this.logger.log(
      `closing: no new connections; ${tracker.inFlightCount} request(s) in flight on ` +
        `${tracker.connectionCount} connection(s)`,
    );
    const started = Date.now();
    const deadline = new AbortController();
    const closed = await Promise.race([
      tracker
        .close()
        .then(() => app.close())
        .then(() => true),
      delay(shutdownTimeoutMs, deadline.signal).then(() => false),
    ]);
    deadline.abort();

    let code = 0;
    if (closed) {
      this.logger.log(`closed in ${Date.now() - started} ms`);
    } else {
      code = 1;
      // bounded: the oldest few requests and a count (see describeInFlight)
      const count = tracker.inFlightCount;
      this.logger.error(
        `shutdown timed out after ${shutdownTimeoutMs} ms with ${count} request(s) in flight` +
          `${count ? `: ${tracker.describeInFlight().join(', ')}` : ''} and ` +
          `${tracker.connectionCount} connection(s) open`,
      );
      tracker.destroyAll();
    }
    this.lifecycle.transition('closed');
    this.onApplicationShutdown();
    process.exitCode = code;
    if (exitProcess) process.exit(code);
    return code;
  }
}
