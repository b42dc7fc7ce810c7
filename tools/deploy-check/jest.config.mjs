import { jestConfig } from '../../jest.preset.mjs';

// The platform test synthesizes the real CDK app (about 10 s on 2 cores).
export default jestConfig('tools/deploy-check', { testTimeout: 180_000 });
