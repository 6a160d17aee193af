import { RabbitMQContainer, type StartedRabbitMQContainer } from '@testcontainers/rabbitmq';
import { Network } from 'testcontainers';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { eventually } from '@ad-race/testing';
import { randomBytes } from 'node:crypto';
import { RABBITMQ_TEST_IMAGE } from './broker';

const NODES = 3;
const MANAGEMENT_PORT = 15672;

/** What `rabbitmq-diagnostics cluster_status --formatter json` says, as far as a test reads it. */
const ClusterStatus = Type.Object({ running_nodes: Type.Array(Type.String()) });

/**
 * A client connection, as the management API lists it (GET /api/connections:
 * rabbitmqctl does not say which node a connection is on): the node, and the
 * name the client gave it.
 */
const Connection = Type.Object({ node: Type.String(), client_properties: Type.Object({ connection_name: Type.Optional(Type.String()) }) });

export interface ClusterConnection {
  /** The name the client gave its connection (a service's INSTANCE_ID), if it gave one. */
  name: string | undefined;
  node: string;
}

/** A queue, as `rabbitmqctl list_queues` lists it: its type, its leader (a quorum queue's; empty for a classic one), the messages in it. */
const Queue = Type.Object({ name: Type.String(), type: Type.String(), leader: Type.String(), messages: Type.Integer({ minimum: 0 }) });
export type ClusterQueue = Static<typeof Queue>;

export interface RabbitMQCluster {
  /** The nodes, in order: rabbit@rabbit-1 to rabbit@rabbit-3. */
  readonly nodes: readonly string[];
  /** Each node's AMQP address on this machine, comma-separated in the nodes' order: the AMQP_URL of the cluster. */
  readonly url: string;
  /** The nodes running now, as a running node reports them. */
  runningNodes(): Promise<string[]>;
  /** The clients connected to any node, each by the name it gave its connection (from the management plugin, which the image must have). */
  connections(): Promise<ClusterConnection[]>;
  /** A queue of the default virtual host: its type, its leader (a quorum queue's) and the messages in it. */
  queue(name: string): Promise<ClusterQueue>;
  /** Stops a node as an operator would (SIGTERM: it hands its queues' leadership over and closes its connections); the others run on. */
  stop(node: string): Promise<void>;
  /** Stops every node still running at once (SIGKILL), and removes the cluster's network. */
  stopAll(): Promise<void>;
}

/**
 * Starts a RabbitMQ cluster of three nodes (RABBITMQ_TEST_IMAGE, as
 * startRabbitMQContainer) in containers of the test's own, on a network of
 * their own where each is found by its host name (rabbit-1 to rabbit-3: the
 * node names rabbit@rabbit-N resolve between them). They share an Erlang
 * cookie, and find each other from the list of nodes in their configuration
 * (classic peer discovery): the first starts alone, the other two join it.
 * Returns once the cluster reports three running nodes. Each node's AMQP port
 * is published on a port of this machine's loopback.
 */
