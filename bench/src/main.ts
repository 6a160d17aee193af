// npm run bench: the floor (a bare amqplib round trip), the race as the web
// server sees it, and the page view as a browser sees it, side by side in one
// run on this machine. Prints a table, and as its last line one JSON object.
import { CUSTOMERS } from '@ad-race/catalog';
import { startStack, willUseStackQueues } from '@ad-race/service-testing';
import { brokerUrl, measureFloor, openTestNamespace, runFloorEcho } from '@ad-race/testing';
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { BenchCustomer, type Outcome, type Reply } from './customers';
import { offerLoad, type StepResult } from './load';
import { ms, summarise } from './stats';

const AMQP_URL = brokerUrl();
const FIXED_LOAD_PER_S = Number(process.env['BENCH_FIXED_LOAD'] ?? 500);
const STEPS_PER_S = (process.env['BENCH_STEPS'] ?? '250,500,750,1000,1250,1500,2000,2500,3000,3500,4000,5000').split(',').map(Number);
const P99_LIMIT_MS = 50;
const CUSTOMER_COUNT = 64;
const FLOOR_ROUND_TRIPS = 5000;
const NEED_SIZE_BYTES = 420; // about the size of an ad.need

async function floor(namespace: string) {
  // The echo runs in a process of its own, as the ad services do.
  const echo = spawn(process.execPath, [process.argv[1]!, 'floor-echo', namespace], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    echo.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    echo.once('exit', (code) => reject(new Error(`the floor echo exited with ${code}`)));
  });
  try {
    await measureFloor(AMQP_URL, namespace, { count: 500, inFlight: 1, size: NEED_SIZE_BYTES }); // warm-up
    const oneAtATime = summarise(await measureFloor(AMQP_URL, namespace, { count: FLOOR_ROUND_TRIPS, inFlight: 1, size: NEED_SIZE_BYTES }));
    const atFixedLoad = summarise(
      await measureFloor(AMQP_URL, namespace, { count: FIXED_LOAD_PER_S * 5, ratePerS: FIXED_LOAD_PER_S, size: NEED_SIZE_BYTES }),
    );
    const started = performance.now();
    await measureFloor(AMQP_URL, namespace, { count: 20_000, inFlight: 64, size: NEED_SIZE_BYTES });
    const perSecond = Math.round(20_000 / ((performance.now() - started) / 1000));
    return { oneAtATime, atFixedLoad, perSecond };
  } finally {
    echo.kill('SIGTERM');
  }
}

function row(cells: (string | number)[], widths: number[]): string {
  return cells.map((c, i) => String(c).padStart(widths[i]!)).join('  ');
}

