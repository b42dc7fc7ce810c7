#!/usr/bin/env node
// Type-checks every ```ts block of a project's README.md, so the documented quick start cannot
// drift from the code. Each block becomes an ES module (.mts, top-level await allowed) compiled
// against tsconfig.base.json, where @stayup/* imports resolve to the workspace sources.
// Usage: node tools/scripts/check-readme-snippets.mjs <projectRoot>
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

const projectRoot = process.argv[2];
if (!projectRoot) {
  console.error('usage: check-readme-snippets.mjs <projectRoot>');
  process.exit(2);
}
const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
if (blocks.length === 0) {
  console.error(`${projectRoot}/README.md has no \`\`\`ts block to check`);
  process.exit(1);
}
const dir = join('tmp', 'readme-snippets', basename(projectRoot));
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
blocks.forEach((code, i) => writeFileSync(join(dir, `snippet-${i + 1}.mts`), code));
writeFileSync(
  join(dir, 'tsconfig.json'),
  JSON.stringify({
    extends: relative(dir, 'tsconfig.base.json'),
    compilerOptions: { noEmit: true, noUnusedLocals: false, types: ['node'] },
    include: ['*.mts'],
    exclude: [],
  }),
);
const tsc = spawnSync('npx', ['tsc', '-p', join(dir, 'tsconfig.json')], { stdio: 'inherit' });
if (tsc.status === 0)
  console.log(`${blocks.length} README snippet(s) of ${projectRoot} type-check`);
process.exit(tsc.status ?? 1);
