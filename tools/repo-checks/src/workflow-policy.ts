import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/* eslint-disable @typescript-eslint/no-explicit-any -- workflows are untyped YAML */

/**
 * The supply-chain rules the workflows are held to, as functions from parsed workflows to the
 * places that break them, so each check runs on the workflows as they are and, as its negative
 * control, on the workflows as they were before issue 12 (fixtures/before-issue-12/). Each rule
 * names the zizmor audit (https://docs.zizmor.sh/audits/), OpenSSF Scorecard check
 * (https://github.com/ossf/scorecard/blob/main/docs/checks.md) or GitHub document it enforces.
 */
export type Workflows = Readonly<Record<string, any>>;

/** The workflows of a directory, by file name. */
export function loadWorkflows(dir: string): Workflows {
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith('.yml'))
      .map((f) => [f, parse(readFileSync(join(dir, f), 'utf8'))]),
  );
}

export const CURRENT = '.github/workflows';
export const BEFORE_ISSUE_12 = 'tools/repo-checks/src/fixtures/before-issue-12';

type Job = { file: string; name: string; job: any };
const jobs = (wfs: Workflows): Job[] =>
  Object.entries(wfs).flatMap(([file, wf]) =>
    Object.entries<any>(wf.jobs ?? {}).map(([name, job]) => ({ file, name, job })),
  );
const steps = (job: any): any[] => job.steps ?? [];
const uses = (step: any, action: string) => String(step.uses ?? '').startsWith(`${action}@`);
const at = (j: Job, detail = '') => `${j.file}#${j.name}${detail ? `: ${detail}` : ''}`;

/** Jobs that hold a credential worth stealing: an OIDC token, or a write token. */
export function isPrivileged(job: any): boolean {
  const p = job.permissions ?? {};
  return (
    p['id-token'] === 'write' ||
    Object.entries(p).some(([scope, level]) => level === 'write' && scope !== 'id-token')
  );
}

/** Workflows with a privileged job, or that call one (a reusable workflow with id-token). */
export function privilegedWorkflows(wfs: Workflows): string[] {
  return Object.keys(wfs).filter((f) =>
    Object.values<any>(wfs[f].jobs ?? {}).some((job) => isPrivileged(job)),
  );
}

/**
 * zizmor: unpinned-uses (and Scorecard Pinned-Dependencies): a privileged job runs no package
 * install scripts. npm ci / npm install run every dependency's lifecycle scripts with the job's
 * token in the environment unless --ignore-scripts (npm docs, "scripts": ignore-scripts).
 */
export function installScriptsWithCredentials(wfs: Workflows): string[] {
  const install =
    /\b(npm\s+(ci|install|i|add)|yarn(\s+install)?|pnpm\s+(install|i|add))\b(?![^\n]*--ignore-scripts)/;
  return jobs(wfs)
    .filter((j) => isPrivileged(j.job))
    .flatMap((j) =>
      steps(j.job)
        .filter((s) => install.test(String(s.run ?? '')))
        .map((s) => at(j, s.run.trim())),
    );
}

/**
 * zizmor: cache-poisoning; setup-node's README: "caching is not recommended in workflows that
 * publish". No package-manager cache anywhere in a workflow with a privileged job (setup-node's
 * cache input, or its automatic cache left on; actions/cache; a scanner's own cache), since a
 * poisoned cache written by one job is restored by the next run's.
 */
export function cachesInPrivilegedWorkflows(wfs: Workflows): string[] {
  const privileged = new Set(privilegedWorkflows(wfs));
  return jobs(wfs)
    .filter((j) => privileged.has(j.file))
    .flatMap((j) =>
      steps(j.job).flatMap((s) => {
        if (uses(s, 'actions/setup-node')) {
          const w = s.with ?? {};
          if (w.cache !== undefined || w['package-manager-cache'] !== false) {
            return [at(j, `setup-node cache ${w.cache ?? '(automatic)'}`)];
          }
        }
        if (uses(s, 'actions/cache')) return [at(j, 'actions/cache')];
        if (uses(s, 'aquasecurity/trivy-action') && s.with?.cache !== 'false') {
          return [at(j, 'trivy-action cache')];
        }
        return [];
      }),
    );
}

/** zizmor: artipacked: no checkout leaves the token in .git/config. */
export function persistedCredentials(wfs: Workflows): string[] {
  return jobs(wfs).flatMap((j) =>
    steps(j.job)
      .filter((s) => uses(s, 'actions/checkout') && s.with?.['persist-credentials'] !== false)
      .map(() => at(j, 'checkout without persist-credentials: false')),
  );
}

/**
 * GitHub "Security hardening for GitHub Actions" (least privilege for GITHUB_TOKEN) and zizmor:
 * excessive-permissions: id-token only in jobs that use OIDC (AWS, cosign, npm trusted publishing)
 * or call the deploy workflow.
 */
