module.exports = {
  displayName: 'ads-v1',
  preset: '../../jest.preset.js',
};
