import { randomUUID } from 'node:crypto';
import { Type, type Static, type TLiteral, type TProperties } from '@sinclair/typebox';
import './formats';

/** Who produced a message: the service, which version of it, and which running instance. */
export const Producer = Type.Object({
  service: Type.String({ minLength: 1, maxLength: 64 }),
  version: Type.String({ minLength: 1, maxLength: 64 }),
  instance: Type.String({ minLength: 1, maxLength: 128 }),
});
export type Producer = Static<typeof Producer>;

/** The id of the message that caused this one. */
export const CausedBy = Type.String({ format: 'uuid' });
/** A message that starts a conversation: nothing on the bus caused it. */
export const CausedByNothing = Type.Null();

/**
 * The schema of a message: the system fields every message on the bus carries,
 * plus its own. Consumers read tolerantly: fields they do not know are ignored.
 */
export function envelopeOf<
  const Name extends string,
  const Version extends number,
  Fields extends TProperties & { causationId: typeof CausedBy | typeof CausedByNothing },
>(name: Name, schemaVersion: Version, fields: Fields) {
  return Type.Object({
    id: Type.String({ format: 'uuid' }),
    name: Type.Literal(name) as TLiteral<Name>,
    schemaVersion: Type.Literal(schemaVersion) as TLiteral<Version>,
    createdAt: Type.String({ format: 'date-time' }),
    producer: Producer,
    ...fields,
  });
}

/** What the bus itself reads of any message. */
export interface Envelope {
  id: string;
  name: string;
  schemaVersion: number;
  createdAt: string;
  causationId: string | null;
  producer: Producer;
  /** Set on messages that are worthless after a moment (an ad need): never act on them after it. */
  deadline?: string;
}

/** The system fields of a new message: a fresh id, the time now, and who made it. */
export function newEnvelopeFields(producer: Producer, now: Date = new Date()) {
  return { id: randomUUID(), createdAt: now.toISOString(), producer };
}
