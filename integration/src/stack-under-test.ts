import { listedServices, startService, startTestBroker, willUseStackQueues, type TestBroker } from '@ad-race/service-testing';
import { openTestNamespace } from '@ad-race/testing';
import { openCustomerSocket, startWeb, type AdSocket } from '@ad-race/web/testing';
import type { FastifyInstance } from 'fastify';

/**
 * What a suite of these tests shares: RabbitMQ in a container of the suite's
 * own where a container engine is reachable (as in CI), else the broker at
 * AMQP_URL; a namespace of each test's own on it; and the services and
 * customers a test starts, stopped after it.
 */
export function stackUnderTest(label: string) {
  let broker: TestBroker;
  let ns: Awaited<ReturnType<typeof openTestNamespace>>;
  const apps: FastifyInstance[] = [];
  const sockets: AdSocket[] = [];

  beforeAll(async () => {
    broker = await startTestBroker();
    console.log(`integration broker: ${broker.source} at ${broker.url}`);
  }, 90_000);

  afterAll(async () => {
    await broker?.stop();
  });

  beforeEach(async () => {
    ns = await openTestNamespace(label, broker.url);
    willUseStackQueues(ns.probe);
  });

  afterEach(async () => {
    sockets.splice(0).forEach((s) => s.ws.terminate());
    for (const app of apps.splice(0).reverse()) await app.close();
    await ns.cleanup();
  });

  const suite = {
    /** This test's namespace, and the probe on it. */
    get ns() {
      return ns;
    },
    /** The environment that puts a service on this test's namespace. */
    get env(): Record<string, string> {
      return { AMQP_URL: ns.url, BUS_NAMESPACE: ns.namespace };
    },
    /** Builds a service of the list in-process on this test's namespace, ready; stopped after the test. */
    async start(name: string, extra: Record<string, string> = {}): Promise<FastifyInstance> {
      const env = { ...suite.env, ...extra };
      const app = name === 'web' ? await startWeb(env) : await startService(name, env);
      apps.push(app);
      return app;
    },
    /** Stops a service the test started, while the test runs on. */
    async stop(app: FastifyInstance): Promise<void> {
      apps.splice(apps.indexOf(app), 1);
      await app.close();
    },
    /** Logs a customer in on a web server and opens their ad socket, with the login's ad in it. */
    async customer(app: FastifyInstance, email?: string): Promise<AdSocket> {
      const socket = await openCustomerSocket(app, email);
      sockets.push(socket);
      return socket;
    },
    async metrics(app: FastifyInstance): Promise<string> {
      return (await app.inject({ method: 'GET', url: '/metrics' })).body;
    },
  };
  return suite;
}

/**
 * Starts web, then every other service of the list with its stack settings
 * (as `npm start` runs them), each on the environment `env(name)` gives it,
 * into `apps` by name as each is ready: a caller's cleanup then stops those
 * started even if a later one fails.
 */
export async function startListedServices(env: (name: string) => Record<string, string>, apps: Record<string, FastifyInstance>): Promise<void> {
  apps['web'] = await startWeb(env('web'));
  for (const { name, stack } of listedServices().filter((s) => s.name !== 'web')) apps[name] = await startService(name, { ...env(name), ...stack });
}
