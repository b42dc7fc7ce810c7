#!/usr/bin/env node
// Development loop for a Node application bundled by bundle-node-app.mjs (`nx serve api`,
// `npm start`): builds, runs `node --enable-source-maps <outdir>/main.js`, and on every change to
// the bundle's own sources rebuilds and restarts it.
//
// - Watches the directories of the files the last build read (esbuild's metafile, outside
//   node_modules: for the API, apps/api/src and the workspace libraries it imports), plus the
//   tsconfig. A change to anything else in them (a spec, a README) is ignored.
// - Rebuilds through one esbuild context, with the options of the one-shot build: esbuild keeps
//   the module graph and tsc transpiles only the files whose text changed.
// - Restarts: SIGTERM to the old process, wait for it to exit (its ports are then free), start the
//   new one. `--env-default NAME=VALUE` sets a variable unless the caller's environment has it
//   (the API's serve target passes SHUTDOWN_DELAY_MS=0, so the drain does not hold the port). A
//   failed build leaves the old process serving; a bundle identical to the running one restarts
//   nothing.
// - Ctrl+C stops the application (same drain) and the watcher. The application's output passes
//   through untouched; the watcher's own lines go to stderr, prefixed with [serve].
//
// Usage: node tools/build/serve-node-app.mjs <entry.ts> <outdir> [--tsconfig <path>]
//        [--external <pkg> ...] [--env-default NAME=VALUE ...]
import { context } from 'esbuild';
import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import {
  bundleFiles,
  createNodeAppBundle,
  describeBundle,
  parseBundleArgs,
  writeBundleFiles,
} from './bundle-node-app.mjs';

/** Quiet time after a file event before building: one save often fires two or three events. */
const DEBOUNCE_MS = 15;
/** The application's own drain ends well before (SHUTDOWN_TIMEOUT_MS, 10 s by default). */
const KILL_AFTER_MS = 20_000;
/** On Ctrl+C the terminal signals the application too: let it stop before signalling it again. */
const INTERRUPT_GRACE_MS = 1_000;
const SOURCE = /\.([cm]?[jt]sx?|json)$/;

/** Variables given to the application unless the caller's environment sets them. */
const envDefaults = {};
const bundleArgv = [];
for (let i = 2; i < process.argv.length; i++) {
  const arg = process.argv[i];
  const pair =
    arg === '--env-default'
      ? /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(process.argv[++i] ?? '')
      : null;
  if (arg === '--env-default' && !pair) {
    console.error(`'--env-default' (${process.argv[i]}) must be NAME=VALUE`);
    process.exit(2);
  }
  if (pair) envDefaults[pair[1]] = pair[2];
  else bundleArgv.push(arg);
}
const args = parseBundleArgs(bundleArgv);
if (!args) {
  console.error(
    'usage: serve-node-app.mjs <entry.ts> <outdir> [--tsconfig p] [--external pkg] [--env-default NAME=VALUE]',
  );
  process.exit(2);
}
const tsconfig = resolve(args.tsconfigPath);
const say = (message) => process.stderr.write(`[serve] ${message}\n`);

let bundle = createNodeAppBundle(args);
let esbuild = await context(bundle.options);

/** Absolute paths of the files the last successful build read, outside node_modules. */
let inputs = new Set();
let lastBuildFailed = false;
/** What the running application was built from: path → contents. */
let running = new Map();
/** The application process: { proc, exited: Promise, stopping } while it has not exited. */
let app;
let stopping = false;

// ---- application process ----------------------------------------------------------------------

function startApp() {
  const proc = spawn(process.execPath, ['--enable-source-maps', join(args.outdir, 'main.js')], {
    stdio: 'inherit',
    env: { ...envDefaults, ...process.env },
  });
  const current = { proc, stopping: false };
  current.exited = new Promise((resolveExit) => {
    proc.once('exit', (code, signal) => {
      const how = signal ? `on ${signal}` : `with code ${code}`;
      if (current.stopping || stopping) say(`pid ${proc.pid} exited ${how}`);
      else say(`pid ${proc.pid} exited ${how}; restarting on the next change`);
      if (app === current) app = undefined;
      resolveExit();
    });
  });
  app = current;
  say(`started pid ${proc.pid}`);
}

/**
 * SIGTERM, then SIGKILL if it is still there after KILL_AFTER_MS; resolves once it has exited.
 * With `graceMs`, first waits that long for it to exit on a signal it received directly.
 */
async function stopApp({ graceMs = 0 } = {}) {
  const current = app;
  if (!current) return;
  if (current.stopping) return current.exited;
  current.stopping = true;
  if (graceMs > 0) {
    await Promise.race([current.exited, delay(graceMs)]);
    if (app !== current) return;
  }
  current.proc.kill('SIGTERM');
  const kill = setTimeout(() => {
    say(`pid ${current.proc.pid} still running ${KILL_AFTER_MS} ms after SIGTERM: SIGKILL`);
    current.proc.kill('SIGKILL');
  }, KILL_AFTER_MS);
  await current.exited;
  clearTimeout(kill);
}

// ---- build --------------------------------------------------------------------------------------

