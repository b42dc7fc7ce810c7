import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// tools/build/bundle-node-app.mjs turns a Nest service into one ES module. What the services rely
// on: class and function names survive (Nest logs them), Nest's own logger still works with its
// date formatter deferred, and a dependency that no longer matches a deferred initializer stops
// the build instead of shipping unnoticed.

const root = resolve(import.meta.dirname, '../../..');
const bundler = join(root, 'tools/build/bundle-node-app.mjs');

function bundle(entry: string, outdir: string, cwd = root) {
  return spawnSync(
    process.execPath,
    [bundler, entry, outdir, '--tsconfig', join(root, 'tsconfig.base.json')],
    {
      cwd,
      encoding: 'utf8',
    },
  );
}

describe('bundle-node-app', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bundle-spec-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps class and function names, and Nest’s ConsoleLogger still prints timestamps', () => {
    const source = join(dir, 'names-src');
    mkdirSync(source);
    symlinkSync(join(root, 'node_modules'), join(source, 'node_modules'), 'dir');
    const entry = join(source, 'main.ts');
    writeFileSync(
      entry,
      `import { ConsoleLogger } from '@nestjs/common';
class PaymentsController {}
class PaymentsService {}
function makeHandler() {
  return function handleRequest(): void {};
}
const made = Array.from({ length: 3 }, () => makeHandler());
console.log(JSON.stringify({ classes: [PaymentsController.name, PaymentsService.name], closures: made.map((f) => f.name) }));
new ConsoleLogger('Fixture', { timestamp: true }).log('hello from the bundle');
`,
    );
    const built = bundle(entry, join(dir, 'names'));
    expect(built.status).toBe(0);
    expect(readFileSync(join(dir, 'names/main.js'), 'utf8')).not.toMatch(
      /new Intl\.DateTimeFormat\(void 0/,
    );
    const run = spawnSync(process.execPath, [join(dir, 'names/main.js')], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout.split('\n')[0])).toEqual({
      classes: ['PaymentsController', 'PaymentsService'],
      closures: ['handleRequest', 'handleRequest', 'handleRequest'],
    });
    // e.g. "[Nest] 123  - 11/26/2026, 2:40:00 AM     LOG [Fixture] hello from the bundle"
    expect(run.stdout).toMatch(
      /\[Nest\] \d+ {2}- \d{1,2}\/\d{1,2}\/\d{4}, .+LOG \[Fixture\] hello from the bundle/,
    );
  });

  it('stops when a deferred initializer no longer matches its dependency', () => {
    const project = join(dir, 'changed-dependency');
    const services = join(project, 'node_modules/@nestjs/common/services');
    mkdirSync(services, { recursive: true });
    writeFileSync(
      join(project, 'node_modules/@nestjs/common/package.json'),
      '{"name":"@nestjs/common","type":"module"}',
    );
    writeFileSync(
      join(services, 'logger.service.js'),
      'export const formatter = new Intl.DateTimeFormat();\n',
    );
    writeFileSync(
      join(project, 'main.js'),
      "import { formatter } from '@nestjs/common/services/logger.service.js';\nconsole.log(formatter);\n",
    );
    const built = bundle(join(project, 'main.js'), join(project, 'dist'), project);
    expect(built.status).not.toBe(0);
    expect(built.stderr).toContain(
      'logger.service.js no longer matches "const dateTimeFormatter = new Intl.DateTimeFormat(" as expected',
    );
    expect(built.stderr).toContain(
      'update DEFERRED_INITIALIZERS in tools/build/bundle-node-app.mjs',
    );
  });
});
