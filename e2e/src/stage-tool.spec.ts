import { BaseConfig } from '@ad-race/service-runtime';
import { listedServices } from '@ad-race/service-testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsyaml from 'js-yaml';

// The pure parts of the stage controls (tools/stack-state.mjs).
// tools/ is no project of the workspace: its modules are loaded as files, as the tests run its scripts.
const { composeCommands, composeVariable, runningComposeServices, DEFAULT_NAMESPACE, judgeRecord, parseStageArgs, readsSetting, redactUrl, settingProblem, spellSettings, STAGE_SETTINGS, stackKey, stateFile, UsageError } = require(
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
  const record = { supervisor: 4242, control: 'http://127.0.0.1:40001', token: 'a'.repeat(48), namespace: 'demo', port: 3000, services: [{ name: 'ads-v2', port: 3002, pid: 4243, shadow: false, messages: 'v1' }] };

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
    expect(parseStageArgs(['status'], SERVICES)).toEqual({ compose: false, verb: 'status', service: undefined, shadow: undefined, settings: {} });
    expect(parseStageArgs(['stop', 'ads-v2'], SERVICES)).toMatchObject({ verb: 'stop', service: 'ads-v2', settings: {} });
    expect(parseStageArgs(['shadow', 'ads-v2'], SERVICES)).toMatchObject({ verb: 'shadow', shadow: true, settings: { SHADOW: 'true' } });
    expect(parseStageArgs(['shadow', 'ads-v2', 'off'], SERVICES)).toMatchObject({ verb: 'shadow', shadow: false, settings: { SHADOW: 'false' } });
    expect(parseStageArgs(['--compose', 'restart', 'web'], SERVICES)).toMatchObject({ compose: true, verb: 'restart', service: 'web' });
  });

  it('takes settings for a start or a restart: SHADOW and MESSAGES, each with one of its values', () => {
    expect(parseStageArgs(['start', 'ads-v3', 'MESSAGES=v1'], SERVICES)).toMatchObject({ verb: 'start', service: 'ads-v3', settings: { MESSAGES: 'v1' } });
    expect(parseStageArgs(['restart', 'ads-v2', 'MESSAGES=v2', 'SHADOW=true'], SERVICES)).toMatchObject({ verb: 'restart', settings: { MESSAGES: 'v2', SHADOW: 'true' } });
    expect(STAGE_SETTINGS).toEqual({ SHADOW: ['true', 'false'], MESSAGES: ['v1', 'v2'] });
  });

  it('knows which services read a setting from their configuration', () => {
    const root = join(__dirname, '../..');
    const reading = (setting: string) => SERVICES.filter((name) => readsSetting(root, name, setting));
    expect(reading('MESSAGES')).toEqual(['ads-v2', 'ads-v3']);
    expect(reading('SHADOW')).toEqual(['ads-v1', 'ads-v2', 'ads-v3']);
    expect(readsSetting(root, 'no-such-service', 'SHADOW')).toBe(false);
  });

  it('says what is wrong with a setting given a service: not one stage gives, a value it does not take, a service without it', () => {
    const root = join(__dirname, '../..');
    expect(settingProblem(root, 'ads-v3', 'MESSAGES', 'v1')).toBeNull();
    expect(settingProblem(root, 'ads-v2', 'MESSAGES', 'v3')).toBe('MESSAGES takes v1 or v2, not "v3"');
    expect(settingProblem(root, 'ads-v2', 'COLOUR', 'red')).toBe('COLOUR is no setting stage gives: the settings are SHADOW, MESSAGES');
    expect(settingProblem(root, 'ads-v1', 'MESSAGES', 'v2')).toBe('ads-v1 has no MESSAGES setting');
    expect(spellSettings({ MESSAGES: 'v1', SHADOW: 'true' })).toBe('MESSAGES=v1 SHADOW=true');
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
    expect(problem(['start', 'ads-v2', 'MESSAGES'])).toBe('"MESSAGES" is no setting: give SETTING=value, with SETTING one of SHADOW, MESSAGES');
    expect(problem(['restart', 'ads-v2', 'MESSAGES=v1', 'MESSAGES=v2'])).toBe('MESSAGES is given twice');
    expect(problem(['stop', 'ads-v2', 'MESSAGES=v1'])).toMatch(/too many arguments/);
    expect(problem([])).toMatch(/^usage: /);
    for (const message of ['start ads-v9', 'launch', 'stop', '', 'clean web'].map((a) => problem(a.split(' ').filter(Boolean)))) expect(message).not.toContain('\n');
  });
});

