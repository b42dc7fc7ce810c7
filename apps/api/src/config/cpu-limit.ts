import { readFileSync } from 'node:fs';

/** Where the cgroup files are read: the real ones, or a fixture tree in tests. */
export interface CgroupPaths {
  /** `/proc/self/cgroup`. */
  readonly selfCgroup: string;
  /** The cgroup filesystem's mount point, `/sys/fs/cgroup`. */
  readonly root: string;
}

const REAL: CgroupPaths = { selfCgroup: '/proc/self/cgroup', root: '/sys/fs/cgroup' };

/**
 * The CPU limit of this process's cgroup in cores (the container's `limits.cpu`, which the
 * kubelet writes as a CFS quota), or undefined when there is none or it cannot be read. Node's
 * `availableParallelism()` counts the CPUs the process may run on, not its quota.
 *
 * cgroup v2: `cpu.max` is `<quota> <period>` or `max <period>`; v1: `cpu.cfs_quota_us` (-1 for
 * none) over `cpu.cfs_period_us`, in the directory `/proc/self/cgroup` names for the `cpu`
 * controller (inside a container's cgroup namespace that is `/`).
 * @see https://docs.kernel.org/admin-guide/cgroup-v2.html#cpu-interface-files
 * @see https://docs.kernel.org/scheduler/sched-bwc.html
 */
export function cpuLimit(paths: CgroupPaths = REAL): number | undefined {
  let lines: string[];
  try {
    lines = readFileSync(paths.selfCgroup, 'utf8').trim().split('\n');
  } catch {
    return undefined;
  }
  const read = (file: string) => {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch {
      return undefined;
    }
  };
  for (const line of lines) {
    const [, controllers, path] = /^\d+:([^:]*):(.*)$/.exec(line) ?? [];
    if (controllers === undefined) continue;
    if (controllers === '') {
      const [quota, period] = (
        read(`${paths.root}${path === '/' ? '' : path}/cpu.max`) ?? ''
      ).split(' ');
      if (quota && period && quota !== 'max') return Number(quota) / Number(period);
    } else if (controllers.split(',').includes('cpu')) {
      const dir = `${paths.root}/${controllers}${path === '/' ? '' : path}`;
      const quota = Number(read(`${dir}/cpu.cfs_quota_us`));
      const period = Number(read(`${dir}/cpu.cfs_period_us`));
      if (quota > 0 && period > 0) return quota / period;
    }
  }
  return undefined;
}
