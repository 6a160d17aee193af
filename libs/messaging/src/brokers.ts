import type { Options } from 'amqplib';

/** One node of the broker: how amqplib reaches it, and how logs name it (the password hidden). */
export interface BrokerAddress {
  connect: Options.Connect;
  label: string;
}

const DEFAULT_PORT = { 'amqp:': 5672, 'amqps:': 5671 } as const;
/** The settings amqplib reads from a URL's query (lib/connect.js): the rest it ignores, and so does this. */
const NUMERIC_QUERY = ['heartbeat', 'frameMax', 'channelMax', 'maxFrameSize'] as const;

/**
 * Reads the broker's addresses: one amqp(s) URL, or a comma-separated list of
 * them, the nodes of one cluster (`amqp://u:p@rabbit-1:5672,amqp://u:p@rabbit-2:5672`).
 * Each becomes the object form of amqplib's connect() with exactly what
 * amqplib would read from the URL itself: host, port (5672, or 5671 for
 * amqps), user and password (guest/guest when the URL names neither),
 * virtual host, and heartbeat, frameMax, channelMax, maxFrameSize and locale
 * from the query. A comma inside a password must be written %2C.
 * Throws, naming the address (without its password), on anything else: an
 * empty entry, another protocol, no host, a setting that is not a number, or
 * nodes on different virtual hosts (they would be different topologies).
 */
export function parseBrokerUrls(list: string): BrokerAddress[] {
  const entries = list.split(',').map((entry) => entry.trim());
  const addresses = entries.map((entry, i) => {
    const where = entries.length > 1 ? `broker address ${i + 1} of ${entries.length}` : 'broker address';
    if (entry === '') throw new Error(`${where} is empty`);
    try {
      return parseOne(entry);
    } catch (err) {
      throw new Error(`${where} (${hidePassword(entry)}): ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  const vhosts = new Set(addresses.map((a) => virtualHost(a.connect)));
  if (vhosts.size > 1) throw new Error(`the broker addresses name different virtual hosts (${[...vhosts].join(', ')}): they must be the nodes of one cluster's one virtual host`);
  return addresses;
}

/** The address to try after the one at `current`: round robin over the list. */
export function nextBroker(current: number, count: number): number {
  return (current + 1) % count;
}

function parseOne(entry: string): BrokerAddress {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    throw new Error('not a URL');
  }
  const protocol = url.protocol;
  if (protocol !== 'amqp:' && protocol !== 'amqps:') throw new Error(`expected amqp: or amqps:, got ${protocol}`);
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  if (hostname === '') throw new Error('no host');
  const connect: Options.Connect = {
    protocol: protocol.slice(0, -1),
    hostname,
    port: url.port === '' ? DEFAULT_PORT[protocol] : Number(url.port),
    // Left out, the object form logs in as guest/guest, as the URL form does when it names neither.
    ...(url.username !== '' || url.password !== '' ? { username: decode(url.username), password: decode(url.password) } : {}),
    // As the URL form: amqplib unescapes the virtual host itself, and takes an empty one as '/'.
    vhost: url.pathname.slice(1),
  };
  for (const name of NUMERIC_QUERY) {
    const value = url.searchParams.get(name);
    if (value === null) continue;
    if (!/^\d+$/.test(value)) throw new Error(`${name} must be a whole number, got "${value}"`);
    connect[name] = Number(value);
  }
  const locale = url.searchParams.get('locale');
  if (locale !== null) connect.locale = locale;
  return { connect, label: hidePassword(entry) };
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new Error('a user or password that is not properly %-encoded');
  }
}

function virtualHost(connect: Options.Connect): string {
  try {
    return decodeURIComponent(connect.vhost ?? '') || '/';
  } catch {
    return connect.vhost ?? '/';
  }
}

/** The address as logs show it: `amqp://user:***@host:port/vhost`. */
function hidePassword(entry: string): string {
  // Up to the authority's last @, as URL parsers read it: a password may hold an unescaped @.
  return entry.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/?#]*):[^/?#]*@/i, '$1:***@');
}
