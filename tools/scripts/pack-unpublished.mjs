#!/usr/bin/env node
// Used by .github/workflows/release.yml (job "pack", unprivileged): for every publishable library
// (nx tag "publishable", built into dist/libs/<name>), packs the version npm does not have yet
// into <out>/<project>/ with the release tag (<project>@<version>, nx.json releaseTag) and the
// release notes (its CHANGELOG.md section). Versions already on npm are skipped, so a re-run
// publishes nothing twice. A package npm does not know at all fails: npm trusted publishing cannot
// create a package, its first version is published by hand (docs/delivery.md, "First publish").
//   node tools/scripts/pack-unpublished.mjs <out-dir>
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const out = resolve(process.argv[2] ?? 'dist/packages');
mkdirSync(out, { recursive: true });
const read = (path) => JSON.parse(readFileSync(path, 'utf8'));

/** `npm view <spec> version`: the version, '' when the version is missing, null when the package is. */
function published(spec) {
  const run = spawnSync('npm', ['view', spec, 'version', '--json'], { encoding: 'utf8' });
  if (run.status === 0) return run.stdout.trim() === '' ? '' : JSON.parse(run.stdout);
  if (/E404|404 Not Found/.test(run.stderr)) return null;
  throw new Error(`npm view ${spec} failed:\n${run.stderr}`);
}

/** The CHANGELOG.md section of `version` (what nx release wrote), or a pointer to the file. */
function notes(dir, version) {
  const path = join(dir, 'CHANGELOG.md');
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const start = text.search(new RegExp(`^#+ .*\\b${version.replace(/\./g, '\\.')}\\b`, 'm'));
  if (start < 0) return `See ${path}.\n`;
  const rest = text.slice(start).split('\n');
  const end = rest.findIndex((line, i) => i > 0 && /^#{1,2} /.test(line));
  return rest.slice(0, end < 0 ? undefined : end).join('\n') + '\n';
}

const packed = [];
const missing = [];
for (const lib of readdirSync('libs')) {
  const project = read(join('libs', lib, 'project.json'));
  if (!project.tags?.includes('publishable')) continue;
  const dist = join('dist', 'libs', lib);
  const { name, version, publishConfig } = read(join(dist, 'package.json'));
  if (publishConfig?.access !== 'public' || publishConfig?.provenance !== true) {
    throw new Error(
      `${dist}/package.json: publishConfig must be { access: public, provenance: true }`,
    );
  }
  const onNpm = published(name);
  if (onNpm === null) {
    missing.push(name);
    continue;
  }
  if (published(`${name}@${version}`) === version) {
    console.log(`${name}@${version} is on npm already: skipped`);
    continue;
  }
  const dir = join(out, project.name);
  mkdirSync(dir, { recursive: true });
  execFileSync('npm', ['pack', resolve(dist), '--pack-destination', dir], { stdio: 'inherit' });
  writeFileSync(join(dir, 'tag'), `${project.name}@${version}`);
  writeFileSync(join(dir, 'notes.md'), notes(join('libs', lib), version));
  packed.push(`${name}@${version}`);
}
writeFileSync(join(out, 'packed.json'), JSON.stringify(packed, null, 2) + '\n');
if (missing.length > 0) {
  console.error(
    `not on npm at all: ${missing.join(', ')}. Trusted publishing cannot create a package: ` +
      'publish its first version by hand and configure its trusted publisher (docs/delivery.md, "First publish").',
  );
  process.exit(1);
}
console.log(packed.length ? `packed ${packed.join(', ')}` : 'nothing to publish');
