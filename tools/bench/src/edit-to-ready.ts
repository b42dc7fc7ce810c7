// The development loop's edit-to-ready time: starts `nx serve api` (the watch mode,
// tools/build/serve-node-app.mjs), waits for GET /ready 200, then edits a source file several
// times and measures, for each edit, the time from the write to the new process answering /ready.
//
// The edits alternate between appending a comment and restoring the original text, so the file is
// back as it was after an even number of edits, and is restored on any exit in between (an error,
// Ctrl+C, SIGTERM, SIGHUP). A file that someone else changes meanwhile is left alone and the run
// stops.
//
// Which process answers: the watcher prints "[serve] started pid N" only once the previous process
// has exited, so a /ready request sent after that line can only reach the new one.
//
// Usage: node tools/bench/edit-to-ready.mjs [--edits 6] [--file <path>] [--direct]
//   (bundles this file, then runs it; see README.md)
//   --direct  runs the serve target's command (apps/api/project.json) without Nx in between
import { READINESS_PATH, ServiceEnv } from '@stayup/contract';
import { freePort, waitForStatus } from '@stayup/harness';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

const options = { edits: 6, file: 'apps/api/src/hello/hello.controller.ts', direct: false };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--edits') options.edits = Number(argv[++i]);
  else if (argv[i] === '--file') options.file = argv[++i] ?? '';
  else if (argv[i] === '--direct') options.direct = true;
  else {
    console.error('usage: edit-to-ready.mjs [--edits n] [--file path] [--direct]');
    process.exit(2);
  }
}
if (!Number.isInteger(options.edits) || options.edits < 2 || options.edits % 2) {
  console.error('--edits must be an even number >= 2 (every other edit restores the file)');
  process.exit(2);
}

const STARTUP_TIMEOUT_MS = 180_000;
const EDIT_TIMEOUT_MS = 60_000;
const POLL_MS = 5;
const LOOPBACK = '127.0.0.1';

const original = readFileSync(options.file, 'utf8');
/** What the file holds as far as this script knows (what it last wrote). */
let expected = original;

/** Puts the original text back, unless someone else changed the file meanwhile. */
function restore(): void {
  if (expected === original) return;
  if (readFileSync(options.file, 'utf8') === expected) writeFileSync(options.file, original);
  else console.error(`${options.file} was changed by someone else meanwhile: left as it is`);
  expected = original;
}
// the last resort: whatever ends the process from here on (restore is synchronous)
process.on('exit', restore);

/** `nx serve api`, or with --direct the command of its serve target, run without Nx. */
function serveCommand(): [string, string[]] {
  if (!options.direct) return ['npx', ['nx', 'run', 'api:serve', '--outputStyle=stream']];
  const project = JSON.parse(readFileSync('apps/api/project.json', 'utf8')) as {
    targets: { serve: { command: string } };
  };
  const [node, ...args] = project.targets.serve.command.split(/\s+/);
  if (node !== 'node') throw new Error(`the serve target runs ${node}, not node: use Nx`);
  return [process.execPath, args];
}

const [port, metricsPort] = await Promise.all([freePort(), freePort()]);
const [command, commandArgs] = serveCommand();
console.log(
  `$ ${ServiceEnv.port}=${port} ${ServiceEnv.metricsPort}=${metricsPort} ${command} ${commandArgs.join(' ')}`,
);
const serve = spawn(command, commandArgs, {
  // its own process group: stopped below as a terminal's Ctrl+C would stop it
  detached: true,
  stdio: ['ignore', 'pipe', 'pipe'],
  env: {
    ...process.env,
    [ServiceEnv.port]: String(port),
    [ServiceEnv.metricsPort]: String(metricsPort),
    [ServiceEnv.host]: LOOPBACK,
  },
});
const serveGroup = -(serve.pid ?? 0);
let serveExited = false;
/** Rejects once the watcher has exited (raced against the waits below). */
const serveExit = new Promise<never>((_, reject) =>
  serve.once('exit', () => {
    serveExited = true;
    reject(new Error('the serve process exited'));
  }),
);
serveExit.catch(() => undefined); // handled where it is raced

/** Signals the watcher's whole process group; false if it is gone. */
function signalServe(signal: NodeJS.Signals): boolean {
  if (!serve.pid) return false;
  try {
    process.kill(serveGroup, signal);
    return true;
  } catch {
    return false; // gone already
  }
}

interface Line {
  readonly at: number;
  readonly text: string;
}

/** The watcher's lines, as they arrive. */
const lines: Line[] = [];
const waiters = new Set<(line: Line) => void>();
for (const stream of [serve.stdout, serve.stderr]) {
  createInterface({ input: stream }).on('line', (raw) => {
    // Nx prefixes each line with "api: " (and colours it on a terminal)
    // eslint-disable-next-line no-control-regex
    const text = raw.replace(/\x1b\[[0-9;]*m/g, '').replace(/^api: /, '');
    const line = { at: performance.now(), text };
    if (text.startsWith('[serve]') || text.startsWith('✘')) console.log(`    ${text}`);
    lines.push(line);
    for (const waiter of waiters) waiter(line);
  });
}

/** Resolves with the first line (already received after `since`, or to come) matching `re`. */
function nextLine(re: RegExp, since: number, timeoutMs: number): Promise<Line> {
  const seen = lines.find((l) => l.at >= since && re.test(l.text));
  if (seen) return Promise.resolve(seen);
  const next = new Promise<Line>((resolveLine, reject) => {
    const timer = setTimeout(() => {
      waiters.delete(waiter);
      reject(new Error(`no line matching ${re} within ${timeoutMs} ms`));
    }, timeoutMs);
    const waiter = (line: Line) => {
      if (line.at >= since && re.test(line.text)) {
        clearTimeout(timer);
        waiters.delete(waiter);
        resolveLine(line);
      }
    };
    waiters.add(waiter);
  });
  return Promise.race([next, serveExit]);
}

const STARTED = /^\[serve\] started pid (\d+)/;

function startedPid(line: Line): number {
  return Number(STARTED.exec(line.text)?.[1]);
}

/** Polls GET /ready on a new connection each time until 200; resolves with the time of the 200. */
async function ready(timeoutMs: number): Promise<number> {
  if (serveExited) throw new Error('the serve process exited');
  const answered = await Promise.race([
    waitForStatus(`http://${LOOPBACK}:${port}${READINESS_PATH}`, {
      timeoutMs,
      intervalMs: POLL_MS,
    }),
    serveExit,
  ]);
  if (!answered) throw new Error(`${READINESS_PATH} did not answer 200 within ${timeoutMs} ms`);
  return performance.now();
}

function portIsFree(p: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const server = createServer()
      .once('error', () => resolveFree(false))
      .listen(p, LOOPBACK, () => server.close(() => resolveFree(true)));
  });
}

