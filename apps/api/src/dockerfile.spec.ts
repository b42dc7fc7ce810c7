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
      const m = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
      const from = (m?.[1] ?? '').replace(/\$\{(\w+)\}/g, (_, n: string) => args[n] ?? '');
      stages.push({ from, name: m?.[2], instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(line);
    }
  }
  return { args, stages };
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
      expect(stage.from).toMatch(/^node:(22|24)\.\d+\.\d+-(bookworm|trixie)-slim$/);
    }
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

  it('keeps the build context small with a .dockerignore', () => {
    const ignore = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['.git', 'node_modules', '**/node_modules', 'dist'])
      expect(ignore).toContain(entry);
  });
});
