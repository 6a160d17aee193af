import { Type, type Static } from '@sinclair/typebox';
import { CausedBy, ConversationId, envelopeOf, newEnvelopeFields, type Producer } from './envelope';
import { defineMessage } from './message-contract';

/**
 * "The customer clicked the ad": published by the web server when the page
 * says its ad card was clicked. The conversation is the need's; the cause is
 * the ad.served event of the ad that was clicked. One customer's clicks on
 * one ad are one click: the web server sends it once, and a listener counts
 * a conversation's click once.
 */
export const AdClickedV1 = envelopeOf('ad.clicked', 1, {
  conversationId: ConversationId,
  causationId: CausedBy,
  payload: Type.Object({
    customerId: Type.String({ minLength: 1, maxLength: 32 }),
    /** The version whose ad was clicked (a click on the house ad is not published). */
    servedBy: Type.Object({ version: Type.String({ minLength: 1, maxLength: 64 }) }),
    offerId: Type.String({ minLength: 1, maxLength: 32 }),
  }),
});
export type AdClickedV1 = Static<typeof AdClickedV1>;

export const adClickedV1 = defineMessage(AdClickedV1);

export function createAdClickedV1(
  served: { id: string; conversationId: string },
  producer: Producer,
  payload: AdClickedV1['payload'],
  now: Date = new Date(),
): AdClickedV1 {
  return { ...newEnvelopeFields(producer, now), conversationId: served.conversationId, causationId: served.id, name: 'ad.clicked', schemaVersion: 1, payload };
}
