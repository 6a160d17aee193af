import { CUSTOMERS } from '@ad-race/catalog';
import { MESSAGES, type MessageContract } from '@ad-race/contracts';
import {
  listedServices,
  startRabbitMQContainer,
  startCrowdedStack,
  willUseStackQueues,
  type Crowd,
  type RunningStack,
  type StepResult,
} from '@ad-race/service-testing';
import { brokerUrl, BusProbe, eventually, openTestNamespace, sleep, type RawProperties } from '@ad-race/testing';
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

// The faults a production team would try, each against the stack as `npm start`
// runs it (every service a process of its own) under load from customers on
// the real WebSocket. Each scenario reports what it claims, whether that held,
// and the figures behind it. Bounded in time and traffic; it sends traffic only
// to this machine.

/** How big a run is: the tests in CI, or `npm run resilience` at full size. */
export interface Size {
  name: 'ci' | 'full';
  /** Page views a second while a fault is on. */
  loadPerS: number;
  /** How long a fault lasts, in seconds. */
  faultSeconds: number;
  /** Junk messages published on every exchange. */
  junkPerExchange: number;
  /** The largest junk body, in bytes (the broker's limit is 128 MiB). */
  hugeBytes: number;
  /** Customer sockets open at once. */
  sockets: number;
  /** How long the soak runs, in seconds. */
  soakSeconds: number;
}

export const SIZES: Record<Size['name'], Size> = {
  ci: { name: 'ci', loadPerS: 200, faultSeconds: 4, junkPerExchange: 200, hugeBytes: 1 << 20, sockets: 300, soakSeconds: 20 },
  full: { name: 'full', loadPerS: 500, faultSeconds: 10, junkPerExchange: 10_000, hugeBytes: 16 << 20, sockets: 1000, soakSeconds: 600 },
};

export interface Finding {
  claim: string;
  held: boolean;
  figures: string;
}

export interface ScenarioResult {
  scenario: string;
  findings: Finding[];
}

const DEADLINE_MS = 250;
const CROWD = 64;

async function metrics(stack: RunningStack, service: string): Promise<string> {
  return (await fetch(`${stack.urlOf(service)}/metrics`)).text();
}

/** The sum of a metric over every label set, in one service (over those that have `having` in their labels, if given). */
function total(text: string, name: string, having: Record<string, string> = {}): number {
  const wanted = Object.entries(having).map(([k, v]) => `${k}="${v}"`);
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!(line.startsWith(`${name}{`) || line.startsWith(`${name} `))) continue;
    if (wanted.every((label) => line.includes(label))) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

async function ready(stack: RunningStack, service: string): Promise<boolean> {
  try {
    return (await fetch(`${stack.urlOf(service)}/health/ready`)).ok;
  } catch {
    return false;
  }
}

const pidsOf = (stack: RunningStack) => Object.fromEntries(listedServices().map(({ name }) => [name, stack.pidOf(name)]));
const fds = (pid: number | undefined) => (pid ? readdirSync(`/proc/${pid}/fd`).length : NaN);
const pct = (part: number, whole: number) => `${Math.round((100 * part) / Math.max(1, whole))}%`;
const houseAds = (step: StepResult) => (step.byVersion['fallback'] ?? 0) + (step.byVersion['shed'] ?? 0);

/** The stack on a namespace of its own, with a crowd of customers logged in and warmed up. */
async function withStack<T>(body: (stack: RunningStack, crowd: Crowd, probe: BusProbe) => Promise<T>, url = brokerUrl()): Promise<T> {
  const ns = await openTestNamespace('resilience', url);
  willUseStackQueues(ns.probe);
  try {
    const { stack, crowd, stop } = await startCrowdedStack({ AMQP_URL: url, BUS_NAMESPACE: ns.namespace }, CROWD);
    try {
      await crowd.run(200, { warmupMs: 2000, measureMs: 500, drainMs: 300 }); // warm-up
      return await body(stack, crowd, ns.probe);
    } finally {
      await stop();
    }
  } finally {
    await ns.cleanup().catch(() => undefined); // a broker in a container may be gone already
  }
}

