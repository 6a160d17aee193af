import { CUSTOMERS } from '@ad-race/catalog';
import { sleep } from '@ad-race/testing';
import { startStack, type RunningStack } from '../stack';
import { performance } from 'node:perf_hooks';
import { cpuPercent, cpuPerAd, memoryMb, sampleProcesses } from './cpu';
import { LoadCustomer, type Outcome, type Reply } from './customers';
import { summarise, type Summary } from './stats';

export interface StepResult {
  offeredPerS: number;
  achievedPerS: number;
  e2e: Summary;
  race: Summary;
  unanswered: number;
  byVersion: Record<string, number>;
  /** Each version's answers, timed from the need's publication, whether they won or not. */
  replies: Record<string, Summary>;
  /** Percent of one core used by each process during the measurement. */
  cpu: Record<string, number>;
  /** Microseconds of CPU each process spent per ad answered. */
  cpuPerAdUs: Record<string, number>;
  /** Resident memory of each process at the end of the step, in MiB. */
  memoryMb: Record<string, number>;
  /** Ads served by a real version (within the deadline, as every winner is), a second. */
  goodputPerS: number;
}

/**
 * Offers page views at a fixed rate, whatever the answers do (an open loop,
 * so a slow answer cannot slow the offer down and hide its own delay), spread
 * over the customers in turn. Views sent during the warm-up are not counted.
 */
export async function offerLoad(
  customers: LoadCustomer[],
  outcomes: { take(): Outcome[]; takeReplies(): Reply[] },
  ratePerS: number,
  options: { warmupMs: number; measureMs: number; drainMs: number },
): Promise<StepResult> {
  outcomes.take();
  outcomes.takeReplies();
  const start = performance.now();
  const measureFrom = start + options.warmupMs;
  const end = measureFrom + options.measureMs;
  let sent = 0;
  let counted = 0;
  let next = 0;
  let cpuBefore = sampleProcesses();
  let cpuAfter = cpuBefore;
  let measuring = false;
  const total = Math.floor(((end - start) / 1000) * ratePerS);
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      if (!measuring && now >= measureFrom) {
        measuring = true;
        cpuBefore = sampleProcesses();
      }
      const due = Math.min(Math.floor(((now - start) / 1000) * ratePerS), total);
      for (; sent < due; sent++) {
        const sentAt = customers[next]!.view();
        next = (next + 1) % customers.length;
        if (sentAt >= measureFrom && sentAt < end) counted++;
      }
      if (now >= end) {
        cpuAfter = sampleProcesses();
        resolve();
      }
      else setTimeout(tick, 1);
    };
    tick();
  });
  await sleep(options.drainMs);
  const results = outcomes.take().filter((o) => o.sentAt >= measureFrom && o.sentAt < end);
  const replies = outcomes.takeReplies().filter((r) => r.sentAt >= measureFrom && r.sentAt < end);
  for (const c of customers) c.forgetWaiting();
  const byVersion: Record<string, number> = {};
  for (const o of results) byVersion[o.version] = (byVersion[o.version] ?? 0) + 1;
  const latencies: Record<string, number[]> = {};
  for (const r of replies) (latencies[r.version] ??= []).push(r.latencyMs);
  const seconds = options.measureMs / 1000;
  const achievedPerS = Math.round(results.length / seconds);
  const cpu = cpuPercent(cpuBefore, cpuAfter, seconds);
  return {
    offeredPerS: ratePerS,
    achievedPerS,
    e2e: summarise(results.map((o) => o.e2eMs)),
    race: summarise(results.map((o) => o.raceMs)),
    unanswered: Math.max(0, counted - results.length),
    byVersion,
    replies: Object.fromEntries(Object.entries(latencies).map(([version, values]) => [version, summarise(values)])),
    cpu,
    cpuPerAdUs: cpuPerAd(cpu, achievedPerS),
    memoryMb: memoryMb(cpuAfter),
    goodputPerS: Math.round(results.filter((o) => o.version !== 'fallback' && o.version !== 'shed').length / seconds),
  };
}

/** Customers of a running stack, logged in with their sockets open, and a way to offer them load. */
export interface Crowd {
  customers: LoadCustomer[];
  /** Offers page views at `ratePerS` (see offerLoad). */
  run(ratePerS: number, options: { warmupMs: number; measureMs: number; drainMs: number }): Promise<StepResult>;
  close(): void;
}

/** Logs these customers in at `baseUrl` (the stack must allow that many logins from here), each with the ad socket open. */
export async function openCrowd(baseUrl: string, emails: readonly string[]): Promise<Crowd> {
  const collected: Outcome[] = [];
  const replies: Reply[] = [];
  const outcomes = { take: () => collected.splice(0), takeReplies: () => replies.splice(0) };
  const customers: LoadCustomer[] = [];
  for (const email of emails) {
    customers.push(await LoadCustomer.connect(baseUrl, email, 'rent-a-car', (o) => collected.push(o), (r) => replies.push(r)));
  }
  return {
    customers,
    run: (ratePerS, options) => offerLoad(customers, outcomes, ratePerS, options),
    close: () => customers.forEach((c) => c.close()),
  };
}

export interface CrowdedStack {
  stack: RunningStack;
  crowd: Crowd;
  stop(): Promise<void>;
}

/**
 * The stack as `npm start` runs it (with `env` over its settings, and only
 * `services` if named), and the first `customers` of the seeded customers
 * logged in with their sockets open. Its limits per socket and per client
 * address are raised: every customer here comes from this machine's one
 * address, and each socket stands for many people.
 */
export async function startCrowdedStack(env: Record<string, string>, customers: number, services: string[] = []): Promise<CrowdedStack> {
  const stack = await startStack({ SESSION_SECRET: 'a secret for load from this machine, long enough', PAGE_VIEWS_PER_SECOND: '100000', LOGINS_PER_MINUTE: '100000', ...env }, services);
  try {
    const crowd = await openCrowd(stack.url, CUSTOMERS.slice(0, customers).map((c) => c.email));
    return {
      stack,
      crowd,
      async stop() {
        crowd.close();
        await stack.stop();
      },
    };
  } catch (err) {
    await stack.stop();
    throw err;
  }
}
