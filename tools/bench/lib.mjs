// Helpers shared by the benchmarks: free ports, spawning a server and waiting for its first 200,
// reading a process's RSS, running wrk and parsing its report.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { dirname } from 'node:path';

/** A bare Node `http` server answering the API's /hello body: the ceiling of this machine. */
export const BARE_SERVER = `require('node:http').createServer((q, s) => {
  const body = '{"message":"Hello!"}';
  s.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  s.end(body);
}).listen(+process.env.PORT, '127.0.0.1')`;

export function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function status(port, path) {
  return new Promise((resolve) => {
    const req = request({ port, host: '127.0.0.1', path, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

/**
 * Spawns `node <args>` with PORT set, polls `path` every 2 ms and resolves with the server and the
 * milliseconds from spawn to the first 200. stdout and stderr go to /dev/null.
 */
export async function startServer(args, { path = '/ready', env = {}, cgroup } = {}) {
  const port = await freePort();
  const metricsPort = await freePort(); // never the default 9464 a developer's `npm start` holds
  const started = performance.now();
  // in a cgroup: the shell joins it, then becomes node (same pid)
  const [command, argv] = cgroup
    ? ['/bin/sh', ['-c', 'echo $$ > "$0" && exec "$@"', cgroup.procs, process.execPath, ...args]]
    : [process.execPath, args];
  const child = spawn(command, argv, {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      HOST: '127.0.0.1',
      SHUTDOWN_DELAY_MS: '0',
      ...env,
    },
    stdio: 'ignore',
  });
  while (performance.now() - started < 15_000) {
    if ((await status(port, path)) === 200) {
      return { child, port, readyMs: performance.now() - started, stop: () => stop(child) };
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  await stop(child);
  throw new Error(`${args.join(' ')} not ready after 15 s`);
}

/**
 * A memory cgroup limited to `limitMiB`, as Kubernetes puts a container with that memory limit in.
 * Node reads the limit at start-up (`process.constrainedMemory()`) and V8 sizes its heap from it,
 * so a process measured outside one sizes its young generation from the whole machine instead.
 * Needs root and a writable memory controller (cgroup v1, or v2 with memory enabled).
 * Returns `{ procs }` (the file to write a pid to) or `{ unavailable: reason }`.
 */
export function memoryCgroup(limitMiB) {
  const bytes = limitMiB * 1024 * 1024;
  const candidates = [
    { dir: `/sys/fs/cgroup/memory/stayup-bench-${limitMiB}`, limit: 'memory.limit_in_bytes' }, // v1
    {
      dir: `/sys/fs/cgroup/stayup-bench-${limitMiB}`,
      limit: 'memory.max',
      enable: '/sys/fs/cgroup/cgroup.subtree_control',
    }, // v2
  ];
  const reasons = [];
  for (const c of candidates) {
    try {
      if (!existsSync(dirname(c.dir))) throw new Error(`no ${dirname(c.dir)}`);
      if (c.enable) writeFileSync(c.enable, '+memory');
      mkdirSync(c.dir, { recursive: true });
      writeFileSync(`${c.dir}/${c.limit}`, String(bytes));
      const seen = spawnSync(
        '/bin/sh',
        [
          '-c',
          'echo $$ > "$0" && exec "$@"',
          `${c.dir}/cgroup.procs`,
          process.execPath,
          '-p',
          'process.constrainedMemory()',
        ],
        { encoding: 'utf8' },
      );
      if (Number(seen.stdout.trim()) !== bytes)
        throw new Error(`node saw ${seen.stdout.trim() || seen.stderr.trim()}`);
      return {
        procs: `${c.dir}/cgroup.procs`,
        /** Removes the cgroup; call once every process in it has exited. */
        release: () => rmdirSync(c.dir),
      };
    } catch (error) {
      reasons.push(`${c.dir}: ${error.message}`);
    }
  }
  return { unavailable: reasons.join('; ') };
}

async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

/**
 * The environment the API's image sets (`ENV` in the production stage of apps/api/Dockerfile), so
 * that the benchmarks run the API as it ships.
 */
export function imageEnv(dockerfile = 'apps/api/Dockerfile') {
  const text = readFileSync(dockerfile, 'utf8').replace(/\\\n\s*/g, ' ');
  const production = text.slice(text.search(/^FROM\s+\S+\s+AS\s+production\b/im));
  const env = {};
  for (const [, name, value] of production.matchAll(/^ENV\s+(\w+)=("[^"]*"|\S+)\s*$/gm)) {
    env[name] = value.replace(/^"|"$/g, '');
  }
  return env;
}

/** Resident set size of a process in MB (Linux /proc). */
export function rssMb(pid) {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

/** Runs wrk and returns requests/s, p50 and p99 in ms, and the error counts. */
export function wrk(url, { threads = 1, connections = 32, seconds = 5 } = {}) {
  const run = spawnSync(
    'wrk',
    [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--latency', url],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`wrk failed: ${run.stderr || run.error}`);
  const out = run.stdout;
  const toMs = (v, unit) => Number(v) * { us: 0.001, ms: 1, s: 1000 }[unit];
  const pct = (p) => {
    const m = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
    return m ? toMs(m[1], m[2]) : NaN;
  };
  const errors = /Socket errors: (.*)/.exec(out)?.[1];
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]),
    p50: pct(50),
    p99: pct(99),
    errors,
    non2xx,
  };
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function hasWrk() {
  return spawnSync('sh', ['-c', 'command -v wrk']).status === 0;
}

/** CPU time (user + system) a process has used, in milliseconds (Linux /proc, 10 ms ticks). */
export function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
