import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiProcess, freePort, httpRequest } from '@stayup/harness';
import { rawRequest } from './raw-http.js';

/** A small seeded PRNG (mulberry32), so a failing run can be replayed with FUZZ_SEED. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VALID = [
  'GET /hello HTTP/1.1\r\nHost: api\r\nAccept: application/json\r\nConnection: close\r\n\r\n',
  'GET /ready HTTP/1.1\r\nHost: api\r\nConnection: close\r\n\r\n',
  'POST /hello HTTP/1.1\r\nHost: api\r\nContent-Type: application/json\r\nContent-Length: 13\r\nConnection: close\r\n\r\n{"a":[1,2,3]}',
  'HEAD /alive HTTP/1.0\r\n\r\n',
];
const METHODS = [
  'GET',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'HEAD',
  'TRACE',
  'CONNECT',
  'BREW',
  'G\u00c9T',
  '',
];
const TOKENS = [
  '\r\n',
  '\n',
  '\r',
  '\0',
  ':',
  ' ',
  '%',
  '%00',
  '%ff',
  '../',
  '//',
  '?',
  '#',
  '\u00ff',
  'Transfer-Encoding: chunked\r\n',
  'Content-Length: -1\r\n',
  'Content-Length: 99999999999\r\n',
  'Host: \r\n',
];

/** One fuzzed request: a valid one mutated by byte flips, insertions, truncation or recombination. */
function mutate(random: () => number): Buffer {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  let text = pick(VALID);
  const mutations = 1 + Math.floor(random() * 4);
  for (let m = 0; m < mutations; m++) {
    const at = Math.floor(random() * text.length);
    switch (Math.floor(random() * 6)) {
      case 0:
        text = text.slice(0, at) + pick(TOKENS) + text.slice(at);
        break;
      case 1:
        text = text.slice(0, at);
        break;
      case 2:
        text = text.replace(/^[A-Z]*/, pick(METHODS));
        break;
      case 3:
        text = text.slice(0, at) + 'x'.repeat(Math.floor(random() * 9000)) + text.slice(at);
        break;
      case 4:
        text =
          text.slice(0, at) + String.fromCharCode(Math.floor(random() * 256)) + text.slice(at + 1);
        break;
      default:
        text = text.replace(
          '\r\n\r\n',
          `\r\nX-${Math.floor(random() * 1e6)}: ${pick(TOKENS)}\r\n\r\n`,
        );
    }
  }
  return Buffer.from(text, 'latin1');
}

describe('fuzzing the built API over raw sockets', () => {
  let api: ApiProcess;
  beforeAll(async () => {
    api = await ApiProcess.start({
      port: await freePort(),
      env: { SHUTDOWN_DELAY_MS: '0', LOG_LEVEL: 'warn' },
    });
    await api.waitForReady();
  });
  afterAll(async () => {
    api.kill('SIGTERM');
    await api.waitForExit();
  });

  it('survives thousands of mutated requests: no 5xx, still answering, memory stable', async () => {
    const seed = Number(process.env.FUZZ_SEED ?? 20261126);
    const random = prng(seed);
    const total = Number(process.env.FUZZ_REQUESTS ?? 3000);
    const concurrency = 32;
    const deadline = performance.now() + 60_000; // bounded in time as well as in count
    const statuses = new Map<number, number>();
    const fiveHundreds: string[] = [];
    let sent = 0;
    let baseline = 0;

    const worker = async () => {
      while (sent < total && performance.now() < deadline) {
        const n = sent++;
        if (n === 500) baseline = await api.rssMb();
        const request = mutate(random);
        // A truncated request gets no answer: the server waits for the rest. 400 ms is plenty for
        // the others (they answer in a few ms) and keeps the run short.
        const res = await rawRequest(api.port, request, 400);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) fiveHundreds.push(request.toString('latin1').slice(0, 200));
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const after = await api.rssMb();

    console.log(
      `fuzz (seed ${seed}): ${sent} requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))} ` +
        `(0 = no response: connection closed or timed out), RSS ${baseline.toFixed(0)} -> ${after.toFixed(0)} MB`,
    );
    expect(sent).toBeGreaterThanOrEqual(total);
    expect(fiveHundreds).toEqual([]);
    expect(api.running).toBe(true);
    expect((await httpRequest(`${api.url}/hello`)).status).toBe(200);
    expect((await httpRequest(`${api.url}/ready`)).status).toBe(200);
    expect(after - baseline).toBeLessThan(40);
  }, 90_000);
});
