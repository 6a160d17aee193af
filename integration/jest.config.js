module.exports = {
  displayName: 'integration',
  preset: '../jest.preset.js',
  testTimeout: 30_000,
};
