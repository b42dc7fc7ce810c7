import { jestConfig } from '../../jest.preset.mjs';

export default jestConfig('tools/k8s-policy');
