import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { repoInternalPaths } from './shipped-docs.js';

// What npm users get: pack each built library, install the tarball into a fresh project (its peer
// dependencies linked from this workspace, as a user's own would be installed), import it, use it,
// and type-check a consumer against its declarations. `repo-checks:test` builds the libraries first.

interface Case {
  readonly lib: string;
  readonly name: string;
  /** A consumer, as an ES module in TypeScript (also run, after type-checking, as JavaScript). */
  readonly consumer: string;
  /** What running it prints. */
  readonly prints: RegExp;
}

const CASES: Case[] = [
  {
    lib: 'contract',
    name: '@stayup/contract',
    consumer: `import { DEFAULT_HTTP_PORT, READINESS_PATH, ServiceEnv } from '@stayup/contract';
const name: 'PORT' = ServiceEnv.port;
console.log(name + '=' + DEFAULT_HTTP_PORT + ' ' + READINESS_PATH);
`,
    prints: /^PORT=8080 \/ready$/m,
  },
  {
    lib: 'k8s-ha',
    name: '@stayup/k8s-ha',
    consumer: `import { Testing } from 'cdk8s';
import { HighlyAvailableService } from '@stayup/k8s-ha';
const chart = Testing.chart();
new HighlyAvailableService(chart, 'api', { name: 'api', image: 'registry.example.com/api:1.0.0', ingress: { hosts: ['api.example.com'] } });
const kinds: string[] = Testing.synth(chart).map((o: { kind: string }) => o.kind);
console.log('synthesized ' + kinds.sort().join(','));
`,
    prints:
      /^synthesized Deployment,HorizontalPodAutoscaler,Ingress,Namespace,NetworkPolicy,PodDisruptionBudget,PriorityClass,Service$/m,
  },
  {
    lib: 'nest-lifecycle',
    name: '@stayup/nest-lifecycle',
    consumer: `import { DEFAULT_SHUTDOWN_DELAY_MS, LifecycleModule } from '@stayup/nest-lifecycle';
const declared = LifecycleModule.forRoot({ shutdownDelayMs: 10_000 });
console.log('module ' + declared.module.name + ' with ' + (declared.controllers ?? []).length + ' controller, default delay ' + DEFAULT_SHUTDOWN_DELAY_MS);
`,
    prints: /^module LifecycleModule with 1 controller, default delay 5000$/m,
  },
  {
    lib: 'eks-platform',
    name: '@stayup/eks-platform',
    consumer: `import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { HaEksCluster } from '@stayup/eks-platform';
const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
new HaEksCluster(stack, 'P', {
  clusterName: 'demo',
  vpc: { availabilityZones: ['eu-west-1a', 'eu-west-1b'] },
  adminPrincipalArns: ['arn:aws:iam::111111111111:role/admin'],
  capacity: { type: 'auto-mode' },
  tags: { project: 'demo' },
});
console.log('auto mode ' + JSON.stringify(Template.fromStack(stack).findResources('AWS::EKS::Cluster')).includes('"ComputeConfig":{"Enabled":true'));
`,
    prints: /^auto mode true$/m,
  },
];

const run = (cmd: string, args: string[], cwd: string) =>
  spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' },
  });

