import { nextBroker, parseBrokerUrls } from './brokers';

describe('the broker addresses', () => {
  it('reads one URL as amqplib would: host, port, user, password and virtual host', () => {
    expect(parseBrokerUrls('amqp://ad-race:secret@rabbit:5673/%2F')).toEqual([
      { connect: { protocol: 'amqp', hostname: 'rabbit', port: 5673, username: 'ad-race', password: 'secret', vhost: '%2F' }, label: 'amqp://ad-race:***@rabbit:5673/%2F' },
    ]);
  });

  it('reads the nodes of a cluster from a comma-separated list, in order, spaces around the commas allowed', () => {
    const addresses = parseBrokerUrls('amqp://u:p@rabbit-1:5672, amqp://u:p@rabbit-2:5672 ,amqps://u:p@rabbit-3');
    expect(addresses.map((a) => [a.connect.protocol, a.connect.hostname, a.connect.port])).toEqual([
      ['amqp', 'rabbit-1', 5672],
      ['amqp', 'rabbit-2', 5672],
      ['amqps', 'rabbit-3', 5671],
    ]);
    expect(addresses.map((a) => a.label)).toEqual(['amqp://u:***@rabbit-1:5672', 'amqp://u:***@rabbit-2:5672', 'amqps://u:***@rabbit-3']);
  });

  it('defaults as amqplib does: port 5672, and guest (no user given) when the URL names no one', () => {
    const [address] = parseBrokerUrls('amqp://127.0.0.1');
    expect(address!.connect).toEqual({ protocol: 'amqp', hostname: '127.0.0.1', port: 5672, vhost: '' });
    expect(address!.connect).not.toHaveProperty('username');
    expect(address!.label).toBe('amqp://127.0.0.1');
  });

  it('decodes a %-encoded user and password, a comma and an @ among them, and hides the password', () => {
    const [address] = parseBrokerUrls('amqp://web%40ads:p%2Cw%40rd@rabbit-1:5672');
    expect(address!.connect).toMatchObject({ username: 'web@ads', password: 'p,w@rd', hostname: 'rabbit-1' });
    expect(address!.label).toBe('amqp://web%40ads:***@rabbit-1:5672');
    // Written unescaped, an @ in the password is still hidden: URLs end the user part at the last @.
    expect(parseBrokerUrls('amqp://u:p@ss@rabbit-1')[0]!.label).toBe('amqp://u:***@rabbit-1');
  });

  it('takes the settings amqplib reads from the query, as numbers, and an IPv6 host without its brackets', () => {
    const [address] = parseBrokerUrls('amqp://[::1]:5672/?heartbeat=5&frameMax=8192&channelMax=10&maxFrameSize=65536&locale=en_GB&other=x');
    expect(address!.connect).toEqual({ protocol: 'amqp', hostname: '::1', port: 5672, vhost: '', heartbeat: 5, frameMax: 8192, channelMax: 10, maxFrameSize: 65536, locale: 'en_GB' });
  });

  it.each([
    ['', 'broker address is empty'],
    ['amqp://rabbit-1,', 'broker address 2 of 2 is empty'],
    ['http://rabbit-1', 'broker address (http://rabbit-1): expected amqp: or amqps:, got http:'],
    ['amqp://u:secret@rabbit-1,rabbit-2:5672', 'broker address 2 of 2 (rabbit-2:5672): expected amqp: or amqps:, got rabbit-2:'],
    ['amqp://u:secret@rabbit-1,amqp://u:secret@rabbit-2:port', 'broker address 2 of 2 (amqp://u:***@rabbit-2:port): not a URL'],
    ['amqp://u:secret@rabbit-1/?heartbeat=soon', 'broker address (amqp://u:***@rabbit-1/?heartbeat=soon): heartbeat must be a whole number, got "soon"'],
    ['amqp://u:secret%zz@rabbit-1', 'broker address (amqp://u:***@rabbit-1): a user or password that is not properly %-encoded'],
    ['amqp:///vhost', 'broker address (amqp:///vhost): no host'],
  ])('refuses %j, naming the address without its password', (list, message) => {
    expect(() => parseBrokerUrls(list)).toThrow(message);
    try {
      parseBrokerUrls(list);
    } catch (err) {
      expect((err as Error).message).not.toContain('secret');
    }
  });

  it('refuses nodes on different virtual hosts: one topology lives in one virtual host', () => {
    expect(() => parseBrokerUrls('amqp://rabbit-1/,amqp://rabbit-2/%2F')).not.toThrow();
    expect(() => parseBrokerUrls('amqp://rabbit-1/a,amqp://rabbit-2/b')).toThrow('different virtual hosts (a, b)');
  });

  it('goes round the list: after the last node, the first again', () => {
    expect([0, 1, 2].map((i) => nextBroker(i, 3))).toEqual([1, 2, 0]);
    expect(nextBroker(0, 1)).toBe(0);
  });
});
