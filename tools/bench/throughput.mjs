#!/usr/bin/env node
// Throughput of the built API against a bare Node `http` server on the same machine, in the same
// run, interleaved: (a) node dist/apps/api/main.js with logging and metrics on (stdout to
// /dev/null), (b) a bare server answering the same JSON, and, to show what the framework itself
// costs, (c) NestJS 12 + Fastify with one controller and nothing else (tools/bench/nest-floor). wrk -t1 -c32 on /hello, median of N
// rounds (default 3). Prints req/s and p50/p99 for both, the ratio a/b, spawn-to-ready and RSS
// after load, and the server's CPU time per request (steadier than req/s on a shared machine:
// wrk and the server share two cores). It reports; it asserts nothing.
// Usage: node tools/bench/throughput.mjs [rounds] [seconds]
import { BARE_SERVER, cpuMs, hasWrk, median, rssMb, startServer, wrk } from './lib.mjs';

const rounds = Number(process.argv[2] ?? 3);
const seconds = Number(process.argv[3] ?? 5);
if (!hasWrk()) {
  console.error('wrk is not installed: apt-get install -y wrk');
  process.exit(1);
}

const api = { rps: [], p50: [], p99: [], ready: [], rss: [], cpu: [] };
const bare = { rps: [], p50: [], p99: [], ready: [], rss: [], cpu: [] };
const floor = { rps: [], p50: [], p99: [], ready: [], rss: [], cpu: [] };
const record = (into, r, server, cpu) => {
  into.cpu.push(cpu);
  into.rps.push(r.rps);
  into.p50.push(r.p50);
  into.p99.push(r.p99);
  into.ready.push(server.readyMs);
  into.rss.push(rssMb(server.child.pid));
  if (r.errors || r.non2xx) console.log(`  warning: errors ${r.errors ?? 0}, non-2xx ${r.non2xx}`);
};

for (let i = 0; i < rounds; i++) {
  for (const [name, args, path, into] of [
    ['api', ['dist/apps/api/main.js'], '/ready', api],
    ['bare', ['-e', BARE_SERVER], '/', bare],
    ['nest', ['dist/tools/bench/nest-floor/main.js'], '/ready', floor],
  ]) {
    const server = await startServer(args, { path, env: { LOG_LEVEL: 'info' } });
    try {
      wrk(`http://127.0.0.1:${server.port}/hello`, { seconds: 1 }); // warm-up, not counted
      const before = cpuMs(server.child.pid);
      const r = wrk(`http://127.0.0.1:${server.port}/hello`, { seconds });
      const cpuUsPerRequest = ((cpuMs(server.child.pid) - before) * 1000) / (r.rps * seconds);
      record(into, r, server, cpuUsPerRequest);
      console.log(`round ${i + 1} ${name.padEnd(4)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  cpu ${cpuUsPerRequest.toFixed(1)} us/req`);
    } finally {
      await server.stop();
    }
  }
}

const fmt = (x) => x.toFixed(2);
console.log(`\n/hello, wrk -t1 -c32 -d${seconds}s, median of ${rounds} interleaved rounds (node ${process.version})`);
console.log(`  api  (logging + metrics on): ${median(api.rps).toFixed(0)} req/s, p50 ${fmt(median(api.p50))} ms, p99 ${fmt(median(api.p99))} ms, spawn-to-ready ${median(api.ready).toFixed(0)} ms, RSS after load ${median(api.rss).toFixed(0)} MB, cpu ${median(api.cpu).toFixed(1)} us/req`);
console.log(`  bare (node:http):            ${median(bare.rps).toFixed(0)} req/s, p50 ${fmt(median(bare.p50))} ms, p99 ${fmt(median(bare.p99))} ms, spawn-to-ready ${median(bare.ready).toFixed(0)} ms, RSS after load ${median(bare.rss).toFixed(0)} MB, cpu ${median(bare.cpu).toFixed(1)} us/req`);
console.log(`  nest floor (no observability): ${median(floor.rps).toFixed(0)} req/s, p50 ${fmt(median(floor.p50))} ms, p99 ${fmt(median(floor.p99))} ms, spawn-to-ready ${median(floor.ready).toFixed(0)} ms, RSS after load ${median(floor.rss).toFixed(0)} MB, cpu ${median(floor.cpu).toFixed(1)} us/req`);
console.log(`  ratio api/bare (req/s):      ${(median(api.rps) / median(bare.rps)).toFixed(2)}  (target >= 0.60)`);
console.log(`  ratio nest floor/bare:       ${(median(floor.rps) / median(bare.rps)).toFixed(2)}  (what NestJS 12 + Fastify alone reaches here)`);
console.log(`  ratio bare/api (cpu/req):    ${(median(bare.cpu) / median(api.cpu)).toFixed(2)}`);
