module.exports = {
  displayName: 'schema-translation',
  preset: '../../jest.preset.js',
};
