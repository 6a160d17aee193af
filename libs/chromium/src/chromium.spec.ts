import { chromiumPath } from './chromium';

describe('the Chromium the browser tests drive', () => {
  it('is CHROMIUM_PATH when set, else the first that exists of the usual places', () => {
    expect(chromiumPath({ CHROMIUM_PATH: '/opt/chrome/chrome' }, (p) => p === '/opt/chrome/chrome')).toBe('/opt/chrome/chrome');
    expect(chromiumPath({}, (p) => p === '/usr/bin/chromium-browser' || p === '/usr/bin/google-chrome')).toBe('/usr/bin/chromium-browser');
    expect(chromiumPath({}, (p) => p === '/usr/bin/google-chrome')).toBe('/usr/bin/google-chrome');
  });

  it('says in one line how to get one when there is none', () => {
    expect(() => chromiumPath({}, () => false)).toThrow(/^Chromium not found \(looked in [^\n]+\): apt-get install chromium, or set CHROMIUM_PATH$/);
    expect(() => chromiumPath({ CHROMIUM_PATH: '/nowhere/chromium' }, () => false)).toThrow(/^Chromium not found at CHROMIUM_PATH=\/nowhere\/chromium: apt-get install chromium/);
  });
});