async function main() {
  if (process.argv[2] === 'floor-echo') {
    const echo = await runFloorEcho(AMQP_URL, process.argv[3]!);
    process.stdout.write('ready\n');
    process.once('SIGTERM', () => void echo.close().then(() => process.exit(0)));
    return;
  }

  const ns = await openTestNamespace('bench');
  willUseStackQueues(ns.probe);
  console.log(`ad-race benchmark: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), broker ${AMQP_URL.replace(/\/\/[^@]*@/, '//')}, namespace ${ns.namespace}`);

  console.log('measuring the floor: a bare amqplib round trip between two processes...');
  const floorResult = await floor(ns.namespace);

  // The adapter's hop: the same fixed load twice, ads-v2 first on version 1 of the messages (as
  // v1 is, and no adapter running), then as the stack ships, on version 2 through the schema
  // adapter. The difference in v2's reply time is what the two extra hops cost.
  console.log(`measuring the schema adapter's hop: ads-v2 on v1, then on v2 through the adapter, at ${FIXED_LOAD_PER_S} ads/s...`);
  const direct = await withStack(ns.namespace, { MESSAGES: 'v1' }, async (run) => run(FIXED_LOAD_PER_S, 5000), ['web', 'ads-v1', 'ads-v2']);

  console.log('starting the stack as `npm start` runs it: every service, ads-v2 on v2 through the schema adapter...');
  await withStack(ns.namespace, {}, async (run) => {
    const fixed = await run(FIXED_LOAD_PER_S, 5000);
    const steps: StepResult[] = [];
    for (const rate of STEPS_PER_S) {
      const step = await run(rate, 3000);
      steps.push(step);
      process.stdout.write(`  ${rate}/s offered: ${step.achievedPerS}/s answered, end-to-end p99 ${ms(step.e2e.p99)} ms\n`);
      // Two failed steps in a row end the search: one can be bad luck on a shared machine.
      if (steps.length >= 2 && !passes(step) && !passes(steps[steps.length - 2]!)) break;
    }
    const best = steps.filter(passes).sort((a, b) => b.achievedPerS - a.achievedPerS)[0];

    const w = [40, 14, 7, 8, 8, 8];
    console.log('\n' + row(['measure', 'load', 'n', 'p50 ms', 'p99 ms', 'max ms'], w));
    const f = floorResult.oneAtATime;
    const fl = floorResult.atFixedLoad;
    console.log(row(['floor: bare amqplib round trip', '1 in flight', f.n, ms(f.p50), ms(f.p99), ms(f.max)], w));
    console.log(row(['floor: bare amqplib round trip', `${FIXED_LOAD_PER_S} msgs/s`, fl.n, ms(fl.p50), ms(fl.p99), ms(fl.max)], w));
    console.log(row(['race: need published -> first answer', `${FIXED_LOAD_PER_S} ads/s`, fixed.race.n, ms(fixed.race.p50), ms(fixed.race.p99), ms(fixed.race.max)], w));
    console.log(row(['end to end: page view -> ad on socket', `${FIXED_LOAD_PER_S} ads/s`, fixed.e2e.n, ms(fixed.e2e.p50), ms(fixed.e2e.p99), ms(fixed.e2e.max)], w));
    if (best) {
      console.log(row(['race', `${best.offeredPerS} ads/s`, best.race.n, ms(best.race.p50), ms(best.race.p99), ms(best.race.max)], w));
      console.log(row(['end to end', `${best.offeredPerS} ads/s`, best.e2e.n, ms(best.e2e.p50), ms(best.e2e.p99), ms(best.e2e.max)], w));
    }
    console.log(`\nfloor throughput, 64 in flight: ${floorResult.perSecond} round trips/s`);
    console.log(`race p50 / floor p50: ${(fixed.race.p50 / f.p50).toFixed(2)}x against the floor one at a time, ${(fixed.race.p50 / fl.p50).toFixed(2)}x against the floor at the same load (target: within 2x)`);

    const sw = [10, 10, 9, 9, 11, 22];
    console.log('\n' + row(['offered/s', 'answered/s', 'e2e p50', 'e2e p99', 'unanswered', 'served by'], sw));
    for (const s of [fixed, ...steps]) {
      const servedBy = Object.entries(s.byVersion).sort().map(([v, n]) => `${v} ${Math.round((100 * n) / Math.max(1, s.race.n))}%`).join(' ');
      console.log(row([s.offeredPerS, s.achievedPerS, ms(s.e2e.p50), ms(s.e2e.p99), s.unanswered, servedBy], sw));
    }
    const cpuOf = (s: StepResult) => Object.entries(s.cpu).sort().map(([name, pct]) => `${name} ${pct}%`).join(', ');
    console.log(`\nCPU, in percent of one core (this machine has ${cpus().length}):`);
    console.log(`  at ${fixed.offeredPerS} ads/s: ${cpuOf(fixed)}`);
    const last = steps[steps.length - 1];
    if (last) console.log(`  at ${last.offeredPerS} ads/s: ${cpuOf(last)}`);
    console.log(`highest load with end-to-end p99 under ${P99_LIMIT_MS} ms, every view answered and no house ads: ${best?.achievedPerS ?? 0} ads/s (target: 3000)`);

    // What the schema adapter's two extra hops cost v2, at the same load, in the same run.
    const [v2Direct, v2Translated] = [direct.replies['v2'], fixed.replies['v2']];
    const hop = { p50: (v2Translated?.p50 ?? NaN) - (v2Direct?.p50 ?? NaN), p99: (v2Translated?.p99 ?? NaN) - (v2Direct?.p99 ?? NaN) };
    const aw = [44, 8, 8, 8, 8];
    console.log(`\nthe schema adapter's hop, at ${FIXED_LOAD_PER_S} ads/s (need published -> answer received by the web server):`);
    console.log(row(['', 'n', 'p50 ms', 'p99 ms', 'v2 wins'], aw));
    const wins = (s: StepResult) => `${Math.round((100 * (s.byVersion['v2'] ?? 0)) / Math.max(1, s.race.n))}%`;
    console.log(row(['race, ads-v2 on v1', direct.race.n, ms(direct.race.p50), ms(direct.race.p99), wins(direct)], aw));
    console.log(row(['race, ads-v2 on v2 through the adapter', fixed.race.n, ms(fixed.race.p50), ms(fixed.race.p99), wins(fixed)], aw));
    const answers = [
      ['v1 answers, beside ads-v2 on v1', direct.replies['v1']],
      ['v1 answers, beside ads-v2 on v2', fixed.replies['v1']],
      ['v2 answers, on v1', v2Direct],
      ['v2 answers, on v2 through the adapter', v2Translated],
    ] as const;
    for (const [label, summary] of answers) {
      if (summary) console.log(row([label, summary.n, ms(summary.p50), ms(summary.p99), ''], aw));
    }
    console.log(`the adapter adds ${ms(hop.p50)} ms at p50 and ${ms(hop.p99)} ms at p99 (target: at most 0.5 ms at p50)`);

    console.log(
      JSON.stringify({
        floor_p50_ms: round(f.p50),
        floor_p99_ms: round(f.p99),
        floor_at_fixed_load_p50_ms: round(fl.p50),
        floor_at_fixed_load_p99_ms: round(fl.p99),
        race_p50_ms: round(fixed.race.p50),
        race_p99_ms: round(fixed.race.p99),
        e2e_p50_ms: round(fixed.e2e.p50),
        e2e_p99_ms: round(fixed.e2e.p99),
        max_ads_per_s: best?.achievedPerS ?? 0,
        fixed_load_ads_per_s: FIXED_LOAD_PER_S,
        floor_round_trips_per_s: floorResult.perSecond,
        race_to_floor_p50: round(fixed.race.p50 / f.p50),
        race_to_floor_at_fixed_load_p50: round(fixed.race.p50 / fl.p50),
        race_ads_v2_on_v1_p50_ms: round(direct.race.p50),
        adapter_hop_p50_ms: round(hop.p50),
        adapter_hop_p99_ms: round(hop.p99),
        cores: cpus().length,
      }),
    );
  });
  await ns.cleanup();
}

