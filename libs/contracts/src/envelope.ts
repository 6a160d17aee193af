import { Type, type Static, type TLiteral, type TProperties, type TSchema } from '@sinclair/typebox';
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
 * The id of the need that started the conversation this message belongs to.
 * Kept by every answer and every translation. Version 1 of the messages has
 * no such field: there it travels in the AMQP correlationId only.
 */
export const ConversationId = Type.String({ format: 'uuid' });

/**
 * The schema of a message: the system fields every message on the bus carries,
 * plus its own. Consumers read tolerantly: fields they do not know are ignored.
 */
export function envelopeOf<const Name extends string, const Version extends number, Fields extends TProperties & { causationId: TSchema }>(
  name: Name,
  schemaVersion: Version,
  fields: Fields,
) {
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
  /** Carried from version 2 of the messages on; see ConversationId. */
  conversationId?: string;
  producer: Producer;
  /** Set on messages that are worthless after a moment (an ad need): never act on them after it. */
  deadline?: string;
}

/**
 * The conversation a message belongs to: its own field where it has one;
 * otherwise (version 1) the id of the message that caused it, or its own id
 * if it starts one. That is right for a version-1 message one step from the
 * need that started its conversation (an answer to it), which is all version 1
 * has; a translation, whose cause is another message, names the conversation
 * explicitly, and it travels in the AMQP correlationId.
 */
export function conversationOf(message: Envelope): string {
  return message.conversationId ?? message.causationId ?? message.id;
}

/** The system fields of a new message: a fresh id, the time now, and who made it. */
export function newEnvelopeFields(producer: Producer, now: Date = new Date()) {
  return { id: newMessageId(), createdAt: now.toISOString(), producer };
}

/** A fresh message id (a random UUID), in Node.js and in the browser alike. */
export function newMessageId(): string {
  return globalThis.crypto.randomUUID();
}
