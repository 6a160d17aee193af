module.exports = {
  displayName: 'ads-v2',
  preset: '../../jest.preset.js',
};
