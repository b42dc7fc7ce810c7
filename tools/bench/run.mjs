#!/usr/bin/env node
// `npm run bench`: builds the API, then runs each benchmark; they print, they do not assert.
import { spawnSync } from 'node:child_process';

const run = (cmd, args) => {
  const { status } = spawnSync(cmd, args, { stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
};
run('npx', ['nx', 'run', 'api:build', '--outputStyle=static']);
run(process.execPath, [
  'tools/build/bundle-node-app.mjs',
  'tools/bench/nest-floor/main.ts',
  'dist/tools/bench/nest-floor',
]);
run(process.execPath, ['tools/bench/startup.mjs']);
run(process.execPath, ['tools/bench/throughput.mjs', ...process.argv.slice(2)]);
