import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

// Every root devDependency earns its place: it is named somewhere in the repository (an import,
// a config, a script, a command in project.json) or is listed below with why it is needed
// without being named. A package that is only a dependency of another one is not listed here:
// npm installs it anyway.
const NEEDED_UNNAMED: Readonly<Record<string, string>> = {
  '@action-validator/core': 'a required peer dependency of @action-validator/cli',
  '@types/jest': 'the "jest" entry of every project tsconfig\'s compilerOptions.types',
};

describe('root devDependencies', () => {
  const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
  const named = (name: string) =>
    execFileSync(
      'git',
      ['grep', '-l', '-F', name, '--', ':!package.json', ':!package-lock.json', ':!**/*.md'],
      { encoding: 'utf8' },
    ).trim() !== '';
  const isNamed = (name: string) => {
    try {
      return named(name);
    } catch {
      return false; // git grep exits 1 when nothing matches
    }
  };

  it('are each used by the repository or needed for a stated reason', () => {
    // @types/<pkg> is used where <pkg> is (@types/scope__name for @scope/name)
    const typed = (name: string) =>
      name.startsWith('@types/') ? name.slice(7).replace(/^(.+)__/, '@$1/') : name;
    const unused = Object.keys(manifest.devDependencies).filter(
      (name) => !(name in NEEDED_UNNAMED) && !isNamed(typed(name)),
    );
    expect(unused).toEqual([]);
  });

  it('the reasons above name packages that are still dependencies', () => {
    for (const name of Object.keys(NEEDED_UNNAMED)) {
      expect(Object.keys(manifest.devDependencies)).toContain(name);
    }
  });
});
