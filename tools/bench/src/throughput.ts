// Throughput of the built API against a bare Node `http` server on the same machine, in the same
// run, interleaved: (a) node dist/apps/api/main.js with logging and metrics on (stdout to
// /dev/null), (b) a bare server answering the same JSON, and, to show what the framework itself
// costs, (c) NestJS 12 + Fastify with one controller and stock FastifyAdapter
// (tools/bench/nest-floor). The API runs with the environment its image sets (the ENV lines of the
// production stage of apps/api/Dockerfile). wrk -t1 -c32 on /hello, median of N rounds (default
// 3). Prints req/s and p50/p99, the ratio a/b, spawn-to-ready and RSS after load, and the server's
// CPU time per request (steadier than req/s on a shared machine: wrk and the server share two
// cores).
//
// RSS depends on where the process runs: V8 sizes its heap from the memory it is given, the whole
// machine (24 GB here) outside a container, the container's limit inside one. So (a) and (b) also
// run in a memory cgroup with the API pod's limit (ResourcePreset.SMALL: 256 MiB, the dev and
// staging size), as Kubernetes runs them; that needs root and a writable memory cgroup, and is
// skipped with the reason otherwise. It reports; it asserts nothing.
// Usage: node tools/bench/throughput.mjs [rounds] [seconds] (bundles this file, then runs it)
// On another Node.js (the image runs Node 24): npx -y node@24 tools/bench/throughput.mjs
import { READINESS_PATH, ServiceEnv } from '@stayup/contract';
import { rssMb } from '@stayup/harness';
import {
  BARE_SERVER,
  cpuMs,
  hasWrk,
  imageEnv,
  median,
  memoryCgroup,
  startServer,
  wrk,
  type MemoryCgroup,
} from './lib.js';

const rounds = Number(process.argv[2] ?? 3);
const seconds = Number(process.argv[3] ?? 5);
/** The API pod's memory limit: ResourcePreset.SMALL in libs/k8s-ha/src/resource-preset.ts. */
const POD_MEMORY_LIMIT_MIB = 256;
if (!hasWrk()) {
  console.error('wrk is not installed: apt-get install -y wrk');
  process.exit(1);
}

const pod = memoryCgroup(POD_MEMORY_LIMIT_MIB);
/** The API runs with its image's environment; bare Node and the floor without. */
const apiEnv = imageEnv();
const API = ['dist/apps/api/main.js'];
const BARE = ['-e', BARE_SERVER];

/** What is measured of each variant, one value per round. */
const MEASURES = ['rps', 'p50', 'p99', 'ready', 'rss', 'cpu'] as const;
type Measure = (typeof MEASURES)[number];
interface Variant {
  readonly name: string;
  readonly args: string[];
  readonly path: string;
  readonly env?: Record<string, string>;
  readonly cgroup?: MemoryCgroup;
}

const variants = (
  [
    { name: 'api', args: API, path: READINESS_PATH, env: apiEnv },
    { name: 'bare', args: BARE, path: '/' },
    { name: 'nest', args: ['dist/tools/bench/nest-floor/main.js'], path: READINESS_PATH },
    ...(pod.procs
      ? [
          { name: 'api@pod', args: API, path: READINESS_PATH, env: apiEnv, cgroup: pod },
          { name: 'bare@pod', args: BARE, path: '/', cgroup: pod },
        ]
      : []),
  ] satisfies Variant[]
).map((v): Variant & Record<Measure, number[]> => ({
  ...v,
  rps: [],
  p50: [],
  p99: [],
  ready: [],
  rss: [],
  cpu: [],
}));

for (let i = 0; i < rounds; i++) {
  for (const v of variants) {
    const server = await startServer(v.args, {
      path: v.path,
      env: { ...v.env, [ServiceEnv.logLevel]: 'info' },
      cgroup: v.cgroup,
    });
    try {
      wrk(`http://127.0.0.1:${server.port}/hello`, { seconds: 1 }); // warm-up, not counted
      const before = cpuMs(server.pid);
      const r = wrk(`http://127.0.0.1:${server.port}/hello`, { seconds });
      const cpu = ((cpuMs(server.pid) - before) * 1000) / (r.rps * seconds);
      v.cpu.push(cpu);
      v.rps.push(r.rps);
      v.p50.push(r.p50);
      v.p99.push(r.p99);
      v.ready.push(server.readyMs);
      v.rss.push(await rssMb(server.pid));
      if (r.errors || r.non2xx)
        console.log(`  warning: errors ${r.errors ?? 0}, non-2xx ${r.non2xx}`);
      console.log(
        `round ${i + 1} ${v.name.padEnd(8)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  cpu ${cpu.toFixed(1)} us/req`,
      );
    } finally {
      await server.stop();
    }
  }
}

const m: Record<string, Record<Measure, number>> = Object.fromEntries(
  variants.map((v) => [
    v.name,
    Object.fromEntries(MEASURES.map((k) => [k, median(v[k])])) as Record<Measure, number>,
  ]),
);
const line = (label: string, x: Record<Measure, number>) =>
  `  ${label.padEnd(36)} ${x.rps.toFixed(0)} req/s, p50 ${x.p50.toFixed(2)} ms, p99 ${x.p99.toFixed(2)} ms, ` +
  `spawn-to-ready ${x.ready.toFixed(0)} ms, RSS after load ${x.rss.toFixed(0)} MB, cpu ${x.cpu.toFixed(1)} us/req`;
console.log(
  `\n/hello, wrk -t1 -c32 -d${seconds}s, median of ${rounds} interleaved rounds (node ${process.version})`,
);
console.log(
  `  the API with its image's environment: ${Object.entries(apiEnv)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')}`,
);
console.log(line('api  (logging + metrics on):', m.api));
console.log(line('bare (node:http):', m.bare));
console.log(line('nest floor (stock adapter, nothing on):', m.nest));
console.log(
  `  ratio api/bare (req/s):      ${(m.api.rps / m.bare.rps).toFixed(2)}  (target >= 0.60)`,
);
console.log(
  `  ratio nest floor/bare:       ${(m.nest.rps / m.bare.rps).toFixed(2)}  (NestJS 12 + Fastify, stock, nothing added)`,
);
console.log(`  ratio bare/api (cpu/req):    ${(m.bare.cpu / m.api.cpu).toFixed(2)}`);
if (pod.procs) {
  console.log(
    `in a ${POD_MEMORY_LIMIT_MIB} MiB memory cgroup, as the API pod runs (V8 sizes its heap from the limit):`,
  );
  console.log(line('api:', m['api@pod']));
  console.log(line('bare:', m['bare@pod']));
  console.log(
    `  ratio api/bare (req/s):      ${(m['api@pod'].rps / m['bare@pod'].rps).toFixed(2)}`,
  );
} else {
  console.log(`(the ${POD_MEMORY_LIMIT_MIB} MiB pod-limit runs were skipped: ${pod.unavailable})`);
}
pod.release?.();
console.log(
  `  RSS after load (target <= 100 MB): ${m.api.rss.toFixed(0)} MB unconstrained` +
    (pod.procs
      ? `, ${m['api@pod'].rss.toFixed(0)} MB in the pod's ${POD_MEMORY_LIMIT_MIB} MiB limit`
      : ''),
);
