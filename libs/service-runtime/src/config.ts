import { Type, type Static, type TObject, type TProperties } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** The configuration every service reads: where the broker is, which namespace, where to listen. */
export const BaseConfig = {
  /** The broker: an amqp(s) URL, or a comma-separated list of the nodes of one cluster, tried in turn (see @ad-race/messaging's Bus). */
  AMQP_URL: Type.String({ default: 'amqp://guest:guest@127.0.0.1:5672', pattern: '^amqps?://[^,\\s]+(\\s*,\\s*amqps?://[^,\\s]+)*$' }),
  /**
   * The type of the queues whose contents must survive (the dead letters, the monitor's queues):
   * `quorum` on a cluster, replicated over its nodes. Every service of a namespace must use the same,
   * and a namespace's queues keep the type they were first declared with (see DurableQueueType).
   */
  DURABLE_QUEUE_TYPE: Type.Union([Type.Literal('classic'), Type.Literal('quorum')], { default: 'classic' }),
  /** Prefix of every exchange and queue, so several stacks and test runs can share one broker. */
  BUS_NAMESPACE: Type.String({ default: 'ad-race', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' }),
  HOST: Type.String({ default: '0.0.0.0' }),
  LOG_LEVEL: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)), { default: 'info' }),
  /** Names this process in logs, metrics and the broker; defaults to service, version, host and pid. */
  INSTANCE_ID: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$' })),
  /** How often the service says on the bus that it is alive; the monitor counts it gone after three silent intervals. */
  HEARTBEAT_MS: Type.Integer({ default: 5000, minimum: 100, maximum: 3_600_000 }),
} satisfies TProperties;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads a service's configuration from environment variables: fills in
 * defaults, converts numbers and booleans, and rejects what does not fit,
 * naming every variable that is wrong. Variables the schema does not name are ignored.
 */
export function readConfig<S extends TObject>(schema: S, env: Record<string, string | undefined>): Static<S> {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const value = Value.Convert(schema, Value.Default(schema, raw));
  if (Value.Check(schema, value)) return value;
  const problems = [...Value.Errors(schema, value)].map((e) => {
    const name = e.path.replace(/^\//, '');
    return `${name}: ${e.message}` + (raw[name] !== undefined ? ` (got ${JSON.stringify(raw[name])})` : '');
  });
  throw new ConfigError([...new Set(problems)]);
}
