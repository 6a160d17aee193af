import { retryAfterMs } from './driver';
import { DEFAULTS, parseCommandLine, usage } from './options';

describe('the command line', () => {
  it('has defaults for a week of traffic against the local stack', () => {
    expect(parseCommandLine([], {})).toEqual({ help: false, options: { url: 'http://localhost:3000', ...DEFAULTS, quiet: false } });
    expect(parseCommandLine([], { PORT: '3100' })).toMatchObject({ options: { url: 'http://localhost:3100' } });
  });

  it('takes every option', () => {
    const command = parseCommandLine(['--customers', '5', '--days', '1', '--speed', '86400', '--seed', '42', '--url', 'https://ads.example.com/', '--quiet'], {});
    expect(command).toEqual({ help: false, options: { url: 'https://ads.example.com', customers: 5, days: 1, speed: 86_400, seed: 42, quiet: true } });
  });

  it('asks for help with --help, and the help names every option', () => {
    expect(parseCommandLine(['--help'])).toEqual({ help: true });
    for (const option of ['--customers', '--days', '--speed', '--seed', '--url', '--quiet', '--help']) expect(usage({})).toContain(option);
  });

  it('says what is wrong with a bad option', () => {
    expect(() => parseCommandLine(['--customers', '0'], {})).toThrow('--customers must be a whole number from 1 to 240, not "0"');
    expect(() => parseCommandLine(['--days', '1.5'], {})).toThrow('--days');
    expect(() => parseCommandLine(['--speed', 'fast'], {})).toThrow('--speed must be a positive number');
    expect(() => parseCommandLine(['--url', 'localhost:3000'], {})).toThrow('--url must be an http(s) URL');
    expect(() => parseCommandLine(['--colour'], {})).toThrow();
  });

  it('waits as long as a Retry-After says, in seconds or as a date, within bounds', () => {
    expect(retryAfterMs('7')).toBe(7000);
    expect(retryAfterMs(new Date(60_000).toUTCString(), 30_000)).toBe(30_000);
    expect(retryAfterMs('0')).toBe(1000);
    expect(retryAfterMs('100000')).toBe(120_000);
    expect(retryAfterMs(null)).toBe(5000);
  });
});
