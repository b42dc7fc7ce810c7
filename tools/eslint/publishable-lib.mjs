import baseConfig from '../../eslint.config.mjs';

/**
 * ESLint config of a publishable library: the workspace rules plus @nx/dependency-checks, which
 * keeps the library's package.json (dependencies and peerDependencies) true to its imports.
 */
export default [
  ...baseConfig,
  {
    files: ['**/*.json'],
    rules: {
      '@nx/dependency-checks': [
        'error',
        { ignoredFiles: ['{projectRoot}/eslint.config.mjs', '{projectRoot}/jest.config.mjs'] },
      ],
    },
    languageOptions: { parser: await import('jsonc-eslint-parser') },
  },
];
