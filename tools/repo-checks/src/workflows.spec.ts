import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

/* eslint-disable @typescript-eslint/no-explicit-any -- workflows are untyped YAML */

const DIR = '.github/workflows';
const files = readdirSync(DIR).filter((f) => f.endsWith('.yml'));
const text = (f: string) => readFileSync(join(DIR, f), 'utf8');
const workflow = (f: string): any => parse(text(f));
const validate = (path: string) =>
  spawnSync('npx', ['action-validator', path], { encoding: 'utf8' });

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
    const source = text(file);
    expect(source).not.toMatch(
      /aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|NPM_TOKEN|NODE_AUTH_TOKEN/,
    );
  });

  it.each(files)('%s pins every action to a full commit SHA', (file) => {
    const uses = [...text(file).matchAll(/uses:\s*(\S+)/g)].map((m) => m[1]);
    expect(uses.length).toBeGreaterThan(0);
    for (const use of uses) expect(use).toMatch(/^(\.\/|[\w.-]+\/[\w./-]+@[0-9a-f]{40}$)/);
  });

  it.each(files)(
    '%s defaults to read-only permissions and asks id-token: write only where OIDC is used',
    (file) => {
      const wf = workflow(file);
      expect(wf.permissions).toEqual({ contents: 'read' });
      for (const [name, job] of Object.entries<any>(wf.jobs)) {
        const usesOidc =
          JSON.stringify(job.steps).includes('aws-actions/configure-aws-credentials') ||
          file === 'release.yml';
        expect({ job: name, idToken: job.permissions?.['id-token'] === 'write' }).toEqual({
          job: name,
          idToken: usesOidc,
        });
      }
    },
  );

  it('deploys the chosen environment with nx affected, one deploy per environment at a time', () => {
    const wf = workflow('deploy.yml');
    expect(wf.on.push.branches).toEqual(['main']);
    expect(wf.on.workflow_dispatch.inputs.environment).toMatchObject({
      type: 'choice',
      options: ['dev', 'staging', 'live'],
    });
    expect(wf.concurrency).toEqual({
      group: "deploy-${{ inputs.environment || 'dev' }}",
      'cancel-in-progress': false,
    });
    const job = wf.jobs.deploy;
    expect(job.environment.name).toBe("${{ inputs.environment || 'dev' }}");
    const runs = job.steps.map((s: any) => s.run ?? '').join('\n');
    expect(runs).toContain(
      'npx nx affected -t deploy -c "${DEPLOY_ENV}" --base="${BASE_SHA}" --head="${GITHUB_SHA}"',
    );
    expect(runs).toContain('kubectl -n stayup rollout status deployment/stayup-api');
    expect(runs).toMatch(/for path in \/ready \/hello/);
    expect(runs).toContain('git tag --force "deployed/${DEPLOY_ENV}"');
    const credentials = job.steps.find((s: any) =>
      String(s.uses).startsWith('aws-actions/configure-aws-credentials'),
    );
    expect(credentials.with['role-to-assume']).toBe(
      "arn:aws:iam::${{ vars.AWS_ACCOUNT_ID }}:role/stayup-github-deploy-${{ inputs.environment || 'dev' }}",
    );
  });

  it('checks in CI: affected targets, the rolling restart with HAProxy, audit, image scan, artifacts', () => {
    const wf = workflow('ci.yml');
    const steps = [...wf.jobs.verify.steps, ...wf.jobs.image.steps];
    const runs = steps.map((s: any) => s.run ?? '').join('\n');
    expect(runs).toContain('npx nx affected -t lint typecheck test build synth');
    expect(runs).toContain('apt-get install -y -qq haproxy wrk');
    expect(runs).toContain('npx nx run api-e2e:e2e');
    expect(runs).toContain('npm audit --omit=dev --audit-level=high');
    const uses = steps.map((s: any) => String(s.uses ?? ''));
    expect(uses.some((u) => u.startsWith('nrwl/nx-set-shas@'))).toBe(true);
    expect(
      steps.find((s: any) => String(s.uses).startsWith('aquasecurity/trivy-action@')).with,
    ).toMatchObject({ severity: 'CRITICAL', 'exit-code': '1' });
    expect(
      steps.find((s: any) => String(s.uses).startsWith('actions/upload-artifact@')).with.path,
    ).toContain('dist/manifests');
  });
});
