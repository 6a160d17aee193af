import { Type, type Static } from '@sinclair/typebox';
import { CausedByNothing, envelopeOf, newEnvelopeFields, type Producer } from './envelope';
import { defineMessage } from './message-contract';
import { LoyaltyTier } from './offer';

/** A page a customer opened: lower-case words joined by dashes, e.g. "login" or "my-trips". */
export const PageName = Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 32 });

/**
 * "I need an ad", version 1: what the old web server knows about the customer.
 * Published on the needs exchange; every ad service version answers it once.
 */
export const AdNeedV1 = envelopeOf('ad.need', 1, {
  causationId: CausedByNothing,
  /** After this instant nobody is waiting for an answer: never answer it. */
  deadline: Type.String({ format: 'date-time' }),
  payload: Type.Object({
    customerId: Type.String({ minLength: 1, maxLength: 32 }),
    city: Type.String({ minLength: 1, maxLength: 64 }),
    loyaltyTier: LoyaltyTier,
    page: PageName,
  }),
});
export type AdNeedV1 = Static<typeof AdNeedV1>;
export type AdNeedPayloadV1 = AdNeedV1['payload'];

export const adNeedV1 = defineMessage(AdNeedV1);

export function createAdNeedV1(
  producer: Producer,
  payload: AdNeedPayloadV1,
  deadlineMs: number,
  now: Date = new Date(),
): AdNeedV1 {
  return {
    ...newEnvelopeFields(producer, now),
    causationId: null,
    name: 'ad.need',
    schemaVersion: 1,
    deadline: new Date(now.getTime() + deadlineMs).toISOString(),
    payload,
  };
}