/** Offers load for the fault's length, and runs `fault` a fraction of the way in. */
async function underLoad(crowd: Crowd, size: Size, fault: () => Promise<void>, seconds = size.faultSeconds): Promise<StepResult> {
  const load = crowd.run(size.loadPerS, { warmupMs: 0, measureMs: seconds * 1000, drainMs: 1500 });
  await sleep((seconds * 1000) / 4);
  await fault();
  return load;
}

export async function adsV2Killed(size: Size): Promise<ScenarioResult> {
  return withStack(async (stack, crowd) => {
    const pid = stack.pidOf('ads-v2')!;
    const step = await underLoad(crowd, size, async () => void process.kill(pid, 'SIGKILL'));
    return {
      scenario: 'ads-v2 killed (SIGKILL) under load',
      findings: [
        {
          claim: 'every page still gets an ad',
          held: step.unanswered === 0 && step.race.n > 0,
          figures: `${step.race.n} ads, ${step.unanswered} views unanswered; served by ${Object.entries(step.byVersion).map(([v, n]) => `${v} ${n}`).join(', ')} (house ads ${pct(houseAds(step), step.race.n)})`,
        },
        { claim: 'ads-v2 is gone, no other process exits', held: !stack.pidOf('ads-v2') && !!stack.pidOf('ads-v1') && !!stack.pidOf('web'), figures: `ads-v2 pid ${pid} gone` },
      ],
    };
  });
}

export async function adsV1Frozen(size: Size): Promise<ScenarioResult> {
  return withStack(async (stack, crowd) => {
    const pid = stack.pidOf('ads-v1')!;
    const expiredBefore = total(await metrics(stack, 'ads-v1'), 'ad_race_needs_expired_total');
    // Frozen for half the fault, then resumed: its queue holds the needs it missed, all past their deadline.
    const frozen = await underLoad(crowd, size, async () => {
      process.kill(pid, 'SIGSTOP');
      await sleep((size.faultSeconds * 1000) / 2);
      process.kill(pid, 'SIGCONT');
    });
    const lateBefore = await metrics(stack, 'web');
    const after = await crowd.run(size.loadPerS, { warmupMs: 1000, measureMs: 2000, drainMs: 500 });
    const lateNow = await metrics(stack, 'web');
    const late = (version?: string) =>
      total(lateNow, 'ad_race_late_replies_total', version ? { version } : {}) - total(lateBefore, 'ad_race_late_replies_total', version ? { version } : {});
    const expired = total(await metrics(stack, 'ads-v1'), 'ad_race_needs_expired_total') - expiredBefore;
    return {
      scenario: 'ads-v1 frozen (SIGSTOP, then SIGCONT) under load',
      findings: [
        {
          claim: `no page waits past its deadline (${DEADLINE_MS} ms)`,
          held: frozen.unanswered === 0 && frozen.race.max <= DEADLINE_MS + 25,
          figures: `slowest race ${frozen.race.max.toFixed(1)} ms, browser's p99 ${frozen.e2e.p99.toFixed(1)} ms, ${frozen.unanswered} views unanswered`,
        },
        {
          claim: 'v1 rejoins when resumed, without a backlog of stale answers',
          // v1's own late answers: a backlog of stale needs answered after resuming would show as those.
          held: (after.byVersion['v1'] ?? 0) > 0 && expired > 0 && late('v1') <= after.race.n * 0.01,
          figures: `after: v1 served ${after.byVersion['v1'] ?? 0} of ${after.race.n}; it dropped ${expired} stale needs unanswered; late answers: v1 ${late('v1')} (of ${late()}: v2 ${late('v2')}, v3 ${late('v3')})`,
        },
      ],
    };
  });
}

/** Every way a message can be junk, in turn. */
function junkOf(i: number, contract: MessageContract, hugeBytes: number): { body: string | Buffer; properties: RawProperties } {
  // In turn: bad JSON, the wrong schema, an unknown version, a huge body, no properties and no envelope.
  switch (i % 5) {
    case 0:
      return { body: `{"name": "${contract.name}", oops`, properties: {} };
    case 1:
      return { body: JSON.stringify({ name: contract.name, schemaVersion: contract.schemaVersion, payload: { nonsense: i } }), properties: { type: contract.name } };
    case 2:
      return { body: JSON.stringify({ name: contract.name, schemaVersion: 99 }), properties: { type: contract.name, headers: { 'schema-version': 99 } } };
    case 3:
      // One in a thousand junk messages is huge; the rest of these are a kilobyte of nothing.
      return { body: Buffer.alloc(i % 1000 === 3 ? hugeBytes : 1024, 'x'), properties: {} };
    default:
      return { body: JSON.stringify({ hello: 'world' }), properties: {} };
  }
}

