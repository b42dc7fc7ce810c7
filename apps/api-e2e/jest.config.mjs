import { jestConfig } from '../../jest.preset.mjs';

// Real processes and sockets: one suite at a time (--runInBand), so timings do not fight over
// two cores; every process still running after a suite is killed (test-setup.ts).
export default jestConfig('apps/api-e2e', {
  testTimeout: 60_000,
  setupFilesAfterEnv: ['<rootDir>/src/test-setup.ts'],
});
