import { CUSTOMERS } from '@ad-race/catalog';
import { adNeedV1, createAdNeedV1 } from '@ad-race/contracts';
import { listenTo, startStack, willUseStackQueues, type RunningStack } from '@ad-race/service-testing';
import { eventually, openTestNamespace } from '@ad-race/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Comparison {
  needs: number;
  a: { answers: number };
  b: { answers: number };
}

// The monitor killed with SIGKILL while needs flow, and started again on the same data directory:
// what it acknowledged was committed before, what it had not is delivered again (and counted once),
// and what was published while it was down waited in its durable queues.
describe('the monitor killed with SIGKILL under load', () => {
  let ns: Awaited<ReturnType<typeof openTestNamespace>>;
  const stacks: RunningStack[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'monitor-kill-'));

  beforeAll(async () => {
    ns = await openTestNamespace('e2e-monitor');
    willUseStackQueues(ns.probe);
  });

  afterAll(async () => {
    for (const stack of stacks) await stack.stop();
    await ns?.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses nothing it acknowledged, counts nothing twice, and records what came while it was down', async () => {
    const env = { AMQP_URL: ns.url, BUS_NAMESPACE: ns.namespace, DATA_DIR: dataDir };
    const ads = await startStack(env, ['ads-v1', 'ads-v2', 'schema-adapter', 'monitor']);
    stacks.push(ads);
    const { bus } = await listenTo(ns.url, ns.namespace, adNeedV1, [adNeedV1]);
    const total = 1500;
    let restarted: RunningStack | undefined;
    try {
      for (let i = 0; i < total; i++) {
        const customer = CUSTOMERS[i % CUSTOMERS.length]!;
        await bus.publish(adNeedV1, createAdNeedV1({ service: 'web', version: '1.0.0', instance: 'the-test' }, { customerId: customer.id, city: customer.homeCity, loyaltyTier: customer.loyaltyTier, page: `p${i}` }, 30_000));
        if (i === 500) process.kill(ads.pidOf('monitor')!, 'SIGKILL');
        if (i === 1000) {
          restarted = await startStack(env, ['monitor']);
          stacks.push(restarted);
        }
        if (i % 50 === 49) await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await bus.close();
    }
    const compare = async () => (await (await fetch(`${restarted!.urlOf('monitor')}/api/comparison?a=v1&b=v2`)).json()) as Comparison;
    let last: Comparison | undefined;
    await eventually(
      async () => {
        const c = (last = await compare());
        return c.needs === total && c.a.answers === total && c.b.answers === total;
      },
      30_000,
      `all ${total} needs and both versions' answers to each, recorded once`,
    ).catch((err: Error) => {
      throw new Error(`${err.message}; last seen: ${last?.needs} needs, ${last?.a.answers} answers of v1, ${last?.b.answers} of v2`);
    });
    expect(ads.output()).toMatch(/\[stack\] monitor stopped \(SIGKILL\)/);
  }, 90_000);
});
