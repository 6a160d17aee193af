import { Type, type Static } from '@sinclair/typebox';
import { PageName } from './ad-need';
import { LoyaltyTier } from './offer';
import { CausedBy, CausedByNothing, ConversationId, envelopeOf, newEnvelopeFields, type Producer } from './envelope';
import { defineMessage } from './message-contract';

/**
 * "This ad was shown": the web server decided a race. It names the version
 * whose answer was served, or says the house ad was (no valid answer by the
 * deadline). The conversation is the need's. A listener (the monitor) learns
 * from it who won each race, which it cannot tell from the answers alone; and
 * what the need was, which it cannot always hear: a need expires at its
 * deadline in every queue, a listener's too, and this event does not.
 */
export const AdServedV1 = envelopeOf('ad.served', 1, {
  conversationId: ConversationId,
  /** The answer that was served; null for the house ad. */
  causationId: Type.Union([CausedBy, CausedByNothing]),
  payload: Type.Object({
    customerId: Type.String({ minLength: 1, maxLength: 32 }),
    page: PageName,
    /** The need as the web server published it: when, and what it said of the customer. */
    need: Type.Object({ createdAt: Type.String({ format: 'date-time' }), city: Type.String({ minLength: 1, maxLength: 64 }), loyaltyTier: LoyaltyTier }),
    /** The version whose ad was shown, or null for the house ad. */
    servedBy: Type.Union([Type.Object({ version: Type.String({ minLength: 1, maxLength: 64 }), instance: Type.String({ minLength: 1, maxLength: 128 }) }), Type.Null()]),
    offerId: Type.Union([Type.String({ minLength: 1, maxLength: 32 }), Type.Null()]),
    /** From the need's publication to the ad on its way to the customer, as the web server timed it. */
    latencyMs: Type.Number({ minimum: 0 }),
  }),
});
export type AdServedV1 = Static<typeof AdServedV1>;

export const adServedV1 = defineMessage(AdServedV1);

export function createAdServedV1(
  conversationId: string,
  answerId: string | null,
  producer: Producer,
  payload: AdServedV1['payload'],
  now: Date = new Date(),
): AdServedV1 {
  return { ...newEnvelopeFields(producer, now), conversationId, causationId: answerId, name: 'ad.served', schemaVersion: 1, payload };
}
