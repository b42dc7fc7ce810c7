import { jestConfig } from '../../jest.preset.mjs';

export default jestConfig('libs/k8s-ha');
