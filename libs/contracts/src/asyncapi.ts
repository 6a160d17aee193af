import type { MessageContract } from './message-contract';

// The AsyncAPI 3.0 document of the bus (docs/asyncapi.yaml), made from the
// message contracts themselves: every exchange (one per message version) and
// every message version's schema, with the fixtures that validate as examples.
// `npm run generate:asyncapi` writes it; a test checks it is what this makes.

export interface MessageExample {
  description: string;
  message: unknown;
}

/** What each message is for, in a sentence: the document's summaries. */
const SUMMARIES: Record<string, string> = {
  'ad.need': 'I need an ad: a customer opened a page, and every ad service version that reads this version answers it once.',
  'ad.solution': 'An ad service version’s answer to a need: the web server races them, any listener can compare them.',
  'ad.served': 'A race was decided: the web server names the version whose ad it showed, or the house ad.',
  'ad.clicked': 'A customer clicked an ad: once per ad, with the version that served it.',
  'session.ended': 'A customer logged out: every web instance forgets the session and closes its sockets.',
  'service.heartbeat': 'A service instance is alive: at start, at every interval, and once more when it stops; with the message versions it reads and writes.',
};

/** A TypeBox schema as plain JSON Schema (TypeBox marks its schemas with symbols, which JSON leaves out). */
const jsonSchema = (schema: unknown) => JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;

export function asyncApiDocument(messages: readonly MessageContract[], examples: Record<string, MessageExample[]>, version: string) {
  const channels: Record<string, unknown> = {};
  const components: Record<string, unknown> = {};
  for (const contract of messages) {
    const key = contract.channel;
    channels[key] = {
      address: `{namespace}.${contract.channel}`,
      title: `${contract.name}, version ${contract.schemaVersion}`,
      description: `The fanout exchange of ${contract.name} version ${contract.schemaVersion}. Each consumer binds a queue of its own: shared by the replicas of one service version (\`{namespace}.${contract.channel}.<group>\`), or one per instance.`,
      parameters: { namespace: { $ref: '#/components/parameters/namespace' } },
      messages: { [key]: { $ref: `#/components/messages/${key}` } },
      bindings: {
        amqp: {
          is: 'routingKey',
          exchange: { name: `{namespace}.${contract.channel}`, type: 'fanout', durable: true, autoDelete: false, vhost: '/' },
          bindingVersion: '0.3.0',
        },
      },
    };
    components[key] = {
      name: contract.name,
      title: `${contract.name} v${contract.schemaVersion}`,
      summary: SUMMARIES[contract.name] ?? contract.name,
      contentType: 'application/json',
      correlationId: { $ref: '#/components/correlationIds/conversation' },
      headers: { $ref: '#/components/schemas/headers' },
      payload: jsonSchema(contract.schema),
      bindings: { amqp: { messageType: contract.name, bindingVersion: '0.3.0' } },
      examples: (examples[key] ?? []).map((e) => ({ summary: e.description, payload: e.message })),
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'ad-race: the bus',
      version,
      description: [
        'Every message on the ad-race bus, each version on a fanout exchange of its own, so old and new versions travel side by side.',
        'Consumers read tolerantly (a field they do not know is ignored); a message that breaks its schema, or a version a consumer does not read,',
        'goes to `{namespace}.dead-letters` with the reason in the header `x-dead-letter-reason`. Generated from the TypeBox schemas in libs/contracts.',
      ].join(' '),
    },
    defaultContentType: 'application/json',
    servers: {
      local: { host: '127.0.0.1:5672', protocol: 'amqp', protocolVersion: '0.9.1', description: 'The broker `npm start` and the tests use (AMQP_URL).' },
    },
    channels,
    components: {
      messages: components,
      parameters: {
        namespace: { default: 'ad-race', description: 'BUS_NAMESPACE: the prefix of every exchange and queue, so several stacks share one broker.' },
      },
      correlationIds: {
        conversation: {
          description:
            'The AMQP correlationId: the id of the need that started the conversation, kept by every answer and every translation. Version 2 of the messages also carries it as `conversationId`.',
          location: '$message.header#/correlation_id',
        },
      },
      schemas: {
        headers: {
          type: 'object',
          description: 'AMQP headers; the AMQP type is the message name, messageId its id.',
          properties: {
            'schema-version': { type: 'integer', description: 'The message’s version: a consumer refuses another before parsing the body.' },
            'producer-version': { type: 'string', description: 'The version of the service whose work the message carries.' },
            'producer-instance': { type: 'string' },
            'translated-by': { type: 'string', description: 'The schema adapter instance that translated it, if one did: never translated again.' },
            'translated-from': { type: 'string', description: 'The channel it was translated from, such as ad.solution.v2.' },
          },
          required: ['schema-version', 'producer-version', 'producer-instance'],
        },
      },
    },
  };
}
