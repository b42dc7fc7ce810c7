#!/usr/bin/env node
// `npm test`: everything a user needs to trust a change, across all projects.
//   1. lint, typecheck, unit tests and builds (Nx runs them in parallel, cached by inputs);
//   2. end-to-end suites, one project at a time (real processes, real sockets, HAProxy);
//   3. one closing line adding up every Jest run: "tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const results = 'dist/test-results';
rmSync(results, { recursive: true, force: true });

const nx = (args) =>
  spawnSync('npx', ['nx', ...args, '--outputStyle=static'], { stdio: 'inherit' }).status ?? 1;

let status = nx(['run-many', '-t', 'lint', 'typecheck', 'test', 'build']);
if (status === 0) status = nx(['run-many', '-t', 'e2e', '--parallel=1']);

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(results)) {
  for (const file of readdirSync(results)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const run = JSON.parse(readFileSync(join(results, file), 'utf8'));
    passed += run.numPassedTests;
    failed += run.numFailedTests + (run.numRuntimeErrorTestSuites ?? 0);
    skipped += run.numPendingTests + run.numTodoTests;
  }
}
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(status !== 0 || failed > 0 ? 1 : 0);
