#!/usr/bin/env node
// Runs the whole stack on this machine, each service as its own process, in
// the order of the one list of services (services/services.json): web on PORT
// (default 3000), the next on PORT+1, and so on, against the RabbitMQ at
// AMQP_URL, each with the settings the list gives it. `npm start` builds
// first, then runs this. When no broker answers at AMQP_URL, it starts
// RabbitMQ in a container (where a container engine is reachable) for as long
// as the stack runs.
//
//   node tools/start-stack.mjs              every service
//   node tools/start-stack.mjs ads-v2       only ads-v2 (start the others with `npm run stage -- start <name>`)
//
// This process supervises its stack: the services are its children, and it
// takes orders from `npm run stage` (tools/stage.mjs) on a control server of
// its own, on 127.0.0.1, recorded with the stack's state in
// <tmpdir>/ad-race/stack-<BUS_NAMESPACE>-<PORT>.json while it runs:
//   npm run stage -- status
//   npm run stage -- stop ads-v2          (then `start ads-v2`, `restart ads-v2`)
//   npm run stage -- shadow ads-v2 on     (restarted in shadow: timed, never shown; `off` to undo)
//   npm run stage -- restart ads-v2 MESSAGES=v1   (restarted on the v1 messages; it keeps them)
// With PORT and BUS_NAMESPACE set as for this stack, stage acts on this stack
// only; Ctrl-C (or SIGTERM) stops every service, those stage started too.
// STACK_NODE_ARGS passes options to every service's node, such as a profiler:
//   STACK_NODE_ARGS='--cpu-prof --cpu-prof-dir=prof' npm start
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { brokerFirst, NoBroker } from './broker-first.mjs';
import { DEFAULT_NAMESPACE, describeKey, readRecord, readsSetting, redactUrl, selectingSettings, settingProblem, spellSettings, stackKey, stateDir, stateFile, UsageError } from './stack-state.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const LIST = JSON.parse(readFileSync(`${root}/services/services.json`, 'utf8')).services;
const SERVICES = LIST.map((s) => s.name); // the order gives each its port: PORT + index
let key;
try {
  key = stackKey(process.env);
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  console.error(err.message);
  process.exit(2);
}
const basePort = key.port;
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !SERVICES.includes(name));
if (unknown.length) {
  console.error(`unknown service ${unknown.join(', ')}; the services are ${SERVICES.join(', ')}`);
  process.exit(2);
}
const names = wanted.length ? wanted : SERVICES;
for (const name of SERVICES) {
  const entry = `dist/services/${name}/main.cjs`;
  if (!existsSync(`${root}/${entry}`)) {
    console.error(`${entry} is missing: build first (npm run build)`);
    process.exit(1);
  }
}

// One supervisor per stack: a second would start a second copy of its services on the same ports.
const file = stateFile(tmpdir(), key);
const previous = readRecord(file);
if (previous.kind === 'live') {
  console.error(
    `[stack] a stack already runs for ${describeKey(key)} (supervisor pid ${previous.record.supervisor}): ` +
      `start a service in it with \`npm run stage -- start <service>\`, or choose another PORT or BUS_NAMESPACE`,
  );
  process.exit(1);
}
if (previous.kind === 'stale') console.error(`[stack] ${file} was left by a stack that is gone (pid ${previous.pid}): replacing it`);

let broker;
try {
  broker = await brokerFirst();
} catch (err) {
  if (!(err instanceof NoBroker)) throw err;
  console.error(`[stack] ${err.message}`);
  process.exit(1);
}

const portOf = (name) => basePort + SERVICES.indexOf(name);
const monitorIndex = SERVICES.indexOf('monitor');
/** What this stack sets for a service, beneath what the environment sets. */
function stackSettings(name) {
  const settings = { ...(LIST.find((s) => s.name === name).stack ?? {}) };
  // The web page links to this stack's monitor dashboard.
  if (name === 'web' && monitorIndex >= 0) settings.DASHBOARD_URL = `http://localhost:${portOf('monitor')}/`;
  return settings;
}

/** Per service: its process while it runs, and the settings stage gave it (STAGE_SETTINGS), over the stack's own. */
const services = new Map(SERVICES.map((name) => [name, { child: undefined, settings: {}, exited: undefined }]));
let stopping = false;
const token = randomBytes(24).toString('hex');
let control; // the control server's address, once it listens

function environmentOf(name) {
  const env = { ...stackSettings(name), ...process.env, PORT: String(portOf(name)) };
  if (broker.container) env.AMQP_URL = broker.url;
  return { ...env, ...services.get(name).settings };
}

/**
 * How a service is set: in shadow or not, and the message version it reads and
 * writes, for one that has the setting (null: it has none, or keeps its own default).
 */
