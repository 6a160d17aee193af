module.exports = {
  displayName: 'chromium',
  preset: '../../jest.preset.js',
};
