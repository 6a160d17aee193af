import { CUSTOMERS } from '@ad-race/catalog';
import { adNeedV1, createAdNeedV1 } from '@ad-race/contracts';
import { listenTo } from '@ad-race/service-testing';
import { eventually } from '@ad-race/testing';
import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stackUnderTest } from './stack-under-test';

interface Side {
  answers: number;
  wins: number;
  shadow: boolean;
  meanFitness: number | null;
  wouldHaveWon: number;
}
interface Comparison {
  needs: number;
  a: Side;
  b: Side;
  fitness: { pairs: number; meanDifference: number | null; verdict: string };
  latency: { pairs: number; verdict: string };
  verdict: string;
  summary: string;
}

const web = { service: 'web', version: '1.0.0', instance: 'needs-from-the-test' };

describe('the monitor judging versions on a real broker', () => {
  const stack = stackUnderTest('monitor');
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'monitor-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const monitor = () => stack.start('monitor', { DATA_DIR: dataDir, BATCH_DELAY_MS: '10' });
  async function compare(app: FastifyInstance, a: string, b: string): Promise<Comparison> {
    return (await app.inject({ method: 'GET', url: `/api/comparison?a=${a}&b=${b}` })).json<Comparison>();
  }

  /**
   * Publishes needs as the web server does, for customers of the seeded data
   * in turn, `perSecond` of them; the deadline is long, so a busy machine
   * does not turn them into unanswered needs.
   */
  async function publishNeeds(count: number, perSecond: number) {
    const { bus } = await listenTo(stack.ns.url, stack.ns.namespace, adNeedV1, [adNeedV1]);
    try {
      const started = Date.now();
      for (let i = 0; i < count; i++) {
        const customer = CUSTOMERS[(i * 7) % CUSTOMERS.length]!;
        await bus.publish(adNeedV1, createAdNeedV1(web, { customerId: customer.id, city: customer.homeCity, loyaltyTier: customer.loyaltyTier, page: `p${i}` }, 10_000));
        const ahead = started + ((i + 1) * 1000) / perSecond - Date.now();
        if (ahead > 0) await new Promise((r) => setTimeout(r, ahead));
      }
    } finally {
      await bus.close();
    }
  }

  it('says "not enough data" on a few needs, then, over a few thousand, that v2 fits customers better than v1 and that two copies of v2 do not differ (A/A)', async () => {
    const judge = await monitor();
    await stack.start('ads-v1');
    await stack.start('ads-v2');
    // The same code under another version name: the A/A baseline, as Diffy measures noise.
    await stack.start('ads-v2', { SERVICE_VERSION: 'v2-copy' });
    stack.ns.willUseSharedQueue(adNeedV1, 'ads-v2-copy');

    await publishNeeds(20, 200);
    await eventually(async () => (await compare(judge, 'v1', 'v2')).fitness.pairs === 20, 10_000, 'the first 20 needs judged');
    const few = await compare(judge, 'v1', 'v2');
    expect(few.verdict).toBe('not enough data');
    expect(few.summary).toContain('20 needs');

    await publishNeeds(3000, 400);
    await eventually(
      async () => {
        const c = await compare(judge, 'v2', 'v2-copy');
        return c.fitness.pairs === 3020 && (await compare(judge, 'v1', 'v2')).fitness.pairs === 3020;
      },
      30_000,
      'all 3020 needs judged for every version',
    );
    const v1v2 = await compare(judge, 'v1', 'v2');
    expect(v1v2.fitness.verdict).toBe('better');
    expect(v1v2.fitness.meanDifference).toBeGreaterThan(0);
    expect(v1v2.verdict).toBe('better');
    const aa = await compare(judge, 'v2', 'v2-copy');
    expect(aa.fitness).toMatchObject({ verdict: 'no significant difference', meanDifference: 0 });
    expect(aa.latency.verdict).toBe('no significant difference');
    expect(aa.verdict).toBe('no significant difference');
  }, 90_000);

  it('compares ads-v3 in shadow on every need, through the schema adapter, and never serves it', async () => {
    const judge = await monitor();
    const app = await stack.start('web');
    await stack.start('ads-v1');
    await stack.start('schema-adapter');
    await stack.start('ads-v2', { MESSAGES: 'v2' });
    await stack.start('ads-v3', { MESSAGES: 'v2', SHADOW: 'true' });
    const customers = await Promise.all(['anna@example.com', 'ben@example.com', 'chloe@example.com'].map((email) => stack.customer(app, email)));
    const served = new Set<string>();
    for (let i = 0; i < 25; i++) {
      for (const customer of customers) served.add((await customer.view(`page-${i}`)).servedBy.version);
    }
    expect(served.has('v3')).toBe(false);
    // 75 page views and the 3 logins.
    await eventually(async () => (await compare(judge, 'v2', 'v3')).b.answers === 78, 10_000, 'every v3 answer recorded');
    const c = await compare(judge, 'v2', 'v3');
    expect(c.needs).toBe(78);
    expect(c.a.answers).toBe(78);
    expect(c.b).toMatchObject({ shadow: true, wins: 0 });
    expect(c.fitness.pairs).toBe(78);
    expect(c.verdict).not.toBe('not enough data');
    // v3 ranks by the fitness it is judged by: it cannot fit worse than v2.
    expect(c.b.meanFitness).toBeGreaterThanOrEqual(c.a.meanFitness!);
  }, 60_000);
});
