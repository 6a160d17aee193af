import type { Static, TObject } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { Envelope } from './envelope';

export type Decoded<M> = { ok: true; message: M } | { ok: false; error: string };

/** How to recognise, validate and serialise one version of one message. */
export interface MessageContract<M extends Envelope = Envelope> {
  readonly name: string;
  readonly schemaVersion: number;
  /** Parse and validate a message body; never throws. */
  decode(body: Buffer | string): Decoded<M>;
  /** Validate a message object (already parsed); never throws. */
  check(value: unknown): Decoded<M>;
  encode(message: M): Buffer;
}

const MAX_REPORTED_ERRORS = 3;

export function defineMessage<S extends TObject>(schema: S): MessageContract<Static<S> & Envelope> {
  const name: string = schema.properties.name?.const;
  const schemaVersion: number = schema.properties.schemaVersion?.const;
  if (typeof name !== 'string' || typeof schemaVersion !== 'number') {
    throw new Error('a message schema needs literal "name" and "schemaVersion" properties (see envelopeOf)');
  }
  const validator = TypeCompiler.Compile(schema);
  type M = Static<S> & Envelope;

  function check(value: unknown): Decoded<M> {
    if (validator.Check(value)) return { ok: true, message: value as M };
    return { ok: false, error: describeMismatch(value) };
  }

  function describeMismatch(value: unknown): string {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'message is not a JSON object';
    const v = value as { name?: unknown; schemaVersion?: unknown };
    if (v.name !== name) return `expected message "${name}", got ${JSON.stringify(v.name ?? null)}`;
    if (v.schemaVersion !== schemaVersion) {
      return `unknown schema version ${JSON.stringify(v.schemaVersion ?? null)} of "${name}" (this consumer reads version ${schemaVersion})`;
    }
    const problems = [...validator.Errors(value)].slice(0, MAX_REPORTED_ERRORS);
    return `invalid "${name}" v${schemaVersion}: ` + problems.map((e) => `${e.path || '/'} ${e.message}`).join('; ');
  }

  return {
    name,
    schemaVersion,
    check,
    decode(body) {
      let value: unknown;
      try {
        value = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
      } catch {
        return { ok: false, error: 'message body is not JSON' };
      }
      return check(value);
    },
    encode(message) {
      return Buffer.from(JSON.stringify(message));
    },
  };
}
