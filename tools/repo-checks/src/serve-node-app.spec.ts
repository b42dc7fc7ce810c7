import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

// tools/build/serve-node-app.mjs, the development loop behind `nx serve api`: on a change it
// rebuilds, stops the running API (SIGTERM, waits for it to exit) and starts the new build; a
// build that fails leaves the running one serving. Run on a copy of the API's sources under tmp/
// (the workspace libraries are read where they are), so no real source is edited.

const root = resolve(import.meta.dirname, '../../..');
const serveScript = join(root, 'tools/build/serve-node-app.mjs');
const WAIT_MS = 25_000;

interface Line {
  readonly text: string;
  readonly json?: { pid?: number; msg?: string };
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
    server.on('error', reject);
  });
}

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolveGet) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolveGet({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', () => resolveGet({ status: 0, body: '' }));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The pid in the watcher's "[serve] started pid N" line; NaN for any other line. */
const startedPid = (text: string) => Number(/^\[serve\] started pid (\d+)$/.exec(text)?.[1]);

describe('serve-node-app (nx serve api)', () => {
  let dir: string;
  let controller: string;
  let original: string;
  let port: number;
  let serve: ChildProcess;
  let exited: Promise<unknown>;
  const lines: Line[] = [];
  /** pid of every application process the watcher started */
  const started: number[] = [];

  /** The first line from index `from` on that matches, waiting for it up to WAIT_MS. */
  async function line(from: number, match: (l: Line) => boolean, what: string): Promise<Line> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const found = lines.slice(from).find(match);
      if (found) return found;
      if (Date.now() > deadline) {
        const output = lines.map((l) => l.text).join('\n');
        throw new Error(`no ${what} within ${WAIT_MS} ms; output:\n${output}`);
      }
      await sleep(50);
    }
  }

  /** The next application process started after line `from`, once it answers /ready 200. */
  async function nextProcess(from: number, previous?: number): Promise<number> {
    const { text } = await line(
      from,
      (l) => !Number.isNaN(startedPid(l.text)) && startedPid(l.text) !== previous,
      'new process',
    );
    const pid = startedPid(text);
    const deadline = Date.now() + WAIT_MS;
    while ((await get(port, '/ready')).status !== 200) {
      if (Date.now() > deadline) throw new Error(`/ready not 200 within ${WAIT_MS} ms`);
      await sleep(50);
    }
    // the application's own JSON log lines carry its pid
    await line(from, (l) => l.json?.pid === pid, `log line from pid ${pid}`);
    return pid;
  }

  const hello = async () => (await get(port, '/hello')).body;

  beforeAll(async () => {
    mkdirSync(join(root, 'tmp'), { recursive: true });
    // under the workspace, so that the copy resolves node_modules as the API does
    dir = mkdtempSync(join(root, 'tmp/serve-node-app-spec-'));
    cpSync(join(root, 'apps/api/src'), join(dir, 'src'), {
      recursive: true,
      filter: (source) => !source.endsWith('.spec.ts'),
    });
    controller = join(dir, 'src/hello/hello.controller.ts');
    original = readFileSync(controller, 'utf8');
    port = await freePort();
    serve = spawn(
      process.execPath,
      [
        serveScript,
        join(dir, 'src/main.ts'),
        join(dir, 'dist'),
        '--tsconfig',
        'tsconfig.base.json',
        // as the api:serve target passes it (apps/api/project.json)
        '--env-default',
        'SHUTDOWN_DELAY_MS=0',
      ],
      {
        cwd: root,
        // its own process group, so that afterAll can always clean up
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          PORT: String(port),
          METRICS_PORT: String(await freePort()),
          HOST: '127.0.0.1',
          LOG_LEVEL: 'info',
        },
      },
    );
    exited = new Promise((r) => serve.once('exit', r));
    for (const stream of [serve.stdout, serve.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (text) => {
        let json: Line['json'];
        try {
          json = text.startsWith('{') ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        lines.push({ text, json });
        if (!Number.isNaN(startedPid(text))) started.push(startedPid(text));
      });
    }
    await nextProcess(0);
  }, 60_000);

  afterAll(async () => {
    if (serve?.pid && serve.exitCode === null && serve.signalCode === null) {
      process.kill(-serve.pid, 'SIGKILL');
      for (const pid of started.filter(isRunning)) process.kill(pid, 'SIGKILL');
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('restarts on a change: the old process exits, a new one serves the new code', async () => {
    const before = started[started.length - 1];
    expect(await hello()).toBe('{"message":"Hello!"}');
    expect(original).toContain("'Hello!'");
    const from = lines.length;
    writeFileSync(controller, original.replace("'Hello!'", "'Hello, edited!'"));

    const after = await nextProcess(from, before);
    expect(lines.slice(from).map((l) => l.text)).toContain(
      `[serve] pid ${before} exited with code 0`,
    );
    expect(isRunning(before)).toBe(false);
    expect(await hello()).toBe('{"message":"Hello, edited!"}');
    expect(isRunning(after)).toBe(true);
  }, 60_000);

  it('keeps the previous build serving through a syntax error, restarts once fixed', async () => {
    const serving = started[started.length - 1];
    const good = readFileSync(controller, 'utf8');
    const from = lines.length;
    writeFileSync(controller, `${good}export const broken = ;\n`);

    await line(from, (l) => l.text.startsWith('[serve] build failed'), 'build failure');
    const output = lines.slice(from).map((l) => l.text);
    expect(output.join('\n')).toContain('Expression expected.');
    expect(output.join('\n')).toContain(`pid ${serving} keeps serving the last good build`);
    expect(output.filter((l) => l.startsWith('[serve] started pid'))).toEqual([]);
    expect(isRunning(serving)).toBe(true);
    expect(await hello()).toBe('{"message":"Hello, edited!"}');

    const fixed = lines.length;
    writeFileSync(controller, original);
    const next = await nextProcess(fixed, serving);
    expect(isRunning(serving)).toBe(false);
    expect(await hello()).toBe('{"message":"Hello!"}');
    expect(isRunning(next)).toBe(true);
  }, 60_000);

  it('stops the application with the watcher on SIGTERM', async () => {
    const running = started[started.length - 1];
    serve.kill('SIGTERM');
    await exited;
    expect(serve.exitCode).toBe(0);
    expect(isRunning(running)).toBe(false);
    expect(started.filter(isRunning)).toEqual([]);
  }, 30_000);
});