/**
 * How many of the stack's queues act on each message version (a junk message is dead-lettered
 * once from each): ads-v1 and the adapter read v1 needs, ads-v2 and ads-v3 v2 needs, and so on.
 * The monitor's queues are not among them: it records a broken message as broken, and leaves
 * dead-lettering to the consumers that act on it (its heartbeat queue is one of those).
 */
const READERS: Record<string, number> = {
  'ad.need.v1': 2,
  'ad.need.v2': 2,
  'ad.solution.v1': 1,
  'ad.solution.v2': 1,
  'ad.served.v1': 0,
  'ad.clicked.v1': 0,
  'session.ended.v1': 1,
  'service.heartbeat.v1': 1,
};

export async function junkOnEveryExchange(size: Size): Promise<ScenarioResult> {
  return withStack(async (stack, crowd, probe) => {
    const pids = pidsOf(stack);
    const countInvalid = async () => {
      let sum = 0;
      for (const { name } of listedServices()) sum += total(await metrics(stack, name), 'ad_race_invalid_messages_total');
      return sum;
    };
    const recordedBroken = async () => total(await metrics(stack, 'monitor'), 'ad_race_monitor_messages_total', { valid: 'false' });
    const before = await countInvalid();
    const brokenBefore = await recordedBroken();
    let expected = 0;
    let expectedBroken = 0;
    const started = performance.now();
    const step = await underLoad(crowd, size, async () => {
      for (const contract of MESSAGES) {
        for (let i = 0; i < size.junkPerExchange; i++) {
          const junk = junkOf(i, contract, size.hugeBytes);
          probe.publishRaw(contract, junk.body, junk.properties);
          if (i % 100 === 99) await sleep(1); // let the socket drain
        }
        expected += size.junkPerExchange * READERS[contract.channel]!;
        if (contract.channel !== 'service.heartbeat.v1') expectedBroken += size.junkPerExchange;
      }
    });
    let counted = 0;
    await eventually(async () => (counted = (await countInvalid()) - before) >= expected, 120_000, 'every junk message dead-lettered and counted').catch(() => undefined);
    let broken = 0;
    await eventually(async () => (broken = (await recordedBroken()) - brokenBefore) >= expectedBroken, 60_000, 'every junk message recorded as broken by the monitor').catch(() => undefined);
    const seconds = (performance.now() - started) / 1000;
    const after = await crowd.run(size.loadPerS, { warmupMs: 500, measureMs: 2000, drainMs: 500 });
    const depth = await probe.deadLetterDepth();
    const alive = Object.entries(pids).every(([name, pid]) => stack.pidOf(name) === pid);
    return {
      scenario: `${size.junkPerExchange.toLocaleString('en')} junk messages on every exchange`,
      findings: [
        { claim: 'no process exits', held: alive, figures: Object.keys(pids).join(', ') },
        { claim: 'every one is dead-lettered with its reason, and counted', held: counted === expected, figures: `${counted} of ${expected} counted in ${seconds.toFixed(1)} s (each once per queue that reads its exchange)` },
        { claim: 'the monitor records each as broken, once, without dead-lettering it again', held: broken === expectedBroken, figures: `${broken} of ${expectedBroken} recorded as broken` },
        { claim: 'the dead-letter queue stays within its bound', held: depth <= 10_000, figures: `${depth} waiting (bound 10,000: the oldest go)` },
        {
          // Needs wait behind the junk in their queues: during the flood some pass their deadline, and get the house ad.
          claim: 'good messages keep flowing: every page gets an ad, and from an ad service again once the junk is through',
          held: step.unanswered === 0 && after.unanswered === 0 && houseAds(after) <= after.race.n * 0.02,
          figures: `during the flood ${step.race.n} ads, house ads ${pct(houseAds(step), step.race.n)}, browser's p99 ${step.e2e.p99.toFixed(1)} ms; after it house ads ${pct(houseAds(after), after.race.n)}`,
        },
      ],
    };
  });
}

