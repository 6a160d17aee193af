module.exports = {
  displayName: 'deployment',
  preset: '../jest.preset.js',
  testTimeout: 30_000,
};