describe.each(CASES)('the published $name', ({ lib, name, consumer, prints }) => {
  const dist = resolve('dist/libs', lib);
  const manifest = JSON.parse(readFileSync(join(dist, 'package.json'), 'utf8'));

  it('has a complete package.json', () => {
    expect(manifest).toMatchObject({
      name,
      type: 'module',
      license: 'MIT',
      // ES modules for `import`, CommonJS for `require` (tools/build/commonjs.mjs), each with its
      // declarations; main/types serve TypeScript's node10 resolution (`cdk8s init`, older Nest)
      main: './cjs/index.js',
      types: './cjs/index.d.ts',
      exports: {
        '.': {
          import: { types: './index.d.ts', default: './index.js' },
          require: { types: './cjs/index.d.ts', default: './cjs/index.js' },
        },
      },
      engines: { node: '>=20.19' },
      repository: { type: 'git', directory: `libs/${lib}` },
      // scoped packages publish as restricted unless told otherwise; provenance links the
      // tarball to the workflow that built it (https://docs.npmjs.com/generating-provenance-statements)
      publishConfig: { access: 'public', provenance: true },
    });
    if (lib === 'contract') {
      // read by both sides of the platform: it must stay free of dependencies
      expect([manifest.dependencies, manifest.peerDependencies]).toEqual([undefined, undefined]);
    } else {
      expect(Object.keys(manifest.peerDependencies ?? {}).length).toBeGreaterThan(0);
    }
    expect(manifest.files).toEqual(
      expect.arrayContaining(['**/*.js', '**/*.d.ts', 'cjs/package.json', 'README.md']),
    );
  });

  it('resolves to the right module format and types under every TypeScript and Node resolution', () => {
    // @arethetypeswrong/cli packs the directory and resolves the package as node10, node16 from
    // CommonJS, node16 from ESM and bundler would; an ESM-only build fails "node16 (from CJS)"
    // with ERR_REQUIRE_ESM on Node without require(esm) (https://arethetypeswrong.github.io)
    const attw = run(
      process.execPath,
      [
        resolve('node_modules/@arethetypeswrong/cli/dist/index.js'),
        '--pack',
        dist,
        '--format',
        'json',
      ],
      resolve('.'),
    );
    const report = JSON.parse(attw.stdout);
    expect(report.problems).toEqual({});
    expect(attw.status).toBe(0);
  });

  it('packs only the compiled library, its declarations and README', () => {
    const pack = run('npm', ['pack', '--dry-run', '--json'], dist);
    expect(pack.status).toBe(0);
    const files: string[] = JSON.parse(pack.stdout)[0].files.map((f: { path: string }) => f.path);
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'LICENSE',
        'index.js',
        'index.d.ts',
        'cjs/package.json',
        'cjs/index.js',
        'cjs/index.d.ts',
      ]),
    );
    expect(files.filter((f) => /\.spec\.|\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
    // a sourceMappingURL comment must point at a map the package ships
    const dangling = files
      .filter((f) => f.endsWith('.js'))
      .filter((f) => readFileSync(join(dist, f), 'utf8').includes('//# sourceMappingURL='))
      .filter((f) => !files.includes(`${f}.map`));
    expect(dangling).toEqual([]);
  });

  it('names no repository path in its README or declarations (npm readers cannot follow them)', () => {
    const pack = run('npm', ['pack', '--dry-run', '--json'], dist);
    const shipped: string[] = JSON.parse(pack.stdout)[0]
      .files.map((f: { path: string }) => f.path)
      .filter((f: string) => f === 'README.md' || f.endsWith('.d.ts'));
    const found = shipped.flatMap((f) =>
      repoInternalPaths(readFileSync(join(dist, f), 'utf8')).map((path) => `${f}: ${path}`),
    );
    expect(found).toEqual([]);
    // members marked @internal are stripped (stripInternal), so none is left to read as public
    const internal = shipped.filter(
      (f) => f.endsWith('.d.ts') && readFileSync(join(dist, f), 'utf8').includes('@internal'),
    );
    expect(internal).toEqual([]);
  });

  it('installs from its tarball, imports, works, and type-checks in a new project', () => {
    const project = mkdtempSync(join(tmpdir(), `stayup-consumer-${lib}-`));
    try {
      const packed = run('npm', ['pack', '--json', '--pack-destination', project], dist);
      expect(packed.status).toBe(0);
      const tarball = join(project, JSON.parse(packed.stdout)[0].filename);
      // the @stayup/* libraries it depends on, packed too, as npm would fetch them from the registry
      const siblings = Object.keys(manifest.dependencies ?? {})
        .filter((dep) => dep.startsWith('@stayup/'))
        .map((dep) => {
          const sibling = run(
            'npm',
            ['pack', '--json', '--pack-destination', project],
            resolve('dist/libs', dep.slice('@stayup/'.length)),
          );
          expect(sibling.status).toBe(0);
          return join(project, JSON.parse(sibling.stdout)[0].filename);
        });
      writeFileSync(
        join(project, 'package.json'),
        JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
      );
      const install = run(
        'npm',
        [
          'install',
          '--offline',
          '--no-package-lock',
          '--legacy-peer-deps',
          '--ignore-scripts',
          tarball,
          ...siblings,
        ],
        project,
      );
      expect({ status: install.status, stderr: install.stderr }).toMatchObject({ status: 0 });
      expect(existsSync(join(project, 'node_modules', name, 'index.js'))).toBe(true);
      // the user's own install of the peers (and of TypeScript), linked from this workspace
      for (const peer of [
        ...Object.keys(manifest.peerDependencies ?? {}),
        'typescript',
        '@types/node',
      ]) {
        const target = join(project, 'node_modules', peer);
        mkdirSync(dirname(target), { recursive: true });
        if (!existsSync(target)) symlinkSync(resolve('node_modules', peer), target, 'dir');
      }
      writeFileSync(join(project, 'consumer.mts'), consumer);
      writeFileSync(
        join(project, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            module: 'nodenext',
            moduleResolution: 'nodenext',
            target: 'es2023',
            strict: true,
            skipLibCheck: true,
            types: ['node'],
            outDir: 'out',
          },
          files: ['consumer.mts'],
        }),
      );
      const tsc = run(
        process.execPath,
        [join(project, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'],
        project,
      );
      expect({ status: tsc.status, out: tsc.stdout }).toEqual({ status: 0, out: '' });
      const node = run(process.execPath, ['out/consumer.mjs'], project);
      expect({ status: node.status, stderr: node.stderr }).toMatchObject({ status: 0 });
      expect(node.stdout).toMatch(prints);
      // and from CommonJS: the same exports through require()
      const esmExports = run(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `console.log(Object.keys(await import('${name}')).sort().join())`,
        ],
        project,
      );
      const cjsExports = run(
        process.execPath,
        ['-e', `console.log(Object.keys(require('${name}')).sort().join())`],
        project,
      );
      expect({ status: cjsExports.status, stderr: cjsExports.stderr }).toMatchObject({ status: 0 });
      expect(cjsExports.stdout).toBe(esmExports.stdout);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  }, 120_000);
});
