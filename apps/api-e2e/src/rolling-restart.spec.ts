import { describe, expect, it } from '@jest/globals';
import { findHaproxy, rollingRestart } from '@stayup/harness';

const haproxy = findHaproxy();
// In CI the balancer must be there (.ci/run installs it): a missing HAProxy fails, never skips.
const runOrSkip = haproxy || process.env.CI ? it : it.skip;
if (!haproxy && !process.env.CI) {
  console.warn('haproxy not installed: rolling-restart test skipped (apt-get install -y haproxy)');
}

describe('rolling restart behind a real load balancer', () => {
  runOrSkip(
    'replaces 3 processes one at a time behind HAProxy with zero failed requests',
    async () => {
      const report = await rollingRestart({
        replicas: 3,
        connections: 64,
        shutdownDelayMs: 2_000,
        checkIntervalMs: 250,
        onProgress: (message) => console.log(`rolling restart: ${message}`),
      });
      const { load, replacements } = report;
      console.log(
        `rolling restart: ${load.total} requests in ${load.durationMs} ms over ${load.connectionsOpened} ` +
          `keep-alive connections, ${load.failed} failed, statuses ${JSON.stringify(load.statuses)}, ` +
          `errors ${JSON.stringify(load.errors)}`,
      );
      expect(replacements).toHaveLength(3);
      for (const r of replacements) {
        expect(r.exitCode).toBe(0);
        expect(r.newPid).not.toBe(r.oldPid);
        // the balancer took the target out before the process stopped accepting
        expect(r.markedDownMs).toBeLessThan(2_000);
      }
      expect(load.errors).toEqual({});
      expect(load.statuses).toEqual({ '200': load.total });
      expect(load.failed).toBe(0);
      expect(load.total).toBeGreaterThan(1_000);
    },
    90_000,
  );

  runOrSkip(
    'fails requests without the drain delay (negative control: the harness sees failures)',
    async () => {
      const { load } = await rollingRestart({ replicas: 3, connections: 64, shutdownDelayMs: 0 });
      console.log(
        `rolling restart with SHUTDOWN_DELAY_MS=0: ${load.total} requests, ${load.failed} failed, ` +
          `statuses ${JSON.stringify(load.statuses)}, errors ${JSON.stringify(load.errors)}`,
      );
      // The balancer still routes to a process that stopped accepting: refused connections
      // become 503s, and reused connections closed under a request are reset.
      expect(load.failed).toBeGreaterThan(0);
    },
    90_000,
  );
});
