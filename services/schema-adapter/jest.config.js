module.exports = {
  displayName: 'schema-adapter',
  preset: '../../jest.preset.js',
};
