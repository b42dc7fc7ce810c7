// The fault suite's figures: every scenario of @stayup/harness's fault suite run against the
// built API and against the same service on bare node:http (@stayup/harness's BARE_SERVICE_SOURCE), side
// by side in the same run, printed as the README's table. Tests assert the API's side
// (apps/api-e2e/src/faults.spec.ts); this reports both. Needs dist/apps/api, HAProxy, and root
// for the cgroups (without them the pod-limit scenarios say so and run unlimited).
// Usage: node tools/bench/faults.mjs [scenario…]   (kill, zone, stall, pipelining, stdout, drain, overload, overload-direct)
//        FAULTS_API_ENV='MAX_CONNECTIONS=500' node tools/bench/faults.mjs overload
import { LIVENESS_PATH } from '@stayup/contract';
import {
  blockedStdout,
  drainWithOpenConnections,
  overload,
  pipeliningClients,
  podCgroup,
  replicaFault,
  type ServiceVariant,
} from '@stayup/harness';

type Row = [scenario: string, measure: string, api: string, bare: string];
const VARIANTS: ServiceVariant[] = ['api', 'bare'];
const ms = (v: number | undefined, none: string) => (v === undefined ? none : `${v} ms`);

const SCENARIOS: Record<string, () => Promise<Row[]>> = {
  kill: () => killRows('SIGKILL 1 of 3 (check 1 s × 2)', 3, 1),
  zone: () => killRows('zone loss: SIGKILL 2 of 6', 6, 2),
  async stall() {
    const [api, bare] = await each((variant) =>
      replicaFault({ variant, replicas: 3, fault: { kind: 'stall', ms: 3_000 } }),
    );
    return [
      [
        'SIGSTOP 1 of 3 for 3 s',
        'failed requests / slowest',
        `${api.failedAfterFault} / ${api.load.maxLatencyMs} ms`,
        `${bare.failedAfterFault} / ${bare.load.maxLatencyMs} ms`,
      ],
      [
        '',
        'out of rotation after / back after SIGCONT',
        `${ms(api.outOfRotationMs, 'never')} / ${ms(api.backInRotationMs, '-')}`,
        `${ms(bare.outOfRotationMs, 'never')} / ${ms(bare.backInRotationMs, '-')}`,
      ],
    ];
  },
  async pipelining() {
    const cgroup = podCgroup({ name: `stayup-faults-${process.pid}`, memoryMiB: 256 });
    try {
      const [api, bare] = await each((variant) =>
        pipeliningClients({ variant, cgroup: cgroup.procs ? cgroup : undefined }),
      );
      const where = cgroup.procs ? 'in 256 MiB' : `no cgroup: ${cgroup.unavailable}`;
      const fate = (r: typeof api) =>
        r.survived ? `survived, /hello ${r.statusAfter}` : 'killed (OOM)';
      return [
        [
          `300 pipelining clients that hang up, 5 s (${where})`,
          'RSS before → peak',
          `${api.rssBeforeMb} → ${api.rssPeakMb} MB`,
          `${bare.rssBeforeMb} → ${bare.rssPeakMb} MB`,
        ],
        ['', 'afterwards', `${fate(api)}, in flight ${api.inFlightAfter}`, fate(bare)],
      ];
    } finally {
      cgroup.release?.();
    }
  },
  async stdout() {
    const [api, bare] = await each(blockedStdout);
    return [
      [
        'stdout never read, 3 s of load',
        `GET ${LIVENESS_PATH} afterwards`,
        ms(api.aliveMs, 'no answer in 2 s'),
        ms(bare.aliveMs, 'no answer in 2 s'),
      ],
      [
        '',
        'SIGTERM → exit',
        api.exitMs === undefined
          ? 'still running after 5 s'
          : `${api.exitMs} ms, code ${api.exitCode}`,
        bare.exitMs === undefined
          ? 'still running after 5 s'
          : `${bare.exitMs} ms, code ${bare.exitCode}`,
      ],
    ];
  },
  async drain() {
    const [api, bare] = await each((variant) => drainWithOpenConnections({ variant }));
    const exit = (r: typeof api) =>
      r.exitMs === undefined ? 'still running after 11 s' : `${r.exitMs} ms, code ${r.exitCode}`;
    return [
      [
        '10,000 idle + 1,000 silent connections, SIGTERM (delay 1 s)',
        'SIGTERM → exit',
        exit(api),
        exit(bare),
      ],
      ['', 'RSS holding them', `${api.rssMb} MB`, `${bare.rssMb} MB`],
    ];
  },
  overload: () => overloadRows(false),
  'overload-direct': () => overloadRows(true),
};