async function buildAndRestart() {
  const started = performance.now();
  let result;
  let files;
  try {
    result = await esbuild.rebuild();
    files = bundleFiles(result, args.outdir);
  } catch (error) {
    if (stopping) return;
    lastBuildFailed = true;
    // esbuild has printed its errors (logLevel: warning); anything else is printed here
    if (!error.errors) say(error.message);
    watchDirectories([...inputs, ...bundle.sources, ...errorFiles(error)]);
    say(
      `build failed; ${app ? `pid ${app.proc.pid} keeps serving the last good build` : 'nothing is running'}, ` +
        'waiting for a change',
    );
    return;
  }
  lastBuildFailed = false;
  inputs = new Set(
    Object.keys(result.metafile.inputs)
      .filter((input) => !/(^|[\\/])node_modules[\\/]/.test(input))
      .map((input) => resolve(input)),
  );
  watchDirectories(inputs);
  const built = `built in ${Math.round(performance.now() - started)} ms (${describeBundle(result)})`;
  if (stopping) return;
  if (app && !app.stopping && sameFiles(files, running)) {
    say(`${built}: same bundle, pid ${app.proc.pid} keeps running`);
    return;
  }
  writeBundleFiles(files, args.outdir);
  running = new Map(files.map((f) => [f.path, f.contents]));
  if (app) {
    say(`${built}: restarting pid ${app.proc.pid}`);
    const stopped = performance.now();
    await stopApp();
    say(`stopped in ${Math.round(performance.now() - stopped)} ms`);
  } else {
    say(built);
  }
  if (!stopping) startApp();
}

function sameFiles(files, previous) {
  return (
    files.length === previous.size &&
    files.every((f) => {
      const before = previous.get(f.path);
      return before !== undefined && Buffer.from(before).equals(Buffer.from(f.contents));
    })
  );
}

function errorFiles(error) {
  return (error.errors ?? []).flatMap((e) => (e.location ? [resolve(e.location.file)] : []));
}

let building = false;
let buildAgain = false;
/** One build at a time; changes during a build make one more. */
async function requestBuild() {
  if (building) {
    buildAgain = true;
    return;
  }
  building = true;
  try {
    do {
      buildAgain = false;
      if (tsconfigChanged) {
        tsconfigChanged = false;
        try {
          const next = createNodeAppBundle(args);
          await esbuild.dispose();
          bundle = next;
          esbuild = await context(bundle.options);
        } catch (error) {
          say(`${args.tsconfigPath}: ${error.message}`);
        }
      }
      await buildAndRestart();
    } while (buildAgain && !stopping);
  } finally {
    building = false;
  }
}

// ---- watching -----------------------------------------------------------------------------------

/** Directory → fs.watch watcher. */
const watchers = new Map();
let debounce;
let tsconfigChanged = false;

function watchDirectories(files) {
  const sourceDirectories = new Set([...files].map((file) => dirname(file)));
  const wanted = new Set([dirname(tsconfig), ...sourceDirectories]);
  const before = [...watchers.keys()].sort().join('\n');
  for (const [directory, watcher] of watchers) {
    if (!wanted.has(directory)) {
      watcher.close();
      watchers.delete(directory);
    }
  }
  for (const directory of wanted) {
    if (watchers.has(directory)) continue;
    try {
      const watcher = watch(directory, (_event, name) => {
        if (name) changed(join(directory, name.toString()));
      });
      watcher.on('error', () => {
        watcher.close();
        watchers.delete(directory);
      });
      watchers.set(directory, watcher);
    } catch {
      // the directory is gone: the next build says what is missing
    }
  }
  if ([...watchers.keys()].sort().join('\n') !== before) {
    // e.g. "apps/api/src/**, libs/contract/src/**, libs/nest-lifecycle/src/**"
    const tops = [...sourceDirectories].filter(
      (d) => ![...sourceDirectories].some((other) => d !== other && d.startsWith(other + sep)),
    );
    const described = tops.map((top) => {
      const nested = [...sourceDirectories].some((d) => d.startsWith(top + sep));
      return (relative(process.cwd(), top) || '.') + (nested ? '/**' : '');
    });
    say(
      `watching ${described.sort().join(', ')} and ${relative(process.cwd(), tsconfig)} ` +
        `(${watchers.size} directories)`,
    );
  }
}

function changed(path) {
  if (stopping) return;
  if (path === tsconfig) tsconfigChanged = true;
  // after a failed build, any source may be the fix (a file that did not exist, say)
  else if (!inputs.has(path) && !(lastBuildFailed && SOURCE.test(path))) return;
  clearTimeout(debounce);
  debounce = setTimeout(requestBuild, DEBOUNCE_MS);
}

// ---- stopping -----------------------------------------------------------------------------------

async function shutdown(signal) {
  if (stopping) {
    say(`${signal} again: killing`);
    app?.proc.kill('SIGKILL');
    process.exit(130);
  }
  stopping = true;
  clearTimeout(debounce);
  for (const watcher of watchers.values()) watcher.close();
  await esbuild.cancel();
  // a terminal's Ctrl+C reaches the whole process group, the application included
  await stopApp({ graceMs: signal === 'SIGINT' ? INTERRUPT_GRACE_MS : 0 });
  await esbuild.dispose();
  process.exit(0);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => shutdown(signal));
// should the watcher itself fail, the application does not outlive it
process.on('exit', () => {
  if (app) app.proc.kill('SIGTERM');
});

function delay(ms) {
  return new Promise((resolveDelay) => setTimeout(resolveDelay, ms));
}

await requestBuild();
