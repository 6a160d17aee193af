// Lint checks the architecture, not the style: which project may use which,
// that only the bus (and the test tools that poke the broker from outside it)
// talks to RabbitMQ, and that code meant to run anywhere imports nothing of Node's.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Projects are tagged on two axes in their project.json: what they are (type:*) and where
// they run (platform:*). A project must satisfy the rule of each of its tags.
const production = [
  // Services never import each other: they talk over the bus.
  { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:domain', 'type:bus', 'type:runtime'] },
  { sourceTag: 'type:front-end', onlyDependOnLibsWithTags: ['type:domain'] },
  // Pure logic (contracts, the race, the catalog, the schema translations): no bus, no runtime, no I/O.
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain'] },
  { sourceTag: 'type:bus', onlyDependOnLibsWithTags: ['type:domain'] },
  { sourceTag: 'type:runtime', onlyDependOnLibsWithTags: ['type:domain', 'type:bus'] },
  { sourceTag: 'type:test-util', onlyDependOnLibsWithTags: ['type:domain', 'type:bus', 'type:runtime', 'type:test-util'] },
  { sourceTag: 'type:bench', onlyDependOnLibsWithTags: ['type:domain', 'type:test-util'] },
  // Tools (the simulator, the walkthrough, the Chromium they drive): only the domain and each other; they talk to the stack over HTTP.
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:domain', 'type:tool'] },
  // End-to-end tests may drive the stack with a tool (the simulator).
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:domain', 'type:bus', 'type:runtime', 'type:test-util', 'type:tool'] },
  // Where code runs: the browser and "anywhere" never reach for Node-only code.
  { sourceTag: 'platform:browser', onlyDependOnLibsWithTags: ['platform:browser', 'platform:any'] },
  { sourceTag: 'platform:any', onlyDependOnLibsWithTags: ['platform:any'] },
  { sourceTag: 'platform:node', onlyDependOnLibsWithTags: ['platform:node', 'platform:any'] },
];
// Tests, and the test helpers a service exports, may also use the shared test utilities.
const tests = production.map((c) =>
  c.sourceTag.startsWith('type:') ? { ...c, onlyDependOnLibsWithTags: [...new Set([...c.onlyDependOnLibsWithTags, 'type:test-util'])] } : c,
);
// Tests of code that runs anywhere still run in Node.js.
const nodeTests = tests.map((c) => (c.sourceTag === 'platform:any' || c.sourceTag === 'platform:browser' ? { ...c, onlyDependOnLibsWithTags: ['platform:node', 'platform:any'] } : c));

const boundaries = (depConstraints, allow = []) => ['error', { enforceBuildableLibDependency: false, allow, depConstraints }];

const amqplib = { name: 'amqplib', message: 'Only libs/messaging talks to RabbitMQ: use its Bus.' };
// Code that runs in the browser, or anywhere, imports no Node.js module.
const nodeOnly = { group: ['node:*', 'fs', 'path', 'crypto', 'os', 'child_process', 'net', 'http', 'perf_hooks'], message: 'This code runs in the browser too: no Node.js modules.' };

export default [
  { ignores: ['**/dist', '**/node_modules', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': boundaries(production),
      'no-restricted-imports': ['error', { paths: [amqplib] }],
    },
  },
  {
    files: ['libs/contracts/src/**/*.ts', 'libs/race/src/**/*.ts', 'libs/catalog/src/**/*.ts', 'libs/schema-translation/src/**/*.ts', 'web/src/**/*.ts'],
    // Tests, and files named *.node.ts (tools' helpers the browser never imports), run in Node.js.
    ignores: ['**/*.spec.ts', '**/*.node.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [amqplib], patterns: [nodeOnly] }] },
  },
  {
    files: ['**/*.spec.ts', '**/src/testing.ts', 'libs/schema-translation/src/arbitraries.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(nodeTests) },
  },
  {
    // The integration tests, the deployment checks and the benchmark start services from
    // the one list of services (libs/service-testing's services.ts loads them by name);
    // the web server's own test helpers are imported by name.
    files: ['integration/src/**/*.ts', 'deployment/src/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(nodeTests, ['@ad-race/web/testing']) },
  },
  {
    // The bus, and the probe and floor that poke the broker from outside it in tests and the benchmark.
    files: ['libs/messaging/src/**/*.ts', 'libs/testing/src/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
];
