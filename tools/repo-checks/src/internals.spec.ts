import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  INTERNALS_DOC,
  headingAnchors,
  installedVersions,
  internalsPointers,
  parseCheckedVersions,
  satisfies,
  versionProblem,
  type CheckedVersion,
} from './internals.js';

// docs/internals.md lists every place the code reaches into another project's internals for
// speed, with the versions each was checked against. These checks fail when an installed version
// leaves that range (re-verify the section, then move the range), and keep the document and the
// `Why: docs/internals.md#…` pointers in the code in step.

const root = resolve(import.meta.dirname, '../../..');
const doc = readFileSync(join(root, INTERNALS_DOC), 'utf8');
const rows = parseCheckedVersions(doc);
const anchors = headingAnchors(doc);

describe('docs/internals.md', () => {
  it('lists checked versions, each for a section of the document and an installed package', () => {
    expect(rows.length).toBeGreaterThanOrEqual(8);
    expect(
      rows.filter((row) => !anchors.has(row.section)).map((r) => `${r.package} #${r.section}`),
    ).toEqual([]);
    for (const row of rows) expect(installedVersions(row.package, root).length).toBeGreaterThan(0);
  });

  it('has every installed version within the range its section was checked against', () => {
    const problems = rows.flatMap((row) =>
      installedVersions(row.package, root).flatMap(
        (installed) => versionProblem(row, installed) ?? [],
      ),
    );
    expect(problems).toEqual([]);
  });

  it('names only files that exist where it says where each place is', () => {
    const named = doc
      .split('\n')
      .filter((line) => line.startsWith('**Where**'))
      .flatMap((line) => [...line.matchAll(/`([^`\s]*\/[^`\s]*)`/g)].map((m) => m[1]));
    expect(named.length).toBeGreaterThanOrEqual(8);
    expect(named.filter((path) => !existsSync(join(root, path)))).toEqual([]);
  });

  it('has a section for every docs/internals.md#… pointer in the repository', () => {
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
      cwd: root,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((f) => /\.(ts|mts|mjs|js|md)$|(^|\/)Dockerfile$/.test(f))
      .filter((f) => f !== INTERNALS_DOC && existsSync(join(root, f)));
    const pointers = files.flatMap((file) =>
      internalsPointers(readFileSync(join(root, file), 'utf8')).map((p) => ({ file, ...p })),
    );
    expect(pointers.length).toBeGreaterThanOrEqual(6);
    expect(
      pointers.filter((p) => !anchors.has(p.anchor)).map((p) => `${p.file}:${p.line} #${p.anchor}`),
    ).toEqual([]);
  });
});

describe('the version guard', () => {
  const fastify: CheckedVersion = {
    package: 'fastify',
    checked: '5.12.8',
    range: '~5.12.8',
    section: 'lean-fastify-adapter',
  };

  it('fires on a version outside the checked range, naming the section to re-verify and how', () => {
    const message = versionProblem(fastify, {
      version: '5.13.0',
      where: 'node_modules/fastify/package.json',
    });
    expect(message).toBe(
      'fastify 5.13.0 (node_modules/fastify/package.json) is outside ~5.12.8, the range ' +
        'docs/internals.md#lean-fastify-adapter was checked against (last: 5.12.8). Re-verify ' +
        'docs/internals.md#lean-fastify-adapter: follow its "Re-verify" steps against fastify ' +
        "5.13.0, then set this row's checked version and range in docs/internals.md in the same " +
        'commit as the upgrade.',
    );
    expect(versionProblem(fastify, { version: '5.12.9', where: 'x' })).toBeUndefined();
  });

  it('fires for every row of the table on the next major version', () => {
    for (const row of rows) {
      for (const installed of installedVersions(row.package, root)) {
        const next = `${Number(installed.version.replace(/^v/, '').split('.')[0]) + 1}.0.0`;
        expect(versionProblem(row, { version: next, where: 'fabricated' })).toContain(
          `Re-verify docs/internals.md#${row.section}`,
        );
      }
    }
  });

  it('reads npm ranges: tilde, caret, comparators and alternatives; no pre-release', () => {
    expect(satisfies('12.5.3', '~12.5.0')).toBe(true);
    expect(satisfies('12.6.0', '~12.5.0')).toBe(false);
    expect(satisfies('12.4.9', '~12.5.0')).toBe(false);
    expect(satisfies('0.28.9', '^0.28.2')).toBe(true);
    expect(satisfies('0.29.0', '^0.28.2')).toBe(false);
    expect(satisfies('15.9.0', '^15.1.3')).toBe(true);
    expect(satisfies('16.0.0', '^15.1.3')).toBe(false);
    const nodeLines = '>=20.19 <21 || >=22.12 <23 || >=24.11 <25';
    expect(
      ['20.19.0', '22.23.3', '24.11.0', '24.21.0'].map((v) => satisfies(v, nodeLines)),
    ).toEqual([true, true, true, true]);
    expect(
      ['20.18.3', '22.11.0', '23.0.0', '24.10.0', '25.0.0'].map((v) => satisfies(v, nodeLines)),
    ).toEqual([false, false, false, false, false]);
    expect(satisfies('5.12.8', '5.12.8')).toBe(true);
    expect(satisfies('5.12.9-rc.1', '~5.12.8')).toBe(false);
    expect(() => satisfies('5.12.8', '~five')).toThrow('cannot read the version range "~five"');
  });

  it('reads the table, escaped pipes and section links included', () => {
    const markdown = [
      '<!-- checked-versions -->',
      '| package | checked | range | section |',
      '| --- | --- | --- | --- |',
      '| `node` | 20.20.2 | `>=20.19 <21 \\|\\| >=24.11 <25` | [connection-tracker](#connection-tracker) |',
      '| `esbuild` | 0.28.2 | `~0.28.2` | #esbuild-name-helper |',
      '<!-- /checked-versions -->',
    ].join('\n');
    expect(parseCheckedVersions(markdown)).toEqual([
      {
        package: 'node',
        checked: '20.20.2',
        range: '>=20.19 <21 || >=24.11 <25',
        section: 'connection-tracker',
      },
      { package: 'esbuild', checked: '0.28.2', range: '~0.28.2', section: 'esbuild-name-helper' },
    ]);
    expect(() => parseCheckedVersions('no table')).toThrow('no table between');
  });
});
