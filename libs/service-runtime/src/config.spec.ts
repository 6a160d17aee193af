import { Type } from '@sinclair/typebox';
import { BaseConfig, ConfigError, readConfig } from './config';

const Schema = Type.Object({
  ...BaseConfig,
  PORT: Type.Integer({ default: 3000, minimum: 0, maximum: 65535 }),
  SHADOW: Type.Boolean({ default: false }),
});

describe('reading configuration from the environment', () => {
  it('fills in defaults', () => {
    expect(readConfig(Schema, {})).toEqual({
      AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
      DURABLE_QUEUE_TYPE: 'classic',
      BUS_NAMESPACE: 'ad-race',
      HEARTBEAT_MS: 5000,
      HOST: '0.0.0.0',
      LOG_LEVEL: 'info',
      PORT: 3000,
      SHADOW: false,
    });
  });

  it('converts numbers and booleans, and ignores variables it does not know', () => {
    const config = readConfig(Schema, { PORT: '3005', SHADOW: 'true', PATH: '/usr/bin', INSTANCE_ID: 'ads-v2-a' });
    expect(config).toMatchObject({ PORT: 3005, SHADOW: true, INSTANCE_ID: 'ads-v2-a' });
    expect(config).not.toHaveProperty('PATH');
  });

  it('treats an empty variable as unset', () => {
    expect(readConfig(Schema, { PORT: '' }).PORT).toBe(3000);
  });

  it('takes the nodes of a broker cluster as a list of URLs, and quorum queues for what must survive a node', () => {
    const nodes = 'amqp://u:p@rabbit-1:5672,amqp://u:p@rabbit-2:5672, amqps://u:p@rabbit-3:5671';
    expect(readConfig(Schema, { AMQP_URL: nodes, DURABLE_QUEUE_TYPE: 'quorum' })).toMatchObject({ AMQP_URL: nodes, DURABLE_QUEUE_TYPE: 'quorum' });
    for (const AMQP_URL of ['amqp://rabbit-1,http://rabbit-2', 'amqp://rabbit-1,', 'amqp://rabbit-1 amqp://rabbit-2']) {
      expect(() => readConfig(Schema, { AMQP_URL })).toThrow('AMQP_URL');
    }
    expect(() => readConfig(Schema, { DURABLE_QUEUE_TYPE: 'mirrored' })).toThrow('DURABLE_QUEUE_TYPE');
  });

  it('names every variable that is wrong, with what it got', () => {
    let error: unknown;
    try {
      readConfig(Schema, { PORT: 'eighty', BUS_NAMESPACE: 'has spaces', AMQP_URL: 'http://localhost' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('PORT: Expected integer (got "eighty")');
    expect(message).toContain('BUS_NAMESPACE');
    expect(message).toContain('AMQP_URL');
  });
});
