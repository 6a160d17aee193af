#!/usr/bin/env node
// The smoke test of the composed stack, through its published port only, as a
// user meets it: log in as anna, get an ad from an ad service over the
// WebSocket, see ads-v2 answer through the schema adapter, stop the ads-v2
// container and then the adapter's, and still get ads (from v1).
// Usage: node .ci/compose-smoke.mjs <web url> <command that stops the service named after it>
//          <command that prints "name health" for each container> <ads-v2 url>
import { execSync } from 'node:child_process';
import WebSocket from 'ws';

const [
  base = 'http://127.0.0.1:3000',
  stopService = 'docker compose stop',
  healthOfContainers = "docker inspect --format '{{.Name}} {{.State.Health.Status}}' $(docker compose ps -q)",
  adsV2 = 'http://127.0.0.1:3002',
] = process.argv.slice(2);
const results = [];
const check = (name, ok, detail = '') => {
  results.push(ok);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
  return ok;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(what, timeoutMs, attempt) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(500);
  }
}

async function main() {
  await until('web ready', 120_000, async () => (await fetch(`${base}/health/ready`)).ok);
  check('web is ready on its published port', true);

  // Every container's own health check (the image's HEALTHCHECK, RabbitMQ's in the compose file).
  let health = '';
  const healthy = await until('every container healthy', 60_000, async () => {
    health = execSync(healthOfContainers, { encoding: 'utf8' }).trim();
    return health.split('\n').every((line) => line.endsWith(' healthy'));
  }).catch(() => false);
  check('every container reports healthy', healthy, health.replace(/\n/g, ', '));

  const page = await fetch(base);
  check('the page is served', page.ok && (await page.text()).includes('<title>ad-race'), `${page.status}`);

  const login = await fetch(`${base}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'anna@example.com', password: 'rent-a-car' }),
  });
  const cookie = login.headers.get('set-cookie')?.split(';')[0];
  if (!check('anna logs in', login.status === 200 && !!cookie, `${login.status}`)) return;

  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/api/ws`, { headers: { cookie } });
  const ads = [];
  const races = [];
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString());
    if (message.type === 'ad') ads.push(message);
    if (message.type === 'race') races.push(message);
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  check('the ad socket opens', true);

  let n = 0;
  const adFor = async (predicate, what) =>
    until(what, 60_000, async () => {
      const page = `smoke-${n++}`;
      ws.send(JSON.stringify({ type: 'page', page }));
      await sleep(400);
      return ads.find((a) => a.page === page && predicate(a));
    });

  const first = await adFor((a) => a.servedBy.service === 'ads', 'an ad from an ad service');
  check('an ad arrives over the WebSocket from an ad service', true, `${first.ad.headline}, served by ${first.servedBy.version} in ${first.latencyMs} ms`);

  // ads-v2 reads version 2 of the needs: its answers reach the web server through the schema adapter.
  const translated = await until('an answer from v2 through the schema adapter', 60_000, async () => {
    await adFor(() => true, 'an ad');
    return races.flatMap((r) => r.replies).find((r) => r.version === 'v2' && r.translated);
  }).catch(() => undefined);
  check('ads-v2 answers through the schema adapter', !!translated, translated ? `in ${translated.latencyMs} ms` : 'no translated answer from v2');

  check('ads-v2 is up before it is stopped', (await fetch(`${adsV2}/health/ready`)).ok);
  const stopped = [];
  for (const service of ['ads-v2', 'schema-adapter']) {
    execSync(`${stopService} ${service}`, { stdio: 'inherit' });
    stopped.push(service);
    const versions = [];
    for (let i = 0; i < 5; i++) {
      const page = `after-stopping-${service}-${i}`;
      ws.send(JSON.stringify({ type: 'page', page }));
      const ad = await until(`the ad for ${page}`, 10_000, async () => ads.find((a) => a.page === page));
      versions.push(ad.servedBy.version);
    }
    check(`with ${stopped.join(' and ')} stopped, every ad still comes, from v1`, versions.every((v) => v === 'v1'), versions.join(' '));
  }
  ws.close();
}

try {
  await main();
} catch (err) {
  check('smoke test', false, err.message);
}
const failed = results.filter((ok) => !ok).length;
console.log(`smoke: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
