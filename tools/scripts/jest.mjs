#!/usr/bin/env node
// Runs Jest for one project in ESM mode (NestJS 12 is ESM-only) and records its results as JSON
// in dist/test-results/, where tools/scripts/test-all.mjs adds them up.
// Usage: node tools/scripts/jest.mjs <projectRoot> [jest args...]
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';

const [projectRoot, ...args] = process.argv.slice(2);
if (!projectRoot) {
  console.error('usage: node tools/scripts/jest.mjs <projectRoot> [jest args...]');
  process.exit(2);
}
const jestBin = createRequire(import.meta.url).resolve('jest/bin/jest');
mkdirSync('dist/test-results', { recursive: true });
const result = spawnSync(
  process.execPath,
  [
    '--experimental-vm-modules',
    '--disable-warning=ExperimentalWarning',
    jestBin,
    '-c',
    join(projectRoot, 'jest.config.mjs'),
    '--json',
    `--outputFile=dist/test-results/${basename(projectRoot)}.json`,
    ...args,
  ],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