export async function thousandSockets(size: Size): Promise<ScenarioResult> {
  return withStack(async (stack) => {
    // Every seeded customer logs in once; their sockets (up to 8 each) share the cookie, as tabs do.
    const cookies: { customerId: string; cookie: string }[] = [];
    for (const customer of CUSTOMERS) {
      const res = await fetch(`${stack.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: customer.email, password: 'rent-a-car' }) });
      cookies.push({ customerId: customer.id, cookie: res.headers.get('set-cookie')!.split(';')[0]! });
    }
    const owner = new Map<string, string>(); // page name -> the customer whose socket sent it
    const sockets: { ws: WebSocket; customerId: string; ads: string[] }[] = [];
    for (let i = 0; i < size.sockets; i++) {
      const { customerId, cookie } = cookies[i % cookies.length]!;
      const ws = new WebSocket(`${stack.url.replace('http', 'ws')}/api/ws`, { headers: { cookie } });
      const socket = { ws, customerId, ads: [] as string[] };
      ws.on('message', (data) => {
        const message = JSON.parse(data.toString());
        if (message.type === 'ad') socket.ads.push(message.page);
      });
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      sockets.push(socket);
    }
    const views = 3;
    for (let n = 0; n < views; n++) {
      sockets.forEach((s, i) => {
        const page = `s${i}-${n}`;
        owner.set(page, s.customerId);
        s.ws.send(JSON.stringify({ type: 'page', page }));
      });
      await sleep(200);
    }
    const answered = () => sockets.every((s, i) => [...Array(views).keys()].every((n) => s.ads.includes(`s${i}-${n}`)));
    await eventually(answered, 20_000, 'an ad for every view').catch(() => undefined);
    sockets.forEach((s) => s.ws.terminate());
    const foreign = sockets.flatMap((s) => s.ads.filter((page) => owner.has(page) && owner.get(page) !== s.customerId));
    const received = sockets.reduce((n, s) => n + s.ads.length, 0);
    return {
      scenario: `${size.sockets.toLocaleString('en')} customer sockets at once`,
      findings: [
        { claim: 'no customer ever receives another customer’s ad', held: foreign.length === 0 && received > 0, figures: `${received} ads on ${sockets.length} sockets of ${cookies.length} customers, ${foreign.length} of them another customer's` },
        { claim: 'every page view gets its ad', held: answered(), figures: `${sockets.length * views} views` },
      ],
    };
  });
}

