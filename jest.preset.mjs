import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));

/** The workspace aliases (`@stayup/*` → sources), from tsconfig.base.json: written once. */
const aliases = Object.fromEntries(
  Object.entries(
    JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')).compilerOptions.paths,
  ).map(([alias, [target]]) => [`^${alias.replace(/[/.]/g, '\\$&')}$`, join(root, target)]),
);

/**
 * Shared Jest settings. NestJS 12 is ESM-only, so every project runs Jest in ESM mode
 * (`node --experimental-vm-modules`, see tools/scripts/jest.mjs) and ts-jest emits ESM.
 * Imports are written with `.js` suffixes (NodeNext resolution); the mapper points them back
 * at the `.ts` sources.
 */
export function jestConfig(projectRoot, overrides = {}) {
  const name = projectRoot.split('/').pop();
  return {
    displayName: name,
    rootDir: join(root, projectRoot),
    testEnvironment: 'node',
    extensionsToTreatAsEsm: ['.ts'],
    transform: {
      '^.+\\.ts$': [
        'ts-jest',
        { useESM: true, tsconfig: join(root, projectRoot, 'tsconfig.json') },
      ],
    },
    moduleNameMapper: {
      ...aliases,
      '^(\\.{1,2}/.*)\\.js$': '$1',
    },
    testMatch: ['<rootDir>/src/**/*.spec.ts'],
    coverageDirectory: join(root, 'coverage', projectRoot),
    ...overrides,
  };
}
