module.exports = {
  displayName: 'fitness',
  preset: '../../jest.preset.js',
};