export async function soak(size: Size): Promise<ScenarioResult> {
  return withStack(async (stack, crowd) => {
    const services = listedServices().map((s) => s.name);
    const rss = (pid: number | undefined) => {
      try {
        return pid ? Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024 : NaN;
      } catch {
        return NaN;
      }
    };
    const samples: { at: number; mb: Record<string, number> }[] = [];
    const fdsBefore = Object.fromEntries(services.map((s) => [s, fds(stack.pidOf(s))]));
    const start = performance.now();
    const sampler = setInterval(() => samples.push({ at: (performance.now() - start) / 60_000, mb: Object.fromEntries(services.map((s) => [s, rss(stack.pidOf(s))])) }), 2000);
    const step = await crowd.run(size.loadPerS, { warmupMs: 0, measureMs: size.soakSeconds * 1000, drainMs: 1000 });
    clearInterval(sampler);
    const fdsAfter = Object.fromEntries(services.map((s) => [s, fds(stack.pidOf(s))]));
    // A process's memory saws up and down with its garbage collections (the web server's heap grows
    // to some 150 MiB between two at 500 ads a second): what a leak raises is the floor. So: the
    // lowest sample of each fifth of the soak, and the slope of a straight line through those, in
    // MiB a minute, leaving out the first fifth (the heap growing to its working size).
    const fifths = [1, 2, 3, 4].map((k) => samples.filter((x) => x.at >= (k * size.soakSeconds) / 300 && x.at < ((k + 1) * size.soakSeconds) / 300));
    const floor = (name: string) => fifths.map((w) => ({ at: w[0]?.at ?? NaN, mb: Math.min(...w.map((x) => x.mb[name]!)) }));
    const slope = (name: string) => {
      const points = floor(name).filter((p) => Number.isFinite(p.at) && Number.isFinite(p.mb));
      const mx = points.reduce((a, p) => a + p.at, 0) / points.length;
      const my = points.reduce((a, p) => a + p.mb, 0) / points.length;
      const num = points.reduce((a, p) => a + (p.at - mx) * (p.mb - my), 0);
      const den = points.reduce((a, p) => a + (p.at - mx) ** 2, 0);
      return den ? num / den : 0;
    };
    const slopes = Object.fromEntries(services.map((s) => [s, slope(s)]));
    const growth = Object.fromEntries(services.map((s) => [s, samples[samples.length - 1]!.mb[s]! - samples[0]!.mb[s]!]));
    // A leak of a kilobyte an ad would be 30 MiB a minute at 500 ads a second.
    const flat = size.name === 'full' ? Object.values(slopes).every((m) => m < 2) : Object.values(growth).every((g) => g < 64);
    return {
      scenario: `soak: ${size.soakSeconds} s at ${size.loadPerS} ads a second`,
      findings: [
        {
          claim: 'every process’s memory stays flat',
          held: flat,
          // Over a short run the garbage collections' sawtooth is all there is: the slope says something only over minutes.
          figures: services
            .map((s) => `${s} ${samples[0]!.mb[s]!.toFixed(0)} to ${samples[samples.length - 1]!.mb[s]!.toFixed(0)} MiB` + (size.name === 'full' ? `, its floor ${slopes[s]!.toFixed(2)} MiB/min` : ''))
            .join('; '),
        },
        { claim: 'no file descriptors leak', held: services.every((s) => fdsAfter[s]! - fdsBefore[s]! <= 5), figures: services.map((s) => `${s} ${fdsBefore[s]} to ${fdsAfter[s]}`).join('; ') },
        { claim: 'every page gets an ad all along', held: step.unanswered === 0, figures: `${step.race.n} ads, browser's p99 ${step.e2e.p99.toFixed(1)} ms, house ads ${pct(houseAds(step), step.race.n)}` },
      ],
    };
  });
}

/** Needs a container engine: the broker restarted is one of this scenario's own. */
export async function brokerRestarted(size: Size): Promise<ScenarioResult> {
  const container = await startRabbitMQContainer();
  try {
    return await withStack(async (stack, crowd) => {
      const pids = pidsOf(stack);
      let brokerBack = 0;
      let servicesBack = 0;
      const step = await underLoad(
        crowd,
        size,
        async () => {
          await container.restart();
          const restarted = performance.now();
          await eventually(async () => BusProbe.open(container.getAmqpUrl(), 'probe').then((p) => (p.close(), true), () => false), 60_000, 'the broker back');
          brokerBack = performance.now() - restarted;
          const back = performance.now();
          await eventually(async () => (await Promise.all(listedServices().map((s) => ready(stack, s.name)))).every(Boolean), 60_000, 'every service ready again');
          servicesBack = performance.now() - back;
        },
        size.faultSeconds + 20,
      );
      const alive = Object.entries(pids).every(([name, pid]) => stack.pidOf(name) === pid);
      return {
        scenario: 'the broker restarted under steady load',
        findings: [
          { claim: 'every service is ready again within 5 s of the broker', held: servicesBack <= 5000, figures: `broker back ${(brokerBack / 1000).toFixed(1)} s after the restart; every service ready ${(servicesBack / 1000).toFixed(1)} s after that` },
          {
            claim: 'pages during the outage get the house ad',
            held: step.unanswered === 0 && houseAds(step) > 0,
            figures: `${step.race.n} ads, ${step.unanswered} views unanswered, house ads ${pct(houseAds(step), step.race.n)}`,
          },
          { claim: 'no process exits', held: alive, figures: Object.keys(pids).join(', ') },
        ],
      };
    }, container.getAmqpUrl());
  } finally {
    await container.stop();
  }
}

export const SCENARIOS: { run: (size: Size) => Promise<ScenarioResult>; needsContainerEngine: boolean }[] = [
  { run: brokerRestarted, needsContainerEngine: true },
  { run: adsV2Killed, needsContainerEngine: false },
  { run: adsV1Frozen, needsContainerEngine: false },
  { run: junkOnEveryExchange, needsContainerEngine: false },
  { run: thousandSockets, needsContainerEngine: false },
  { run: soak, needsContainerEngine: false },
];
