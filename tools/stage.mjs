#!/usr/bin/env node
// Stage controls: see and change the services of a running stack, one at a time.
//
//   npm run stage -- status [service]      every service: running or stopped, pid, port, shadow, messages, ready
//   npm run stage -- stop ads-v2           SIGTERM, and waits until it has exited
//   npm run stage -- start ads-v2          starts it and waits until it is ready
//   npm run stage -- start ads-v3 MESSAGES=v1      ... with settings (SHADOW=true|false, MESSAGES=v1|v2): npm start's
//                                                  stack keeps them for its later starts; compose, until its next plain `up`
//   npm run stage -- restart ads-v2 [MESSAGES=v2]
//   npm run stage -- shadow ads-v2 [on|off]   restarts it with SHADOW=true (timed, never shown) or false
//   npm run stage -- clean                 removes the namespace's exchanges and queues from the broker
//
// It acts on the stack `npm start` runs with this PORT (default 3000) and
// BUS_NAMESPACE (default ad-race), and on nothing else: it asks that stack's
// supervisor (tools/start-stack.mjs), found by the record it keeps while it
// runs, to start and stop its own children. With --compose, the same verbs
// act on the compose stack (docker-compose.yml) through `docker compose`.
// Exit codes: 0 done, 1 failed, 2 a usage error, 3 nothing to do (a start of
// a service that runs, a stop of one that does not).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ActionReply,
  EXIT,
  checked,
  composeCommands,
  composeVariable,
  runningComposeServices,
  DEFAULT_AMQP_URL,
  describeKey,
  parseStageArgs,
  readRecord,
  readsSetting,
  redactUrl,
  settingProblem,
  spellSettings,
  stackKey,
  StackStatus,
  selectingSettings,
  stateDir,
  stateFile,
  UsageError,
} from './stack-state.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const SERVICES = JSON.parse(readFileSync(join(root, 'services/services.json'), 'utf8')).services.map((s) => s.name);

class Failure extends Error {}

/** A UsageError unless every setting given may be given the service (for one it has not: those that have it). */
function checkSettings({ service, settings }) {
  for (const [name, value] of Object.entries(settings)) {
    const problem = settingProblem(root, service, name, value);
    if (!problem) continue;
    const having = SERVICES.filter((other) => readsSetting(root, other, name));
    throw new UsageError(readsSetting(root, service, name) || !having.length ? problem : `${problem}; those that have: ${having.join(', ')}`);
  }
}

/** The records of the stacks running on this machine (stale ones left out). */
function liveStacks() {
  const dir = stateDir(tmpdir());
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /^stack-.+\.json$/.test(f))
    .map((f) => {
      try {
        return readRecord(join(dir, f));
      } catch {
        return { kind: 'none' }; // not ours to read
      }
    })
    .filter((j) => j.kind === 'live')
    .map((j) => j.record);
}

/** The running stack this environment selects, or a one-line failure saying how to start one. */
function selectedStack(key) {
  const file = stateFile(tmpdir(), key);
  const judged = readRecord(file);
  const settings = selectingSettings(key);
  const howToStart = `start one with \`${settings ? `${settings} ` : ''}npm start\``;
  // The other stacks of this machine, read only when this one is not running.
  const running = () => {
    const others = liveStacks().map(describeKey);
    return others.length ? `; running here: ${others.join(', ')} (set PORT and BUS_NAMESPACE to choose one)` : '';
  };
  switch (judged.kind) {
    case 'live':
      return judged.record;
    case 'none':
      throw new Failure(`no stack runs for ${describeKey(key)}: ${howToStart}${running()}`);
    case 'stale':
      rmSync(file, { force: true });
      throw new Failure(`no stack runs for ${describeKey(key)}: its record ${file} was left by a supervisor that is gone (pid ${judged.pid}) and is removed; ${howToStart}${running()}`);
    case 'unreadable':
      throw new Failure(`cannot read ${file}: ${judged.problem}; remove it if no stack runs for ${describeKey(key)}`);
  }
}

async function ask(stack, method, path) {
  let res;
  try {
    res = await fetch(`${stack.control}${path}`, { method, headers: { 'x-stage-token': stack.token } });
  } catch (err) {
    throw new Failure(`the supervisor of the stack for ${describeKey(stack)} (pid ${stack.supervisor}) does not answer at ${stack.control}: ${err.cause?.code ?? err.message}`);
  }
  return { status: res.status, body: await res.json() };
}

function printStatus(status, only) {
  const rows = status.services.filter((s) => !only || s.name === only);
  const width = Math.max(...rows.map((s) => s.name.length), 'service'.length);
  console.log(`stack ${describeKey(status)} (supervisor pid ${status.supervisor})`);
  console.log(`  ${'service'.padEnd(width)}  state    pid      port   shadow  messages  ready`);
  for (const s of rows) {
    const running = s.pid !== null;
    console.log(
      `  ${s.name.padEnd(width)}  ${(running ? 'running' : 'stopped').padEnd(7)}  ${String(s.pid ?? '-').padEnd(7)}  ${String(s.port).padEnd(5)}  ${(s.shadow ? 'yes' : 'no').padEnd(6)}  ${(s.messages ?? '-').padEnd(8)}  ${running ? (s.ready ? 'yes' : 'no') : '-'}`,
    );
  }
}

