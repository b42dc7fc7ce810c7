import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { nodeBinDir } from './node-binary.js';

// Issue 13: the libraries in other people's projects, the way they would install them. Each
// project under projects/ is what its generator makes (`nest new`, `cdk8s init`, an ES module
// Nest 12 app) with our code added; here it is copied out of the workspace, given the packed
// @stayup tarballs with a plain `npm install`, and its own `npm test` runs on the Node it names.
// No --legacy-peer-deps: npm 7+ installs and checks peer dependencies and fails with ERESOLVE on
// a conflict (https://docs.npmjs.com/cli/v11/using-npm/config#legacy-peer-deps), so the peer
// ranges must hold against the versions each project pins.

const root = resolve(import.meta.dirname, '../../..');
const here = resolve(import.meta.dirname, '..');

interface Consumer {
  readonly project: string;
  /** The @stayup libraries it installs (their @stayup dependencies are packed too). */
  readonly libs: readonly string[];
  /** Exact Node version for its tests; the workspace's when absent. */
  readonly node?: string;
  /** What its test run must print, beyond exiting 0. */
  readonly prints: readonly RegExp[];
}

const CONSUMERS: readonly Consumer[] = [
  {
    // `nest new` today (nestjs/typescript-starter): CommonJS output, Jest + ts-jest; on the
    // oldest Node the libraries admit (engines >=20.19)
    project: 'nest11-express-cjs',
    libs: ['nest-lifecycle'],
    node: '20.19.0',
    prints: [/Tests:\s+3 passed, 3 total/],
  },
  {
    // an ES module Nest 12 service on Fastify, tested with node:test
    project: 'nest12-fastify-esm',
    libs: ['nest-lifecycle'],
    prints: [/^# pass 2$/m, /^# fail 0$/m],
  },
  {
    // `cdk8s init typescript-app` (cdk8s-team/cdk8s-cli, templates/typescript-app): CommonJS,
    // Jest 26 + ts-jest type-checking our declarations with TypeScript 4.9 and no skipLibCheck;
    // on Node 22.11, which has no require(esm) (an ES-module-only package fails there)
    project: 'cdk8s-cjs',
    libs: ['k8s-ha'],
    node: '22.11.0',
    prints: [/Tests:\s+3 passed, 3 total/],
  },
];

// eslint-disable-next-line no-control-regex -- the escape character starts a colour sequence
const ANSI_ESCAPE = /\x1b\[[0-9;]*m/g;

const npm = (args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) =>
  spawnSync('npm', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...env,
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    },
  });

/** `npm pack` of the built library and of every @stayup library it depends on. */
function pack(libs: readonly string[], into: string): string[] {
  const seen = new Set<string>();
  const tarballs: string[] = [];
  const visit = (lib: string) => {
    if (seen.has(lib)) return;
    seen.add(lib);
    const dist = join(root, 'dist/libs', lib);
    const manifest = JSON.parse(readFileSync(join(dist, 'package.json'), 'utf8'));
    for (const dep of Object.keys(manifest.dependencies ?? {})) {
      if (dep.startsWith('@stayup/')) visit(dep.slice('@stayup/'.length));
    }
    const packed = npm(['pack', dist, '--json', '--pack-destination', into], root);
    if (packed.status !== 0) throw new Error(`npm pack ${dist}:\n${packed.stderr}`);
    tarballs.push(join(into, JSON.parse(packed.stdout)[0].filename));
  };
  libs.forEach(visit);
  return tarballs;
}

describe.each(CONSUMERS)('the consumer project $project', ({ project, libs, node, prints }) => {
  it('installs the packed libraries without --legacy-peer-deps and passes its own tests', () => {
    const dir = mkdtempSync(join(tmpdir(), `stayup-${project}-`));
    try {
      cpSync(join(here, 'projects', project), dir, { recursive: true });
      cpSync(join(here, 'support'), join(dir, 'test-support'), { recursive: true });
      const packs = join(dir, 'packs');
      mkdirSync(packs);
      const install = npm(['install', ...pack(libs, packs)], dir);
      expect(install.status === 0 ? 'installed' : install.stderr).toBe('installed');
      expect(install.stderr).not.toMatch(/ERESOLVE|peer dep/i);

      const env = node
        ? { ...process.env, PATH: `${nodeBinDir(node)}:${process.env.PATH}` }
        : process.env;
      if (node) {
        const version = spawnSync('node', ['--version'], { env, encoding: 'utf8' }).stdout.trim();
        expect(version).toBe(`v${node}`);
      }
      const test = npm(['test'], dir, env);
      // as plain text, whatever colours the surrounding run asked for (FORCE_COLOR under Nx)
      const output = `${test.stdout}\n${test.stderr}`.replace(ANSI_ESCAPE, '');
      expect(test.status === 0 ? 'passed' : output).toBe('passed');
      for (const line of prints) expect(output).toMatch(line);
      // the figures of its drain, for whoever reads the log
      for (const line of output.match(/drain: \{.*\}/g) ?? []) console.log(`${project} ${line}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