function settingsOf(name) {
  const env = environmentOf(name);
  return { shadow: env.SHADOW === 'true', messages: readsSetting(root, name, 'MESSAGES') ? (env.MESSAGES ?? null) : null };
}
/** How a service runs, in a few words: ", in shadow, on the v1 messages". */
function howItRuns(name) {
  const { shadow, messages } = settingsOf(name);
  return `${shadow ? ', in shadow' : ''}${messages ? `, on the ${messages} messages` : ''}`;
}

function spawnService(name) {
  const nodeArgs = (process.env.STACK_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, ['--enable-source-maps', ...nodeArgs, `dist/services/${name}/main.cjs`], {
    cwd: root,
    env: environmentOf(name),
    stdio: 'inherit',
  });
  const state = services.get(name);
  state.child = child;
  state.expected = false; // set when stage (or the end of the stack) stops it
  state.exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      state.child = undefined;
      if (!stopping && !state.expected) console.error(`[stack] ${name} stopped (${signal ?? `exit code ${code}`}); the others keep running`);
      else if (!stopping) console.error(`[stack] ${name} stopped, as npm run stage asked`);
      record();
      resolve();
      // Every service gone by itself: the stack has failed (a service stage stopped leaves the supervisor running).
      if (!stopping && !state.expected && ![...services.values()].some((s) => s.child)) void shutDown(1);
    }),
  );
  record();
  return child;
}

/** Rewrites the state file (atomically): what stage reads to find this stack. */
function record() {
  if (!control || stopping) return;
  const state = {
    supervisor: process.pid,
    control,
    token,
    namespace: key.namespace,
    port: key.port,
    services: SERVICES.map((name) => ({ name, port: portOf(name), pid: services.get(name).child?.pid ?? null, ...settingsOf(name) })),
  };
  mkdirSync(stateDir(tmpdir()), { recursive: true, mode: 0o700 });
  writeFileSync(`${file}.${process.pid}`, JSON.stringify(state, null, 2), { mode: 0o600 });
  renameSync(`${file}.${process.pid}`, file);
}

async function ready(port, timeoutMs = 1_000) {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok;
  } catch {
    return false;
  }
}

async function waitReady(name, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!services.get(name).child) return `${name} exited before it was ready`;
    if (await ready(portOf(name))) return null;
    await new Promise((r) => setTimeout(r, 200));
  }
  return `${name} is not ready after ${timeoutMs / 1000} s: is RabbitMQ running at ${redactUrl(broker.url)}?`;
}

async function stopService(name) {
  const state = services.get(name);
  if (!state.child) return;
  state.expected = true;
  const { child, exited } = state;
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000); // one that ignores SIGTERM for 20 s is killed
  await exited;
  clearTimeout(killer);
}

// The orders stage gives, one at a time.
let queue = Promise.resolve();
const serially = (action) => (queue = queue.then(action, action));

const actions = {
  /** Starts a stopped service; the settings given (STAGE_SETTINGS) are kept for its later starts. */
  async start(name, settings = {}) {
    const running = services.get(name).child;
    if (running) {
      const hint = Object.keys(settings).length ? `; \`restart ${name} ${spellSettings(settings)}\` restarts it with those settings` : '';
      return { ok: false, unchanged: true, message: `${name} already runs (pid ${running.pid}, port ${portOf(name)}): nothing started${hint}` };
    }
    Object.assign(services.get(name).settings, settings);
    const child = spawnService(name);
    const problem = await waitReady(name, 30_000);
    if (problem) return { ok: false, message: problem };
    console.error(`[stack] ${name} started, as npm run stage asked: ready on :${portOf(name)}${howItRuns(name)}`);
    return { ok: true, message: `${name} ready (pid ${child.pid}, port ${portOf(name)}${howItRuns(name)})` };
  },
  async stop(name) {
    const running = services.get(name).child;
    if (!running) return { ok: false, unchanged: true, message: `${name} is not running: nothing stopped` };
    await stopService(name);
    return { ok: true, message: `${name} stopped (was pid ${running.pid})` };
  },
  async restart(name, settings = {}) {
    await stopService(name);
    return actions.start(name, settings);
  },
  async shadow(name, settings) {
    const started = await actions.restart(name, settings);
    const on = settings.SHADOW === 'true';
    return started.ok ? { ...started, message: `${started.message}; SHADOW=${on}: its answers are ${on ? 'timed, never shown' : 'shown when it wins'}` } : started;
  },
};

async function status() {
  return {
    supervisor: process.pid,
    namespace: key.namespace,
    port: key.port,
    services: await Promise.all(
      SERVICES.map(async (name) => {
        const pid = services.get(name).child?.pid ?? null;
        return { name, port: portOf(name), pid, ...settingsOf(name), ready: pid !== null && (await ready(portOf(name), 500)) };
      }),
    ),
  };
}

