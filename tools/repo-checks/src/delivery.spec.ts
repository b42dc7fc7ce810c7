import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import {
  BEFORE_ISSUE_12,
  CURRENT,
  loadWorkflows,
  runs,
  type Workflows,
} from './workflow-policy.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- workflows are untyped YAML */

// The pipeline's steps, each checked on the workflows as they are and, as the negative control,
// on the workflows before issue 12 (fixtures/before-issue-12/).
const now = loadWorkflows(CURRENT);
const before = loadWorkflows(BEFORE_ISSUE_12);
const allSteps = (wfs: Workflows, file: string): any[] =>
  Object.values<any>(wfs[file]?.jobs ?? {}).flatMap((j) => j.steps ?? []);
const step = (wfs: Workflows, file: string, action: string) =>
  allSteps(wfs, file).find((s) => String(s.uses ?? '').startsWith(`${action}@`));

/** The image job: multi-arch, SBOM and provenance attestations, HIGH and CRITICAL scan. */
function imageGate(wfs: Workflows): string[] {
  const problems: string[] = [];
  const build = step(wfs, 'ci.yml', 'docker/build-push-action')?.with ?? {};
  if (build.platforms !== 'linux/amd64,linux/arm64') problems.push(`platforms ${build.platforms}`);
  if (build.sbom !== true) problems.push('no SBOM attestation');
  if (!/^mode=max$/.test(String(build.provenance))) problems.push('no max provenance');
  if (!/^type=oci,dest=/.test(String(build.outputs))) problems.push('not kept as an OCI archive');
  const scan = step(wfs, 'ci.yml', 'aquasecurity/trivy-action')?.with ?? {};
  if (scan.severity !== 'HIGH,CRITICAL') problems.push(`trivy severity ${scan.severity}`);
  if (scan['exit-code'] !== '1') problems.push('trivy does not fail the job');
  if (scan.input !== build.outputs?.replace(/^type=oci,dest=/, '')) {
    problems.push('trivy does not scan the archive deploy.yml pushes');
  }
  const scanned = allSteps(wfs, 'ci.yml')
    .filter((s) => String(s.uses ?? '').startsWith('aquasecurity/trivy-action@'))
    .map((s) => s.env?.TRIVY_PLATFORM);
  if (scanned.join() !== build.platforms) problems.push(`platforms scanned: ${scanned.join()}`);
  return problems;
}

/** Keyless signature of the pushed digest with the deploy workflow's identity (Sigstore). */
function signature(wfs: Workflows): string[] {
  const script = runs(wfs['deploy.yml']);
  const problems: string[] = [];
  if (!step(wfs, 'deploy.yml', 'sigstore/cosign-installer')) problems.push('no cosign');
  if (!script.includes('cosign sign --yes "${IMAGE}"')) problems.push('digest not signed');
  if (!/cosign verify "\$\{IMAGE\}" --certificate-identity "\$\{SIGNER\}"/.test(script)) {
    problems.push('signature not verified against the workflow identity');
  }
  const signer = wfs['deploy.yml']?.jobs?.deploy?.env?.SIGNER;
  if (
    signer !==
    'https://github.com/${{ github.repository }}/.github/workflows/deploy.yml@refs/heads/main'
  ) {
    problems.push(`signer ${signer}`);
  }
  return problems;
}

/**
 * Finding 6: a re-run of a deploy finds the image in ECR (tags are immutable) and skips the push;
 * only ImageNotFoundException means "absent", any other error fails the step.
 */
function idempotentPush(wfs: Workflows): string[] {
  const script = runs(wfs['deploy.yml']);
  const problems: string[] = [];
  if (/describe-images[^\n]*>\/dev\/null 2>&1/.test(script))
    problems.push('describe-images errors swallowed');
  if (!script.includes("grep -q 'ImageNotFoundException'"))
    problems.push('absence not told from failure');
  if (!script.includes('[ "${found}" = "${IMAGE_DIGEST}" ]'))
    problems.push('existing tag not checked against the digest');
  return problems;
}

/** Finding 5: CI deploys the environment's cluster stacks only, never --all. */
function clusterStacksOnly(wfs: Workflows): string[] {
  const script = Object.values(wfs).map(runs).join('\n');
  const problems: string[] = [];
  if (/cdk deploy[^\n]*--all\b|-t deploy\b/.test(script)) {
    problems.push('deploys every stack (--all, or nx -t deploy)');
  }
  if (
    !runs(wfs['deploy.yml']).includes(
      'cdk deploy --app dist/apps/platform/cdk.out "stayup-${DEPLOY_ENV}*"',
    )
  ) {
    problems.push('no cluster-stack pattern');
  }
  return problems;
}

