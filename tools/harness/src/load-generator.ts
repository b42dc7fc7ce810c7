import { Agent } from 'node:http';
import type { Socket } from 'node:net';
import { httpRequest } from './http-client.js';

/** Options of {@link LoadGenerator}. */
export interface LoadOptions {
  /** URL every request goes to. */
  readonly url: string;
  /** Concurrent clients, each on its own keep-alive connection. */
  readonly connections: number;
  /** Hard bound on the run, whatever else happens. @default 120000 */
  readonly maxDurationMs?: number;
  /** Hard bound on the number of requests. @default 5000000 */
  readonly maxRequests?: number;
  /** Per-request time-out. @default 5000 */
  readonly timeoutMs?: number;
}

/** What a run of the load generator saw. */
export interface LoadReport {
  /** Requests that got a response or an error. */
  readonly total: number;
  /** Responses with a 2xx status. */
  readonly ok: number;
  /** Everything that is not a 2xx response: other statuses and socket errors. */
  readonly failed: number;
  /** Count of responses per status code. */
  readonly statuses: Record<string, number>;
  /** Count of socket errors per code (ECONNRESET, ECONNREFUSED, timed out…). */
  readonly errors: Record<string, number>;
  /** TCP connections opened: more than `connections` means the server closed some. */
  readonly connectionsOpened: number;
  /** Responses that carried `Connection: close`. */
  readonly connectionClose: number;
  /** Wall time of the run in milliseconds. */
  readonly durationMs: number;
  /** Slowest answered request (response or error), in milliseconds. */
  readonly maxLatencyMs: number;
}

/**
 * A closed-loop HTTP load generator: `connections` clients, each sending its next request as soon
 * as the previous one is answered, on a keep-alive connection of its own. Every response and
 * every socket error is counted, so a run proves "zero failed requests" or shows what failed.
 * Bounded in time and in count; it stops by itself.
 */
export class LoadGenerator {
  private readonly statuses = new Map<number, number>();
  private readonly errors = new Map<string, number>();
  private readonly sockets = new WeakSet<Socket>();
  private readonly agents: Agent[] = [];
  private total = 0;
  private ok = 0;
  private opened = 0;
  private closeHeaders = 0;
  private maxLatencyMs = 0;
  private stopping = false;
  private startedAt = 0;
  private workers: Promise<void>[] = [];

  constructor(private readonly options: LoadOptions) {}

  /** Starts the clients. */
  start(): this {
    this.startedAt = performance.now();
    const deadline = this.startedAt + (this.options.maxDurationMs ?? 120_000);
    for (let i = 0; i < this.options.connections; i++) {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      this.agents.push(agent);
      this.workers.push(this.worker(agent, deadline));
    }
    return this;
  }

  /** The counts so far. */
  snapshot(): LoadReport {
    const fromMap = (m: Map<number | string, number>) =>
      Object.fromEntries([...m].map(([k, v]) => [String(k), v]));
    return {
      total: this.total,
      ok: this.ok,
      failed: this.total - this.ok,
      statuses: fromMap(this.statuses),
      errors: fromMap(this.errors),
      connectionsOpened: this.opened,
      connectionClose: this.closeHeaders,
      durationMs: Math.round(performance.now() - this.startedAt),
      maxLatencyMs: Math.round(this.maxLatencyMs),
    };
  }

  /** Lets every client finish its current request, then resolves with the report. */
  async stop(): Promise<LoadReport> {
    this.stopping = true;
    await Promise.all(this.workers);
    for (const agent of this.agents) agent.destroy();
    return this.snapshot();
  }

  private async worker(agent: Agent, deadline: number): Promise<void> {
    const maxRequests = this.options.maxRequests ?? 5_000_000;
    while (!this.stopping && performance.now() < deadline && this.total < maxRequests) {
      const sentAt = performance.now();
      try {
        const res = await httpRequest(this.options.url, {
          agent,
          timeoutMs: this.options.timeoutMs ?? 5_000,
          onSocket: (socket) => this.countSocket(socket),
        });
        this.statuses.set(res.status, (this.statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 200 && res.status < 300) this.ok++;
        if (res.headers.connection === 'close') this.closeHeaders++;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 10)); // do not spin on a refused port
      }
      this.maxLatencyMs = Math.max(this.maxLatencyMs, performance.now() - sentAt);
      this.total++;
    }
  }

  private countSocket(socket: Socket): void {
    if (!this.sockets.has(socket)) {
      this.sockets.add(socket);
      this.opened++;
    }
  }
}
