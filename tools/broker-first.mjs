// A broker before anything needs one. When nothing answers at AMQP_URL (at any
// of its addresses, for a cluster's comma-separated list), starts
// RabbitMQ in a container of its own (testcontainers, the image the tests use:
// libs/service-testing's startRabbitMQContainer) where a container engine is
// reachable, and otherwise says in one line what to run. Costs one TCP connect
// when the broker is there. Used by tools/start-stack.mjs (npm start) and
// tools/test-totals.mjs (npm test).
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { DEFAULT_AMQP_URL, redactUrl } from './stack-state.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Whether something accepts a TCP connection at the URL's host and port, within timeoutMs. */
function answers(url, timeoutMs = 1_000) {
  const { hostname, port, protocol } = new URL(url);
  const host = hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  const portNumber = Number(port || (protocol === 'amqps:' ? 5671 : 5672));
  return new Promise((resolve) => {
    const socket = connect({ host, port: portNumber });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export class NoBroker extends Error {}

/**
 * The broker to use: the one at `url` when it answers; otherwise RabbitMQ in
 * a new container, which `stop()` removes. Throws NoBroker, with one line
 * saying what to run, when neither is possible.
 */
export async function brokerFirst(url = process.env.AMQP_URL || DEFAULT_AMQP_URL, log = (line) => console.error(line)) {
  const addresses = url.split(',').map((entry) => entry.trim()).filter(Boolean);
  if ((await Promise.all(addresses.map((address) => answers(address)))).some(Boolean)) return { url, container: false, stop: async () => undefined };
  // Only now load TypeScript (tsx) and testcontainers: the usual case pays for neither.
  const { tsImport } = await import('tsx/esm/api');
  const { containerEngineAvailable, startRabbitMQContainer } = await tsImport(`${root}/libs/service-testing/src/broker.ts`, import.meta.url);
  if (!(await containerEngineAvailable())) {
    throw new NoBroker(
      `No RabbitMQ answers at ${redactUrl(url)} and no container engine is reachable to start one: run \`rabbitmq-server -detached\` (or \`docker compose up -d rabbitmq\` and AMQP_URL=amqp://ad-race:ad-race@127.0.0.1:5672), or set AMQP_URL to a broker`,
    );
  }
  log(`[broker] no RabbitMQ answers at ${redactUrl(url)}: starting one in a container (testcontainers) ...`);
  const container = await startRabbitMQContainer();
  const started = container.getAmqpUrl();
  log(`[broker] RabbitMQ runs in container ${container.getId().slice(0, 12)} at ${started}; it stops with this command`);
  return { url: started, container: true, stop: async () => void (await container.stop()) };
}
