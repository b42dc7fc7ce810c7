// Helpers only the benchmarks have: spawning any `node` command line (optionally inside a memory
// cgroup) and timing it to its first 200, the image's environment, running wrk and parsing its
// report, CPU time from /proc. Free ports, the status polling and RSS come from @stayup/harness.
import { READINESS_PATH, ServiceEnv } from '@stayup/contract';
import {
  freePort,
  podCgroup,
  spawnArgsInCgroup,
  waitForStatus,
  type PodCgroup,
} from '@stayup/harness';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** A bare Node `http` server answering the API's /hello body: the ceiling of this machine. */
export const BARE_SERVER = `require('node:http').createServer((q, s) => {
  const body = '{"message":"Hello!"}';
  s.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  s.end(body);
}).listen(+process.env.PORT, '127.0.0.1')`;

/** A memory cgroup to start a server in: see {@link memoryCgroup}. */
export type MemoryCgroup = PodCgroup;

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /** The path polled until it answers 200. @default READINESS_PATH */
  readonly path?: string;
  /** Environment variables besides PATH, PORT, METRICS_PORT, HOST and SHUTDOWN_DELAY_MS=0. */
  readonly env?: Record<string, string>;
  /** The memory cgroup to start the server in. @default none */
  readonly cgroup?: MemoryCgroup;
}

/** A server started by {@link startServer}. */
export interface StartedServer {
  readonly child: ChildProcess;
  /** The server's process id (the shell's, which became node, in a cgroup). */
  readonly pid: number;
  readonly port: number;
  /** Milliseconds from spawn to the first 200. */
  readonly readyMs: number;
  /** SIGKILLs the server and resolves once it has exited. */
  stop(): Promise<void>;
}

/**
 * Spawns `node <args>` with PORT set, polls `path` every 2 ms and resolves with the server and the
 * milliseconds from spawn to the first 200. stdout and stderr go to /dev/null.
 */
export async function startServer(
  args: readonly string[],
  { path = READINESS_PATH, env = {}, cgroup }: StartServerOptions = {},
): Promise<StartedServer> {
  const port = await freePort();
  const metricsPort = await freePort(); // never the default 9464 a developer's `npm start` holds
  const started = performance.now();
  // in a cgroup: the shell joins it, then becomes node (same pid)
  const [command, argv] = cgroup?.procs
    ? ['/bin/sh', spawnArgsInCgroup(cgroup.procs, args)]
    : [process.execPath, [...args]];
  const child = spawn(command, argv, {
    env: {
      PATH: process.env.PATH,
      [ServiceEnv.port]: String(port),
      [ServiceEnv.metricsPort]: String(metricsPort),
      [ServiceEnv.host]: '127.0.0.1',
      [ServiceEnv.shutdownDelayMs]: '0',
      ...env,
    },
    stdio: 'ignore',
  });
  const ready = await waitForStatus(`http://127.0.0.1:${port}${path}`, {
    timeoutMs: 15_000,
    intervalMs: 2,
  });
  if (ready) {
    const readyMs = performance.now() - started;
    return { child, pid: child.pid ?? -1, port, readyMs, stop: () => stop(child) };
  }
  await stop(child);
  throw new Error(`${args.join(' ')} not ready after 15 s`);
}

/**
 * A memory cgroup limited to `limitMiB`, as Kubernetes puts a container with that memory limit in
 * (@stayup/harness's {@link podCgroup}). Node reads the limit at start-up and V8 sizes its heap
 * from it, so a process measured outside one sizes its young generation from the whole machine.
 */
export function memoryCgroup(limitMiB: number): PodCgroup {
  return podCgroup({ name: `stayup-bench-${limitMiB}`, memoryMiB: limitMiB });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

/**
 * The environment the API's image sets (`ENV` in the production stage of apps/api/Dockerfile), so
 * that the benchmarks run the API as it ships.
 */
export function imageEnv(dockerfile = 'apps/api/Dockerfile'): Record<string, string> {
  const text = readFileSync(dockerfile, 'utf8').replace(/\\\n\s*/g, ' ');
  const production = text.slice(text.search(/^FROM\s+\S+\s+AS\s+production\b/im));
  const env: Record<string, string> = {};
  for (const [, name, value] of production.matchAll(/^ENV\s+(\w+)=("[^"]*"|\S+)\s*$/gm)) {
    env[name] = value.replace(/^"|"$/g, '');
  }
  return env;
}

/** What {@link wrk} read from wrk's report. */
export interface WrkResult {
  /** Requests per second. */
  readonly rps: number;
  /** Median latency, ms. */
  readonly p50: number;
  /** 99th percentile latency, ms. */
  readonly p99: number;
  /** wrk's "Socket errors" line, if any. */
  readonly errors?: string;
  /** Responses other than 2xx or 3xx. */
  readonly non2xx: number;
}

/** Runs wrk and returns requests/s, p50 and p99 in ms, and the error counts. */
export function wrk(url: string, { threads = 1, connections = 32, seconds = 5 } = {}): WrkResult {
  const run = spawnSync(
    'wrk',
    [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--latency', url],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`wrk failed: ${run.stderr || run.error}`);
  const out = run.stdout;
  const toMs = (v: string, unit: string) =>
    Number(v) * ({ us: 0.001, ms: 1, s: 1000 } as Record<string, number>)[unit];
  const pct = (p: number) => {
    const m = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
    return m ? toMs(m[1], m[2]) : NaN;
  };
  const errors = /Socket errors: (.*)/.exec(out)?.[1];
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  if (!rps) throw new Error(`wrk printed no Requests/sec:\n${out}`);
  return {
    rps: Number(rps[1]),
    p50: pct(50),
    p99: pct(99),
    errors,
    non2xx,
  };
}

export const median = (xs: readonly number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function hasWrk(): boolean {
  return spawnSync('sh', ['-c', 'command -v wrk']).status === 0;
}

/** CPU time (user + system) a process has used, in milliseconds (Linux /proc, 10 ms ticks). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
