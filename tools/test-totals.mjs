#!/usr/bin/env node
// Runs a test command (a shell command line) and closes with one line of
// totals over every Jest project it ran: "N passed, N failed".
// Usage: node tools/test-totals.mjs "<command line>"
// The tests need a broker: when none answers at AMQP_URL, RabbitMQ is started in
// a container for the run (tools/broker-first.mjs), or one line says what to run.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { brokerFirst, NoBroker } from './broker-first.mjs';

const dir = fileURLToPath(new URL('../dist/test-totals/', import.meta.url));
const command = process.argv.slice(2).join(' ');
if (!command) {
  console.error('usage: node tools/test-totals.mjs "<command line>"');
  process.exit(2);
}

let broker;
try {
  broker = await brokerFirst();
} catch (err) {
  if (!(err instanceof NoBroker)) throw err;
  console.error(err.message);
  process.exit(1);
}

rmSync(dir, { recursive: true, force: true });
const run = spawnSync(command, { stdio: 'inherit', shell: true, env: broker.container ? { ...process.env, AMQP_URL: broker.url } : process.env });
await broker.stop();

let files = [];
try {
  files = readdirSync(dir).filter((f) => f.endsWith('.json'));
} catch {
  // no project reported: every suite failed to start, or none ran
}
const totals = files.map((f) => JSON.parse(readFileSync(dir + f, 'utf8')));
totals.sort((a, b) => a.project.localeCompare(b.project));
const sum = (key) => totals.reduce((n, t) => n + t[key], 0);

console.log('\nTest totals by project:');
for (const t of totals) console.log(`  ${t.project.padEnd(20)} ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`);
const failed = sum('failed') + (run.status === 0 ? 0 : totals.length === 0 ? 1 : 0);
console.log(`${sum('passed')} passed, ${failed} failed`);
process.exit(run.status ?? 1);
