import { Type, type Static } from '@sinclair/typebox';
import { CausedByNothing, ConversationId, envelopeOf, newEnvelopeFields, type Producer } from './envelope';
import { defineMessage } from './message-contract';

/**
 * "This session has ended": a customer logged out on one web instance. Every
 * web instance hears it, so a copy of the session's cookie stops working on
 * all of them at once, and their sockets for it close.
 */
export const SessionEndedV1 = envelopeOf('session.ended', 1, {
  /** The event starts a conversation of its own. */
  conversationId: ConversationId,
  causationId: CausedByNothing,
  payload: Type.Object({
    sessionId: Type.String({ minLength: 1, maxLength: 64 }),
    customerId: Type.String({ minLength: 1, maxLength: 32 }),
    /** When the session would have expired: until then, it must be remembered as ended. */
    expiresAt: Type.String({ format: 'date-time' }),
  }),
});
export type SessionEndedV1 = Static<typeof SessionEndedV1>;

export const sessionEndedV1 = defineMessage(SessionEndedV1);

export function createSessionEndedV1(producer: Producer, payload: SessionEndedV1['payload'], now: Date = new Date()): SessionEndedV1 {
  const fields = newEnvelopeFields(producer, now);
  return { ...fields, conversationId: fields.id, causationId: null, name: 'session.ended', schemaVersion: 1, payload };
}
