#!/usr/bin/env node
// Measures the development loop's edit-to-ready time: starts `nx serve api` (the watch mode,
// tools/build/serve-node-app.mjs), waits for GET /ready 200, then edits a source file several
// times and measures, for each edit, the time from the write to the new process answering /ready.
//
// The edits alternate between appending a comment and restoring the original text, so the file is
// back as it was after an even number of edits, and is restored on any exit in between. A file
// that someone else changes meanwhile is left alone and the run stops.
//
// Which process answers: the watcher prints "[serve] started pid N" only once the previous process
// has exited, so a /ready request sent after that line can only reach the new one.
//
// Usage: node tools/scripts/measure-edit-to-ready.mjs [--edits 6] [--file <path>] [--direct]
//   --direct  runs tools/build/serve-node-app.mjs without Nx in between
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

const options = { edits: 6, file: 'apps/api/src/hello/hello.controller.ts', direct: false };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--edits') options.edits = Number(argv[++i]);
  else if (argv[i] === '--file') options.file = argv[++i];
  else if (argv[i] === '--direct') options.direct = true;
  else {
    console.error('usage: measure-edit-to-ready.mjs [--edits n] [--file path] [--direct]');
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

const original = readFileSync(options.file, 'utf8');
/** What the file holds as far as this script knows (what it last wrote). */
let expected = original;

function restore() {
  if (expected === original) return;
  if (readFileSync(options.file, 'utf8') === expected) writeFileSync(options.file, original);
  else console.error(`${options.file} was changed by someone else meanwhile: left as it is`);
  expected = original;
}

const [port, metricsPort] = await Promise.all([freePort(), freePort()]);
const command = options.direct
  ? [process.execPath, ['tools/build/serve-node-app.mjs', 'apps/api/src/main.ts', 'tmp/serve/api']]
  : ['npx', ['nx', 'run', 'api:serve', '--outputStyle=stream']];
console.log(`$ PORT=${port} METRICS_PORT=${metricsPort} ${command[0]} ${command[1].join(' ')}`);
const serve = spawn(command[0], command[1], {
  // its own process group: stopped below as a terminal's Ctrl+C would stop it
  detached: true,
  stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, PORT: String(port), METRICS_PORT: String(metricsPort), HOST: '127.0.0.1' },
});
let serveExited = false;
serve.on('exit', () => (serveExited = true));

/** The watcher's lines, as they arrive: { at, text }. */
const lines = [];
const waiters = new Set();
for (const stream of [serve.stdout, serve.stderr]) {
  createInterface({ input: stream }).on('line', (raw) => {
    // Nx prefixes each line with "api: " (and colours it on a terminal)
    const text = raw.replace(/\x1b\[[0-9;]*m/g, '').replace(/^api: /, '');
    const line = { at: performance.now(), text };
    if (text.startsWith('[serve]') || text.startsWith('✘')) console.log(`    ${text}`);
    lines.push(line);
    for (const waiter of waiters) waiter(line);
  });
}

/** Resolves with the first line (already received after `since`, or to come) matching `re`. */
function nextLine(re, since, timeoutMs) {
  const seen = lines.find((l) => l.at >= since && re.test(l.text));
  if (seen) return Promise.resolve(seen);
  return new Promise((resolveLine, reject) => {
    const timer = setTimeout(() => {
      waiters.delete(waiter);
      reject(new Error(`no line matching ${re} within ${timeoutMs} ms`));
    }, timeoutMs);
    const waiter = (line) => {
      if (line.at >= since && re.test(line.text)) {
        clearTimeout(timer);
        waiters.delete(waiter);
        resolveLine(line);
      }
    };
    waiters.add(waiter);
  });
}

const STARTED = /^\[serve\] started pid (\d+)/;

/** Polls GET /ready on a new connection each time until 200; resolves with the time of the 200. */
async function ready(timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (serveExited) throw new Error('the serve process exited');
    if ((await getStatus('/ready')) === 200) return performance.now();
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  throw new Error(`/ready did not answer 200 within ${timeoutMs} ms`);
}

function getStatus(path) {
  return new Promise((resolveStatus) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => resolveStatus(res.statusCode));
    });
    req.on('error', () => resolveStatus(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = server.address();
      server.close(() => resolvePort(free));
    });
    server.on('error', reject);
  });
}