async function onStack({ verb, service, shadow, settings }) {
  const stack = selectedStack(stackKey(process.env));
  if (verb === 'status') {
    const { body } = await ask(stack, 'GET', '/status');
    printStatus(checked(StackStatus, body, "the supervisor's status"), service);
    return EXIT.done;
  }
  const query = verb === 'start' || verb === 'restart' ? new URLSearchParams(settings).toString() : '';
  const path = verb === 'shadow' ? `/shadow/${service}/${shadow ? 'on' : 'off'}` : `/${verb}/${service}${query ? `?${query}` : ''}`;
  const { body } = await ask(stack, 'POST', path);
  const reply = checked(ActionReply, body, "the supervisor's answer");
  (reply.ok ? console.log : console.error)(`[stage] ${reply.message}`);
  return reply.ok ? EXIT.done : reply.unchanged ? EXIT.unchanged : EXIT.failed;
}

/** Compose v2 (`docker compose`), else v1 (`docker-compose`, as Debian packages it). */
function composeCli() {
  const works = (cmd, args) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
  if (works('docker', ['compose', 'version'])) return { cmd: 'docker', base: ['compose'], wait: true };
  if (works('docker-compose', ['version'])) return { cmd: 'docker-compose', base: [], wait: false };
  throw new Failure('neither `docker compose` nor `docker-compose` runs here: install Docker Compose (or apt-get install docker-compose)');
}

function compose(cli, args, env = {}, capture = false) {
  const run = spawnSync(cli.cmd, [...cli.base, '--file', join(root, 'docker-compose.yml'), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    encoding: 'utf8',
  });
  if (run.error) throw new Failure(`cannot run ${cli.cmd}: ${run.error.message}`);
  return run;
}

function onCompose(command) {
  const { verb, service, settings } = command;
  const cli = composeCli();
  const name = `${cli.cmd} ${cli.base.join(' ')}`.trim();
  if (verb === 'start') {
    const running = compose(cli, ['ps', '--services', '--filter', 'status=running'], {}, true);
    if (running.status !== 0) throw new Failure(`${name} ps failed (exit code ${running.status}): is the container engine running?`);
    if (runningComposeServices(running.stdout).includes(service)) {
      console.error(`[stage] ${service} already runs in the compose stack: nothing started`);
      return EXIT.unchanged;
    }
  }
  for (const { args, env } of composeCommands(command, cli.wait)) {
    const run = compose(cli, args, env);
    if (run.status !== 0) {
      console.error(`[stage] ${name} ${args.join(' ')} failed (exit code ${run.status})`);
      return EXIT.failed;
    }
  }
  const state = cli.wait ? 'runs and is ready' : `was started (${name} cannot wait until it is ready: see \`${name} ps\`)`;
  // Compose keeps no settings of its own: the next `up` makes the container from docker-compose.yml's defaults again.
  const given = Object.entries(settings);
  const kept = given.length
    ? ` with ${spellSettings(settings)}; a later \`${name} up\` without ${given.map(([setting, value]) => `${composeVariable(service, setting)}=${value}`).join(' ')} sets ${given.length > 1 ? 'them' : 'it'} back`
    : '';
  const done = { start: state, shadow: state, restart: 'restarted', stop: 'stopped' }[verb];
  if (done) console.log(`[stage] ${service} ${done} in the compose stack${kept}`);
  return EXIT.done;
}

/** Deletes the namespace's exchanges, dead letters and the queues the list of services declares, through the test probe of libs/testing. */
async function clean() {
  const { namespace } = stackKey(process.env);
  const running = liveStacks().filter((s) => s.namespace === namespace);
  if (running.length) throw new Failure(`a stack runs on namespace ${namespace} (${running.map(describeKey).join(', ')}): stop it first, or it declares them again`);
  const url = process.env.AMQP_URL || DEFAULT_AMQP_URL;
  const { tsImport } = await import('tsx/esm/api');
  const { BusProbe } = await tsImport(join(root, 'libs/testing/src/probe.ts'), import.meta.url);
  const { willUseStackQueues } = await tsImport(join(root, 'libs/service-testing/src/stack.ts'), import.meta.url);
  let probe;
  try {
    probe = await BusProbe.open(url, namespace);
  } catch (err) {
    throw new Failure(`cannot reach the broker at ${redactUrl(url)}: ${err.code ?? err.message}`);
  }
  try {
    willUseStackQueues(probe);
    await probe.deleteNamespace();
  } finally {
    await probe.close();
  }
  console.log(`[stage] removed namespace ${namespace}'s exchanges, dead letters and the services' queues from ${redactUrl(url)}`);
  return EXIT.done;
}

try {
  const command = parseStageArgs(process.argv.slice(2), SERVICES);
  checkSettings(command);
  const code = command.verb === 'clean' ? await clean() : command.compose ? onCompose(command) : await onStack(command);
  process.exitCode = code;
} catch (err) {
  if (!(err instanceof UsageError || err instanceof Failure)) throw err;
  console.error(err.message);
  process.exitCode = err instanceof UsageError ? EXIT.usage : EXIT.failed;
}
