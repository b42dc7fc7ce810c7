import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));

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
      '^@stayup/nest-lifecycle$': join(root, 'libs/nest-lifecycle/src/index.ts'),
      '^@stayup/harness$': join(root, 'tools/harness/src/index.ts'),
      '^@stayup/k8s-ha$': join(root, 'libs/k8s-ha/src/index.ts'),
      '^@stayup/eks-platform$': join(root, 'libs/eks-platform/src/index.ts'),
      '^@stayup/k8s-policy$': join(root, 'tools/k8s-policy/src/index.ts'),
      '^(\\.{1,2}/.*)\\.js$': '$1',
    },
    testMatch: ['<rootDir>/src/**/*.spec.ts'],
    coverageDirectory: join(root, 'coverage', projectRoot),
    ...overrides,
  };
}
