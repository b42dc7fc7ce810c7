import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The directory holding the `node` binary of exactly `version`, installed once from the npm
 * registry like .ci/node-floor.sh does (the `node` package installs the official build for this
 * platform, https://www.npmjs.com/package/node): a consumer project runs on the oldest Node the
 * libraries' `engines` admit, not on the workspace's.
 */
export function nodeBinDir(version: string): string {
  const base = canWrite('/opt/stayup-node')
    ? '/opt/stayup-node'
    : join(homedir(), '.cache/stayup-node');
  const prefix = join(base, version);
  const bin = join(prefix, 'node_modules/node/bin');
  if (!existsSync(join(bin, 'node'))) {
    const install = spawnSync(
      'npm',
      ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-save', `node@${version}`],
      { encoding: 'utf8' },
    );
    if (install.status !== 0)
      throw new Error(`installing node@${version} failed:\n${install.stderr}`);
  }
  const reported = spawnSync(join(bin, 'node'), ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (reported !== `v${version}`) throw new Error(`${bin}/node is ${reported}, not v${version}`);
  return bin;
}

function canWrite(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
