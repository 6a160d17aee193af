// npm run bench: the floors (a bare amqplib round trip, and a bare amqplib race
// of the same shape as ours), the race as the web server sees it, and the page
// view as a browser sees it, side by side in one run on this machine: at a
// fixed load repeated, at rising loads until the browser's p99 passes 50 ms,
// and past that, where the web server sheds load. Prints tables, and as its
// last line one JSON object.
import { MESSAGES, serviceHeartbeatV1 } from '@ad-race/contracts';
import {
  cpuPerAd,
  cpuPercent,
  listedServices,
  ms,
  sampleProcesses,
  startCrowdedStack,
  summarise,
  willUseStackQueues,
  type RunningStack,
  type StepResult,
  type Summary,
} from '@ad-race/service-testing';
import { brokerUrl, measureFloor, metricValue, openShapeAsker, openTestNamespace, runFloorEcho, runShapeAnswerer, type BusProbe } from '@ad-race/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';

const AMQP_URL = brokerUrl();
const FIXED_LOAD_PER_S = Number(process.env['BENCH_FIXED_LOAD'] ?? 500);
const STEPS_PER_S = (process.env['BENCH_STEPS'] ?? '250,500,750,1000,1250,1500,2000,2500,3000,3500,4000,5000,6000').split(',').map(Number);
/** The fixed step is measured this many times: the spread says how much a figure is worth. */
const REPEATS = 3;
const OVERLOADS = [1.5, 2, 4];
const P99_LIMIT_MS = 50;
const CUSTOMER_COUNT = 64;
const FLOOR_ROUND_TRIPS = 5000;
const NEED_SIZE_BYTES = 420; // about the size of an ad.need
/** How many dashboards are open while the monitor's cost of its live updates is measured. */
const DASHBOARDS = 5;

