// Shared Jest settings for every project: Node environment, @swc/jest for
// TypeScript, and a reporter that records totals for `npm test` to sum up.
const path = require('node:path');

module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/?(*.)+(spec|test).ts'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  transform: {
    '^.+\\.(ts|js|mjs)$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  // cookie@2 and content-disposition@3 ship ES modules only, and @fastify/cookie
  // loads cookie@2 with import(): let swc compile all three to CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!(cookie|content-disposition|@fastify/cookie)/)'],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  reporters: ['default', path.join(__dirname, 'tools/jest/totals-reporter.js')],
};
