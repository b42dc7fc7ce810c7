import { READINESS_PATH, ServiceEnv } from '@stayup/contract';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { spawnArgsInCgroup, type PodCgroup } from './cgroup.js';
import { httpRequest } from './http-client.js';
import { freePort } from './ports.js';
import { rssMb } from './proc.js';

/** Where `npx nx build api` writes the service (a contract other tools rely on). */
export const API_BUNDLE = 'dist/apps/api/main.js';

/** Options of {@link ApiProcess.start}. */
export interface ApiProcessOptions {
  /** Value of PORT. */
  readonly port: number;
  /** Value of METRICS_PORT. @default a free port */
  readonly metricsPort?: number;
  /** Extra environment variables; HOST defaults to 127.0.0.1 here. @default {} */
  readonly env?: Record<string, string>;
  /** The script to run. @default dist/apps/api/main.js under the working directory */
  readonly entry?: string;
  /**
   * `'unread'`: the child's stdout pipe is never read, as a stalled log shipper leaves it; once
   * its buffer fills, the child's writes to stdout find it full. stderr is kept either way.
   * @default 'collect' (lines kept in {@link ApiProcess.stdout})
   */
  readonly stdout?: 'collect' | 'unread';
  /** Cgroups with a pod's limits to run in ({@link podCgroup}). @default none */
  readonly cgroup?: PodCgroup;
}

/** How a process ended. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** The built API running as a real child process, its output kept line by line. */
export class ApiProcess {
  private static readonly live = new Set<ApiProcess>();

  /** SIGKILLs every process started and still running (test clean-up after a failure). */
  static async killAll(): Promise<void> {
    const running = [...ApiProcess.live];
    for (const p of running) p.kill('SIGKILL');
    await Promise.all(running.map((p) => p.exited));
  }

  /** Lines written to stdout. */
  readonly stdout: string[] = [];
  /** Lines written to stderr. */
  readonly stderr: string[] = [];
  /** Resolves when the process exits. */
  readonly exited: Promise<ProcessExit>;
  /** When the process was spawned (`performance.now()`). */
  readonly spawnedAt = performance.now();
  private exit?: ProcessExit;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    /** METRICS_PORT of the process. */
    readonly metricsPort: number,
    stdout: 'collect' | 'unread',
  ) {
    // an unread stream stays paused (no 'data' listener): the pipe fills and stays full
    if (stdout === 'collect') collectLines(child.stdout, this.stdout);
    collectLines(child.stderr, this.stderr);
    ApiProcess.live.add(this);
    this.exited = new Promise((done) =>
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        ApiProcess.live.delete(this);
        done(this.exit);
      }),
    );
  }

  /** Spawns `node <entry>` with the given environment. */
  static async start(options: ApiProcessOptions): Promise<ApiProcess> {
    const entry = resolve(options.entry ?? API_BUNDLE);
    if (!existsSync(entry)) {
      throw new Error(`${entry} does not exist: run \`npx nx build api\` first`);
    }
    let metricsPort = options.metricsPort ?? (await freePort());
    // the OS may hand out the port just picked for PORT again, before the process binds it
    while (options.metricsPort === undefined && metricsPort === options.port) {
      metricsPort = await freePort();
    }
    const procs = options.cgroup?.procs ?? [];
    const [command, args] =
      procs.length > 0
        ? ['/bin/sh', spawnArgsInCgroup(procs, [entry])]
        : [process.execPath, [entry]];
    const child = spawn(command, args, {
      env: {
        PATH: process.env.PATH ?? '',
        [ServiceEnv.host]: '127.0.0.1',
        [ServiceEnv.port]: String(options.port),
        [ServiceEnv.metricsPort]: String(metricsPort),
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ApiProcess(child, options.port, metricsPort, options.stdout ?? 'collect');
  }

  /**
   * Starts the API on a free port with `env` and waits until `/ready` answers 200; then
   * {@link stop} sends SIGTERM and resolves with the exit.
   */
  static async startReady(env: Record<string, string> = {}): Promise<ApiProcess> {
    const api = await ApiProcess.start({ port: await freePort(), env });
    await api.waitForReady();
    return api;
  }

  /** SIGTERM, then the exit (SIGKILL after `timeoutMs`). */
  async stop(timeoutMs = 30_000): Promise<ProcessExit> {
    this.kill('SIGTERM');
    return this.waitForExit(timeoutMs);
  }

  /** Base URL of the service. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Process id. */
  get pid(): number {
    return this.child.pid ?? -1;
  }

  /**
   * With `stdout: 'unread'`: reads the pipe from where it stands to its end (the process has
   * exited or closes it), as a log shipper that resumes would.
   */
  readUnreadStdout(): Promise<Buffer> {
    const stream = this.child.stdout;
    if (!stream) return Promise.resolve(Buffer.alloc(0));
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    const closed = new Promise<Buffer>((done) =>
      stream.once('close', () => done(Buffer.concat(chunks))),
    );
    stream.resume();
    return closed;
  }

  /** Resident set size in MB (Linux /proc). */
  rssMb(): Promise<number> {
    return rssMb(this.pid);
  }

  /** Whether the process is still running. */
  get running(): boolean {
    return this.exit === undefined;
  }

  /** Sends a signal. */
  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.running) this.child.kill(signal);
  }

  /**
   * Polls `GET /ready` until it answers 200 and resolves with the milliseconds since spawn.
   * Rejects if the process exits first or `timeoutMs` passes.
   */
  async waitForReady(timeoutMs = 10_000, intervalMs = 5): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      if (!this.running) {
        throw new Error(
          `API exited (${JSON.stringify(this.exit)}) before ready:\n${this.output()}`,
        );
      }
      const status = await httpRequest(`${this.url}${READINESS_PATH}`, { timeoutMs: 1_000 }).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) return performance.now() - this.spawnedAt;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
    throw new Error(`API not ready after ${timeoutMs} ms:\n${this.output()}`);
  }

  /** Waits for the exit, killing the process with SIGKILL if it takes longer than `timeoutMs`. */
  async waitForExit(timeoutMs = 30_000): Promise<ProcessExit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.kill('SIGKILL');
        reject(new Error(`API did not exit within ${timeoutMs} ms:\n${this.output()}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The JSON log records written to stdout (lines that are not JSON are skipped). */
  logRecords(): Array<Record<string, unknown>> {
    return this.stdout.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  }

  /**
   * Waits until a log record's `msg` matches (the API writes logs in batches, up to 20 ms late).
   */
  async waitForLog(pattern: RegExp, timeoutMs = 5_000): Promise<Record<string, unknown>> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const found = this.logRecords().find((r) => pattern.test(String(r.msg)));
      if (found) return found;
      if (performance.now() > deadline) {
        throw new Error(`no log line matching ${pattern} after ${timeoutMs} ms:\n${this.output()}`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** stdout and stderr, for failure messages. */
  output(): string {
    return [...this.stdout, ...this.stderr].join('\n');
  }
}

function collectLines(stream: NodeJS.ReadableStream | null, into: string[]): void {
  if (!stream) return;
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    into.push(...lines);
  });
  stream.on('end', () => {
    if (partial) into.push(partial);
  });
}
