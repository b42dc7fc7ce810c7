#!/usr/bin/env node
// Spawn-to-ready of the built API: spawn `node dist/apps/api/main.js`, poll GET /ready every
// 2 ms, stop the clock at the first 200. Prints min / median / max over N runs (default 9),
// beside the same measure for a bare Node `http` server as the floor of this machine.
// Usage: node tools/bench/startup.mjs [runs]
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';

const runs = Number(process.argv[2] ?? 9);
const BARE = `require('node:http').createServer((q, s) => s.end('{"status":"ok"}')).listen(+process.env.PORT, '127.0.0.1')`;

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function status(port) {
  return new Promise((resolve) => {
    const req = request({ port, host: '127.0.0.1', path: '/ready', agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

async function spawnToReady(args) {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', SHUTDOWN_DELAY_MS: '0', LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  try {
    while (performance.now() - started < 15_000) {
      if ((await status(port)) === 200) return performance.now() - started;
      await new Promise((r) => setTimeout(r, 2));
    }
    throw new Error(`${args.join(' ')} not ready after 15 s`);
  } finally {
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const api = [];
const bare = [];
for (let i = 0; i < runs; i++) {
  // interleaved, so that machine noise hits both alike
  api.push(await spawnToReady(['dist/apps/api/main.js']));
  bare.push(await spawnToReady(['-e', BARE]));
}
const fmt = (xs) =>
  `min ${Math.min(...xs).toFixed(0)} ms, median ${median(xs).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms`;
console.log(`spawn-to-ready over ${runs} runs (node ${process.version})`);
console.log(`  api  (dist/apps/api/main.js): ${fmt(api)}`);
console.log(`  bare (node:http):             ${fmt(bare)}`);
console.log(`  ratio api/bare (median):      ${(median(api) / median(bare)).toFixed(2)}`);
