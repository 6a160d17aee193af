// What tools/start-stack.mjs (the supervisor of a stack) and tools/stage.mjs
// (its controls) agree on: which stack an environment means, where that stack
// records itself, how to read that record without trusting a stale one, and
// the stage command's arguments. Pure but for isAlive(), readRecord() and
// readsSetting(); unit-tested in e2e/src/stage-tool.spec.ts.
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The services' own default (BUS_NAMESPACE in libs/service-runtime's BaseConfig; a test checks they agree). */
export const DEFAULT_NAMESPACE = 'ad-race';
const DEFAULT_PORT = 3000;
export const DEFAULT_AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

/** The stack an environment means: the one `npm start` runs with that PORT and BUS_NAMESPACE. */
export function stackKey(env) {
  const port = Number(env.PORT || DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`PORT must be a port number, not "${env.PORT}"`);
  const namespace = env.BUS_NAMESPACE || DEFAULT_NAMESPACE;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(namespace)) throw new UsageError(`BUS_NAMESPACE "${namespace}" is no namespace (letters, digits, _ . -)`);
  return { port, namespace };
}

/** How to say which stack, in a message: the settings that select it. */
export function describeKey({ port, namespace }) {
  return `PORT=${port} BUS_NAMESPACE=${namespace}`;
}

/** The settings a command needs to select this stack, those not at their defaults ('' for the default stack). */
export function selectingSettings({ port, namespace }) {
  return [port !== DEFAULT_PORT && `PORT=${port}`, namespace !== DEFAULT_NAMESPACE && `BUS_NAMESPACE=${namespace}`].filter(Boolean).join(' ');
}

/** Where the supervisors of this machine record their stacks. */
export function stateDir(tmp) {
  return join(tmp, 'ad-race');
}

/** The record of the stack with this key. */
export function stateFile(tmp, { port, namespace }) {
  return join(stateDir(tmp), `stack-${namespace}-${port}.json`);
}

const Service = Type.Object({
  name: Type.String(),
  port: Type.Integer(),
  pid: Type.Union([Type.Integer(), Type.Null()]),
  shadow: Type.Boolean(),
  /** The message version it reads and writes (MESSAGES), for a service that has the setting; null for one that has not. */
  messages: Type.Union([Type.String(), Type.Null()]),
});

/** What a supervisor records about its stack (rewritten on every change) and answers on /status. */
const StackRecord = Type.Object({
  supervisor: Type.Integer({ description: 'pid of tools/start-stack.mjs' }),
  control: Type.String({ pattern: '^http://127\\.0\\.0\\.1:\\d+$', description: 'its control server' }),
  token: Type.String({ minLength: 16, description: 'the control server refuses requests without it' }),
  namespace: Type.String(),
  port: Type.Integer(),
  services: Type.Array(Service),
});

/** A service as /status reports it: the record's entry, and whether /health/ready answers. */
const ServiceStatus = Type.Composite([Service, Type.Object({ ready: Type.Boolean() })]);
export const StackStatus = Type.Object({
  supervisor: Type.Integer(),
  namespace: Type.String(),
  port: Type.Integer(),
  services: Type.Array(ServiceStatus),
});
/**
 * What the control server answers to an action: what happened, in one line,
 * and whether it did what was asked; `unchanged` when there was nothing to do
 * (a start of a service that runs, a stop of one that does not).
 */
export const ActionReply = Type.Object({ ok: Type.Boolean(), message: Type.String(), unchanged: Type.Optional(Type.Boolean()) });

/** stage's exit codes: done, failed, a usage error, and nothing to do (it already ran, or was already stopped). */
export const EXIT = { done: 0, failed: 1, usage: 2, unchanged: 3 };

/** Checks a value against a schema; throws one line naming the first problem. */
export function checked(schema, value, what) {
  if (Value.Check(schema, value)) return value;
  const first = [...Value.Errors(schema, value)][0];
  throw new Error(`${what} is not what it should be: ${first ? `${first.path || '/'} ${first.message}` : 'invalid'}`);
}

