import { describe, expect, it } from '@jest/globals';
import { DEFAULT_HTTP_PORT, DEFAULT_METRICS_PORT, RUN_AS_UID } from '@stayup/contract';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// There is no Docker engine on the build machines: these tests read the Dockerfile and check the
// properties the image must have. apps/api-e2e runs the very files stage 2 copies, as UID 10001
// from a read-only directory.
const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const dockerfile = readFileSync(join(root, 'apps/api/Dockerfile'), 'utf8');

interface Stage {
  readonly from: string;
  readonly name?: string;
  readonly instructions: string[];
}

/** Splits the Dockerfile into stages of instructions (continuation lines joined, comments dropped). */
function parse(text: string): { args: Record<string, string>; stages: Stage[] } {
  const lines = text
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const args: Record<string, string> = {};
  const stages: Array<{ from: string; name?: string; instructions: string[] }> = [];
  for (const line of lines) {
    const [keyword] = line.split(/\s+/, 1);
    if (keyword === 'ARG' && stages.length === 0) {
      const [k, v] = line.slice(4).split('=');
      args[k.trim()] = v?.trim() ?? '';
    } else if (keyword === 'FROM') {
      const m = /^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
      const from = (m?.[1] ?? '').replace(/\$\{(\w+)\}/g, (_, n: string) => args[n] ?? '');
      stages.push({ from, name: m?.[2], instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(line);
    }
  }
  return { args, stages };
}

/** Base images not pinned by digest, or whose tag is not `node:<ARG NODE_VERSION>-…`. */
function baseImageProblems(text: string): string[] {
  const { args, stages: all } = parse(text);
  return all.flatMap(({ from }) => {
    const m = /^node:(\d+\.\d+\.\d+)-[a-z-]+(?:@(sha256:[0-9a-f]{64}))?$/.exec(from);
    if (!m) return [`${from}: not node:<version>-<variant>[@sha256:…]`];
    return [
      ...(m[2] ? [] : [`${from}: no digest`]),
      ...(m[1] === args.NODE_VERSION ? [] : [`${from}: ARG NODE_VERSION is ${args.NODE_VERSION}`]),
    ];
  });
}

const { stages } = parse(dockerfile);
const production = stages.at(-1) as Stage;

describe('apps/api/Dockerfile', () => {
  it('is multi-stage: a build stage and a production stage', () => {
    expect(stages.map((s) => s.name)).toEqual(['build', 'production']);
  });

  it('pins every base image to an exact Node LTS version, never latest', () => {
    for (const stage of stages) {
      expect(stage.from).not.toMatch(/:latest$|^[^:]+$/);
      expect(stage.from).toMatch(/^node:(22|24)\.\d+\.\d+-(bookworm|trixie)-slim@/);
    }
  });

  // OpenSSF Scorecard Pinned-Dependencies: a tag can be re-pointed, a digest cannot. The tag stays
  // beside the digest (Renovate's docker:pinDigests keeps both moving, renovate.json), and
  // ARG NODE_VERSION (what tools/repo-checks reads as the image's Node) must be that tag's version.
  it('pins every base image by the digest of its index, the tag beside it, ARG NODE_VERSION equal to the tag', () => {
    expect(baseImageProblems(dockerfile)).toEqual([]);
  });

  it('the digest check fails on the Dockerfile before issue 12 (negative control)', () => {
    const before = readFileSync(
      join(root, 'tools/repo-checks/src/fixtures/before-issue-12/Dockerfile'),
      'utf8',
    );
    expect(baseImageProblems(before)).toContain('node:24.21.0-bookworm-slim: no digest');
  });

  // the Dockerfile cannot import @stayup/contract: this is where its numbers are held to it
  it('runs as UID/GID 10001, exposes 8080 and 9464, and starts node on the bundle in exec form', () => {
    expect(production.instructions).toContain(`USER ${RUN_AS_UID}:${RUN_AS_UID}`);
    expect(production.instructions).toContain(
      `EXPOSE ${DEFAULT_HTTP_PORT} ${DEFAULT_METRICS_PORT}`,
    );
    expect(production.instructions.at(-1)).toBe('CMD ["node", "main.js"]');
    expect(production.instructions).toContain('STOPSIGNAL SIGTERM');
  });

  it('copies only the built bundle into the production stage: no sources, no node_modules, no dev dependencies', () => {
    const copies = production.instructions.filter((i) => /^(COPY|ADD)\b/.test(i));
    expect(copies).toEqual(['COPY --from=build /src/dist/apps/api/ ./']);
    expect(production.instructions.some((i) => /npm (ci|install)/.test(i))).toBe(false);
  });

  it('runs in production mode; NODE_OPTIONS, if set, holds heap-sizing flags only (no --inspect, no --require)', () => {
    const env = production.instructions.filter((i) => i.startsWith('ENV ')).map((i) => i.slice(4));
    expect(env).toContain('NODE_ENV=production');
    const nodeOptions =
      env.find((e) => e.startsWith('NODE_OPTIONS='))?.slice('NODE_OPTIONS='.length) ?? '';
    for (const flag of nodeOptions.replace(/^"|"$/g, '').split(/\s+/).filter(Boolean)) {
      expect(flag).toMatch(/^--max-(semi|old)-space-size=\d+$/);
    }
  });

  it('removes the package managers from the runtime image', () => {
    expect(
      production.instructions.some(
        (i) => i.startsWith('RUN rm -rf') && i.includes('/usr/local/bin/npm'),
      ),
    ).toBe(true);
  });

  it('installs from the lockfile with every workspace manifest in place', () => {
    const build = stages[0];
    const workspaces: string[] = JSON.parse(
      readFileSync(join(root, 'package.json'), 'utf8'),
    ).workspaces;
    const copied = build.instructions
      .filter((i) => /^COPY \S+\/package\.json /.test(i))
      .map((i) => i.split(/\s+/)[1].replace(/\/package\.json$/, ''));
    const expected = workspaces.flatMap((w) =>
      w.endsWith('/*')
        ? readdirSync(join(root, w.slice(0, -2)))
            .map((d) => `${w.slice(0, -2)}/${d}`)
            .filter((d) => existsSync(join(root, d, 'package.json')))
        : [w],
    );
    // npm ci refuses to run when a workspace listed in the lockfile has no manifest
    expect(copied.sort()).toEqual(expected.sort());
    expect(build.instructions).toContain('COPY package.json package-lock.json ./');
    expect(build.instructions).toContain('RUN npm ci --no-audit --no-fund');
  });

  // The context is the repository root (ci.yml: context ".", file apps/api/Dockerfile). A
  // deny-list lets every new file in; an allow-list (everything excluded, then named paths
  // re-included) lets in only what the build stage needs (Docker, "Dockerfile best practices":
  // exclude with .dockerignore).
  it('builds from an allow-list .dockerignore: everything out, then the build inputs in', () => {
    expect(dockerignoreProblems(readFileSync(join(root, '.dockerignore'), 'utf8'))).toEqual([]);
    const before = readFileSync(
      join(root, 'tools/repo-checks/src/fixtures/before-issue-12/dockerignore'),
      'utf8',
    );
    expect(dockerignoreProblems(before)).toContain('does not start by excluding everything (*)');
  });
});

function dockerignoreProblems(text: string): string[] {
  const patterns = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const problems: string[] = [];
  if (patterns[0] !== '*') problems.push('does not start by excluding everything (*)');
  const allowed = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  for (const secret of ['.git', '.github', '.env', 'dist', 'node_modules', 'apps/platform/']) {
    if (allowed.some((a) => a === secret || a === `${secret}/`)) problems.push(`lets ${secret} in`);
  }
  // every COPY source of the build stage is re-included
  const sources = stages[0].instructions
    .filter((i) => /^COPY \S+/.test(i) && !i.startsWith('COPY --from'))
    .flatMap((i) => i.split(/\s+/).slice(1, -1))
    .filter((src) => src !== '.');
  const covered = (src: string) =>
    allowed.some((a) =>
      new RegExp(`^${a.replace(/\./g, '\\.').replace(/\*/g, '[^/]*')}(/.*)?$`).test(src),
    );
  for (const src of sources) if (!covered(src)) problems.push(`${src} is not re-included`);
  return problems;
}
