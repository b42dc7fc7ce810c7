import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { Server } from 'node:http';
import type { LifecycleState } from './lifecycle-state.js';

/** A unit of start-up work that must finish before the service reports ready. */
export interface StartupTask {
  /** Shown in logs and in the readiness body while it runs. */
  readonly name: string;
  /** The work; a rejection marks the service `failed`. */
  readonly run: () => Promise<void>;
}

type StateListener = (state: LifecycleState, previous: LifecycleState) => void;

/**
 * The lifecycle state of the service and the probes that report it.
 *
 * The service becomes `ready` once its HTTP server is listening and every startup task registered
 * with {@link addStartupTask} has finished; the shutdown sequence moves it on from there.
 */
@Injectable()
export class LifecycleService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Lifecycle');
  private readonly startupTasks: StartupTask[] = [];
  private readonly pendingTasks = new Set<string>();
  private readonly listeners: StateListener[] = [];
  private current: LifecycleState = 'starting';
  private failure?: string;

  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** The current state. */
  get state(): LifecycleState {
    return this.current;
  }

  /** Whether load balancers should route to this instance. */
  get isReady(): boolean {
    return this.current === 'ready';
  }

  /**
   * Registers work that must finish, after the server listens, before readiness goes up: warming
   * caches or connection pools, a self-test. Call it from a provider's constructor or
   * `onModuleInit`.
   */
  addStartupTask(name: string, run: () => Promise<void>): void {
    if (this.current !== 'starting' || this.pendingTasks.size > 0) {
      throw new Error(
        `'addStartupTask' ('${name}') must be called before the server starts listening: ` +
          `register it from a constructor or onModuleInit`,
      );
    }
    this.startupTasks.push({ name, run });
  }

  /** Calls `listener` on every state change. */
  onStateChange(listener: StateListener): void {
    this.listeners.push(listener);
  }

  /** Moves to `next`; a no-op when already there. Used by the shutdown sequence. */
  transition(next: LifecycleState): void {
    const previous = this.current;
    if (previous === next) return;
    this.current = next;
    for (const listener of this.listeners) listener(next, previous);
  }

  /** Nest calls it (`OnApplicationBootstrap`): starts the startup tasks once the HTTP server listens (or at once without one). */
  onApplicationBootstrap(): void {
    const server = this.adapterHost?.httpAdapter?.getHttpServer?.() as Server | undefined;
    if (server && typeof server.once === 'function' && !server.listening) {
      server.once('listening', () => void this.runStartupTasks());
    } else {
      void this.runStartupTasks();
    }
  }

  /** Runs the startup tasks in parallel, then marks the service ready (or failed). */
  async runStartupTasks(): Promise<void> {
    if (this.current !== 'starting') return;
    for (const task of this.startupTasks) this.pendingTasks.add(task.name);
    const started = Date.now();
    const results = await Promise.allSettled(
      this.startupTasks.map(async (task) => {
        await task.run();
        this.pendingTasks.delete(task.name);
      }),
    );
    if (this.current !== 'starting') return; // a signal arrived meanwhile
    const failed = results.flatMap((r, i) =>
      r.status === 'rejected' ? [`${this.startupTasks[i].name}: ${errorMessage(r.reason)}`] : [],
    );
    if (failed.length > 0) {
      this.failure = failed.join('; ');
      this.logger.error(`startup failed: ${this.failure}`);
      this.transition('failed');
      return;
    }
    this.transition('ready');
    this.logger.log(
      this.startupTasks.length > 0
        ? `ready after ${this.startupTasks.length} startup task(s) in ${Date.now() - started} ms`
        : 'ready',
    );
  }

  /** Terminus indicator for readiness: up only in the `ready` state. */
  readiness(): HealthIndicatorResult<'lifecycle'> {
    const session = this.indicators.check('lifecycle');
    if (this.current === 'ready') return session.up({ state: this.current });
    return session.down({
      state: this.current,
      ...(this.pendingTasks.size > 0 ? { pending: [...this.pendingTasks] } : {}),
      ...(this.failure ? { reason: this.failure } : {}),
    });
  }

  /** Terminus indicator for liveness: up in every state, with the state for humans. */
  liveness(): HealthIndicatorResult<'lifecycle'> {
    return this.indicators.check('lifecycle').up({ state: this.current });
  }
}

function errorMessage(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
