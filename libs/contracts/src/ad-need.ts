import { Type, type Static } from '@sinclair/typebox';
import { CausedBy, CausedByNothing, ConversationId, envelopeOf, newEnvelopeFields, type Producer } from './envelope';
import { defineMessage } from './message-contract';
import { CarClass, LoyaltyTier } from './offer';

/** A page a customer opened: lower-case words joined by dashes, e.g. "login" or "my-trips". */
export const PageName = Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 32 });

/**
 * "I need an ad", version 1: what the old web server knows about the customer.
 * Published on its exchange (ad.need.v1); every ad service version that reads
 * it answers it once. The need starts a conversation: its id is the conversation's.
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

/** A trip the customer has booked: where and when they pick the car up. */
export const Trip = Type.Object({
  city: Type.String({ minLength: 1, maxLength: 64 }),
  pickupLocation: Type.String({ minLength: 1, maxLength: 96 }),
  pickupDate: Type.String({ format: 'date' }),
  returnDate: Type.String({ format: 'date' }),
});
export type Trip = Static<typeof Trip>;

/**
 * "I need an ad", version 2: what a better ad needs. Everything version 1
 * says, and what the rental company knows of the customer: the classes they
 * prefer, how many travel with them, their rentals, and their next trip.
 * Published on its own exchange, beside version 1; the schema adapter makes
 * one from every version-1 need, with the same deadline and conversation.
 */
export const AdNeedV2 = envelopeOf('ad.need', 2, {
  conversationId: ConversationId,
  /** The version-1 need this was translated from; null when published as version 2 first-hand. */
  causationId: Type.Union([CausedBy, CausedByNothing]),
  /** After this instant nobody is waiting for an answer: never answer it. A translation keeps it. */
  deadline: Type.String({ format: 'date-time' }),
  payload: Type.Object({
    ...AdNeedV1.properties.payload.properties,
    /** The classes the customer likes, most liked first. */
    preferredClasses: Type.Array(CarClass, { maxItems: 3 }),
    /** How many travel with the customer, the customer included. */
    partySize: Type.Integer({ minimum: 1, maximum: 9 }),
    rentals: Type.Object({
      count: Type.Integer({ minimum: 0 }),
      /** The class of the latest rental; null before the first. */
      mostRecentClass: Type.Union([CarClass, Type.Null()]),
    }),
    /** The customer's next booked trip, when there is one. */
    trip: Type.Union([Trip, Type.Null()]),
  }),
});
export type AdNeedV2 = Static<typeof AdNeedV2>;
export type AdNeedPayloadV2 = AdNeedV2['payload'];

export const adNeedV2 = defineMessage(AdNeedV2);

/** A version-2 need published first-hand: it starts a conversation of its own. */
export function createAdNeedV2(producer: Producer, payload: AdNeedPayloadV2, deadlineMs: number, now: Date = new Date()): AdNeedV2 {
  const fields = newEnvelopeFields(producer, now);
  return {
    ...fields,
    conversationId: fields.id,
    causationId: null,
    name: 'ad.need',
    schemaVersion: 2,
    deadline: new Date(now.getTime() + deadlineMs).toISOString(),
    payload,
  };
}
