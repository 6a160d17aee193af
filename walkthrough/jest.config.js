module.exports = {
  displayName: 'walkthrough',
  preset: '../jest.preset.js',
};