/** Finding 4: nothing moves a deployed/<env> tag (a contents: write token in the deploy job). */
function noDeployedTag(wfs: Workflows): string[] {
  return /deployed\//.test(JSON.stringify(wfs)) ? ['moves deployed/<env>'] : [];
}

/**
 * Finding 8: the actions are on their current majors (node24; the node20 majors are gone:
 * https://github.blog/changelog/2025-09-19-deprecation-of-node-20-on-github-actions-runners/).
 * Renovate moves them from here (renovate.json).
 */
const MINIMUM_MAJOR: Readonly<Record<string, number>> = {
  'actions/checkout': 7,
  'actions/setup-node': 7,
  'actions/upload-artifact': 7,
  'actions/download-artifact': 8,
  'aws-actions/configure-aws-credentials': 6,
  'docker/build-push-action': 7,
  'docker/setup-buildx-action': 4,
  'docker/setup-qemu-action': 4,
  'nrwl/nx-set-shas': 5,
  'sigstore/cosign-installer': 4,
};
function staleActions(dir: string, wfs: Workflows): string[] {
  return Object.keys(wfs).flatMap((file) =>
    [...readFileSync(`${dir}/${file}`, 'utf8').matchAll(/uses:\s*([\w.-]+\/[\w.-]+)@\S+ # v(\d+)/g)]
      .filter(
        ([, action, major]) =>
          action === 'aws-actions/amazon-ecr-login' || Number(major) < (MINIMUM_MAJOR[action] ?? 0),
      )
      .map(([, action, major]) => `${file}: ${action} v${major}`),
  );
}

describe.each<[string, (w: Workflows) => string[], string]>([
  [
    'the image is built once, multi-arch, with SBOM and provenance, and scanned HIGH and CRITICAL (finding 8)',
    imageGate,
    'trivy severity CRITICAL',
  ],
  [
    'the pushed digest is signed keyless with the deploy workflow identity and verified (finding 8)',
    signature,
    'no cosign',
  ],
  [
    'a re-run pushes nothing twice and tells "absent" from "failed" (finding 6)',
    idempotentPush,
    'describe-images errors swallowed',
  ],
  [
    'CI deploys the cluster stacks only, never the delivery stack (finding 5)',
    clusterStacksOnly,
    'deploys every stack (--all, or nx -t deploy)',
  ],
  ['no deployed/<env> tag moves (finding 4)', noDeployedTag, 'moves deployed/<env>'],
  [
    'the actions are on current majors (finding 8)',
    (w) => staleActions(w === now ? CURRENT : BEFORE_ISSUE_12, w),
    'deploy.yml: aws-actions/configure-aws-credentials v4',
  ],
])('%s', (_, rule, found) => {
  it('holds for the workflows', () => expect(rule(now)).toEqual([]));
  it('fails on the workflows before issue 12 (negative control)', () =>
    expect(rule(before)).toContain(found));
});

describe('trivy-action (finding 8: the 2026-03-19 tag hijack, GHSA-69fq-xp46-6x23)', () => {
  // 76 of 77 trivy-action tags were force-pushed to a credential stealer; v0.35.0
  // (57a97c7e7821a5776cebc9bb87c984fa69cba8f1) was not. The pinned commit is v0.36.0, a descendant
  // of it released after the incident (checked with git merge-base --is-ancestor on a mirror), and
  // Trivy is pinned past the malicious v0.69.4 build.
  it('is pinned to the post-incident v0.36.0 commit, with Trivy v0.70.0, in an unprivileged job', () => {
    const ci = now['ci.yml'];
    const image = ci.jobs.image;
    const scan = image.steps.find((s: any) =>
      String(s.uses).startsWith('aquasecurity/trivy-action@'),
    );
    expect(scan.uses).toBe('aquasecurity/trivy-action@ed142fd0673e97e23eac54620cfb913e5ce36c25');
    expect(scan.with.version).toBe('v0.70.0');
    expect(image.permissions).toEqual({ contents: 'read' });
    expect(readFileSync(`${CURRENT}/ci.yml`, 'utf8')).toContain('GHSA-69fq-xp46-6x23');
  });
});
