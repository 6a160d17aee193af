import type { Static, TObject } from '@sinclair/typebox';
import type { Envelope } from './envelope';
import { compiledValidator, type Decoded } from './validators';

/** How to recognise, validate and serialise one version of one message, and where it travels. */
export interface MessageContract<M extends Envelope = Envelope> {
  readonly name: string;
  readonly schemaVersion: number;
  /**
   * Where this version of this message travels: its own fanout exchange on
   * the bus, `<namespace>.<channel>`, such as `ad.need.v1`. A consumer binds
   * to the versions it reads and never receives another.
   */
  readonly channel: string;
  /** The JSON schema (TypeBox) of the message. */
  readonly schema: TObject;
  /** Parse and validate a message body; never throws. */
  decode(body: Uint8Array | string): Decoded<M>;
  /** Validate a message object (already parsed); never throws. */
  check(value: unknown): Decoded<M>;
  /**
   * Why a delivery that says it is `name` version `schemaVersion` (in its AMQP
   * properties) is not this message, or null if it is. Lets a consumer refuse
   * another version before parsing its body.
   */
  mismatch(name: unknown, schemaVersion: unknown): string | null;
  encode(message: M): Uint8Array;
}

const MAX_REPORTED_ERRORS = 3;
const utf8 = { encoder: new TextEncoder(), decoder: new TextDecoder() };

/** The channel of a message version: `ad.need` version 2 travels on `ad.need.v2`. */
export function channelOf(name: string, schemaVersion: number): string {
  return `${name}.v${schemaVersion}`;
}

export function defineMessage<S extends TObject>(schema: S): MessageContract<Static<S> & Envelope> {
  const name: string = schema.properties.name?.const;
  const schemaVersion: number = schema.properties.schemaVersion?.const;
  if (typeof name !== 'string' || typeof schemaVersion !== 'number') {
    throw new Error('a message schema needs literal "name" and "schemaVersion" properties (see envelopeOf)');
  }
  // Compiled on the first message checked, not here: defining a message must not generate code,
  // or a page that imports the contracts would break its Content-Security-Policy.
  const validator = compiledValidator(schema);
  type M = Static<S> & Envelope;

  function mismatch(otherName: unknown, otherVersion: unknown): string | null {
    if (otherName !== name) return `expected message "${name}", got ${JSON.stringify(otherName ?? null)}`;
    if (otherVersion !== schemaVersion) {
      return `unknown schema version ${JSON.stringify(otherVersion ?? null)} of "${name}" (this consumer reads version ${schemaVersion})`;
    }
    return null;
  }

  function check(value: unknown): Decoded<M> {
    if (validator.Check(value)) return { ok: true, message: value as M };
    return { ok: false, error: describeMismatch(value) };
  }

  function describeMismatch(value: unknown): string {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'message is not a JSON object';
    const v = value as { name?: unknown; schemaVersion?: unknown };
    const other = mismatch(v.name, v.schemaVersion);
    if (other) return other;
    return `invalid "${name}" v${schemaVersion}: ` + validator.problems(value, MAX_REPORTED_ERRORS).join('; ');
  }

  return {
    name,
    schemaVersion,
    channel: channelOf(name, schemaVersion),
    schema,
    check,
    mismatch,
    decode(body) {
      let value: unknown;
      try {
        value = JSON.parse(typeof body === 'string' ? body : utf8.decoder.decode(body));
      } catch {
        return { ok: false, error: 'message body is not JSON' };
      }
      return check(value);
    },
    encode(message) {
      return utf8.encoder.encode(JSON.stringify(message));
    },
  };
}