/** The settings of an order's query (start and restart: ?MESSAGES=v1&SHADOW=true), or the first problem (settingProblem). */
function orderedSettings(name, query) {
  const settings = {};
  for (const [setting, value] of query) {
    const problem = Object.hasOwn(settings, setting) ? `${setting} is given twice` : settingProblem(root, name, setting, value);
    if (problem) return { problem };
    settings[setting] = value;
  }
  return { settings };
}

// Orders: GET /status; POST /<start|restart>/<service>[?SETTING=value&...]; POST /stop/<service>; POST /shadow/<service>/<on|off>. No bodies.
const server = createServer((req, res) => {
  const reply = (code, body) => {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.headers['x-stage-token'] !== token) return reply(403, { ok: false, message: 'wrong or missing x-stage-token' });
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const [verb, name, setting, ...more] = url.pathname.split('/').slice(1);
  if (req.method === 'GET' && verb === 'status' && name === undefined && !url.search) return void status().then((s) => reply(200, s));
  const valid =
    req.method === 'POST' &&
    Object.hasOwn(actions, verb) &&
    SERVICES.includes(name) &&
    !more.length &&
    (verb === 'shadow' ? ['on', 'off'].includes(setting) : setting === undefined) &&
    (verb === 'start' || verb === 'restart' || !url.search);
  if (!valid) return reply(404, { ok: false, message: `no such order: ${req.method} ${req.url}` });
  const { settings, problem } = verb === 'shadow' ? { settings: { SHADOW: String(setting === 'on') } } : orderedSettings(name, url.searchParams);
  if (problem) return reply(400, { ok: false, message: problem });
  if (stopping) return reply(409, { ok: false, message: 'the stack is stopping' });
  serially(() => actions[verb](name, settings)).then(
    (result) => reply(result.ok ? 200 : 409, result),
    (err) => reply(500, { ok: false, message: String(err?.message ?? err) }),
  );
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
control = `http://127.0.0.1:${server.address().port}`;

async function shutDown(code) {
  if (stopping) return;
  stopping = true;
  server.close();
  rmSync(file, { force: true });
  await Promise.all(SERVICES.map((name) => stopService(name)));
  await broker.stop().catch((err) => console.error(`[stack] could not stop the broker's container: ${err.message}`));
  process.exit(code);
}
process.on('SIGINT', () => void shutDown(0));
process.on('SIGTERM', () => void shutDown(0));
// However this process ends, it leaves no record of a stack that no longer runs.
process.on('exit', () => {
  try {
    const text = readFileSync(file, 'utf8');
    if (JSON.parse(text).supervisor === process.pid) rmSync(file, { force: true });
  } catch {
    // none
  }
});

for (const name of names) spawnService(name); // each records the stack as it starts

const started = Date.now();
let warned = false;
for (;;) {
  const running = names.filter((name) => services.get(name).child);
  const states = await Promise.all(running.map((name) => ready(portOf(name))));
  if (states.every(Boolean)) break;
  if (!warned && Date.now() - started > 10_000) {
    warned = true;
    console.error(`[stack] not ready after 10 s: is RabbitMQ running at ${redactUrl(broker.url)}?`);
  }
  await new Promise((r) => setTimeout(r, 200));
}

const ports = names.filter((name) => services.get(name).child).map((name) => `${name} :${portOf(name)}`).join(' · ');
console.log(`[stack] ready: ${ports}`);
if (services.get('web')?.child) {
  console.log(`[stack] open http://localhost:${basePort} and log in as anna@example.com / rent-a-car`);
}
if (services.get('monitor')?.child) console.log(`[stack] the dashboard: http://localhost:${portOf('monitor')}/`);
// The settings that select this stack, for the commands below (none for the default stack).
const selected = selectingSettings(key);
const stage = `${selected ? `${selected} ` : ''}npm run stage --`;
console.log(`[stack] see and change it: ${stage} status | stop ads-v2 | start ads-v2 | restart ads-v2 [MESSAGES=v1|v2] | shadow ads-v2 on|off`);
if (broker.container) console.log('[stack] stop all with Ctrl-C (the broker\'s container too)');
else {
  const clean = `${key.namespace !== DEFAULT_NAMESPACE ? `BUS_NAMESPACE=${key.namespace} ` : ''}npm run stage -- clean`;
  console.log(`[stack] stop all with Ctrl-C; then \`${clean}\`${process.env.AMQP_URL ? ' (with this AMQP_URL)' : ''} removes namespace ${key.namespace}'s exchanges and queues from the shared broker`);
}
