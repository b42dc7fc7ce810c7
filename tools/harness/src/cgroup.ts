import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync, writeFileSync } from 'node:fs';

/** Limits of a {@link podCgroup}: what a container's `resources.limits` set. */
export interface PodLimits {
  /** Unique name of the cgroup (one directory per controller). */
  readonly name: string;
  /** Memory limit in MiB (`limits.memory`). @default none */
  readonly memoryMiB?: number;
  /** CPU limit in cores (`limits.cpu`, CFS quota over a 100 ms period). @default none */
  readonly cpus?: number;
}

/**
 * Cgroups to start processes in, or the reason there are none. `procs` are the `cgroup.procs`
 * files a process joins by writing its pid (see {@link spawnArgsInCgroup}).
 */
export type PodCgroup =
  | {
      readonly procs: readonly string[];
      readonly release: () => void;
      readonly unavailable?: undefined;
    }
  | { readonly unavailable: string; readonly procs?: undefined; readonly release?: undefined };

const CFS_PERIOD_US = 100_000;

/**
 * Cgroups with a pod's limits, as the kubelet puts a container in: memory (`memory.limit_in_bytes`
 * on cgroup v1, `memory.max` on v2; Node reads it at start-up, `process.constrainedMemory()`, and
 * V8 sizes its heap from it) and CPU (a CFS quota, `cpu.cfs_quota_us` / `cpu.max`, which is how
 * Kubernetes enforces `limits.cpu`:
 * https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#how-pods-with-resource-limits-are-run).
 * Needs root and writable controllers; returns `{ unavailable: reason }` otherwise.
 */
export function podCgroup(limits: PodLimits): PodCgroup {
  const made: string[] = [];
  const release = () => {
    for (const dir of made.reverse()) if (existsSync(dir)) rmdirSync(dir);
  };
  try {
    const v1 = existsSync('/sys/fs/cgroup/memory') || existsSync('/sys/fs/cgroup/cpu');
    const procs: string[] = [];
    const make = (dir: string, files: Record<string, string>) => {
      if (!existsSync(dir)) {
        mkdirSync(dir);
        made.push(dir);
      }
      for (const [file, value] of Object.entries(files)) writeFileSync(`${dir}/${file}`, value);
      procs.push(`${dir}/cgroup.procs`);
    };
    const memory = limits.memoryMiB && String(limits.memoryMiB * 1024 * 1024);
    const quota = limits.cpus && String(Math.round(limits.cpus * CFS_PERIOD_US));
    if (v1) {
      if (memory) make(`/sys/fs/cgroup/memory/${limits.name}`, { 'memory.limit_in_bytes': memory });
      if (quota) {
        make(`/sys/fs/cgroup/cpu/${limits.name}`, {
          'cpu.cfs_period_us': String(CFS_PERIOD_US),
          'cpu.cfs_quota_us': quota,
        });
      }
    } else {
      const controllers = [memory && '+memory', quota && '+cpu'].filter(Boolean).join(' ');
      writeFileSync('/sys/fs/cgroup/cgroup.subtree_control', controllers);
      make(`/sys/fs/cgroup/${limits.name}`, {
        ...(memory ? { 'memory.max': memory } : {}),
        ...(quota ? { 'cpu.max': `${quota} ${CFS_PERIOD_US}` } : {}),
      });
    }
    if (memory) {
      const seen = spawnSync(
        '/bin/sh',
        spawnArgsInCgroup(procs, ['-p', 'process.constrainedMemory()']),
        {
          encoding: 'utf8',
        },
      );
      if (seen.stdout.trim() !== memory) {
        throw new Error(
          `node in it saw ${seen.stdout.trim() || seen.stderr.trim()}, not ${memory}`,
        );
      }
    }
    return { procs, release };
  } catch (error) {
    try {
      release();
    } catch {
      // a half-made cgroup that cannot be removed is reported with the first error
    }
    return { unavailable: `no cgroup ${limits.name}: ${(error as Error).message}` };
  }
}

/**
 * Arguments of `/bin/sh` that join `procs` and then become `node <args>`: the shell writes its
 * own pid into each cgroup and `exec`s node, which keeps the pid.
 */
export function spawnArgsInCgroup(procs: readonly string[], nodeArgs: readonly string[]): string[] {
  const steps = [
    ...procs.map((_, i) => `echo $$ > "$${i + 1}"`),
    `shift ${procs.length}`,
    'exec "$@"',
  ];
  return ['-c', steps.join(' && '), 'stayup', ...procs, process.execPath, ...nodeArgs];
}
