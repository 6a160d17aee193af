module.exports = {
  displayName: 'race',
  preset: '../../jest.preset.js',
};
