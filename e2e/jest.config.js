module.exports = {
  displayName: 'e2e',
  preset: '../jest.preset.js',
  testTimeout: 60_000,
  // Each suite runs the whole stack: one at a time, so they neither starve each other of the two cores nor race for ports.
  maxWorkers: 1,
};
