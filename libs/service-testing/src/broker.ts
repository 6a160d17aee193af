import { RabbitMQContainer, type StartedRabbitMQContainer } from '@testcontainers/rabbitmq';
import { getContainerRuntimeClient } from 'testcontainers';
import { brokerUrl, freePort } from '@ad-race/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from './workspace';

/** The RabbitMQ image for test containers: the official one unless RABBITMQ_TEST_IMAGE names another. */
export const RABBITMQ_TEST_IMAGE = process.env['RABBITMQ_TEST_IMAGE'] ?? 'rabbitmq:3.13-management';

/** Where the answer of containerEngineAvailable() is kept, for every test file of the run to read. */
const ENGINE_FOUND = 'AD_RACE_CONTAINER_ENGINE';

export interface TestBroker {
  url: string;
  /** Where the broker runs: a container of the test's own, or the broker at AMQP_URL. */
  source: 'container' | 'AMQP_URL';
  stop(): Promise<void>;
}

/**
 * Whether testcontainers can reach a container engine (DOCKER_HOST, or Docker's
 * usual socket). Asked once: the answer is kept in the environment, so a Jest
 * global setup that asks first decides it for every test file of the run.
 */
export async function containerEngineAvailable(): Promise<boolean> {
  if (process.env[ENGINE_FOUND] === undefined) {
    const found = await getContainerRuntimeClient().then(
      () => true,
      () => false,
    );
    process.env[ENGINE_FOUND] = found ? 'yes' : 'no';
  }
  return process.env[ENGINE_FOUND] === 'yes';
}

/** What containerEngineAvailable() found, for a test file deciding at load time (after a global setup asked). */
export function containerEngineFound(): boolean {
  return process.env[ENGINE_FOUND] === 'yes';
}

/**
 * Starts RabbitMQ in a container of the test's own. Its AMQP port is bound to
 * a fixed host port, so that it keeps its address when the test restarts it.
 * Given definitions (users, permissions), the broker loads them as it starts,
 * as the compose file and the Kubernetes manifests have it do.
 */
export async function startRabbitMQContainer(definitions?: object): Promise<StartedRabbitMQContainer> {
  let container = new RabbitMQContainer(RABBITMQ_TEST_IMAGE).withExposedPorts({ container: 5672, host: await freePort() }).withStartupTimeout(60_000);
  if (definitions) {
    container = container.withCopyContentToContainer([
      { content: JSON.stringify(definitions), target: '/etc/ad-race/definitions.json' },
      { content: readFileSync(join(workspaceRoot(), 'broker/rabbitmq.conf'), 'utf8'), target: '/etc/rabbitmq/conf.d/20-ad-race.conf' },
    ]);
  }
  return container.start();
}

/**
 * The broker for a suite: RabbitMQ in a container (testcontainers) when a
 * container engine is reachable, otherwise the broker at AMQP_URL.
 */
export async function startTestBroker(): Promise<TestBroker> {
  if (await containerEngineAvailable()) {
    const container = await startRabbitMQContainer();
    return { url: container.getAmqpUrl(), source: 'container', stop: async () => void (await container.stop()) };
  }
  return { url: brokerUrl(), source: 'AMQP_URL', stop: async () => undefined };
}