function portIsFree(p) {
  return new Promise((resolveFree) => {
    const server = createServer()
      .once('error', () => resolveFree(false))
      .listen(p, '127.0.0.1', () => server.close(() => resolveFree(true)));
  });
}

/** Sends SIGINT to the whole group (a terminal's Ctrl+C), waits for it to exit. */
async function stopServe() {
  if (serveExited) return;
  const exited = new Promise((r) => serve.once('exit', r));
  try {
    process.kill(-serve.pid, 'SIGINT');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    console.error('still running 20 s after SIGINT: SIGKILL');
    try {
      process.kill(-serve.pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }, 20_000);
  await exited;
  clearTimeout(timer);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x) => `${Math.round(x)} ms`;

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    restore();
    try {
      process.kill(-serve.pid, 'SIGKILL');
    } catch {
      // gone already
    }
    process.exit(130);
  });
}

const results = [];
let status = 0;
try {
  const launched = performance.now();
  let { text } = await nextLine(STARTED, 0, STARTUP_TIMEOUT_MS);
  let pid = Number(STARTED.exec(text)[1]);
  const firstReady = await ready(STARTUP_TIMEOUT_MS);
  console.log(`first start: ready after ${ms(firstReady - launched)} (pid ${pid})`);
  // let the first process settle (warm-up, first GC) before the first edit
  await new Promise((r) => setTimeout(r, 1000));

  for (let edit = 1; edit <= options.edits; edit++) {
    if (readFileSync(options.file, 'utf8') !== expected) {
      throw new Error(`${options.file} was changed by someone else meanwhile: stopping`);
    }
    const append = edit % 2 === 1;
    const next = append ? `${original}// measure-edit-to-ready ${edit} ${Date.now()}\n` : original;
    const written = performance.now();
    writeFileSync(options.file, next);
    expected = next;
    const started = await nextLine(
      new RegExp(`^\\[serve\\] started pid (?!${pid}\\b)(\\d+)`),
      written,
      EDIT_TIMEOUT_MS,
    );
    const readyAt = await ready(EDIT_TIMEOUT_MS);
    const newPid = Number(STARTED.exec(started.text)[1]);
    const since = lines.filter((l) => l.at >= written && l.at <= started.at);
    const built = since.map((l) => /built in (\d+) ms/.exec(l.text)).find(Boolean);
    const stopped = since.map((l) => /stopped in (\d+) ms/.exec(l.text)).find(Boolean);
    const builds = since.filter((l) => /^\[serve\] (built in|build failed)/.test(l.text)).length;
    results.push({
      edit: append ? 'append a comment' : 'restore',
      total: readyAt - written,
      build: built ? Number(built[1]) : NaN,
      stop: stopped ? Number(stopped[1]) : NaN,
      startToReady: readyAt - started.at,
      builds,
    });
    console.log(
      `edit ${edit} (${results.at(-1).edit}): pid ${pid} -> ${newPid}, ready ${ms(readyAt - written)} after the write` +
        (builds > 1 ? ` (${builds} builds: another change came in)` : ''),
    );
    pid = newPid;
    await new Promise((r) => setTimeout(r, 1000));
  }
} catch (error) {
  console.error(error.message);
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
  const column = (key) => results.map((r) => r[key]);
  const summary = (key) => {
    const xs = column(key).filter((x) => !Number.isNaN(x));
    return `median ${ms(median(xs))}, range ${ms(Math.min(...xs))}–${ms(Math.max(...xs))}`;
  };
  console.log(`\nedit-to-ready over ${results.length} edits: ${summary('total')}`);
  console.log(`  rebuild (esbuild + tsc of the changed file + patch): ${summary('build')}`);
  console.log(`  stop the old process (SIGTERM to exit):              ${summary('stop')}`);
  console.log(`  start the new one to /ready 200:                     ${summary('startToReady')}`);
}
process.exit(status);