/** Sends SIGINT to the whole group (a terminal's Ctrl+C), waits for it to exit. */
async function stopServe(): Promise<void> {
  if (serveExited) return;
  const exited = serveExit.catch(() => undefined);
  if (!signalServe('SIGINT')) return;
  const timer = setTimeout(() => {
    console.error('still running 20 s after SIGINT: SIGKILL');
    signalServe('SIGKILL');
  }, 20_000);
  await exited;
  clearTimeout(timer);
}

/** The middle value, or the mean of the two middle ones. */
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const ms = (x: number) => `${Math.round(x)} ms`;
const sleep = (delayMs: number) => new Promise((r) => setTimeout(r, delayMs));

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    restore();
    signalServe('SIGKILL');
    process.exit(130);
  });
}

interface EditResult {
  readonly edit: 'append a comment' | 'restore';
  /** From the write to /ready 200 from the new process. */
  readonly total: number;
  /** The watcher's "built in N ms". */
  readonly build: number;
  /** The watcher's "stopped in N ms" (SIGTERM to the old process's exit). */
  readonly stop: number;
  /** From the "started pid" line to /ready 200. */
  readonly startToReady: number;
  /** Builds between the write and the start (more than one: another change came in). */
  readonly builds: number;
}

const results: EditResult[] = [];
let status = 0;
try {
  const launched = performance.now();
  let pid = startedPid(await nextLine(STARTED, 0, STARTUP_TIMEOUT_MS));
  const firstReady = await ready(STARTUP_TIMEOUT_MS);
  console.log(`first start: ready after ${ms(firstReady - launched)} (pid ${pid})`);
  // let the first process settle (warm-up, first GC) before the first edit
  await sleep(1000);

  for (let edit = 1; edit <= options.edits; edit++) {
    if (readFileSync(options.file, 'utf8') !== expected) {
      throw new Error(`${options.file} was changed by someone else meanwhile: stopping`);
    }
    const append = edit % 2 === 1;
    const next = append ? `${original}// edit-to-ready ${edit} ${Date.now()}\n` : original;
    const written = performance.now();
    writeFileSync(options.file, next);
    expected = next;
    const started = await nextLine(
      new RegExp(`^\\[serve\\] started pid (?!${pid}\\b)(\\d+)`),
      written,
      EDIT_TIMEOUT_MS,
    );
    const readyAt = await ready(EDIT_TIMEOUT_MS);
    const newPid = startedPid(started);
    const since = lines.filter((l) => l.at >= written && l.at <= started.at);
    const built = since.map((l) => /built in (\d+) ms/.exec(l.text)).find(Boolean);
    const stopped = since.map((l) => /stopped in (\d+) ms/.exec(l.text)).find(Boolean);
    const builds = since.filter((l) => /^\[serve\] (built in|build failed)/.test(l.text)).length;
    const result: EditResult = {
      edit: append ? 'append a comment' : 'restore',
      total: readyAt - written,
      build: built ? Number(built[1]) : NaN,
      stop: stopped ? Number(stopped[1]) : NaN,
      startToReady: readyAt - started.at,
      builds,
    };
    results.push(result);
    console.log(
      `edit ${edit} (${result.edit}): pid ${pid} -> ${newPid}, ready ${ms(result.total)} after the write` +
        (builds > 1 ? ` (${builds} builds: another change came in)` : ''),
    );
    pid = newPid;
    await sleep(1000);
  }
} catch (error) {
  console.error((error as Error).message);
  status = 1;
} finally {
  restore();
  const stopping = performance.now();
  await stopServe();
  const free = await portIsFree(port);
  console.log(
    `stopped (SIGINT to the process group) in ${ms(performance.now() - stopping)}; ` +
      `port ${port} ${free ? 'free' : 'STILL IN USE'}; ${options.file} restored`,
  );
  if (!free) status = 1;
}

if (results.length) {
  const summary = (key: 'total' | 'build' | 'stop' | 'startToReady') => {
    const xs = results.map((r) => r[key]).filter((x) => !Number.isNaN(x));
    if (!xs.length) return 'not reported';
    return `median ${ms(median(xs))}, range ${ms(Math.min(...xs))}–${ms(Math.max(...xs))}`;
  };
  console.log(`\nedit-to-ready over ${results.length} edits: ${summary('total')}`);
  console.log(`  rebuild (esbuild + tsc of the changed file + patch): ${summary('build')}`);
  console.log(`  stop the old process (SIGTERM to exit):              ${summary('stop')}`);
  console.log(
    `  start the new one to ${READINESS_PATH} 200:                     ${summary('startToReady')}`,
  );
}
process.exit(status);
