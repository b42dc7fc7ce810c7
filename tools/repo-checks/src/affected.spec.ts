import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';

/** `nx show projects --affected --with-target deploy` for a change to `files`. */
function deployable(files: string[]): string[] {
  const run = spawnSync(
    'npx',
    [
      'nx',
      'show',
      'projects',
      '--affected',
      `--files=${files.join(',')}`,
      '--with-target',
      'deploy',
      '--json',
    ],
    { encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } },
  );
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as string[];
}

describe('what a deploy picks (nx affected -t deploy)', () => {
  it('deploys the platform when the API changes (a new image)', () => {
    expect(deployable(['apps/api/src/main.ts'])).toEqual(['platform']);
  });

  it('deploys the platform when a library it builds on changes', () => {
    expect(deployable(['libs/k8s-ha/src/ha-deployment.ts'])).toEqual(['platform']);
    expect(deployable(['libs/nest-lifecycle/src/lifecycle.service.ts'])).toEqual(['platform']);
  });

  it('deploys nothing when only tests of the harness change', () => {
    expect(deployable(['tools/harness/src/load-generator.ts'])).toEqual([]);
  });
});
