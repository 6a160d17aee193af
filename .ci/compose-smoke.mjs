#!/usr/bin/env node
// The smoke test of the composed stack, through its published ports only, as a
// user meets it: log in as anna, get an ad from an ad service over the
// WebSocket, see ads-v2 answer through the schema adapter and ads-v3 answer in
// shadow (never served), see the monitor know the three versions alive and
// compare v1 with v2, serve the dashboard, stop the ads-v2 container and then the adapter's, and
// still get ads (from v1). On the broker: every service is connected as its
// own user, and the broker refuses ads-v1's user what is not its to do. Last,
// when given, the walkthrough's command (npm run walkthrough -- --compose):
// every act on that stack.
// Usage: node .ci/compose-smoke.mjs <web url> <command that stops the service named after it>
//          <command that prints "name health" for each container> <ads-v2 url> <monitor url>
//          <broker url, as ads-v1's user> <management API url, as the administrator>
//          [<the walkthrough's command>]
import amqp from 'amqplib';
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';

const [
  base = 'http://127.0.0.1:3000',
  stopService = 'docker compose stop',
  healthOfContainers = "docker inspect --format '{{.Name}} {{.State.Health.Status}}' $(docker compose ps -q)",
  adsV2 = 'http://127.0.0.1:3002',
  monitor = 'http://127.0.0.1:3005',
  brokerAsAdsV1 = 'amqp://ads-v1:ads-v1-dev@127.0.0.1:5672',
  management = 'http://ad-race:ad-race@127.0.0.1:15672',
  walkthrough,
] = process.argv.slice(2);
/** The compose file's BUS_NAMESPACE. */
const NAMESPACE = 'ad-race';
const SERVICES = JSON.parse(readFileSync(new URL('../services/services.json', import.meta.url), 'utf8')).services.map((s) => s.name);
const results = [];
const check = (name, ok, detail = '') => {
  results.push(ok);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
  return ok;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** The JSON a GET answers with, or undefined (not OK, not JSON, or no answer); `init` as fetch takes it. */
const getJson = async (url, init) => {
  const response = await fetch(url, init).catch(() => undefined);
  return response?.ok ? response.json().catch(() => undefined) : undefined;
};

/** A GET on the broker's management API, with the credentials of its URL. */
const managementJson = async (path) => {
  const url = new URL(management);
  const authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
  url.username = url.password = '';
  return getJson(new URL(path, url), { headers: { authorization } });
};

/**
 * Does one thing on the broker as the user of `url`, on a channel of its own:
 * the broker's refusal ("ACCESS_REFUSED - ..."), or null when it allowed it.
 */
async function refusalOf(url, act) {
  const connection = await amqp.connect(url);
  connection.on('error', () => undefined);
  try {
    const channel = await connection.createConfirmChannel();
    // A refusal closes the channel: the operation fails, and the channel says why.
    const closed = new Promise((resolve) => channel.on('error', (err) => resolve(err.message)));
    const outcome = await act(channel).then(
      () => null,
      (err) => Promise.race([closed, sleep(2_000).then(() => err.message)]),
    );
    if (outcome === null) await channel.close();
    return outcome;
  } finally {
    await connection.close().catch(() => undefined);
  }
}

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

  // Least privilege on the broker: each service on its own user (broker/definitions.json), and a user
  // refused what its service does not do.
  let users = [];
  const ownUsers = await until('every service connected as its own user', 30_000, async () => {
    users = [...new Set(((await managementJson('/api/connections')) ?? []).map((c) => c.user))].sort();
    return SERVICES.every((s) => users.includes(s));
  }).catch(() => false);
  check('every service is connected to the broker as its own user, none as another', ownUsers && users.every((u) => SERVICES.includes(u)), `users ${users.join(', ')}`);
  const refused = async (what, act) => {
    const refusal = await refusalOf(brokerAsAdsV1, act).catch((err) => `could not log in: ${err.message}`);
    check(`the broker refuses ads-v1's user ${what}`, /ACCESS_REFUSED/.test(refusal ?? '') && !refusal.startsWith('could not'), refusal ?? 'allowed');
  };
  await refused('publishing a need', async (channel) => {
    channel.publish(`${NAMESPACE}.ad.need.v1`, '', Buffer.from('{}'));
    await channel.waitForConfirms();
  });
  await refused("consuming the schema adapter's queue", (channel) => channel.consume(`${NAMESPACE}.ad.need.v1.schema-adapter`, () => undefined));

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

  // ads-v3 runs in shadow: its answers race (and are timed) but never win, and no ad it chose is served.
  const shadowed = await until('an answer from v3 in shadow', 60_000, async () => {
    await adFor(() => true, 'an ad');
    return races.flatMap((r) => r.replies).find((r) => r.version === 'v3');
  }).catch(() => undefined);
  check('ads-v3 answers in shadow', shadowed?.shadow === true && shadowed.won === false, shadowed ? `shadow ${shadowed.shadow}, won ${shadowed.won}, in ${shadowed.latencyMs} ms` : 'no answer from v3');

  // The monitor only listens: it knows who is alive from their heartbeats, and records every answer.
  const monitorReady = await until('monitor ready', 60_000, async () => (await fetch(`${monitor}/health/ready`)).ok).catch(() => false);
  check('the monitor is ready on its published port', monitorReady);
  let versions = [];
  const adVersions = () => versions.filter((v) => v.service === 'ads').map((v) => `${v.version}${v.alive ? '' : ' (gone)'}${v.shadow ? ' (shadow)' : ''}`).sort();
  const alive = await until('ads v1, v2 and v3 alive in the monitor', 60_000, async () => {
    versions = (await getJson(`${monitor}/api/versions`))?.versions ?? [];
    const shadow = Object.fromEntries(versions.filter((v) => v.service === 'ads' && v.alive).map((v) => [v.version, v.shadow]));
    return shadow.v1 === false && shadow.v2 === false && shadow.v3 === true;
  }).catch(() => false);
  check('the monitor lists ads v1, v2 and v3 (in shadow) as alive', alive, adVersions().join(', '));

  for (let i = 0; i < 10; i++) await adFor(() => true, 'an ad');
  let comparison;
  const compared = await until('v1 and v2 compared', 30_000, async () => {
    comparison = await getJson(`${monitor}/api/comparison?a=v1&b=v2`);
    return typeof comparison?.verdict === 'string' && comparison.a.answers > 0 && comparison.b.answers > 0;
  }).catch(() => false);
  check(
    'the monitor compares v1 with v2, with a verdict',
    compared,
    comparison ? `${comparison.verdict} (${comparison.a.answers} answers from v1, ${comparison.b.answers} from v2): ${comparison.summary}` : 'no comparison',
  );
  // The dashboard: served by the monitor under the page's CSP, its snapshot, and the page's link to it.
  const dashboard = await fetch(`${monitor}/`);
  check(
    'the monitor serves the dashboard under a strict Content-Security-Policy',
    dashboard.ok && (await dashboard.text()).includes('dashboard') && /script-src 'self'/.test(dashboard.headers.get('content-security-policy') ?? ''),
    `${dashboard.status}`,
  );
  const snapshot = await getJson(`${monitor}/api/dashboard?window=5m`);
  check('the dashboard snapshot lists the versions alive and a verdict', snapshot?.versions?.length >= 3 && !!snapshot?.comparison?.verdict, snapshot ? `${snapshot.versions.length} versions, verdict ${snapshot.comparison?.verdict}` : 'no snapshot');
  const link = await fetch(`${base}/dashboard`, { redirect: 'manual' });
  const location = link.headers.get('location') ?? '';
  check("the page's Dashboard link leads to the monitor's published port", link.status === 302 && location.endsWith(`:${new URL(monitor).port}/`), `${link.status} ${location}`);

  const v3 = await getJson(`${monitor}/api/comparison?a=v2&b=v3`);
  check('the monitor records v3 as a shadow that never wins', v3?.b?.answers > 0 && v3.b.shadow === true && v3.b.wins === 0, v3?.b ? `${v3.b.answers} answers, shadow ${v3.b.shadow}, ${v3.b.wins} wins` : 'no comparison');

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

  const v3Replies = races.flatMap((r) => r.replies).filter((r) => r.version === 'v3');
  const servedV3 = ads.filter((a) => a.servedBy?.version === 'v3').length;
  check(
    'ads-v3 never wins a race nor serves an ad',
    v3Replies.every((r) => !r.won && r.shadow) && servedV3 === 0,
    `${v3Replies.length} answers from v3 in ${races.length} races, ${v3Replies.filter((r) => r.won).length} won; ${servedV3} of ${ads.length} ads served by v3`,
  );
}

try {
  await main();
} catch (err) {
  check('smoke test', false, err.message);
}
if (walkthrough) {
  let ran = true;
  try {
    execSync(walkthrough, { stdio: 'inherit' });
  } catch {
    ran = false;
  }
  check('the walkthrough shows every act on the composed stack', ran, walkthrough);
}
const failed = results.filter((ok) => !ok).length;
console.log(`smoke: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
