import baseConfig from '../../eslint.config.mjs';

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
