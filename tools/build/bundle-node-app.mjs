#!/usr/bin/env node
// Bundles a NestJS application into one ES module that runs with plain `node main.js`.
//
// Why not @nx/webpack or @nx/esbuild: esbuild alone does not emit decorator metadata, which Nest's
// dependency injection reads, and webpack drags in a CSS toolchain we do not use. Here TypeScript
// transpiles each .ts file (emitting the metadata) and esbuild bundles the result with every
// dependency, so the service starts by parsing one file instead of resolving ~400 modules.
//
// Usage: node tools/build/bundle-node-app.mjs <entry.ts> <outdir> [--tsconfig <path>]
//        [--external <pkg> ...]
//
// The watch mode (tools/build/serve-node-app.mjs, `nx serve api`) imports this module and builds
// with the same options through an esbuild context: what runs in development is what ships.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const USAGE =
  'usage: bundle-node-app.mjs <entry.ts> <outdir> [--tsconfig p] [--external pkg]';

/**
 * Packages NestJS and Fastify import only when a feature is used (microservices, websockets,
 * validation, static files, views, multipart, CORS, the Express adapter). Those not installed
 * cannot be bundled and are never loaded by a service that does not use the feature: they stay
 * external. Derived from what is installed, so adding one (e.g. @fastify/cors) bundles it.
 */
const OPTIONAL_INTEGRATIONS = [
  '@nestjs/microservices',
  '@nestjs/websockets',
  '@nestjs/platform-express',
  'class-validator',
  'class-transformer',
  '@fastify/static',
  '@fastify/view',
  '@fastify/multipart',
  '@fastify/cors',
];

/**
 * Reads the command line shared by the one-shot build and the watch mode. Returns undefined when
 * the entry or the output directory is missing.
 * @returns {{ entry: string, outdir: string, tsconfigPath: string, externals: string[] } | undefined}
 */
export function parseBundleArgs(argv) {
  const positional = [];
  const externals = [];
  let tsconfigPath = 'tsconfig.base.json';
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--external') externals.push(argv[++i]);
    else if (argv[i] === '--tsconfig') tsconfigPath = argv[++i];
    else positional.push(argv[i]);
  }
  const resolveFromHere = createRequire(import.meta.url);
  for (const name of OPTIONAL_INTEGRATIONS) {
    try {
      resolveFromHere.resolve(`${name}/package.json`);
    } catch (error) {
      // installed but not exporting package.json still counts as installed
      if (error.code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') externals.push(name);
    }
  }
  const [entry, outdir] = positional;
  return entry && outdir ? { entry, outdir, tsconfigPath, externals } : undefined;
}

/**
 * esbuild's `keepNames` helper redefines `name` on every function it is given, including each
 * closure created at run time. With identifiers unmangled the name is nearly always right
 * already, so the replacement only defines it when it differs. Same length, so the source map
 * stays exact. Why: docs/internals.md#esbuild-name-helper
 */
const NAME_HELPER =
  /__name ?= ?\(target, ?value\) ?=> ?__defProp\(target, ?"name", ?\{ ?value, ?configurable: ?(?:true|!0) ?\}\)/g;
const LEAN_NAME_HELPER = '__name=(t,v)=>t.name===v?t:__defProp(t,"name",{value:v,configurable:!0})';

/**
 * Module-level work in dependencies that costs every process memory for a feature it may not use.
 * @nestjs/common builds an Intl.DateTimeFormat when its logger modules load (for ConsoleLogger's
 * timestamps), which maps ICU's locale data, even in a service that logs through its own logger
 * (the API: pino). Here the formatter is built on first use instead. If a dependency changes, the
 * build stops rather than silently shipping the eager version: update or drop the entry.
 * Why: docs/internals.md#deferred-date-time-format
 */
const DEFERRED_INITIALIZERS = [
  {
    file: /@nestjs[\\/]common[\\/]services[\\/](console-logger|logger)\.service\.js$/,
    find: 'const dateTimeFormatter = new Intl.DateTimeFormat(',
    replace: 'const dateTimeFormatter = __deferredDateTimeFormat(',
    // every use must be .format(), the one method the deferred stand-in has
    uses: { all: /\bdateTimeFormatter\./g, supported: /\bdateTimeFormatter\.format\(/g },
    helper: `
function __deferredDateTimeFormat(locales, options) {
  let formatter;
  return { format: (date) => (formatter ??= new Intl.DateTimeFormat(locales, options)).format(date) };
}`,
  },
];

const deferInitializers = {
  name: 'defer-module-initializers',
  setup(b) {
    for (const deferred of DEFERRED_INITIALIZERS) {
      b.onLoad({ filter: deferred.file }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        const uses = source.match(deferred.uses.all)?.length ?? 0;
        if (
          !source.includes(deferred.find) ||
          uses !== (source.match(deferred.uses.supported)?.length ?? 0)
        ) {
          return {
            errors: [
              {
                text: `${args.path} no longer matches "${deferred.find}" as expected: update DEFERRED_INITIALIZERS in tools/build/bundle-node-app.mjs`,
              },
            ],
          };
        }
        return {
          contents: source.replace(deferred.find, deferred.replace) + deferred.helper + '\n',
          loader: 'js',
        };
      });
    }
  },
};

/**
 * Transpiles TypeScript with tsc so that `emitDecoratorMetadata` is honoured. Each output is kept
 * with its source: on a rebuild (watch mode) only the files whose text changed are transpiled
 * again. A syntax error is reported as a build error: tsc's transpiler would otherwise emit its
 * best guess at what was meant and the build would succeed.
 */
