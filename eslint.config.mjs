// Module boundaries are enforced from Nx project tags: services may import libs, never each other;
// libs/contracts imports nothing of ours. Imports may not go round in a cycle.
import nx from '@nx/eslint-plugin';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

// Applications other than services (the CLI, apps/*) are type:app. Scopes say what a lib is for: scope:shared is
// service-agnostic (any service, the CLI, tests), scope:service is
// the runtime of a NestJS service (service-kit), scope:testing helps tests against real infrastructure. Shared libs
// import only shared ones; libs/testing is imported only by test code (specs, test support, test/, bench/).
const TEST_CODE = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/test-support/**/*.ts', 'services/*/src/testing/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'];

function boundaries({ testCode }) {
  const testing = testCode ? ['scope:testing'] : [];
  const notTesting = testCode ? {} : { notDependOnLibsWithTags: ['scope:testing'] };
  return [
    'error',
    {
      enforceBuildableLibDependency: false,
      allow: [],
      depConstraints: [
        { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
        { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:contracts', 'type:lib'] },
        { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:contracts', 'type:lib'], ...notTesting },
        { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:contracts', 'type:lib'] },
        { sourceTag: 'type:bench', onlyDependOnLibsWithTags: ['type:contracts', 'type:lib'] },
        { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['scope:shared', ...testing] },
        { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared', ...testing] },
        { sourceTag: 'scope:service', onlyDependOnLibsWithTags: ['scope:shared', 'scope:service', ...testing] },
        { sourceTag: 'scope:testing', onlyDependOnLibsWithTags: ['scope:shared', 'scope:testing'] },
      ],
    },
  ];
}

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '.data/**', '.nx/**', 'test/fixtures/**/*.py'] },
  ...tseslint.configs.recommended,
  { files: ['**/*.js', '**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly' } }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx, 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.base.json' })],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Type-only imports are not followed by this rule; test/module-boundaries.e2e-spec.ts checks those cycles too.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@nx/enforce-module-boundaries': boundaries({ testCode: false }),
    },
  },
  { files: TEST_CODE, rules: { '@nx/enforce-module-boundaries': boundaries({ testCode: true }) } },
];
