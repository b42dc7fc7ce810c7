import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * The CPU architectures a GitHub Actions workflow builds images for:
 * - `docker/build-push-action` steps: `with.platforms` (comma or newline separated,
 *   https://github.com/docker/build-push-action#inputs); without it, the runner's own platform;
 * - `run` steps with `docker build`, `docker buildx build`, `podman build` or `buildah build`:
 *   their `--platform`, or the runner's platform.
 * The runner's platform: arm64 for `runs-on` labels naming arm (`ubuntu-24.04-arm`,
 * https://docs.github.com/en/actions/reference/runners/github-hosted-runners), amd64 otherwise.
 */
export interface WorkflowBuild {
  readonly workflow: string;
  readonly job: string;
  readonly step: string;
  /** `amd64`, `arm64`, … (the `linux/` prefix removed). */
  readonly architectures: readonly string[];
}

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
}

const archOf = (platform: string) =>
  platform
    .trim()
    .replace(/^linux\//, '')
    .replace(/\/.*$/, '');
const list = (text: string) =>
  text
    .split(/[,\n]/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map(archOf);

/** Every image build of a workflow file, with its architectures. */
export function workflowBuilds(file: string): WorkflowBuild[] {
  const doc = parse(readFileSync(file, 'utf8')) as {
    jobs?: Record<string, { 'runs-on'?: unknown; steps?: Step[] }>;
  };
  const builds: WorkflowBuild[] = [];
  for (const [job, spec] of Object.entries(doc?.jobs ?? {})) {
    const runner = /arm/i.test(JSON.stringify(spec['runs-on'] ?? '')) ? 'arm64' : 'amd64';
    (spec.steps ?? []).forEach((step, i) => {
      const name = step.name ?? step.uses ?? `step ${i + 1}`;
      if (step.uses?.startsWith('docker/build-push-action')) {
        const platforms = step.with?.platforms;
        builds.push({
          workflow: file,
          job,
          step: name,
          architectures: typeof platforms === 'string' ? list(platforms) : [runner],
        });
      }
      for (const m of (step.run ?? '').matchAll(
        /\b(?:docker(?:\s+buildx)?|podman|buildah)\s+build\b([^\n]*(?:\\\n[^\n]*)*)/g,
      )) {
        const platform = /--platform[= ]\s*([^\s\\]+)/.exec(m[1])?.[1];
        builds.push({
          workflow: file,
          job,
          step: name,
          architectures: platform ? list(platform) : [runner],
        });
      }
    });
  }
  return builds;
}
