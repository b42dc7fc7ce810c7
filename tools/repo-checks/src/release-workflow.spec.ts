import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BEFORE_ISSUE_12,
  CURRENT,
  loadWorkflows,
  runs,
  type Workflows,
} from './workflow-policy.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- workflows and manifests are untyped JSON */

// Finding 7: the release could not publish as written. npm trusted publishing
// (https://docs.npmjs.com/trusted-publishers): npm CLI 11.5.1 or later, id-token: write, the
// workflow file name and environment registered on npmjs.com, and a package that exists already
// (trusted publishing cannot create one). Scoped packages publish restricted unless
// publishConfig.access is public (https://docs.npmjs.com/cli/configuring-npm/package-json#publishconfig).
const now = loadWorkflows(CURRENT);
const before = loadWorkflows(BEFORE_ISSUE_12);
const read = (path: string) => readFileSync(path, 'utf8');

/** The version commit reaches main through a pull request: nothing pushes main, nx does not push. */
function pushesMain(wfs: Workflows, nxJson: any): string[] {
  const problems: string[] = [];
  const script = runs(wfs['release.yml']);
  for (const push of script.match(/git push[^\n]*/g) ?? []) {
    if (!push.includes('HEAD:refs/heads/${branch}')) problems.push(push);
  }
  if (
    !/branch="release\/\$\{GITHUB_RUN_ID\}"/.test(script) ||
    !script.includes('gh pr create --base main')
  ) {
    problems.push('no version pull request');
  }
  if (nxJson.release.git?.push !== false) problems.push('nx release pushes');
  if (nxJson.release.changelog?.projectChangelogs?.createRelease !== false) {
    problems.push('nx release creates GitHub releases (and pushes for them)');
  }
  return problems;
}

/** The publishing job holds the OIDC token and runs nothing of the repository's. */
function publishJob(wfs: Workflows): string[] {
  const jobs = wfs['release.yml']?.jobs ?? {};
  const publish = Object.values<any>(jobs).find((j) => j.permissions?.['id-token'] === 'write');
  if (!publish) return ['no publish job'];
  const problems: string[] = [];
  const steps: any[] = publish.steps;
  if (publish.environment !== 'npm') problems.push(`environment ${publish.environment}`);
  if (publish.permissions?.['id-token'] !== 'write') problems.push('no id-token');
  if (steps.some((s) => String(s.uses ?? '').startsWith('actions/checkout@')))
    problems.push('checks out the tree');
  if (
    steps.some((s) => /npm (ci|install)(?![^\n]*--ignore-scripts)|npx nx/.test(String(s.run ?? '')))
  ) {
    problems.push('runs install scripts or the workspace');
  }
  if (
    !steps.some((s) =>
      /npm install --global --ignore-scripts npm@11\.(\d+)/.test(String(s.run ?? '')),
    )
  ) {
    problems.push('npm older than 11.5.1 (Node 22 bundles npm 10)');
  }
  if (
    !/npm publish "\$\{dir\}"\*\.tgz --access public --provenance/.test(runs({ jobs: { publish } }))
  ) {
    problems.push('not publishing the packed tarball, public, with provenance');
  }
  if (![publish.needs].flat().includes('pack')) problems.push('does not consume the pack job');
  return problems;
}

/** The first release has a path: --first-release when no tag exists, a documented first publish. */
function firstRelease(wfs: Workflows): string[] {
  const problems: string[] = [];
  const script = runs(wfs['release.yml']);
  if (!script.includes("git tag -l '*@*' | grep -q . || first='--first-release'")) {
    problems.push('no --first-release path');
  }
  if (!script.includes('node tools/scripts/pack-unpublished.mjs'))
    problems.push('no check for packages npm lacks');
  return problems;
}

/** CI proves the next release with a dry run (on every pull request). */
function releaseDryRunInCi(wfs: Workflows): string[] {
  return /npx nx release --dry-run --skip-publish \$\{first\}/.test(runs(wfs['ci.yml']))
    ? []
    : ['no nx release --dry-run in CI'];
}

const nxJson = JSON.parse(read('nx.json'));
const nxJsonBefore = {
  release: { git: {}, changelog: { projectChangelogs: { createRelease: 'github' } } },
};

describe.each<[string, (w: Workflows) => string[], string]>([
  [
    'version bumps reach main through a pull request, never a push',
    (w) => pushesMain(w, w === now ? nxJson : nxJsonBefore),
    'no version pull request',
  ],
  [
    'the publish job holds the token and runs none of the repository’s code',
    publishJob,
    'checks out the tree',
  ],
  ['the first release has a path', firstRelease, 'no --first-release path'],
  [
    'CI proves the next release with nx release --dry-run',
    releaseDryRunInCi,
    'no nx release --dry-run in CI',
  ],
])('%s (finding 7)', (_, rule, found) => {
  it('holds', () => expect(rule(now)).toEqual([]));
  it('fails on the release set-up before issue 12 (negative control)', () =>
    expect(rule(before)).toContain(found));
});

describe('publishable packages (finding 7)', () => {
  const publishable = readdirSync('libs').filter((lib) =>
    JSON.parse(read(join('libs', lib, 'project.json'))).tags?.includes('publishable'),
  );
  const problems = (manifest: any) => [
    ...(manifest.private ? ['private'] : []),
    ...(manifest.publishConfig?.access === 'public' ? [] : ['publishConfig.access is not public']),
    ...(manifest.publishConfig?.provenance === true
      ? []
      : ['publishConfig.provenance is not true']),
    ...(/^@stayup\//.test(manifest.name) ? [] : ['not in the @stayup scope']),
  ];

  it('are the four libraries', () => {
    expect(publishable.sort()).toEqual(['contract', 'eks-platform', 'k8s-ha', 'nest-lifecycle']);
  });

  it.each(publishable)('%s: public, with provenance', (lib) => {
    expect(problems(JSON.parse(read(join('libs', lib, 'package.json'))))).toEqual([]);
  });

  it('a scoped package without publishConfig would publish restricted (negative control)', () => {
    expect(problems({ name: '@stayup/x', version: '0.1.0' })).toEqual([
      'publishConfig.access is not public',
      'publishConfig.provenance is not true',
    ]);
  });

  it('the first publish by hand is documented, with the trusted publisher to register', () => {
    const doc = read('docs/delivery.md');
    expect(doc).toContain('## First publish of a package');
    for (const lib of publishable) expect(doc).toContain(`@stayup/${lib}`);
    expect(doc).toMatch(/Workflow filename: `release\.yml`.*Environment: `npm`/s);
  });
});
