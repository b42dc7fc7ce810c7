#!/usr/bin/env node
// Runs src/cli.ts with Node's built-in TypeScript support (type stripping: on by default from
// Node 22.18, behind --experimental-strip-types from 22.6), so the tool needs no build step.
// Usage: node tools/deploy-check/bin/deploy-check.mjs <cdk.out> [--workflow <file>]... [--json]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const flags = process.features.typescript
  ? []
  : ['--experimental-strip-types', '--disable-warning=ExperimentalWarning'];
const result = spawnSync(process.execPath, [...flags, cli, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(result.status ?? 2);
