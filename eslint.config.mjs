import nx from '@nx/eslint-plugin';

/**
 * Module boundaries are the architecture: the API never imports CDK code (scope:runtime depends
 * on scope:runtime only), libraries never import apps, production code never imports the test
 * harness or the policy checks (scope:tooling), and only tests and end-to-end suites use them.
 * The direction is runtime → infra → tooling: tooling may read the contract and the constructs.
 */
const boundaries = (allowTooling) => [
  'error',
  {
    // tests may use unbuilt tooling; shipped code may not
    enforceBuildableLibDependency: !allowTooling,
    allow: [],
    depConstraints: [
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
      { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib'] },
      { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
      {
        sourceTag: 'scope:runtime',
        onlyDependOnLibsWithTags: ['scope:runtime', ...(allowTooling ? ['scope:tooling'] : [])],
      },
      {
        sourceTag: 'scope:infra',
        onlyDependOnLibsWithTags: [
          'scope:infra',
          'scope:runtime',
          ...(allowTooling ? ['scope:tooling'] : []),
        ],
      },
      {
        sourceTag: 'scope:tooling',
        onlyDependOnLibsWithTags: ['scope:tooling', 'scope:runtime', 'scope:infra'],
      },
      { sourceTag: 'scope:e2e', onlyDependOnLibsWithTags: ['scope:tooling', 'scope:runtime'] },
    ],
  },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/tmp', '**/.nx', '**/coverage'],
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries(false),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['**/*.spec.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(true) },
  },
  {
    files: ['tools/**/*', '**/*.spec.ts', 'apps/*-e2e/**/*'],
    rules: { 'no-console': 'off' },
  },
];