export function idTokenWithoutOidc(wfs: Workflows): string[] {
  const oidc = /aws-actions\/configure-aws-credentials|sigstore\/cosign-installer|npm publish/;
  return jobs(wfs)
    .filter((j) => j.job.permissions?.['id-token'] === 'write')
    .filter(
      (j) =>
        !(
          oidc.test(JSON.stringify(j.job.steps ?? [])) ||
          j.job.uses === './.github/workflows/deploy.yml'
        ),
    )
    .map((j) => at(j));
}

/**
 * Deploys happen only after CI passed on main: deploy.yml can only be called (workflow_call, no
 * push or dispatch trigger), by ci.yml jobs that need the verify and image jobs and run on pushes
 * to main only. (zizmor: dangerous-triggers rules out workflow_run for this.)
 */
export function deployNotGatedOnCi(wfs: Workflows): string[] {
  const problems: string[] = [];
  const triggers = Object.keys(wfs['deploy.yml']?.on ?? {});
  if (triggers.join() !== 'workflow_call')
    problems.push(`deploy.yml triggers: ${triggers.join(', ')}`);
  const callers = jobs(wfs).filter((j) => j.job.uses === './.github/workflows/deploy.yml');
  if (callers.length === 0) problems.push('nothing calls deploy.yml');
  for (const c of callers) {
    if (c.file !== 'ci.yml') problems.push(at(c, 'deploy.yml called outside ci.yml'));
    const needs = new Set<string>();
    const walk = (name: string) =>
      [wfs[c.file].jobs[name]?.needs ?? []].flat().forEach((n: string) => (needs.add(n), walk(n)));
    walk(c.name);
    if (!needs.has('verify') || !needs.has('image'))
      problems.push(at(c, 'does not need verify and image'));
    if (c.job.if !== "github.event_name == 'push' && github.ref == 'refs/heads/main'") {
      problems.push(at(c, `runs if ${c.job.if}`));
    }
  }
  return problems;
}

/**
 * No workflow talks to the Kubernetes API (issue 11, item 5): live's endpoint is private and the
 * deploy role has no access entry; the cluster's in-VPC kubectl handler applies everything and
 * a Helm `--wait` inside the deploy replaces `kubectl rollout status`.
 */
export function talksToKubernetesApi(wfs: Workflows): string[] {
  const problems: string[] = [];
  for (const [file, wf] of Object.entries(wfs)) {
    for (const [name, job] of Object.entries<any>(wf?.jobs ?? {})) {
      for (const s of steps(job)) {
        const tool = /\b(kubectl|helm|update-kubeconfig)\b/.exec(String(s.run ?? ''));
        if (tool) problems.push(`${file}#${name}: ${tool[1]}`);
      }
    }
  }
  return problems;
}

/** All run: scripts of a workflow, joined. */
export function runs(wf: any): string {
  return Object.values<any>(wf?.jobs ?? {})
    .flatMap((job) => steps(job).map((s) => String(s.run ?? '')))
    .join('\n');
}

/**
 * Build once, promote by digest: deploy.yml builds nothing, takes the digest ci.yml's image job
 * produced, checks the artifact against it, pushes it with its digest preserved, and every
 * environment's call passes that same output.
 */
export function notPromotedByDigest(wfs: Workflows): string[] {
  const problems: string[] = [];
  const deploy = wfs['deploy.yml'];
  const allSteps = Object.values<any>(deploy?.jobs ?? {}).flatMap(steps);
  if (
    allSteps.some(
      (s) =>
        uses(s, 'docker/build-push-action') ||
        /docker (build|buildx build)/.test(String(s.run ?? '')),
    )
  ) {
    problems.push('deploy.yml builds an image');
  }
  if (deploy?.on?.workflow_call?.inputs?.['image-digest']?.required !== true) {
    problems.push('deploy.yml takes no image-digest');
  }
  const script = runs(deploy);
  if (!script.includes('skopeo copy --all --preserve-digests'))
    problems.push('deploy.yml does not push by digest');
  if (!script.includes('[ "${digest}" = "${IMAGE_DIGEST}" ]'))
    problems.push('deploy.yml does not check the artifact digest');
  const callers = jobs(wfs).filter((j) => j.job.uses === './.github/workflows/deploy.yml');
  for (const c of callers) {
    if (c.job.with?.['image-digest'] !== '${{ needs.image.outputs.digest }}') {
      problems.push(at(c, 'not the image job digest'));
    }
  }
  if (callers.map((c) => c.job.with?.environment).join() !== 'dev,staging,live') {
    problems.push('not promoted dev → staging → live');
  }
  return problems;
}

/**
 * zizmor: template-injection: no `${{ }}` expression inside a run: script (GitHub "Security
 * hardening for GitHub Actions", using an intermediate environment variable): values reach
 * scripts through env:, where the shell cannot mistake them for code.
 */
export function expressionsInRun(wfs: Workflows): string[] {
  return jobs(wfs).flatMap((j) =>
    steps(j.job)
      .filter((s) => /\$\{\{/.test(String(s.run ?? '')))
      .map((s) => at(j, String(s.name ?? s.run).trim())),
  );
}
