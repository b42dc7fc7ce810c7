import baseConfig from '../../eslint.config.mjs';

// projects/ are other people's projects, in their own style and tool versions: not linted here
export default [...baseConfig, { ignores: ['projects/**', 'support/**'] }];
