module.exports = {
  displayName: 'resilience',
  preset: '../jest.preset.js',
  testTimeout: 120_000,
  // Each scenario runs the whole stack and loads it: one at a time.
  maxWorkers: 1,
  globalSetup: '<rootDir>/../libs/service-testing/src/jest-global-setup.ts',
};
