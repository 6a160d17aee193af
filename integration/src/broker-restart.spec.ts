import type { StartedRabbitMQContainer } from '@testcontainers/rabbitmq';
import { containerEngineFound, startRabbitMQContainer, waitUntilReady, watchReadiness } from '@ad-race/service-testing';
import { eventually } from '@ad-race/testing';
import { openCustomerSocket, type AdSocket } from '@ad-race/web/testing';
import type { FastifyInstance } from 'fastify';
import { startListedServices } from './stack-under-test';

// Restarting a broker is only ever done to a container of the test's own,
// never to the broker other tests share: without a container engine (as
// libs/service-testing's Jest global setup found), skip.
const engine = containerEngineFound();

(engine ? describe : describe.skip)('when the broker restarts (RabbitMQ in a container of its own)', () => {
  let container: StartedRabbitMQContainer;
  const apps: Record<string, FastifyInstance> = {};
  let anna: AdSocket;

  beforeAll(async () => {
    container = await startRabbitMQContainer();
    const env = { AMQP_URL: container.getAmqpUrl(), BUS_NAMESPACE: 'restart' };
    // Every service of the list, ads-v2 on v2 through the adapter as the stack runs it.
    await startListedServices(() => env, apps);
    anna = await openCustomerSocket(apps['web']!);
  }, 120_000);

  afterAll(async () => {
    anna?.ws.terminate();
    for (const app of Object.values(apps)) await app.close();
    await container?.stop();
  });

  it('every service notices, reconnects by itself and serves again', async () => {
    expect((await anna.view('home')).servedBy.service).toBe('ads');

    // Watch every service's readiness while the broker goes away and comes back.
    const readiness = watchReadiness(apps);
    await container.restart();
    for (const app of Object.values(apps)) await waitUntilReady(app, 30_000);
    expect(await readiness.stop()).toEqual(Object.keys(apps).sort());

    // The same processes, the same socket: ads come from both versions again.
    const seen = new Set<string>();
    await eventually(
      async () => {
        const ad = await anna.view('deals');
        const race = await anna.raceOf(ad.needId);
        race.replies.forEach((r) => seen.add(r.version));
        return ad.servedBy.service === 'ads' && seen.has('v1') && seen.has('v2');
      },
      30_000,
      'ads from both versions after the restart',
    );
  }, 90_000);
});
