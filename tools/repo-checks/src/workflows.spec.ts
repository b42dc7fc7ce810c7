import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  BEFORE_ISSUE_12,
  cachesInPrivilegedWorkflows,
  CURRENT,
  deployNotGatedOnCi,
  expressionsInRun,
  idTokenWithoutOidc,
  installScriptsWithCredentials,
  loadWorkflows,
  notPromotedByDigest,
  persistedCredentials,
  type Workflows,
  talksToKubernetesApi,
} from './workflow-policy.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- workflows are untyped YAML */

const DIR = CURRENT;
const files = readdirSync(DIR).filter((f) => f.endsWith('.yml'));
const text = (f: string) => readFileSync(join(DIR, f), 'utf8');
const workflow = (f: string): any => parse(text(f));
const validate = (path: string) =>
  spawnSync('npx', ['action-validator', path], { encoding: 'utf8' });
const now = loadWorkflows(CURRENT);
const before = loadWorkflows(BEFORE_ISSUE_12);

describe('GitHub Actions workflows', () => {
  it('are ci, deploy and release', () => {
    expect(files.sort()).toEqual(['ci.yml', 'deploy.yml', 'release.yml']);
  });

  it.each(files)(
    '%s validates against the GitHub Actions schema (@action-validator/cli)',
    (file) => {
      const result = validate(join(DIR, file));
      expect({ status: result.status, output: result.stdout + result.stderr }).toEqual({
        status: 0,
        output: '',
      });
    },
  );

  it('the validator rejects a broken workflow (negative control)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stayup-wf-'));
    writeFileSync(
      join(dir, 'bad.yml'),
      'name: bad\non: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    stepz: []\n',
    );
    expect(validate(join(dir, 'bad.yml')).status).not.toBe(0);
  });

  it.each(files)('%s stores no AWS keys and uses no long-lived credentials', (file) => {
    expect(text(file)).not.toMatch(
      /aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|NPM_TOKEN|NODE_AUTH_TOKEN/,
    );
  });

  // OpenSSF Scorecard Pinned-Dependencies; zizmor: unpinned-uses
  it.each(files)(
    '%s pins every action to a full commit SHA, with its version as a comment',
    (file) => {
      const lines = [...text(file).matchAll(/uses:\s*(\S+)(.*)/g)];
      expect(lines.length).toBeGreaterThan(0);
      for (const [, use, rest] of lines) {
        expect(use).toMatch(/^(\.\/|[\w.-]+\/[\w./-]+@[0-9a-f]{40}$)/);
        if (!use.startsWith('./')) expect(rest).toMatch(/^ # v\d+\.\d+\.\d+$/);
      }
    },
  );

  // OpenSSF Scorecard Token-Permissions
  it.each(files)('%s is read-only by default', (file) => {
    expect(workflow(file).permissions).toEqual({ contents: 'read' });
  });
});

// Each rule runs on the workflows as they are, and on the workflows as they were before issue 12
// (fixtures/before-issue-12/), where it must find what the issue found.
describe.each<[string, (w: Workflows) => string[], string]>([
  [
    'no job holding id-token or a write token runs install scripts (finding 2; zizmor: unpinned-uses, GitHub "Security hardening for GitHub Actions": untrusted code with credentials)',
    installScriptsWithCredentials,
    'deploy.yml#deploy: npm ci',
  ],
  [
    'no package-manager cache in a workflow with a privileged job (finding 3; zizmor: cache-poisoning)',
    cachesInPrivilegedWorkflows,
    'deploy.yml#deploy: setup-node cache npm',
  ],
  [
    'no checkout keeps the token in .git/config (finding 2; zizmor: artipacked)',
    persistedCredentials,
    'deploy.yml#deploy: checkout without persist-credentials: false',
  ],
  [
    'deploys only from ci.yml on main after verify and image passed (finding 4; zizmor: dangerous-triggers rules out workflow_run)',
    deployNotGatedOnCi,
    'deploy.yml triggers: push, workflow_dispatch',
  ],
  [
    'builds the image once and promotes its digest dev → staging → live (finding 4)',
    notPromotedByDigest,
    'deploy.yml builds an image',
  ],
  [
    'never talks to the Kubernetes API: the in-VPC kubectl handler deploys, Helm --wait checks the rollout (issue 11 item 5)',
    talksToKubernetesApi,
    'deploy.yml#deploy: update-kubeconfig',
  ],
  [
    'asks for id-token only where OIDC is used (zizmor: excessive-permissions)',
    idTokenWithoutOidc,
    '',
  ],
])('%s', (_, rule, found) => {
  it('holds for the workflows', () => {
    expect(rule(now)).toEqual([]);
  });
  if (found) {
    it('fails on the workflows before issue 12 (negative control)', () => {
      expect(rule(before)).toContain(found);
    });
  }
});

describe('rules the old workflows kept too (negative controls on mutated copies)', () => {
  it('idTokenWithoutOidc finds id-token on the verify job (zizmor: excessive-permissions)', () => {
    const copy = structuredClone(now) as any;
    copy['ci.yml'].jobs.verify.permissions['id-token'] = 'write';
    expect(idTokenWithoutOidc(copy)).toEqual(['ci.yml#verify']);
  });

  it('no ${{ }} expression inside a run: script (zizmor: template-injection)', () => {
    expect(expressionsInRun(now)).toEqual([]);
    expect(expressionsInRun(before)).toEqual([]);
    const copy = structuredClone(now) as any;
    copy['deploy.yml'].jobs.deploy.steps[0].run = 'echo ${{ inputs.environment }}';
    expect(expressionsInRun(copy)).toHaveLength(1);
  });
});
