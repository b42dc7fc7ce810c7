import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Finding 7: npm trusted publishing cannot create a package (https://docs.npmjs.com/trusted-publishers):
// release.yml's pack job (tools/scripts/pack-unpublished.mjs) must stop on a package npm does not
// know, skip versions npm has, and pack the rest with their tag and notes. It runs here against a
// fake npm on PATH that answers from a table: no registry.
const SCRIPT = resolve('tools/scripts/pack-unpublished.mjs');

function workspace(registry: Record<string, string[]>) {
  const dir = mkdtempSync(join(tmpdir(), 'stayup-pack-'));
  for (const lib of ['contract', 'k8s-ha']) {
    mkdirSync(join(dir, 'libs', lib), { recursive: true });
    mkdirSync(join(dir, 'dist', 'libs', lib), { recursive: true });
    writeFileSync(
      join(dir, 'libs', lib, 'project.json'),
      JSON.stringify({ name: lib, tags: ['publishable'] }),
    );
    writeFileSync(
      join(dir, 'libs', lib, 'CHANGELOG.md'),
      `## 0.2.0 (2026-11-26)\n\n- ${lib} news\n\n## 0.1.0\n\n- old\n`,
    );
    writeFileSync(
      join(dir, 'dist', 'libs', lib, 'package.json'),
      JSON.stringify({
        name: `@stayup/${lib}`,
        version: '0.2.0',
        publishConfig: { access: 'public', provenance: true },
      }),
    );
  }
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(dir, 'registry.json'), JSON.stringify(registry));
  writeFileSync(
    join(bin, 'npm'),
    `#!/usr/bin/env node
const [cmd, spec] = process.argv.slice(2);
const registry = require(${JSON.stringify(join(dir, 'registry.json'))});
if (cmd === 'view') {
  const [, name, version] = /^(@?[^@]+)(?:@(.+))?$/.exec(spec);
  if (!registry[name]) { console.error('npm error code E404'); process.exit(1); }
  if (version) { process.stdout.write(registry[name].includes(version) ? JSON.stringify(version) : ''); process.exit(0); }
  process.stdout.write(JSON.stringify(registry[name].at(-1)));
} else if (cmd === 'pack') {
  const dest = process.argv[process.argv.indexOf('--pack-destination') + 1];
  require('node:fs').writeFileSync(dest + '/pkg-0.2.0.tgz', 'tgz');
}
`,
  );
  chmodSync(join(bin, 'npm'), 0o755);
  const run = spawnSync('node', [SCRIPT, join(dir, 'out')], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
  });
  return { dir, run, out: join(dir, 'out') };
}

describe('pack-unpublished.mjs (release.yml, job pack)', () => {
  it('packs the versions npm lacks, with the nx release tag and the changelog section', () => {
    const { run, out } = workspace({
      '@stayup/contract': ['0.1.0'],
      '@stayup/k8s-ha': ['0.1.0', '0.2.0'],
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(readFileSync(join(out, 'packed.json'), 'utf8'))).toEqual([
      '@stayup/contract@0.2.0',
    ]);
    expect(readFileSync(join(out, 'contract', 'tag'), 'utf8')).toBe('contract@0.2.0');
    expect(readFileSync(join(out, 'contract', 'notes.md'), 'utf8')).toBe(
      '## 0.2.0 (2026-11-26)\n\n- contract news\n\n',
    );
    expect(existsSync(join(out, 'contract', 'pkg-0.2.0.tgz'))).toBe(true);
    expect(existsSync(join(out, 'k8s-ha'))).toBe(false); // on npm already: a re-run publishes nothing twice
  });

  it('stops on a package npm does not have at all: its first version is published by hand', () => {
    const { run } = workspace({ '@stayup/contract': ['0.1.0'] });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('not on npm at all: @stayup/k8s-ha');
    expect(run.stderr).toContain('docs/delivery.md, "First publish"');
  });
});
