import type { Comparison, VersionSummary } from '@ad-race/contracts';
import { startStack, willUseStackQueues, type RunningStack } from '@ad-race/service-testing';
import { planRun, simulate, type Progress } from '@ad-race/simulator';
import { eventually, openTestNamespace } from '@ad-race/testing';

/** What the monitor tells of one version in a comparison (services/monitor: GET /api/comparison), as far as this test checks it. */
type VersionEvidence = Pick<VersionSummary, 'version' | 'wins' | 'clicks'>;

// The customer simulator against the stack as `npm start` runs it: its customers log in,
// browse over the WebSocket and click, and what they did reaches the monitor over the bus.
describe('the customer simulator, against a stack', () => {
  let ns: Awaited<ReturnType<typeof openTestNamespace>>;
  let stack: RunningStack;

  beforeAll(async () => {
    ns = await openTestNamespace('e2e-simulator');
    willUseStackQueues(ns.probe);
    // About what reaches whom, not about speed: a generous deadline, so that a busy machine shows few house ads.
    stack = await startStack({ AMQP_URL: ns.url, BUS_NAMESPACE: ns.namespace, AD_DEADLINE_MS: '2000' });
  });

  afterAll(async () => {
    await stack?.stop();
    await ns?.cleanup();
  });

  it('has every page view answered with an ad, and the monitor count the same wins and clicks per version', async () => {
    // Two days in ten seconds; twenty customers make some 250 ads, so some are clicked whoever serves them.
    const options = { url: stack.url, customers: 20, days: 2, speed: 17_280, seed: 1 };
    const progress: Progress[] = [];
    const summary = await simulate({ ...options, quiet: true, onProgress: (p) => progress.push(p) });
    console.log(JSON.stringify(summary));

    // Every customer logged in once, every page view of the plan was sent, and each had its ad.
    expect(summary.logins).toBe(options.customers);
    expect(summary.pageViews).toBe(planRun(options).views.length);
    expect(summary.unanswered).toBe(0);
    expect(summary.ads).toBe(summary.logins + summary.pageViews);
    expect(summary.problems).toBe(0);
    expect(summary.clicks).toBeGreaterThan(0);
    // The progress went through the simulated days to the end.
    expect(progress.at(-1)).toMatchObject({ phase: 'done', simulatedSec: 2 * 86_400, pageViews: summary.pageViews });

    // What the simulator saw is what the monitor recorded: the ads each version served, and the clicks on them.
    const versions = ['v1', 'v2'];
    const expected = versions.map((v) => ({ version: v, wins: summary.byVersion[v]?.ads ?? 0, clicks: summary.byVersion[v]?.clicks ?? 0 }));
    expect(Object.keys(summary.byVersion).every((v) => versions.includes(v))).toBe(true);
    let seen: VersionEvidence[] = [];
    await eventually(async () => {
      const res = await fetch(`${stack.urlOf('monitor')}/api/comparison?a=v1&b=v2`);
      const body = (await res.json()) as Comparison;
      seen = [body.a, body.b].map(({ version, wins, clicks }) => ({ version, wins, clicks }));
      return JSON.stringify(seen) === JSON.stringify(expected);
    }, 15_000).catch(() => undefined);
    expect(seen).toEqual(expected);
  });
});
