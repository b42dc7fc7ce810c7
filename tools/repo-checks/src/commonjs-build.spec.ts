import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// tools/build/commonjs.mjs, the `build` step that adds cjs/ beside each library's ES modules.
// Node reads a .js file as CommonJS when the nearest package.json says "type": "commonjs"
// (https://nodejs.org/api/packages.html#type), which is what cjs/package.json is for.
const script = resolve(import.meta.dirname, '../../build/commonjs.mjs');

function dist(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'stayup-cjs-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const build = spawnSync(process.execPath, [script, dir], { encoding: 'utf8' });
  return { dir, build };
}

describe('the CommonJS build (tools/build/commonjs.mjs)', () => {
  it('re-emits every module as CommonJS that require() loads, with the same exports', () => {
    const { dir, build } = dist({
      'package.json': JSON.stringify({ type: 'module' }),
      'index.js': "export * from './nested/value.js';\nexport { default as fn } from './fn.js';\n",
      'index.d.ts': "export * from './nested/value.js';\n",
      'nested/value.js': "import { sep } from 'node:path';\nexport const VALUE = 'v' + sep;\n",
      'fn.js': 'export default function fn() { return 42; }\n',
    });
    try {
      expect({ status: build.status, stderr: build.stderr }).toEqual({ status: 0, stderr: '' });
      expect(JSON.parse(readFileSync(join(dir, 'cjs/package.json'), 'utf8'))).toEqual({
        type: 'commonjs',
      });
      expect(readFileSync(join(dir, 'cjs/index.d.ts'), 'utf8')).toContain('./nested/value.js');
      const loaded = spawnSync(
        process.execPath,
        [
          '-e',
          `const m = require(${JSON.stringify(join(dir, 'cjs/index.js'))}); console.log(m.VALUE + ' ' + m.fn())`,
        ],
        { encoding: 'utf8' },
      );
      expect(loaded.stdout.trim()).toBe('v/ 42');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['import.meta', 'export const here = import.meta.url;\n', '1:21 import.meta'],
    ['top-level await', 'export const value = await Promise.resolve(1);\n', '1:22 top-level await'],
  ])(
    'stops on %s, which CommonJS cannot express, naming file, line and column',
    (_, code, where) => {
      const { dir, build } = dist({ 'index.js': code });
      try {
        expect(build.status).toBe(1);
        expect(build.stderr).toContain(`index.js: ${where}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('accepts await inside functions', () => {
    const { dir, build } = dist({
      'index.js': 'export async function f() { for await (const x of []) await x; }\n',
    });
    rmSync(dir, { recursive: true, force: true });
    expect(build.status).toBe(0);
  });
});