/** A child process of this benchmark that says "ready" on its stdout when it is, and ends when the benchmark does. */
async function child(...args: string[]): Promise<ChildProcess> {
  const proc = spawn(process.execPath, [process.argv[1]!, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    proc.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    proc.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code}`)));
  });
  return proc;
}

/** The first floor: one message there and back between two processes, with none of ad-race's work. */
async function echoFloor(namespace: string) {
  const echo = await child('floor-echo', namespace);
  try {
    await measureFloor(AMQP_URL, namespace, { count: 500, inFlight: 1, size: NEED_SIZE_BYTES }); // warm-up
    const oneAtATime = summarise(await measureFloor(AMQP_URL, namespace, { count: FLOOR_ROUND_TRIPS, inFlight: 1, size: NEED_SIZE_BYTES }));
    const atFixedLoad = summarise(await measureFloor(AMQP_URL, namespace, { count: FIXED_LOAD_PER_S * 5, ratePerS: FIXED_LOAD_PER_S, size: NEED_SIZE_BYTES }));
    const started = performance.now();
    await measureFloor(AMQP_URL, namespace, { count: 20_000, inFlight: 64, size: NEED_SIZE_BYTES });
    const perSecond = Math.round(20_000 / ((performance.now() - started) / 1000));
    return { oneAtATime, atFixedLoad, perSecond };
  } finally {
    echo.kill('SIGTERM');
  }
}

interface FloorStep {
  offeredPerS: number;
  race: Summary;
  answeredShare: number;
  cpuPerAdUs: Record<string, number>;
}

/** The second floor: a race of our shape (a need to two answerers, confirms and acks) in bare amqplib. */
async function shapeFloor(namespace: string) {
  const answerers = [await child('shape-answerer', namespace, 'a'), await child('shape-answerer', namespace, 'b')];
  const asker = await openShapeAsker(AMQP_URL, namespace, answerers.length);
  const step = async (ratePerS: number, seconds: number): Promise<FloorStep> => {
    const count = Math.round(ratePerS * seconds);
    const before = sampleProcesses();
    const times = await asker.measure({ count, ratePerS });
    const cpu = cpuPercent(before, sampleProcesses(), seconds);
    return { offeredPerS: ratePerS, race: summarise(times), answeredShare: times.length / count, cpuPerAdUs: cpuPerAd(cpu, ratePerS) };
  };
  try {
    await step(FIXED_LOAD_PER_S, 5); // warm-up
    const fixed: FloorStep[] = [];
    for (let i = 0; i < REPEATS; i++) fixed.push(await step(FIXED_LOAD_PER_S, 5));
    const steps = await search(
      (rate) => step(rate, 3),
      (s) => s.race.p99 < P99_LIMIT_MS && s.answeredShare >= 0.98,
    );
    for (const s of steps) console.log(`  ${s.offeredPerS} races/s offered: ${Math.round(100 * s.answeredShare)}% answered, p99 ${ms(s.race.p99)} ms`);
    return { fixed, steps };
  } finally {
    await Promise.all(answerers.map((a) => new Promise((resolve) => a.once('exit', resolve).kill('SIGTERM'))));
    await asker.close();
  }
}

/**
 * Rising loads until two in a row fail. A step that fails is tried once more:
 * on a shared machine one bad second can sink a step's p99.
 */
async function search<S extends { offeredPerS: number }>(run: (ratePerS: number) => Promise<S>, passes: (step: S) => boolean): Promise<(S & { passed: boolean })[]> {
  const steps: (S & { passed: boolean })[] = [];
  for (const rate of STEPS_PER_S) {
    let result = await run(rate);
    if (!passes(result)) result = await run(rate);
    steps.push({ ...result, passed: passes(result) });
    if (steps.length >= 2 && !steps[steps.length - 1]!.passed && !steps[steps.length - 2]!.passed) break;
  }
  return steps;
}

const highestPassing = <S extends { offeredPerS: number; passed: boolean }>(steps: S[]) => steps.filter((s) => s.passed).sort((a, b) => b.offeredPerS - a.offeredPerS)[0];

/** A load step passes when the browser's p99 stays under the limit, every view got an ad, and none was the house ad. */
function passes(step: StepResult): boolean {
  return step.e2e.p99 < P99_LIMIT_MS && step.unanswered === 0 && step.goodputPerS >= step.offeredPerS * 0.98;
}

type Run = (ratePerS: number, measureMs: number) => Promise<StepResult>;

/**
 * Starts the stack as `npm start` runs it (with `env` over its settings, and
 * only `services` if named), logs the customers in, warms every process up at
 * the fixed load, hands `body` a way to offer load, and stops it.
 */
async function withStack<T>(namespace: string, env: Record<string, string>, body: (run: Run, stack: RunningStack) => Promise<T>, services: string[] = []): Promise<T> {
  const { crowd, stack, stop } = await startCrowdedStack({ AMQP_URL, BUS_NAMESPACE: namespace, ...env }, CUSTOMER_COUNT, services);
  try {
    console.log(`${crowd.customers.length} customers logged in, each with the ad socket open`);
    // Warm-up: the JIT, the caches, the version roster, at the load measured first.
    await crowd.run(FIXED_LOAD_PER_S, { warmupMs: 5000, measureMs: 1000, drainMs: 500 });
    return await body((rate, measureMs) => crowd.run(rate, { warmupMs: 1000, measureMs, drainMs: 500 }), stack);
  } finally {
    await stop();
  }
}

/** The fixed step, REPEATS times: the median step (by race p50) and the spread of the p50s. */
async function repeated(run: Run): Promise<{ median: StepResult; all: StepResult[] }> {
  const all: StepResult[] = [];
  for (let i = 0; i < REPEATS; i++) all.push(await run(FIXED_LOAD_PER_S, 5000));
  const byRace = [...all].sort((a, b) => a.race.p50 - b.race.p50);
  return { median: byRace[Math.floor(REPEATS / 2)]!, all };
}

/** What the monitor did during one step: its queues' backlog (the most, and at the end), the rows it wrote a second, its CPU. */
interface MonitorStep {
  step: StepResult;
  maxBacklog: number;
  endBacklog: number;
  rowsPerS: number;
  cpuPercent: number;
  /** Dashboards open during the step, and the updates they received. */
  dashboards: number;
  dashboardUpdates: number;
}

/**
 * Dashboards, as a browser opens them: each reads the monitor's live stream of
 * server-sent events until closed. Counts the updates they received, so a
 * figure "with dashboards" is one where they really were fed.
 */
function openDashboards(monitorUrl: string, count: number): { updates(): number; close(): Promise<void> } {
  const controller = new AbortController();
  let updates = 0;
  const readers = Array.from({ length: count }, async () => {
    try {
      const res = await fetch(`${monitorUrl}/api/dashboard/stream`, { signal: controller.signal, headers: { accept: 'text/event-stream' } });
      if (!res.ok || !res.body) throw new Error(`the dashboard stream answered ${res.status}`);
      const decoder = new TextDecoder();
      for await (const chunk of res.body) updates += (decoder.decode(chunk as Uint8Array, { stream: true }).match(/^data:/gm) ?? []).length;
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
  });
  return {
    updates: () => updates,
    close: async () => {
      controller.abort();
      await Promise.all(readers);
    },
  };
}

/** Runs one step while watching the monitor: the backlog of its durable queues every 200 ms, the rows it wrote. */
async function watchMonitor(probe: BusProbe, stack: RunningStack, run: () => Promise<StepResult>, dashboards = 0): Promise<MonitorStep> {
  const queues = MESSAGES.filter((m) => m !== serviceHeartbeatV1);
  const backlog = async () => (await Promise.all(queues.map((q) => probe.queueDepth(q, 'monitor')))).reduce((a, b) => a + b, 0);
  const rows = async () => metricValue(await (await fetch(`${stack.urlOf('monitor')}/metrics`)).text(), 'ad_race_monitor_rows_written_total');
  let maxBacklog = 0;
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      maxBacklog = Math.max(maxBacklog, await backlog());
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  const open = openDashboards(stack.urlOf('monitor'), dashboards);
  const rowsBefore = await rows();
  const started = performance.now();
  const step = await run();
  const seconds = (performance.now() - started) / 1000;
  const rowsPerS = Math.round(((await rows()) - rowsBefore) / seconds);
  const dashboardUpdates = open.updates();
  await open.close();
  watching = false;
  await watcher;
  const cpu = Math.round(((step.cpuPerAdUs['monitor'] ?? 0) * step.achievedPerS) / 1e4);
  return { step, maxBacklog, endBacklog: await backlog(), rowsPerS, cpuPercent: cpu, dashboards, dashboardUpdates };
}

const spread = (values: number[]) => `${ms(Math.min(...values))} to ${ms(Math.max(...values))}`;
const round = (n: number) => Math.round(n * 1000) / 1000;
const line = (cells: (string | number)[], widths: number[]) => cells.map((c, i) => String(c).padStart(widths[i]!)).join('  ');
const entries = (record: Record<string, number>, unit = '') => Object.entries(record).sort().map(([name, value]) => `${name} ${value}${unit}`).join(', ');

async function main() {
  const [role, namespace, name] = process.argv.slice(2);
  if (role === 'floor-echo' || role === 'shape-answerer') {
    const running = role === 'floor-echo' ? await runFloorEcho(AMQP_URL, namespace!) : await runShapeAnswerer(AMQP_URL, namespace!, name!);
    process.stdout.write('ready\n');
    const stop = () => void running.close().then(() => process.exit(0), () => process.exit(0));
    process.once('SIGTERM', stop);
    // Its stdin is the benchmark's pipe: it closes when the benchmark ends, however it ends.
    process.stdin.on('end', stop).resume();
    return;
  }

  const ns = await openTestNamespace('bench');
  willUseStackQueues(ns.probe);
  console.log(`ad-race benchmark: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), broker ${AMQP_URL.replace(/\/\/[^@]*@/, '//')}, namespace ${ns.namespace}`);

  console.log('the first floor: a bare amqplib round trip between two processes...');
  const echo = await echoFloor(ns.namespace);
  console.log('the race-shaped floor: a need to two answerers, confirms and acks, bare amqplib, three processes...');
  const shape = await shapeFloor(ns.namespace);
  const shapeFixed = [...shape.fixed].sort((a, b) => a.race.p50 - b.race.p50)[Math.floor(REPEATS / 2)]!;
  const shapeBest = highestPassing(shape.steps);

  // The adapter's hop: the fixed load with ads-v2 on version 1 of the messages (as v1 is, no
  // adapter), then the stack as it ships, ads-v2 on version 2 through the schema adapter.
  console.log(`the stack without the adapter: web, ads-v1, ads-v2 on v1, at ${FIXED_LOAD_PER_S} ads/s...`);
  const direct = await withStack(ns.namespace, { MESSAGES: 'v1' }, repeated, ['web', 'ads-v1', 'ads-v2']);

  // What listening costs the race: every service but the monitor, at the fixed load.
  console.log(`the stack without the monitor, at ${FIXED_LOAD_PER_S} ads/s...`);
  const unmonitored = await withStack(
    ns.namespace,
    {},
    repeated,
    listedServices()
      .map((s) => s.name)
      .filter((name) => name !== 'monitor'),
  );

  console.log('the stack as `npm start` runs it: every service, ads-v2 on v2 through the schema adapter, the monitor listening...');
  await withStack(ns.namespace, {}, async (run, stack) => {
    const fixed = await repeated(run);
    const steps = await search((rate) => run(rate, 3000), passes);
    for (const s of steps) console.log(`  ${s.offeredPerS}/s offered: ${s.achievedPerS}/s answered, ${s.goodputPerS}/s by an ad service, end-to-end p99 ${ms(s.e2e.p99)} ms`);
    const best = highestPassing(steps);
    const overload = [];
    for (const factor of OVERLOADS) {
      if (!best) break;
      const step = await run(Math.round(best.offeredPerS * factor), 3000);
      console.log(`  ${factor}x: ${step.offeredPerS}/s offered: ${step.goodputPerS}/s by an ad service on time, end-to-end p99 ${ms(step.e2e.p99)} ms`);
      overload.push({ factor, step });
    }
    const atFixed = await watchMonitor(ns.probe, stack, () => run(FIXED_LOAD_PER_S, 5000));
    // What the dashboards' live updates cost the monitor: the same step with them open.
    const withDashboards = await watchMonitor(ns.probe, stack, () => run(FIXED_LOAD_PER_S, 5000), DASHBOARDS);
    const atTop = best ? await watchMonitor(ns.probe, stack, () => run(best.offeredPerS, 5000)) : undefined;
    report({ echo, shape, shapeFixed, shapeBest, direct, fixed, steps, best, overload, unmonitored, monitor: { atFixed, withDashboards, atTop } });
  });
  await ns.cleanup();
}

interface Results {
  echo: Awaited<ReturnType<typeof echoFloor>>;
  shape: Awaited<ReturnType<typeof shapeFloor>>;
  shapeFixed: FloorStep;
  shapeBest: (FloorStep & { passed: boolean }) | undefined;
  direct: { median: StepResult; all: StepResult[] };
  fixed: { median: StepResult; all: StepResult[] };
  steps: (StepResult & { passed: boolean })[];
  best: (StepResult & { passed: boolean }) | undefined;
  overload: { factor: number; step: StepResult }[];
  unmonitored: { median: StepResult; all: StepResult[] };
  monitor: { atFixed: MonitorStep; withDashboards: MonitorStep; atTop: MonitorStep | undefined };
}

function report({ echo, shape, shapeFixed, shapeBest, direct, fixed, steps, best, overload, unmonitored, monitor }: Results) {
  const f = echo.oneAtATime;
  const fl = echo.atFixedLoad;
  const race = fixed.median;
  const w = [44, 14, 6, 8, 8, 8];
  console.log('\n' + line(['measure', 'load', 'n', 'p50 ms', 'p99 ms', 'max ms'], w));
  const print = (label: string, load: string, s: Summary) => console.log(line([label, load, s.n, ms(s.p50), ms(s.p99), ms(s.max)], w));
  print('floor: bare amqplib round trip', '1 in flight', f);
  print('floor: bare amqplib round trip', `${FIXED_LOAD_PER_S} msgs/s`, fl);
  print('race-shaped floor: need -> first answer', `${FIXED_LOAD_PER_S} races/s`, shapeFixed.race);
  print('race, no adapter: need -> first answer', `${FIXED_LOAD_PER_S} ads/s`, direct.median.race);
  print('race, as shipped: need -> first answer', `${FIXED_LOAD_PER_S} ads/s`, race.race);
  print('end to end: page view -> ad on socket', `${FIXED_LOAD_PER_S} ads/s`, race.e2e);
  if (shapeBest) print('race-shaped floor', `${shapeBest.offeredPerS} races/s`, shapeBest.race);
  if (best) {
    print('race, as shipped', `${best.offeredPerS} ads/s`, best.race);
    print('end to end', `${best.offeredPerS} ads/s`, best.e2e);
  }

  console.log(`\nthe fixed step, ${REPEATS} times each after a warm-up of every process (p50 from lowest to highest):`);
  console.log(`  race-shaped floor ${spread(shape.fixed.map((s) => s.race.p50))} ms; race, no adapter ${spread(direct.all.map((s) => s.race.p50))} ms; race, as shipped ${spread(fixed.all.map((s) => s.race.p50))} ms; end to end ${spread(fixed.all.map((s) => s.e2e.p50))} ms`);
  console.log(`floor throughput, 64 in flight: ${echo.perSecond} round trips/s`);
  const toShape = (p50: number) => (p50 / shapeFixed.race.p50).toFixed(2);
  console.log(
    `race p50 / race-shaped floor p50 at the same load: ${toShape(race.race.p50)}x as shipped, ${toShape(direct.median.race.p50)}x without the adapter (target: within 1.3x); ` +
      `against the round-trip floor: ${(race.race.p50 / fl.p50).toFixed(2)}x`,
  );

  const sw = [10, 10, 10, 9, 9, 11, 30];
  console.log('\n' + line(['offered/s', 'answered/s', 'goodput/s', 'e2e p50', 'e2e p99', 'unanswered', 'served by'], sw));
  const servedBy = (s: StepResult) => Object.entries(s.byVersion).sort().map(([v, n]) => `${v} ${Math.round((100 * n) / Math.max(1, s.race.n))}%`).join(' ');
  for (const s of [race, ...steps, ...overload.map((o) => o.step)]) {
    console.log(line([s.offeredPerS, s.achievedPerS, s.goodputPerS, ms(s.e2e.p50), ms(s.e2e.p99), s.unanswered, servedBy(s)], sw));
  }

  console.log('\nCPU per ad, in microseconds of one core, by process (and for the race-shaped floor, per race):');
  for (const s of shape.steps) console.log(`  race-shaped floor at ${s.offeredPerS}/s: ${entries(s.cpuPerAdUs)}`);
  for (const s of [race, ...steps, ...overload.map((o) => o.step)]) console.log(`  stack at ${s.offeredPerS}/s: ${entries(s.cpuPerAdUs)}`);
  const last = overload[overload.length - 1]?.step ?? steps[steps.length - 1];
  console.log(`memory (resident, MiB) after the fixed step: ${entries(race.memoryMb)}`);
  if (last) console.log(`memory (resident, MiB) after the last step, ${last.offeredPerS}/s: ${entries(last.memoryMb)}`);

  console.log(`\nhighest load with end-to-end p99 under ${P99_LIMIT_MS} ms, none unanswered and 98% or more from an ad service: ${best?.offeredPerS ?? 0} ads/s (target: 3000, and 70% of the race-shaped floor's)`);
  console.log(`highest load of the race-shaped floor with p99 under ${P99_LIMIT_MS} ms: ${shapeBest?.offeredPerS ?? 0} races/s`);
  const two = overload.find((o) => o.factor === 2)?.step;
  const goodput2x = best && two ? two.goodputPerS / best.goodputPerS : NaN;
  console.log(`at twice that load, ads served by an ad service on time: ${two?.goodputPerS ?? '-'}/s, ${goodput2x.toFixed(2)} of the highest passing load's (target: 0.8 or more)`);

  // What the schema adapter's two extra hops cost v2, at the same load, in the same run.
  const [v2Direct, v2Translated] = [direct.median.replies['v2'], race.replies['v2']];
  const hop = { p50: (v2Translated?.p50 ?? NaN) - (v2Direct?.p50 ?? NaN), p99: (v2Translated?.p99 ?? NaN) - (v2Direct?.p99 ?? NaN) };
  const aw = [44, 8, 8, 8, 8];
  console.log(`\nthe schema adapter's hop, at ${FIXED_LOAD_PER_S} ads/s (need published -> answer received by the web server):`);
  console.log(line(['', 'n', 'p50 ms', 'p99 ms', 'v2 wins'], aw));
  const wins = (s: StepResult) => `${Math.round((100 * (s.byVersion['v2'] ?? 0)) / Math.max(1, s.race.n))}%`;
  console.log(line(['race, ads-v2 on v1', direct.median.race.n, ms(direct.median.race.p50), ms(direct.median.race.p99), wins(direct.median)], aw));
  console.log(line(['race, ads-v2 on v2 through the adapter', race.race.n, ms(race.race.p50), ms(race.race.p99), wins(race)], aw));
  const answers = [
    ['v1 answers, beside ads-v2 on v1', direct.median.replies['v1']],
    ['v1 answers, beside ads-v2 on v2', race.replies['v1']],
    ['v2 answers, on v1', v2Direct],
    ['v2 answers, on v2 through the adapter', v2Translated],
  ] as const;
  for (const [label, summary] of answers) if (summary) console.log(line([label, summary.n, ms(summary.p50), ms(summary.p99), ''], aw));
  console.log(`the adapter adds ${ms(hop.p50)} ms at p50 and ${ms(hop.p99)} ms at p99 (target: at most 0.5 ms at p50)`);

  // What the monitor costs the race, and whether it keeps up.
  const watched = unmonitored.median.race;
  const monitorCost = race.race.p50 / watched.p50;
  console.log(`\nthe monitor, listening to every message (race: need published -> first answer, at ${FIXED_LOAD_PER_S} ads/s):`);
  console.log(line(['', 'n', 'p50 ms', 'p99 ms', ''], aw));
  console.log(line(['race without the monitor', watched.n, ms(watched.p50), ms(watched.p99), ''], aw));
  console.log(line(['race with the monitor', race.race.n, ms(race.race.p50), ms(race.race.p99), ''], aw));
  console.log(`  p50s of the ${REPEATS} repeats: without ${spread(unmonitored.all.map((s) => s.race.p50))} ms, with ${spread(fixed.all.map((s) => s.race.p50))} ms`);
  console.log(`  with the monitor, the race's p50 is ${monitorCost.toFixed(2)}x, its p99 ${(race.race.p99 / watched.p99).toFixed(2)}x (target: within 1.10x)`);
  const mw = [36, 10, 12, 12, 11, 10, 18];
  console.log(line(['monitor at', 'ads/s', 'backlog max', 'backlog end', 'rows/s', 'CPU %', 'dashboard updates'], mw));
  const monitorSteps = [
    ['the fixed load', monitor.atFixed],
    [`the fixed load, ${DASHBOARDS} dashboards open`, monitor.withDashboards],
    ['the highest passing load', monitor.atTop],
  ] as const;
  for (const [label, m] of monitorSteps) {
    if (m) console.log(line([label, m.step.achievedPerS, m.maxBacklog, m.endBacklog, m.rowsPerS, m.cpuPercent, m.dashboards ? m.dashboardUpdates : '-'], mw));
  }
  console.log(`  ${DASHBOARDS} dashboards cost the monitor ${monitor.withDashboards.cpuPercent - monitor.atFixed.cpuPercent} points of one core at ${FIXED_LOAD_PER_S} ads/s`);

  console.log(
    JSON.stringify({
      floor_p50_ms: round(f.p50),
      floor_p99_ms: round(f.p99),
      floor_at_fixed_load_p50_ms: round(fl.p50),
      floor_at_fixed_load_p99_ms: round(fl.p99),
      shape_floor_p50_ms: round(shapeFixed.race.p50),
      shape_floor_p99_ms: round(shapeFixed.race.p99),
      shape_floor_max_per_s: shapeBest?.offeredPerS ?? 0,
      race_p50_ms: round(race.race.p50),
      race_p99_ms: round(race.race.p99),
      race_p50_spread_ms: [round(Math.min(...fixed.all.map((s) => s.race.p50))), round(Math.max(...fixed.all.map((s) => s.race.p50)))],
      e2e_p50_ms: round(race.e2e.p50),
      e2e_p99_ms: round(race.e2e.p99),
      max_ads_per_s: best?.offeredPerS ?? 0,
      fixed_load_ads_per_s: FIXED_LOAD_PER_S,
      floor_round_trips_per_s: echo.perSecond,
      race_to_floor_p50: round(race.race.p50 / f.p50),
      race_to_floor_at_fixed_load_p50: round(race.race.p50 / fl.p50),
      race_to_shape_floor_p50: round(race.race.p50 / shapeFixed.race.p50),
      race_no_adapter_to_shape_floor_p50: round(direct.median.race.p50 / shapeFixed.race.p50),
      race_ads_v2_on_v1_p50_ms: round(direct.median.race.p50),
      adapter_hop_p50_ms: round(hop.p50),
      adapter_hop_p99_ms: round(hop.p99),
      cpu_per_ad_us: race.cpuPerAdUs,
      shape_floor_cpu_per_race_us: shapeFixed.cpuPerAdUs,
      goodput_2x_ratio: round(goodput2x),
      race_without_monitor_p50_ms: round(watched.p50),
      race_with_monitor_to_without_p50: round(monitorCost),
      monitor_backlog_max_at_top: monitor.atTop?.maxBacklog ?? null,
      monitor_backlog_end_at_top: monitor.atTop?.endBacklog ?? null,
      monitor_rows_per_s_at_top: monitor.atTop?.rowsPerS ?? null,
      monitor_cpu_percent_at_top: monitor.atTop?.cpuPercent ?? null,
      monitor_cpu_percent_at_fixed: monitor.atFixed.cpuPercent,
      monitor_cpu_percent_at_fixed_with_dashboards: monitor.withDashboards.cpuPercent,
      cores: cpus().length,
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