type Run = (ratePerS: number, measureMs: number) => Promise<StepResult>;

/**
 * Starts the stack as `npm start` runs it (with `env` over its settings), logs
 * the customers in, warms it up, hands `body` a way to offer load, and stops it.
 */
async function withStack<T>(namespace: string, env: Record<string, string>, body: (run: Run) => Promise<T>, services: string[] = []): Promise<T> {
  const stack = await startStack(
    {
      AMQP_URL,
      BUS_NAMESPACE: namespace,
      SESSION_SECRET: 'a benchmark secret, long enough to sign',
      PAGE_VIEWS_PER_SECOND: '100000', // each client socket stands for many customers
      ...env,
    },
    services,
  );
  const collected: Outcome[] = [];
  const replies: Reply[] = [];
  const outcomes = { take: () => collected.splice(0), takeReplies: () => replies.splice(0) };
  const customers: BenchCustomer[] = [];
  try {
    for (const c of CUSTOMERS.slice(0, CUSTOMER_COUNT)) {
      customers.push(await BenchCustomer.connect(stack.url, c.email, 'rent-a-car', (o) => collected.push(o), (r) => replies.push(r)));
    }
    console.log(`${customers.length} customers logged in, each with the ad socket open`);
    await offerLoad(customers, outcomes, 200, { warmupMs: 2000, measureMs: 1000, drainMs: 300 }); // warm-up: JIT, roster
    return await body((rate, measureMs) => offerLoad(customers, outcomes, rate, { warmupMs: 1000, measureMs, drainMs: 500 }));
  } finally {
    customers.forEach((c) => c.close());
    await stack.stop();
  }
}

/** A load step passes when the browser's p99 stays under the limit, every view got an ad, and none was the house ad. */
function passes(step: StepResult): boolean {
  return step.e2e.p99 < P99_LIMIT_MS && step.unanswered === 0 && !step.byVersion['fallback'] && step.achievedPerS >= step.offeredPerS * 0.98;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