function typescriptWithMetadata(compilerOptions, sources) {
  const transpiled = new Map();
  return {
    name: 'typescript-with-decorator-metadata',
    setup(b) {
      b.onStart(() => sources.clear());
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        sources.add(args.path);
        const source = readFileSync(args.path, 'utf8');
        const cached = transpiled.get(args.path);
        if (cached?.source === source) return cached.result;
        const out = ts.transpileModule(source, {
          compilerOptions,
          fileName: args.path,
          reportDiagnostics: true,
        });
        const errors = out.diagnostics
          .filter((d) => d.file && d.category === ts.DiagnosticCategory.Error)
          .map((d) => syntaxError(d, source));
        const result = errors.length
          ? { errors }
          : { contents: out.outputText, loader: 'js', resolveDir: dirname(args.path) };
        transpiled.set(args.path, { source, result });
        return result;
      });
    },
  };
}

/** A tsc diagnostic as an esbuild message, with the file, line and column esbuild prints. */
function syntaxError(diagnostic, source) {
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
  return {
    text: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
    location: {
      file: relative(process.cwd(), diagnostic.file.fileName),
      line: line + 1,
      column: character,
      length: diagnostic.length ?? 0,
      lineText: source.split(/\r?\n/)[line] ?? '',
    },
  };
}

/**
 * The esbuild options for one application, for `build()` (one-shot) or `context()` (watch mode).
 * `sources` lists the TypeScript files the last build loaded, also when it failed.
 */
export function createNodeAppBundle({
  entry,
  outdir,
  tsconfigPath = 'tsconfig.base.json',
  externals = [],
  minify = process.env.BUNDLE_MINIFY !== 'false',
}) {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    resolve(tsconfigPath),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  const compilerOptions = {
    ...parsed.options,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    noEmit: false,
    declaration: false,
    sourceMap: false,
    inlineSourceMap: true,
    inlineSources: true,
  };
  const sources = new Set();
  const options = {
    entryPoints: [entry],
    outfile: join(outdir, 'main.js'),
    bundle: true,
    platform: 'node',
    target: 'node22.13', // the Node floor (.nvmrc; the image runs 24)
    format: 'esm',
    sourcemap: 'linked',
    legalComments: 'linked',
    tsconfig: tsconfigPath,
    metafile: true,
    // Nest reads class names (tokens, log contexts); esbuild would otherwise rename clashing ones.
    keepNames: true,
    // Identifiers stay as written: with keepNames, every function created at run time (Fastify's
    // per-request `next` closures, for one) passes through esbuild's `__name` helper; names left
    // unmangled let LEAN_NAME_HELPER skip its Object.defineProperty (see below).
    minifyWhitespace: minify,
    minifySyntax: minify,
    minifyIdentifiers: false,
    // CommonJS dependencies bundled into an ES module still call require() for Node built-ins.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    external: externals,
    plugins: [typescriptWithMetadata(compilerOptions, sources), deferInitializers],
    logLevel: 'warning',
    // kept in memory: the bundle is patched (LEAN_NAME_HELPER) before anything is written
    write: false,
  };
  return { entry, outdir, options, sources };
}

/**
 * The files a build writes, in order: esbuild's outputs with the bundle patched, then
 * package.json. Throws when the bundle cannot be patched.
 * @returns {{ path: string, contents: string | Uint8Array }[]}
 */
export function bundleFiles(result, outdir) {
  const bundlePath = resolve(outdir, 'main.js');
  const bundle = result.outputFiles.find((f) => f.path === bundlePath);
  const helpers = bundle?.text.match(NAME_HELPER) ?? [];
  if (helpers.length !== 1) {
    // esbuild changed its helper: fail rather than ship the slow one unnoticed
    throw new Error(
      `bundle-node-app: expected esbuild's __name helper once in ${bundlePath}; update NAME_HELPER`,
    );
  }
  return [
    ...result.outputFiles.map((file) => ({
      path: file.path,
      contents:
        file === bundle
          ? file.text.replace(NAME_HELPER, (helper) => LEAN_NAME_HELPER.padEnd(helper.length))
          : file.contents,
    })),
    {
      path: join(outdir, 'package.json'),
      contents: JSON.stringify({ type: 'module', private: true, main: 'main.js' }, null, 2) + '\n',
    },
  ];
}

/** Writes what {@link bundleFiles} returned. */
export function writeBundleFiles(files, outdir) {
  mkdirSync(outdir, { recursive: true });
  for (const file of files) writeFileSync(file.path, file.contents);
}

/** e.g. "1152 modules, 7077 KiB incl. map" */
export function describeBundle(result) {
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  return `${Object.keys(result.metafile.inputs).length} modules, ${(bytes / 1024).toFixed(0)} KiB incl. map`;
}

async function main() {
  const args = parseBundleArgs(process.argv.slice(2));
  if (!args) {
    console.error(USAGE);
    process.exit(2);
  }
  const { entry, outdir, options } = createNodeAppBundle(args);
  const started = Date.now();
  const result = await build(options);
  let files;
  try {
    files = bundleFiles(result, outdir);
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
  writeBundleFiles(files, outdir);
  console.log(
    `bundled ${entry} -> ${join(outdir, 'main.js')} (${describeBundle(result)}) ` +
      `in ${Date.now() - started} ms`,
  );
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
