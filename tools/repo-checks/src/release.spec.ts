import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// `nx release` reads git history and wants a GitHub remote for its release notes: run it on a
// clone of the committed HEAD with the project's remote, sharing node_modules. Even a dry run asks
// api.github.com about existing releases, which these machines cannot reach: the clone's nx.json
// turns GitHub release creation off; versioning, changelogs, commit and tag run as configured.
describe('nx release', () => {
  it('versions the four publishable libraries independently from conventional commits (dry run)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stayup-release-'));
    try {
      const git = (...args: string[]) => spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
      expect(spawnSync('git', ['clone', '-q', '--no-local', resolve('.'), dir]).status).toBe(0);
      git('remote', 'set-url', 'origin', 'https://github.com/stayup-dev/stayup.git');
      symlinkSync(resolve('node_modules'), join(dir, 'node_modules'), 'dir');
      const nxJson = JSON.parse(readFileSync(join(dir, 'nx.json'), 'utf8'));
      nxJson.release.changelog.projectChangelogs.createRelease = false;
      writeFileSync(join(dir, 'nx.json'), JSON.stringify(nxJson, null, 2));
      git(
        '-c',
        'user.name=stayup-test',
        '-c',
        'user.email=test@stayup.invalid',
        'commit',
        '-qam',
        'test: no GitHub release offline',
      );
      const run = spawnSync(
        'npx',
        ['nx', 'release', '--dry-run', '--first-release', '--skip-publish', '--verbose'],
        {
          cwd: dir,
          encoding: 'utf8',
          env: {
            ...process.env,
            NX_DAEMON: 'false',
            NX_NO_CLOUD: 'true',
            GITHUB_TOKEN: '',
            FORCE_COLOR: '0',
            NO_COLOR: '1',
          },
          timeout: 240_000,
        },
      );
      // eslint-disable-next-line no-control-regex -- strip colours (CI=true turns them on)
      const output = (run.stdout + run.stderr).replace(/\x1b\[[0-9;]*m/g, '');
      expect({ status: run.status, tail: output.slice(-1500) }).toMatchObject({ status: 0 });
      for (const project of ['contract', 'nest-lifecycle', 'k8s-ha', 'eks-platform']) {
        expect(output).toMatch(new RegExp(`Running release version for project: ${project}`));
      }
      expect(output).toContain('NOTE: The "dryRun" flag means no changes were made.');
      expect(git('status', '--porcelain').stdout.trim()).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
