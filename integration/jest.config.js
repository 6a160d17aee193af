module.exports = {
  displayName: 'integration',
  preset: '../jest.preset.js',
  testTimeout: 30_000,
  // Containers take their time to start; one suite at a time keeps them from starving each other.
  maxWorkers: 1,
  globalSetup: '<rootDir>/../libs/service-testing/src/jest-global-setup.ts',
};
