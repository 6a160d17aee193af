import { join } from 'node:path';
import { parseCommandLine } from './options';
import { PACES } from './pace';

const root = join(__dirname, '../..');

describe('the walkthrough command line', () => {
  it('runs every act, live, against npm start\'s stack by default: the web server at PORT, the monitor at its place in the list', () => {
    const command = parseCommandLine([], {}, root)!;
    expect(command.acts).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(command.pace).toBe(PACES.live);
    expect(command.address).toMatchObject({ compose: false, web: 'http://localhost:3000', monitor: 'http://localhost:3005' });
    expect(parseCommandLine([], { PORT: '4000' }, root)!.address).toMatchObject({ web: 'http://localhost:4000', monitor: 'http://localhost:4005' });
  });

  it('takes acts, a pace, the compose stack and its ports, addresses, a folder for pictures and a seed', () => {
    const command = parseCommandLine(['--act', '6', '--act', '2', '--act', '6', '--pace', 'fast', '--compose', '--screenshots', 'shots', '--seed', '7'], { WEB_PORT: '13000', MONITOR_PORT: '13005' }, root)!;
    expect(command).toMatchObject({ acts: [2, 6], pace: PACES.fast, screenshots: 'shots', seed: 7 });
    expect(command.address).toMatchObject({ compose: true, web: 'http://localhost:13000', monitor: 'http://localhost:13005' });
    expect(parseCommandLine(['--url', 'http://demo:8080/', '--monitor-url', 'http://demo:8085'], {}, root)!.address).toMatchObject({ web: 'http://demo:8080', monitor: 'http://demo:8085' });
    expect(parseCommandLine(['--help'], {}, root)).toBeNull();
  });

  it('says what is wrong', () => {
    expect(() => parseCommandLine(['--act', '8'], {}, root)).toThrow('--act must be a whole number from 1 to 7, not "8"');
    expect(() => parseCommandLine(['--pace', 'slow'], {}, root)).toThrow('--pace is live or fast, not "slow"');
    expect(() => parseCommandLine(['--url', 'localhost:3000'], {}, root)).toThrow('--url must be an http(s) URL');
    expect(() => parseCommandLine(['--loud'], {}, root)).toThrow(/--loud/);
  });
});