describe('stage on the compose stack', () => {
  const compose = jsyaml.load(readFileSync(join(__dirname, '../../docker-compose.yml'), 'utf8')) as { services: Record<string, { environment?: Record<string, string> }> };

  it('runs docker compose for each verb: a start without settings keeps the container as it was made, settings make it anew', () => {
    expect(composeCommands({ verb: 'stop', service: 'ads-v2' })).toEqual([{ args: ['stop', 'ads-v2'], env: {} }]);
    expect(composeCommands({ verb: 'start', service: 'ads-v2' })).toEqual([{ args: ['up', '--detach', '--no-recreate', '--wait', 'ads-v2'], env: {} }]);
    expect(composeCommands({ verb: 'start', service: 'ads-v3', settings: { MESSAGES: 'v1' } })).toEqual([{ args: ['up', '--detach', '--wait', 'ads-v3'], env: { ADS_V3_MESSAGES: 'v1' } }]);
    expect(composeCommands({ verb: 'restart', service: 'ads-v2' })).toEqual([{ args: ['restart', 'ads-v2'], env: {} }]);
    expect(composeCommands({ verb: 'restart', service: 'ads-v2', settings: { MESSAGES: 'v2' } })).toEqual([{ args: ['up', '--detach', '--wait', 'ads-v2'], env: { ADS_V2_MESSAGES: 'v2' } }]);
    expect(composeCommands({ verb: 'status', service: undefined })).toEqual([{ args: ['ps', '--all'], env: {} }]);
    expect(composeCommands({ verb: 'shadow', service: 'ads-v2', settings: { SHADOW: 'true' } })).toEqual([{ args: ['up', '--detach', '--wait', 'ads-v2'], env: { ADS_V2_SHADOW: 'true' } }]);
  });

  it('does without --wait on docker-compose v1, which has none', () => {
    expect(composeCommands({ verb: 'shadow', service: 'ads-v1', settings: { SHADOW: 'false' } }, false)).toEqual([{ args: ['up', '--detach', 'ads-v1'], env: { ADS_V1_SHADOW: 'false' } }]);
  });

  it('knows a service runs from the services compose lists as running', () => {
    expect(runningComposeServices('rabbitmq\nads-v2\n\n')).toEqual(['rabbitmq', 'ads-v2']);
    expect(runningComposeServices('')).toEqual([]);
  });

  it('gives every setting through a variable that docker-compose.yml reads, for every service that has the setting', () => {
    const root = join(__dirname, '../..');
    for (const name of SERVICES) {
      for (const [setting, values] of Object.entries(STAGE_SETTINGS)) {
        const given = compose.services[name]?.environment?.[setting];
        if (readsSetting(root, name, setting)) expect(given).toMatch(new RegExp(`^\\$\\{${composeVariable(name, setting)}:-(${values.join('|')})\\}$`));
        else expect(given).toBeUndefined();
      }
    }
  });
});

it('hides the password of a broker URL it prints', () => {
  expect(redactUrl('amqp://guest:secret@127.0.0.1:5672')).toBe('amqp://guest:***@127.0.0.1:5672');
  expect(redactUrl('amqps://broker.example:5671')).toBe('amqps://broker.example:5671');
});
