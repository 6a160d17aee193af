import { startStack, willUseStackQueues, type RunningStack } from '@ad-race/service-testing';
import { eventually, openTestNamespace } from '@ad-race/testing';
import WebSocket from 'ws';

// The race as the stack runs it, each service a process of its own (in-process, one event loop
// would serve every service in turn, and the first to hear a need would always win): v1 answers
// version-1 needs directly; v2, ten times faster at choosing, reads version 2 through the schema
// adapter, two hops further. Customers arriving at once, a few hundred needs: both win races.
describe('two versions racing, in processes of their own', () => {
  let ns: Awaited<ReturnType<typeof openTestNamespace>>;
  let stack: RunningStack;

  beforeAll(async () => {
    ns = await openTestNamespace('e2e-race');
    willUseStackQueues(ns.probe);
    stack = await startStack({ AMQP_URL: ns.url, BUS_NAMESPACE: ns.namespace, AD_DEADLINE_MS: '5000', PAGE_VIEWS_PER_SECOND: '1000' });
  });

  afterAll(async () => {
    await stack?.stop();
    await ns?.cleanup();
  });

  async function openSocket(email: string): Promise<WebSocket> {
    const res = await fetch(`${stack.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'rent-a-car' }) });
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const ws = new WebSocket(`${stack.url.replace('http', 'ws')}/api/ws`, { headers: { cookie } });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    return ws;
  }

  it('has both versions win races over a few hundred needs, v2 through the adapter', async () => {
    const sockets = await Promise.all(['anna', 'ben', 'chloe', 'diego'].map((name) => openSocket(`${name}@example.com`)));
    const wins: Record<string, number> = {};
    const translated: boolean[] = [];
    for (const ws of sockets) {
      ws.on('message', (data) => {
        const message = JSON.parse(data.toString());
        if (message.type === 'ad' && message.page.startsWith('race-')) wins[message.servedBy.version] = (wins[message.servedBy.version] ?? 0) + 1;
        if (message.type === 'race') for (const reply of message.replies) if (reply.version === 'v2') translated.push(reply.translated);
      });
    }
    // 400 page views from four customers, 200 a second.
    for (let i = 0; i < 400; i++) {
      sockets[i % 4]!.send(JSON.stringify({ type: 'page', page: `race-${i}` }));
      if (i % 4 === 3) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await eventually(() => Object.values(wins).reduce((a, b) => a + b, 0) === 400, 20_000, 'an ad for each of the 400 views');
    sockets.forEach((ws) => ws.close());
    console.log(`400 races: ${JSON.stringify(wins)}`);
    expect(wins['fallback']).toBeUndefined();
    expect(wins['v1']).toBeGreaterThan(0);
    expect(wins['v2']).toBeGreaterThan(0);
    expect(translated.length).toBeGreaterThan(0);
    expect(translated.every(Boolean)).toBe(true);
  });
});