/**
 * Open-loop overload at 1.5× capacity: through HAProxy (2 replicas, its flaps), or `direct` (one
 * replica, kubelet-style probes). FAULTS_API_ENV='MAX_CONNECTIONS=500 …' sets the API's environment.
 */
async function overloadRows(direct: boolean): Promise<Row[]> {
  const setting = process.env.FAULTS_API_ENV ?? '';
  const apiEnv = Object.fromEntries(
    setting
      .split(/\s+/)
      .filter(Boolean)
      .map((pair) => pair.split('=') as [string, string]),
  );
  const [api, bare] = await each((variant) =>
    overload({ variant, direct, env: variant === 'api' ? apiEnv : {} }),
  );
  const line = (r: typeof api) => `${r.capacityPerSecond} → ${r.offeredPerSecond}/s`;
  const noAnswer = (r: typeof api) => Object.values(r.load.errors).reduce((a, b) => a + b, 0);
  const codes = (r: typeof api) =>
    `${r.load.ok.count} ok, ${r.load.retryAfter} shed, ${noAnswer(r)} none in 5 s`;
  const health = (r: typeof api) =>
    r.probes ? `${r.probes.failed} of ${r.probes.sent} probes failed` : `${r.flaps} flaps`;
  const where = direct ? '1 replica, direct' : '2 replicas behind HAProxy';
  const limits = api.cpuLimited ? '0.5 CPU + 256 MiB each' : 'no CPU cgroup!';
  return [
    [
      `open loop 1.5× capacity, 10 s, ${where}, ${limits}${setting ? `; API ${setting}` : ''}`,
      'capacity → offered',
      line(api),
      line(bare),
    ],
    ['', 'answers', codes(api), codes(bare)],
    [
      '',
      '2xx latency p50 / p99',
      `${api.load.ok.p50} / ${api.load.ok.p99} ms`,
      `${bare.load.ok.p50} / ${bare.load.ok.p99} ms`,
    ],
    [
      '',
      '503 latency p50 / p99',
      `${api.load.unavailable.p50} / ${api.load.unavailable.p99} ms`,
      `${bare.load.unavailable.p50} / ${bare.load.unavailable.p99} ms`,
    ],
    ['', 'health checks', health(api), health(bare)],
  ];
}

/** SIGKILL of `count` of `replicas` behind the balancer: what failed, and how soon it routed around. */
async function killRows(label: string, replicas: number, count: number): Promise<Row[]> {
  const [api, bare] = await each((variant) =>
    replicaFault({ variant, replicas, fault: { kind: 'kill', count } }),
  );
  const failed = (r: typeof api) => `${r.failedAfterFault} / ${r.load.total}`;
  return [
    [label, 'failed requests / total', failed(api), failed(bare)],
    [
      '',
      'out of rotation after',
      ms(api.outOfRotationMs, 'never'),
      ms(bare.outOfRotationMs, 'never'),
    ],
  ];
}

/** Runs `scenario` for the API, then for bare Node, one after the other (never at once). */
async function each<T>(scenario: (variant: ServiceVariant) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (const variant of VARIANTS) results.push(await scenario(variant));
  return results;
}

const chosen = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(SCENARIOS);
const rows: Row[] = [];
const started = performance.now();
for (const name of chosen) {
  const scenario = SCENARIOS[name];
  if (!scenario)
    throw new Error(`unknown scenario '${name}': one of ${Object.keys(SCENARIOS).join(', ')}`);
  const t0 = performance.now();
  rows.push(...(await scenario()));
  console.error(`faults: ${name} done in ${Math.round((performance.now() - t0) / 1000)} s`);
}
console.log(`\n| scenario | measure | API | bare Node |\n|---|---|---|---|`);
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
console.log(
  `\n${chosen.length} scenario(s) in ${Math.round((performance.now() - started) / 1000)} s, node ${process.version}`,
);
