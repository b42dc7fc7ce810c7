import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { defaultMaxConnections, loadConfig } from './api-config.js';
import { cpuLimit } from './cpu-limit.js';

/** A fixture tree: /proc/self/cgroup's text and files under the cgroup root. */
function fixture(selfCgroup: string, files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'stayup-cgroup-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'self'), selfCgroup);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, 'fs', path)), { recursive: true });
    writeFileSync(join(dir, 'fs', path), text);
  }
  return { selfCgroup: join(dir, 'self'), root: join(dir, 'fs') };
}
const dirs: string[] = [];

describe('cpuLimit', () => {
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('reads cgroup v2 cpu.max (a container: its own cgroup at the root)', () => {
    expect(cpuLimit(fixture('0::/\n', { 'cpu.max': '50000 100000\n' }))).toBe(0.5);
  });

  it('reads cgroup v2 cpu.max in a nested cgroup', () => {
    const paths = fixture('0::/kubepods/pod1/c1\n', {
      'kubepods/pod1/c1/cpu.max': '250000 100000',
    });
    expect(cpuLimit(paths)).toBe(2.5);
  });

  it('reads cgroup v1 cfs quota and period, controllers mounted together', () => {
    const paths = fixture('12:cpu,cpuacct:/kubepods/x\n4:memory:/kubepods/x\n', {
      'cpu,cpuacct/kubepods/x/cpu.cfs_quota_us': '25000',
      'cpu,cpuacct/kubepods/x/cpu.cfs_period_us': '100000',
    });
    expect(cpuLimit(paths)).toBe(0.25);
  });

  it('is undefined without a limit (v2 max, v1 -1) or without cgroup files', () => {
    expect(cpuLimit(fixture('0::/\n', { 'cpu.max': 'max 100000' }))).toBeUndefined();
    const v1 = fixture('1:cpu:/\n', {
      'cpu/cpu.cfs_quota_us': '-1',
      'cpu/cpu.cfs_period_us': '100000',
    });
    expect(cpuLimit(v1)).toBeUndefined();
    expect(cpuLimit({ selfCgroup: '/nonexistent/cgroup', root: '/nonexistent' })).toBeUndefined();
  });
});

describe('the default MAX_CONNECTIONS', () => {
  it('is 1000 per core of the CPU limit, at least 100, at most the 10,000 memory guard', () => {
    expect([0.05, 0.5, 1, 2, 50, undefined].map(defaultMaxConnections)).toEqual([
      100, 500, 1_000, 2_000, 10_000, 10_000,
    ]);
  });

  it('follows the limit loadConfig is given, and an explicit MAX_CONNECTIONS wins', () => {
    expect(loadConfig({}, { cpuLimit: () => 0.5 }).overload.maxConnections).toBe(500);
    expect(loadConfig({}, { cpuLimit: () => undefined }).overload.maxConnections).toBe(10_000);
    expect(
      loadConfig({ MAX_CONNECTIONS: '64' }, { cpuLimit: () => 0.5 }).overload.maxConnections,
    ).toBe(64);
    expect(() => loadConfig({ MAX_CONNECTIONS: '0' }, { cpuLimit: () => 0.5 })).toThrow(
      `'MAX_CONNECTIONS' (0) must be an integer from 1 to 1000000: set MAX_CONNECTIONS=10000, or unset it for the default 500`,
    );
  });
});
