#!/usr/bin/env node
// Adds a CommonJS build beside a library's ES module build, so that `require('@stayup/…')` works
// wherever users are: `nest new` projects (CommonJS, Jest with ts-jest), `cdk8s init` projects,
// and Node versions without require(esm) (before 20.19 / 22.12).
//
//   node tools/build/commonjs.mjs <dist-dir>
//
// <dist-dir> holds the ES modules and declarations that `tsc` emitted (the `compile` target). This
// writes <dist-dir>/cjs/: every .js re-emitted as CommonJS, every .d.ts copied, and a package.json
// of `{"type": "commonjs"}` so that Node and TypeScript read both as CommonJS there. The package's
// conditional exports then send `import` to the ES modules and `require` to cjs/ (see
// https://nodejs.org/api/packages.html#conditional-exports and TypeScript's guide to publishing
// dual packages, https://www.typescriptlang.org/docs/handbook/modules/reference.html#packagejson-exports).
//
// Why from the emitted JavaScript and not a second `tsc` run over the sources: decorators and
// their metadata are already compiled there, so the only change left is the module format, which
// `ts.transpileModule` does file by file without a program; a second program would have to
// re-resolve workspace dependencies that Nx maps to their output directories (the reason the
// libraries compile with `moduleResolution: bundler`). The cost: the ES module sources must not use
// what CommonJS lacks. `import.meta` and top-level await fail here, loudly, instead of at a user's
// `require()`.
import {
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export const CJS_DIR = 'cjs';

/**
 * ES module syntax that has no CommonJS translation (`import.meta`, `await` outside a function),
 * as "line:column what"; `transpileModule` would pass both through to code that fails at run time.
 */
export function unsupportedSyntax(source, fileName) {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const found = [];
  const visit = (node, inFunction) => {
    const where = () => {
      const { line, character } = file.getLineAndCharacterOfPosition(node.getStart(file));
      return `${line + 1}:${character + 1}`;
    };
    if (ts.isMetaProperty(node) && node.keywordToken === ts.SyntaxKind.ImportKeyword) {
      found.push(`${where()} import.meta`);
    }
    if (
      !inFunction &&
      (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier))
    ) {
      found.push(`${where()} top-level await`);
    }
    ts.forEachChild(node, (child) => visit(child, inFunction || ts.isFunctionLike(node)));
  };
  visit(file, false);
  return found;
}

function* files(dir, root = dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      if (relative(root, path) !== CJS_DIR && entry !== 'node_modules') yield* files(path, root);
    } else yield path;
  }
}

/** ES module text → CommonJS text (named exports, `require`, interop with default exports). */
export function toCommonJs(source, fileName) {
  const unsupported = unsupportedSyntax(source, fileName);
  if (unsupported.length > 0) {
    throw new Error(
      `${fileName}: ${unsupported.join(', ')}: no CommonJS equivalent; the CommonJS build needs code without it`,
    );
  }
  const { outputText, diagnostics } = ts.transpileModule(source, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      // the input is already JavaScript: keep comments and names as they are
      removeComments: false,
    },
  });
  if (diagnostics?.length) {
    const text = diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    throw new Error(`${fileName}: ${text.join('; ')}`);
  }
  return outputText;
}

export function buildCommonJs(distDir) {
  const dist = resolve(distDir);
  const out = join(dist, CJS_DIR);
  rmSync(out, { recursive: true, force: true });
  let count = 0;
  for (const path of files(dist)) {
    const target = join(out, relative(dist, path));
    if (path.endsWith('.js')) {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, toCommonJs(readFileSync(path, 'utf8'), relative(dist, path)));
      count++;
    } else if (path.endsWith('.d.ts')) {
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(path, target);
    }
  }
  if (count === 0) throw new Error(`${dist}: no .js files to convert (was the library compiled?)`);
  writeFileSync(join(out, 'package.json'), JSON.stringify({ type: 'commonjs' }, null, 2) + '\n');
  return count;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const [dir] = process.argv.slice(2);
  if (!dir) {
    console.error('usage: commonjs.mjs <dist-dir>');
    process.exit(2);
  }
  const count = buildCommonJs(dir);
  console.log(`${dir}/${CJS_DIR}: ${count} CommonJS modules`);
}
