#!/usr/bin/env node
// Type-checks every ```ts block of a project's README.md, so the documented quick start cannot
// drift from the code.
// - ```ts blocks become ES modules (.mts, top-level await allowed) compiled against
//   tsconfig.base.json, where @stayup/* imports resolve to the workspace sources.
// - ```ts commonjs blocks are checked the way a CommonJS project sees the published package (a
//   `nest new` or `cdk8s init` project): .ts files under a package.json of "type": "commonjs",
//   NodeNext resolution, @stayup/* resolved from the built packages in dist/libs through their
//   `require` export condition. The libraries must be built first (the typecheck targets depend
//   on `build`).
// Usage: node tools/scripts/check-readme-snippets.mjs <projectRoot>
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';

const projectRoot = process.argv[2];
if (!projectRoot) {
  console.error('usage: check-readme-snippets.mjs <projectRoot>');
  process.exit(2);
}
const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
const all = [...readme.matchAll(/^```ts( commonjs)?\n([\s\S]*?)^```$/gm)];
const blocks = all.filter((m) => !m[1]).map((m) => m[2]);
const commonjs = all.filter((m) => m[1]).map((m) => m[2]);
if (all.length === 0) {
  console.error(`${projectRoot}/README.md has no \`\`\`ts block to check`);
  process.exit(1);
}
const dir = join('tmp', 'readme-snippets', relative('.', projectRoot).replaceAll('/', '--'));
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
const tsc = (project) =>
  spawnSync('npx', ['tsc', '--pretty', 'false', '-p', project], { stdio: 'inherit' }).status ?? 1;
let status = blocks.length > 0 ? tsc(join(dir, 'tsconfig.json')) : 0;
if (status === 0 && commonjs.length > 0) status = checkCommonJs(join(dir, 'commonjs'));
if (status === 0) {
  console.log(
    `${blocks.length} ES module and ${commonjs.length} CommonJS README snippet(s) of ${projectRoot} type-check`,
  );
}
process.exit(status);

function checkCommonJs(cjsDir) {
  mkdirSync(join(cjsDir, 'node_modules', '@stayup'), { recursive: true });
  writeFileSync(join(cjsDir, 'package.json'), JSON.stringify({ type: 'commonjs' }));
  const own = basename(projectRoot);
  if (!existsSync(join('dist/libs', own, 'cjs', 'index.d.ts'))) {
    console.error(`dist/libs/${own} has no CommonJS build: run \`npx nx build ${own}\` first`);
    return 1;
  }
  // the built packages (the project's own and the @stayup libraries its build needed)
  for (const lib of readdirSync('dist/libs')) {
    const built = resolve('dist/libs', lib);
    if (existsSync(join(built, 'cjs', 'index.d.ts'))) {
      symlinkSync(built, join(cjsDir, 'node_modules', '@stayup', lib), 'dir');
    }
  }
  commonjs.forEach((code, i) => writeFileSync(join(cjsDir, `snippet-${i + 1}.ts`), code));
  writeFileSync(
    join(cjsDir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2023',
        strict: true,
        esModuleInterop: true,
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        noEmit: true,
        types: ['node'],
        typeRoots: [resolve('node_modules/@types')],
        // resolve @stayup/contract from beside the linked package, as in a user's node_modules
        preserveSymlinks: true,
      },
      include: ['*.ts'],
    }),
  );
  return tsc(join(cjsDir, 'tsconfig.json'));
}