/** Whether a process runs (or is a zombie not yet reaped); EPERM: it runs, as someone else. */
export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/**
 * Judges a stack's record: the text of its state file (undefined when there is
 * none). A record whose supervisor is gone is stale: a stack that crashed or
 * was killed left it, and nothing in it is to be trusted.
 */
export function judgeRecord(text, alive = isAlive) {
  if (text === undefined) return { kind: 'none' };
  let record;
  try {
    record = checked(StackRecord, JSON.parse(text), 'the state file');
  } catch (err) {
    return { kind: 'unreadable', problem: err.message };
  }
  if (!alive(record.supervisor)) return { kind: 'stale', pid: record.supervisor };
  return { kind: 'live', record };
}

/** Reads and judges the record in a state file; a file that is not there is no stack. */
export function readRecord(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err.code !== 'ENOENT') throw err;
  }
  return judgeRecord(text);
}

export class UsageError extends Error {}

const VERBS = ['status', 'start', 'stop', 'restart', 'shadow', 'clean'];
const USAGE = 'usage: npm run stage -- [--compose] <status|start|stop|restart|shadow|clean> [service] [on|off | SETTING=value ...]';

/**
 * The settings stage may give a service it starts or restarts, and the values
 * each may take: SHADOW (timed, never shown) and MESSAGES (the message version
 * it reads and writes). A service takes only those its configuration reads.
 */
export const STAGE_SETTINGS = { SHADOW: ['true', 'false'], MESSAGES: ['v1', 'v2'] };

const configs = new Map();
/** A service's configuration (services/<name>/src/config.ts under `root`), read once; '' for a service that has none. */
function configOf(root, service) {
  const file = join(root, 'services', service, 'src/config.ts');
  if (!configs.has(file)) {
    try {
      configs.set(file, readFileSync(file, 'utf8'));
    } catch (err) {
      if (err.code !== 'ENOENT') throw err;
      configs.set(file, '');
    }
  }
  return configs.get(file);
}

/** Whether a service's configuration reads a setting. */
export function readsSetting(root, service, setting) {
  return new RegExp(`\\b${setting}\\s*:`).test(configOf(root, service));
}

/**
 * What is wrong with giving a service a setting, in one line, or null: the
 * setting must be one of STAGE_SETTINGS, the value one of its values, and the
 * service's configuration (under `root`) must read it. The command line and
 * the supervisor's control server both ask.
 */
export function settingProblem(root, service, name, value) {
  if (!Object.hasOwn(STAGE_SETTINGS, name)) return `${name} is no setting stage gives: the settings are ${Object.keys(STAGE_SETTINGS).join(', ')}`;
  if (!STAGE_SETTINGS[name].includes(value)) return `${name} takes ${STAGE_SETTINGS[name].join(' or ')}, not "${value}"`;
  if (!readsSetting(root, service, name)) return `${service} has no ${name} setting`;
  return null;
}

/** Settings as a command gives them: "MESSAGES=v1 SHADOW=true". */
export function spellSettings(settings) {
  return Object.entries(settings)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
}

/** One `SETTING=value` of a start or restart, as a pair (settingProblem() judges it), or a UsageError. */
function parseSetting(text) {
  const [name, value, ...more] = text.split('=');
  if (!name || value === undefined || more.length) throw new UsageError(`"${text}" is no setting: give SETTING=value, with SETTING one of ${Object.keys(STAGE_SETTINGS).join(', ')}`);
  return [name, value];
}

/**
 * The stage command's arguments: `[--compose] verb [service] [on|off | SETTING=value ...]`.
 * start, stop, restart and shadow name one service of the list; status may;
 * shadow takes on (the default) or off; start and restart may give settings
 * (STAGE_SETTINGS; settingProblem() judges them), which npm start's stack keeps
 * for the service until it is given others; clean
 * names none. `settings` holds what the command sets: for shadow, SHADOW.
 */
