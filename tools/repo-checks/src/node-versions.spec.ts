import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { parse } from 'yaml';

/* eslint-disable @typescript-eslint/no-explicit-any -- workflows are untyped YAML */

// One Node floor for development and CI: .nvmrc. The dependency tree sets it: NestJS 12's Fastify
// stack pins light-my-request 6.8, which needs cookie 2 (engines node >=22), @nestjs/common 12
// depends on file-type 22 (>=22), kubernetes-models 5 (>=22); Node 20 left maintenance on
// 2026-04-30 (https://github.com/nodejs/Release#release-schedule). Everything that names a Node
// version must agree with it, so `npm ci` is quiet and CI runs what developers run.
const read = (path: string) => readFileSync(path, 'utf8');
const floorMajor = Number(read('.nvmrc').trim());
const minimumMajor = (range: string) => Number(/^>=\s*(\d+)/.exec(range)?.[1]);

describe('the Node floor', () => {
  it('is one LTS major in .nvmrc, and the root engines start on it', () => {
    expect(read('.nvmrc')).toMatch(/^\d+\n$/);
    expect(floorMajor % 2).toBe(0); // even majors are the LTS lines
    const engines = JSON.parse(read('package.json')).engines.node as string;
    expect(engines).toMatch(/^>=\d+\.\d+$/);
    expect(minimumMajor(engines)).toBe(floorMajor);
  });

  it('is admitted by every package npm installs, so npm ci is quiet on it', () => {
    const floor = semver.minVersion(JSON.parse(read('package.json')).engines.node)?.version ?? '';
    const lock = JSON.parse(read('package-lock.json'));
    const refusing = Object.entries(lock.packages as Record<string, { engines?: unknown }>)
      .filter(([path]) => path.includes('node_modules/'))
      .map(([path, meta]) => [path, (meta.engines as { node?: string } | undefined)?.node])
      .filter(([, range]) => typeof range === 'string' && !semver.satisfies(floor, range));
    expect(floor).toMatch(/^\d+\.\d+\.\d+$/);
    expect(refusing).toEqual([]);
  });

  // actions/setup-node reads the version from a file with `node-version-file` (.nvmrc accepted):
  // https://github.com/actions/setup-node/blob/main/docs/advanced-usage.md#node-version-file
  it('is what every workflow installs (setup-node reads .nvmrc)', () => {
    const dir = '.github/workflows';
    const setups = readdirSync(dir)
      .filter((f) => f.endsWith('.yml'))
      .flatMap((f) =>
        Object.values(parse(read(join(dir, f))).jobs as Record<string, any>).flatMap((job) =>
          (job.steps ?? [])
            .filter((s: any) => String(s.uses ?? '').startsWith('actions/setup-node@'))
            .map((s: any) => ({ file: f, with: s.with })),
        ),
      );
    expect(setups.length).toBeGreaterThanOrEqual(3);
    for (const setup of setups) {
      expect(setup).toEqual({
        file: setup.file,
        with: expect.objectContaining({ 'node-version-file': '.nvmrc' }),
      });
      expect(setup.with['node-version']).toBeUndefined();
    }
  });

  it('is what .ci/run provisions when the machine has an older Node', () => {
    expect(read('.ci/run')).toContain('. .ci/node-floor.sh');
    expect(read('.ci/node-floor.sh')).toContain('.nvmrc');
  });

  it('is what the bundles target, and the image runs the floor or newer', () => {
    const target = `node${JSON.parse(read('package.json')).engines.node.slice(2)}`;
    expect(read('apps/platform/project.json')).toContain(`--target=${target}`);
    expect(read('tools/build/bundle-node-app.mjs')).toContain(`target: '${target}'`);
    const image = /^ARG NODE_VERSION=(\d+)\./m.exec(read('apps/api/Dockerfile'));
    expect(Number(image?.[1])).toBeGreaterThanOrEqual(floorMajor);
  });

  it('is not above what the published libraries promise their users', () => {
    for (const lib of readdirSync('libs')) {
      const engines = JSON.parse(read(join('libs', lib, 'package.json'))).engines?.node as string;
      expect({ lib, major: minimumMajor(engines) <= floorMajor }).toEqual({ lib, major: true });
    }
  });

  it('is the one the README tells a new user to install', () => {
    const floor = JSON.parse(read('package.json')).engines.node.slice(2);
    expect(read('README.md')).toContain(`Node ≥ ${floor}`);
  });
});