export async function startRabbitMQCluster(): Promise<RabbitMQCluster> {
  const network = await new Network().start();
  const hosts = Array.from({ length: NODES }, (_, i) => `rabbit-${i + 1}`);
  const nodes = hosts.map((host) => `rabbit@${host}`);
  const running = new Map<string, StartedRabbitMQContainer>();
  // The nodes of one cluster authenticate each other with a shared secret. The
  // variable is RabbitMQ's own (the official image's entrypoint leaves it alone);
  // the command-line tools run in a container read it too.
  const cookie = randomBytes(24).toString('hex');
  const config = [
    'cluster_formation.peer_discovery_backend = classic_config',
    ...nodes.map((node, i) => `cluster_formation.classic_config.nodes.${i + 1} = ${node}`),
    '',
  ].join('\n');
  const start = async (host: string) => {
    const container = await new RabbitMQContainer(RABBITMQ_TEST_IMAGE)
      .withNetwork(network)
      .withHostname(host)
      .withNetworkAliases(host)
      .withEnvironment({ RABBITMQ_ERLANG_COOKIE: cookie })
      .withCopyContentToContainer([{ content: config, target: '/etc/rabbitmq/conf.d/10-cluster.conf' }])
      .withStartupTimeout(90_000)
      .start();
    running.set(`rabbit@${host}`, container);
  };

  /** The first node still running, and its container. */
  function firstRunning(): [string, StartedRabbitMQContainer] {
    const first = [...running][0];
    if (!first) throw new Error('no node of the cluster is running');
    return first;
  }

  /** Runs a command-line tool on a running node, and reads its JSON output as `schema` says. */
  async function ask<S extends TSchema>(schema: S, command: string[]): Promise<Static<S>> {
    const [node, container] = firstRunning();
    const { exitCode, stdout, stderr } = await container.exec(command);
    if (exitCode !== 0) throw new Error(`${command.join(' ')} on ${node} exited with ${exitCode}: ${stderr || stdout}`);
    const answer: unknown = JSON.parse(stdout);
    if (!Value.Check(schema, answer)) throw new Error(`${command.join(' ')} on ${node} said what was not expected: ${stdout}`);
    return answer;
  }

  async function stop(node: string): Promise<void> {
    const container = running.get(node);
    if (!container) throw new Error(`${node} is not a running node of this cluster`);
    running.delete(node);
    await container.stop({ timeout: 30_000 });
  }
  async function stopAll(): Promise<void> {
    // Nothing to hand over any more: the containers go at once.
    const containers = [...running.values()];
    running.clear();
    await Promise.all(containers.map((container) => container.stop().catch(() => undefined)));
    await network.stop().catch(() => undefined);
  }

  try {
    // One node first, then the others join it: nodes booting at once could each start a cluster of their own.
    await start(hosts[0]!);
    const joined = await Promise.allSettled(hosts.slice(1).map(start));
    for (const result of joined) if (result.status === 'rejected') throw result.reason;
  } catch (err) {
    await stopAll();
    throw err;
  }
  // Every node's address, the stopped ones too: the services are given them all.
  const url = nodes.map((node) => running.get(node)!.getAmqpUrl()).join(',');

  const cluster: RabbitMQCluster = {
    nodes,
    url,
    async runningNodes() {
      return (await ask(ClusterStatus, ['rabbitmq-diagnostics', '-q', 'cluster_status', '--formatter', 'json'])).running_nodes;
    },
    async connections() {
      const [node, container] = firstRunning();
      const res = await fetch(`http://${container.getHost()}:${container.getMappedPort(MANAGEMENT_PORT)}/api/connections`, {
        headers: { authorization: `Basic ${Buffer.from('guest:guest').toString('base64')}` },
      });
      const answer: unknown = await res.json();
      if (!res.ok || !Value.Check(Type.Array(Connection), answer)) throw new Error(`the management API of ${node} answered ${res.status}: ${JSON.stringify(answer)}`);
      return answer.map((c) => ({ name: c.client_properties.connection_name, node: c.node }));
    },
    async queue(name) {
      const queues = await ask(Type.Array(Queue), ['rabbitmqctl', '-q', 'list_queues', '--formatter', 'json', 'name', 'type', 'leader', 'messages']);
      const queue = queues.find((q) => q.name === name);
      if (!queue) throw new Error(`no queue "${name}" in the cluster`);
      return queue;
    },
    stop,
    stopAll,
  };

  let seen: string[] = [];
  try {
    await eventually(async () => (seen = await cluster.runningNodes().catch(() => seen)).length === NODES, 60_000, `${NODES} running nodes`);
  } catch (err) {
    await stopAll();
    throw new Error(`${err instanceof Error ? err.message : String(err)}: the cluster reports ${seen.join(', ') || 'none'} running`);
  }
  return cluster;
}