export function parseStageArgs(argv, services) {
  const compose = argv.includes('--compose');
  const rest = argv.filter((a) => a !== '--compose');
  const unknownFlag = rest.find((a) => a.startsWith('-'));
  if (unknownFlag) throw new UsageError(`unknown option ${unknownFlag}; ${USAGE}`);
  const [verb, service, ...after] = rest;
  if (!verb) throw new UsageError(USAGE);
  if (!VERBS.includes(verb)) throw new UsageError(`unknown command "${verb}"; the commands are ${VERBS.join(', ')}`);
  if (service !== undefined && !services.includes(service)) throw new UsageError(`unknown service "${service}"; the services are ${services.join(', ')}`);
  const needsService = ['start', 'stop', 'restart', 'shadow'].includes(verb);
  if (needsService && service === undefined) throw new UsageError(`${verb} needs a service: one of ${services.join(', ')}`);
  if (verb === 'clean' && service !== undefined) throw new UsageError('clean takes no service: it removes the whole namespace');
  if (verb === 'clean' && compose) throw new UsageError('clean is for a shared broker; the compose stack has a broker of its own (docker compose down -v removes it)');
  const takesSettings = verb === 'start' || verb === 'restart';
  if (after.length > (takesSettings ? Object.keys(STAGE_SETTINGS).length : verb === 'shadow' ? 1 : 0)) throw new UsageError(`too many arguments; ${USAGE}`);
  let shadow;
  let settings = {};
  if (verb === 'shadow') {
    const [extra] = after;
    if (extra !== undefined && extra !== 'on' && extra !== 'off') throw new UsageError(`shadow takes on or off, not "${extra}"`);
    shadow = extra !== 'off';
    settings = { SHADOW: String(shadow) };
  }
  if (takesSettings) {
    const pairs = after.map(parseSetting);
    const twice = pairs.find(([name], i) => pairs.findIndex(([other]) => other === name) !== i);
    if (twice) throw new UsageError(`${twice[0]} is given twice`);
    settings = Object.fromEntries(pairs);
  }
  return { compose, verb, service, shadow, settings };
}

/** The variable docker-compose.yml reads a service's setting from: ads-v2's SHADOW -> ADS_V2_SHADOW. */
export function composeVariable(service, setting) {
  return `${service.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_${setting}`;
}

/**
 * The compose commands for a stage command on the compose stack, each an
 * argument list after `docker compose` (or `docker-compose`) and the
 * environment it adds. `wait`: the compose can wait until a service is
 * running and healthy (`up --wait`, Compose v2; docker-compose v1 cannot).
 */
export function composeCommands({ verb, service, settings = {} }, wait = true) {
  const only = service ? [service] : [];
  const up = (...options) => ['up', '--detach', ...options, ...(wait ? ['--wait'] : []), service];
  // A changed setting makes compose recreate the container with it.
  const withSettings = { args: up(), env: Object.fromEntries(Object.entries(settings).map(([name, value]) => [composeVariable(service, name), value])) };
  const given = Object.keys(settings).length > 0;
  switch (verb) {
    case 'status':
      return [{ args: ['ps', '--all', ...only], env: {} }];
    case 'start':
      // Without settings, a stopped container starts as it was made (with the settings it was given), as on `npm start`'s stack.
      return [given ? withSettings : { args: up('--no-recreate'), env: {} }];
    case 'stop':
      return [{ args: ['stop', service], env: {} }];
    case 'restart':
      return [given ? withSettings : { args: ['restart', service], env: {} }];
    case 'shadow':
      return [withSettings];
    default:
      throw new UsageError(`${verb} is not a compose command`);
  }
}

/** The services `ps --services --filter status=running` lists (Compose v1 and v2 alike). */
export function runningComposeServices(output) {
  return output.split('\n').map((line) => line.trim()).filter(Boolean);
}

/**
 * A broker URL fit to print, each address of a comma-separated list with its
 * password hidden (the rule of libs/messaging's brokers.ts: up to the
 * authority's last @, since a password may hold an unescaped @).
 */
export function redactUrl(url) {
  return url
    .split(',')
    .map((entry) => entry.trim().replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/?#]*):[^/?#]*@/i, '$1:***@'))
    .join(',');
}
