import type { StartedRabbitMQContainer } from '@testcontainers/rabbitmq';
import { brokerDefinitions, exchangeName, sharedQueueName } from '@ad-race/contracts';
import { containerEngineFound, listedServices, startRabbitMQContainer } from '@ad-race/service-testing';
import { eventually, refusalOf } from '@ad-race/testing';
import { openCustomerSocket, type AdSocket } from '@ad-race/web/testing';
import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { startListedServices } from './stack-under-test';

// Least privilege on the broker: a user per service, with only what its entry
// in services/services.json says it does, loaded from a definitions file as the
// broker starts (as compose and Kubernetes have it). Only on a broker of the
// test's own: without a container engine, skip.
const engine = containerEngineFound();
const NAMESPACE = 'least-privilege';

(engine ? describe : describe.skip)('a broker user per service, with only its own permissions', () => {
  let container: StartedRabbitMQContainer;
  const passwords = Object.fromEntries(listedServices().map((s) => [s.name, randomBytes(12).toString('hex')]));
  const urlOf = (user: string) => {
    const url = new URL(container.getAmqpUrl());
    url.username = user;
    url.password = passwords[user] ?? 'wrong';
    return url.toString();
  };
  const apps: Record<string, FastifyInstance> = {};
  let anna: AdSocket | undefined;

  beforeAll(async () => {
    const users = listedServices().map((s) => ({ name: s.name, password: passwords[s.name]!, access: s.bus }));
    container = await startRabbitMQContainer(brokerDefinitions(NAMESPACE, { name: 'guest', password: 'guest' }, users));
  }, 120_000);

  afterAll(async () => {
    anna?.ws.terminate();
    for (const app of Object.values(apps).reverse()) await app.close();
    await container?.stop();
  });

  it('runs the whole race with each service on its own user', async () => {
    const env = (name: string) => ({ AMQP_URL: urlOf(name), BUS_NAMESPACE: NAMESPACE, AD_DEADLINE_MS: '2000' });
    // Every service of the list as the stack runs it: ads-v2 and ads-v3 on v2 through the adapter, v3 in shadow.
    await startListedServices(env, apps);
    anna = await openCustomerSocket(apps['web']!);
    const versions = new Set<string>();
    await eventually(
      async () => {
        const ad = await anna!.view('deals');
        (await anna!.raceOf(ad.needId, 3)).replies.forEach((r) => versions.add(r.version));
        return versions.has('v1') && versions.has('v2') && versions.has('v3');
      },
      20_000,
      'answers from v1, v2 and v3',
    );
    // The monitor, on its own user, heard it all.
    const monitor = apps['monitor']!;
    await eventually(async () => (await monitor.inject({ method: 'GET', url: '/api/comparison?a=v1&b=v3' })).json<{ b: { answers: number } }>().b.answers > 0, 10_000, 'the monitor recorded v3');
  }, 60_000);

  it('refuses an ad service what is not its to do: publishing a need, using another service’s queue, declaring an exchange', async () => {
    const ads = urlOf('ads-v1');
    const refusals = {
      publishNeed: await refusalOf(ads, { publish: { exchange: exchangeName(NAMESPACE, 'ad.need.v1') } }),
      bindOthersQueue: await refusalOf(ads, { bindQueue: { queue: sharedQueueName(NAMESPACE, 'ad.need.v1', 'schema-adapter'), exchange: exchangeName(NAMESPACE, 'ad.need.v1') } }),
      consumeOthersQueue: await refusalOf(ads, { consume: sharedQueueName(NAMESPACE, 'ad.need.v2', 'ads-v2') }),
      declareExchange: await refusalOf(ads, { declareExchange: exchangeName(NAMESPACE, 'ad.need.v9') }),
    };
    for (const refusal of Object.values(refusals)) expect(refusal).toMatch(/ACCESS_REFUSED/);
    // What is its to do, it may: the checks above fail for the right reason.
    expect(await refusalOf(ads, { publish: { exchange: exchangeName(NAMESPACE, 'ad.solution.v1') } })).toBeNull();
    expect(await refusalOf(ads, { consume: sharedQueueName(NAMESPACE, 'ad.need.v1', 'ads-v1') })).toBeNull();
  });

  it('refuses a wrong password', async () => {
    await expect(refusalOf(urlOf('nobody'), { consume: 'anything' })).rejects.toThrow(/ACCESS_REFUSED|403/);
  });
});
