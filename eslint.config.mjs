// Lint checks the architecture, not the style: which project may use which,
// and that only the messaging library talks to RabbitMQ.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Projects are tagged by type in their project.json.
const production = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:front-end', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:test-util', onlyDependOnLibsWithTags: ['type:lib', 'type:test-util'] },
  { sourceTag: 'type:bench', onlyDependOnLibsWithTags: ['type:lib', 'type:test-util'] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:app', 'type:lib', 'type:test-util'] },
];
// Tests, and the test helpers a service exports, may also use the shared test utilities.
const tests = production.map((c) => ({ ...c, onlyDependOnLibsWithTags: [...new Set([...c.onlyDependOnLibsWithTags, 'type:test-util'])] }));

const boundaries = (depConstraints, allow = []) => ['error', { enforceBuildableLibDependency: false, allow, depConstraints }];

export default [
  { ignores: ['**/dist', '**/node_modules', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': boundaries(production),
      'no-restricted-imports': ['error', { paths: [{ name: 'amqplib', message: 'Only libs/messaging talks to RabbitMQ: use its Bus.' }] }],
    },
  },
  {
    files: ['**/*.spec.ts', '**/src/testing.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(tests) },
  },
  {
    // The integration tests build the services in-process, and the deployment checks read
    // their configuration schemas and routes: the only places that import apps.
    files: ['integration/src/**/*.ts', 'deployment/src/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(tests, ['@ad-race/ads-v1', '@ad-race/ads-v2', '@ad-race/web', '@ad-race/web/testing']) },
  },
  {
    // The bus, and the probe and floor that poke the broker from outside it in tests and the benchmark.
    files: ['libs/messaging/src/**/*.ts', 'libs/testing/src/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
];
