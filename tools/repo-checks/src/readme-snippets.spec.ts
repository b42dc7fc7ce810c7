import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// tools/scripts/check-readme-snippets.mjs, run by every library's typecheck: ```ts blocks are
// checked as ES modules against the sources, ```ts commonjs blocks as a CommonJS project sees the
// built package (its `require` condition and cjs/ declarations). Fixture READMEs live under tmp/
// in a directory named after the built library they use.
const root = resolve(import.meta.dirname, '../../..');
const script = join(root, 'tools/scripts/check-readme-snippets.mjs');

function check(name: string, readme: string) {
  const project = join('tmp', 'readme-fixtures', name, 'k8s-ha');
  mkdirSync(join(root, project), { recursive: true });
  writeFileSync(join(root, project, 'README.md'), readme);
  const run = spawnSync(process.execPath, [script, project], { cwd: root, encoding: 'utf8' });
  rmSync(join(root, 'tmp', 'readme-fixtures', name), { recursive: true, force: true });
  return { status: run.status, output: run.stdout + run.stderr };
}

const CHART = `import { Testing } from 'cdk8s';
import { HighlyAvailableService } from '@stayup/k8s-ha';
new HighlyAvailableService(Testing.chart(), 'web', { name: 'web', image: 'r.example.com/web:1.0.0' });
`;

describe('README snippet check', () => {
  it('passes a CommonJS snippet that uses the built package', () => {
    const { status, output } = check('cjs-ok', '```ts commonjs\n' + CHART + '```\n');
    expect({ status, output }).toEqual({
      status: 0,
      output: expect.stringContaining('0 ES module and 1 CommonJS README snippet(s)'),
    });
  });

  it('fails a CommonJS snippet written as an ES module (top-level await), naming the line', () => {
    const { status, output } = check(
      'cjs-await',
      '```ts commonjs\n' + CHART + 'await Promise.resolve();\n```\n',
    );
    expect(status).not.toBe(0);
    expect(output).toMatch(/snippet-1\.ts\(4,1\): error TS1\d+/);
  });

  it('fails a snippet whose prop the construct does not have', () => {
    const { status, output } = check(
      'esm-prop',
      '```ts\n' + CHART.replace("name: 'web'", "name: 'web', replicaz: 3") + '```\n',
    );
    expect(status).not.toBe(0);
    expect(output).toContain("'replicaz' does not exist");
  });
});
