// How the benchmarks run: each is TypeScript under src/ that imports @stayup/harness and
// @stayup/contract, bundled by the API's own bundler (tools/build/bundle-node-app.mjs, which
// resolves the @stayup/* imports through tsconfig.base.json's paths) into
// dist/tools/bench/<name>/main.js, then run by the Node.js running this script.
import { spawnSync } from 'node:child_process';

/** Runs a command with inherited output; exits with its status if it fails. */
export function run(cmd, args) {
  const { status } = spawnSync(cmd, args, { stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}

const ENTRIES = {
  startup: 'tools/bench/src/startup.ts',
  throughput: 'tools/bench/src/throughput.ts',
  // the fault suite's figures, API beside bare Node (the README's table); not by run.mjs
  faults: 'tools/bench/src/faults.ts',
  // run on its own (it edits a source file), not by run.mjs
  'edit-to-ready': 'tools/bench/src/edit-to-ready.ts',
  // the NestJS floor the throughput benchmark runs beside the API
  'nest-floor': 'tools/bench/nest-floor/main.ts',
};

/** Bundles one of {@link ENTRIES} into dist/tools/bench/<name>/main.js. */
export function bundle(name) {
  run(process.execPath, [
    'tools/build/bundle-node-app.mjs',
    ENTRIES[name],
    `dist/tools/bench/${name}`,
  ]);
}

/** Runs a bundled benchmark on this Node.js. */
export function runBundled(name, args) {
  run(process.execPath, [`dist/tools/bench/${name}/main.js`, ...args]);
}
