import { BaseConfig } from '@ad-race/service-runtime';
import { chromiumPath, listedServices } from '@ad-race/service-testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsyaml from 'js-yaml';

// The pure parts of the stage controls (tools/stack-state.mjs), and the Chromium lookup of the browser tests.
// tools/ is no project of the workspace: its modules are loaded as files, as the tests run its scripts.
const { composeCommands, composeShadowVariable, runningComposeServices, DEFAULT_NAMESPACE, judgeRecord, parseStageArgs, redactUrl, stackKey, stateFile, UsageError } = require(
  join(__dirname, '../../tools/stack-state.mjs'),
) as typeof import('../../tools/stack-state.mjs');
const SERVICES = listedServices().map((s) => s.name);

describe('which stack the stage controls mean', () => {
  it('is the one of PORT and BUS_NAMESPACE, by default the services own default namespace on port 3000', () => {
    expect(DEFAULT_NAMESPACE).toBe(BaseConfig.BUS_NAMESPACE.default);
    expect(stackKey({})).toEqual({ port: 3000, namespace: DEFAULT_NAMESPACE });
    expect(stackKey({ PORT: '3100', BUS_NAMESPACE: 'demo-b' })).toEqual({ port: 3100, namespace: 'demo-b' });
    expect(stateFile('/tmp', { port: 3100, namespace: 'demo-b' })).toBe('/tmp/ad-race/stack-demo-b-3100.json');
  });

  it('refuses a PORT or BUS_NAMESPACE that cannot be one', () => {
    expect(() => stackKey({ PORT: 'abc' })).toThrow(UsageError);
    expect(() => stackKey({ BUS_NAMESPACE: '../etc' })).toThrow(/no namespace/);
  });
});

describe('reading a stack record', () => {
  const record = { supervisor: 4242, control: 'http://127.0.0.1:40001', token: 'a'.repeat(48), namespace: 'demo', port: 3000, services: [{ name: 'ads-v2', port: 3002, pid: 4243, shadow: false }] };

  it('trusts a record whose supervisor runs', () => {
    expect(judgeRecord(JSON.stringify(record), (pid) => pid === 4242)).toEqual({ kind: 'live', record });
  });

  it('reports a record whose supervisor is gone as stale, without trusting it', () => {
    expect(judgeRecord(JSON.stringify(record), () => false)).toEqual({ kind: 'stale', pid: 4242 });
  });

  it('says when there is none, or it is not a record', () => {
    expect(judgeRecord(undefined)).toEqual({ kind: 'none' });
    expect(judgeRecord('{"supervisor": 1', () => true).kind).toBe('unreadable');
    const unreadable = judgeRecord(JSON.stringify({ ...record, control: 'http://example.com:80' }), () => true);
    expect(unreadable).toEqual({ kind: 'unreadable', problem: expect.stringMatching(/\/control/) });
  });
});

describe('the stage command line', () => {
  it('takes a verb, a service of the list and, for shadow, on (the default) or off', () => {
    expect(parseStageArgs(['status'], SERVICES)).toEqual({ compose: false, verb: 'status', service: undefined, shadow: undefined });
    expect(parseStageArgs(['stop', 'ads-v2'], SERVICES)).toMatchObject({ verb: 'stop', service: 'ads-v2' });
    expect(parseStageArgs(['shadow', 'ads-v2'], SERVICES)).toMatchObject({ verb: 'shadow', shadow: true });
    expect(parseStageArgs(['shadow', 'ads-v2', 'off'], SERVICES)).toMatchObject({ verb: 'shadow', shadow: false });
    expect(parseStageArgs(['--compose', 'restart', 'web'], SERVICES)).toMatchObject({ compose: true, verb: 'restart', service: 'web' });
  });

  it('says in one line what is wrong, naming the services or the commands', () => {
    const problem = (argv: string[]) => {
      try {
        parseStageArgs(argv, SERVICES);
      } catch (err) {
        expect(err).toBeInstanceOf(UsageError);
        return (err as Error).message;
      }
      throw new Error(`${argv.join(' ')} was accepted`);
    };
    expect(problem(['start', 'ads-v9'])).toBe(`unknown service "ads-v9"; the services are ${SERVICES.join(', ')}`);
    expect(problem(['launch', 'ads-v2'])).toMatch(/^unknown command "launch"; the commands are status, start/);
    expect(problem(['stop'])).toMatch(/^stop needs a service: one of web, /);
    expect(problem(['shadow', 'ads-v2', 'maybe'])).toMatch(/on or off/);
    expect(problem(['stop', 'ads-v2', 'now'])).toMatch(/too many arguments/);
    expect(problem(['--force', 'stop', 'ads-v2'])).toMatch(/unknown option --force/);
    expect(problem(['clean', 'web'])).toMatch(/takes no service/);
    expect(problem([])).toMatch(/^usage: /);
    for (const message of ['start ads-v9', 'launch', 'stop', '', 'clean web'].map((a) => problem(a.split(' ').filter(Boolean)))) expect(message).not.toContain('\n');
  });
});

describe('stage on the compose stack', () => {
  const compose = jsyaml.load(readFileSync(join(__dirname, '../../docker-compose.yml'), 'utf8')) as { services: Record<string, { environment?: Record<string, string> }> };

  it('runs docker compose for each verb', () => {
    expect(composeCommands({ verb: 'stop', service: 'ads-v2', shadow: undefined })).toEqual([{ args: ['stop', 'ads-v2'], env: {} }]);
    expect(composeCommands({ verb: 'start', service: 'ads-v2', shadow: undefined })).toEqual([{ args: ['up', '--detach', '--wait', 'ads-v2'], env: {} }]);
    expect(composeCommands({ verb: 'status', service: undefined, shadow: undefined })).toEqual([{ args: ['ps', '--all'], env: {} }]);
    expect(composeCommands({ verb: 'shadow', service: 'ads-v2', shadow: true })).toEqual([{ args: ['up', '--detach', '--wait', 'ads-v2'], env: { ADS_V2_SHADOW: 'true' } }]);
  });

  it('does without --wait on docker-compose v1, which has none', () => {
    expect(composeCommands({ verb: 'shadow', service: 'ads-v1', shadow: false }, false)).toEqual([{ args: ['up', '--detach', 'ads-v1'], env: { ADS_V1_SHADOW: 'false' } }]);
  });

  it('knows a service runs from the services compose lists as running', () => {
    expect(runningComposeServices('rabbitmq\nads-v2\n\n')).toEqual(['rabbitmq', 'ads-v2']);
    expect(runningComposeServices('')).toEqual([]);
  });

  it('sets shadow through a variable that docker-compose.yml reads for every service with a shadow mode', () => {
    for (const name of SERVICES) {
      const config = readFileSync(join(__dirname, `../../services/${name}/src/config.ts`), 'utf8');
      const shadow = compose.services[name]?.environment?.['SHADOW'];
      if (/\bSHADOW\s*:/.test(config)) expect(shadow).toMatch(new RegExp(`^\\$\\{${composeShadowVariable(name)}:-(true|false)\\}$`));
      else expect(shadow).toBeUndefined();
    }
  });
});

it('hides the password of a broker URL it prints', () => {
  expect(redactUrl('amqp://guest:secret@127.0.0.1:5672')).toBe('amqp://guest:***@127.0.0.1:5672');
  expect(redactUrl('amqps://broker.example:5671')).toBe('amqps://broker.example:5671');
});

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
