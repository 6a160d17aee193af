module.exports = {
  displayName: 'verdict',
  preset: '../../jest.preset.js',
};
