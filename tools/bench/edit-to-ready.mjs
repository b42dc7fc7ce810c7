#!/usr/bin/env node
// Edit-to-ready of the development loop (src/edit-to-ready.ts): bundles it, then runs it on this
// Node.js. It starts `nx serve api` and edits a real source file (restored at the end), so it is
// run on its own, not by `npm run bench`.
// Usage: node tools/bench/edit-to-ready.mjs [--edits 6] [--file <path>] [--direct]
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { bundle } from './launch.mjs';

bundle('edit-to-ready');
// Not runBundled (spawnSync): this process stays responsive and passes a SIGTERM or SIGHUP sent to
// it alone on to the measurement, which then restores the file it edits before exiting.
const child = spawn(
  process.execPath,
  ['dist/tools/bench/edit-to-ready/main.js', ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
