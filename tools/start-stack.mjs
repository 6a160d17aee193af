#!/usr/bin/env node
// Runs the whole stack on this machine, each service as its own process, in
// the order of the one list of services (services/services.json): web on PORT
// (default 3000), the next on PORT+1, and so on, against the RabbitMQ at
// AMQP_URL, each with the settings the list gives it. `npm start` builds
// first, then runs this.
//
//   node tools/start-stack.mjs              every service
//   node tools/start-stack.mjs ads-v2       only ads-v2 (say, to bring it back after stopping it)
//
// Each command line names its service, so one can be stopped alone:
//   pkill -f dist/services/ads-v2
// STACK_NODE_ARGS passes options to every service's node, such as a profiler:
//   STACK_NODE_ARGS='--cpu-prof --cpu-prof-dir=prof' npm start
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const LIST = JSON.parse(readFileSync(`${root}/services/services.json`, 'utf8')).services;
const SERVICES = LIST.map((s) => s.name); // the order gives each its port: PORT + index
const basePort = Number(process.env.PORT ?? 3000);
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !SERVICES.includes(name));
if (unknown.length) {
  console.error(`unknown service ${unknown.join(', ')}; the services are ${SERVICES.join(', ')}`);
  process.exit(2);
}
const names = wanted.length ? wanted : SERVICES;

const children = new Map();
let stopping = false;

for (const name of names) {
  const entry = `dist/services/${name}/main.cjs`;
  if (!existsSync(`${root}/${entry}`)) {
    console.error(`${entry} is missing: build first (npm run build)`);
    process.exit(1);
  }
  const port = basePort + SERVICES.indexOf(name);
  // The list's settings for the stack, unless this environment says otherwise.
  const settings = LIST.find((s) => s.name === name).stack ?? {};
  const nodeArgs = (process.env.STACK_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, ['--enable-source-maps', ...nodeArgs, entry], {
    cwd: root,
    env: { ...settings, ...process.env, PORT: String(port) },
    stdio: 'inherit',
  });
  children.set(name, { child, port });
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) console.error(`[stack] ${name} stopped (${signal ?? `exit code ${code}`}); the others keep running`);
    if (children.size === 0) process.exit(stopping ? 0 : 1);
  });
}

function stop() {
  if (stopping) return;
  stopping = true;
  for (const { child } of children.values()) child.kill('SIGTERM');
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

async function ready(port) {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
    return res.ok;
  } catch {
    return false;
  }
}

const started = Date.now();
let warned = false;
for (;;) {
  const states = await Promise.all([...children.values()].map(({ port }) => ready(port)));
  if (states.every(Boolean)) break;
  if (!warned && Date.now() - started > 10_000) {
    warned = true;
    console.error(`[stack] not ready after 10 s: is RabbitMQ running at ${process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672'}?`);
  }
  await new Promise((r) => setTimeout(r, 200));
}

const ports = [...children].map(([name, { port }]) => `${name} :${port}`).join(' · ');
console.log(`[stack] ready: ${ports}`);
if (children.has('web')) {
  console.log(`[stack] open http://localhost:${basePort} and log in as anna@example.com / rent-a-car`);
}
console.log('[stack] stop one service with e.g. `pkill -f dist/services/ads-v2`; stop all with Ctrl-C');
