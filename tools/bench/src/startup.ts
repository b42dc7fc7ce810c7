// Spawn-to-ready of the built API: spawn `node dist/apps/api/main.js`, poll GET /ready every
// 2 ms, stop the clock at the first 200. Prints min / median / max over N runs (default 9),
// beside the same measure for a bare Node `http` server as the floor of this machine.
// Usage: node tools/bench/startup.mjs [runs] (bundles this file, then runs it; see README.md)
import { READINESS_PATH, ServiceEnv } from '@stayup/contract';
import { BARE_SERVER, imageEnv, median, startServer } from './lib.js';

const runs = Number(process.argv[2] ?? 9);
const apiEnv = imageEnv(); // the API starts as its image runs it

/** Milliseconds from spawn to the first 200 on `path`. */
async function spawnToReady(args: string[], path: string, env: Record<string, string> = {}) {
  const server = await startServer(args, { path, env: { ...env, [ServiceEnv.logLevel]: 'warn' } });
  await server.stop();
  return server.readyMs;
}

const api: number[] = [];
const bare: number[] = [];
for (let i = 0; i < runs; i++) {
  // interleaved, so that machine noise hits both alike
  api.push(await spawnToReady(['dist/apps/api/main.js'], READINESS_PATH, apiEnv));
  bare.push(await spawnToReady(['-e', BARE_SERVER], '/'));
}
const fmt = (xs: number[]) =>
  `min ${Math.min(...xs).toFixed(0)} ms, median ${median(xs).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms`;
console.log(`spawn-to-ready over ${runs} runs (node ${process.version})`);
console.log(`  api  (dist/apps/api/main.js): ${fmt(api)}`);
console.log(`  bare (node:http):             ${fmt(bare)}`);
console.log(`  ratio api/bare (median):      ${(median(api) / median(bare)).toFixed(2)}`);
