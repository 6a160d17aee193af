module.exports = {
  displayName: 'simulator',
  preset: '../jest.preset.js',
};
