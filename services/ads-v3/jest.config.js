module.exports = {
  displayName: 'ads-v3',
  preset: '../../jest.preset.js',
};
