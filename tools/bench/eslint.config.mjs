import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  // the benchmarks' output is what they are for (the root config's `tools/**` pattern does not
  // match here: patterns are relative to this file)
  { files: ['**/*.ts'], rules: { 'no-console': 'off' } },
];
