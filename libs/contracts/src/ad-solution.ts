import { Type, type Static } from '@sinclair/typebox';
import type { AdNeedV1, AdNeedV2 } from './ad-need';
import { CausedBy, ConversationId, envelopeOf, newEnvelopeFields, type Producer } from './envelope';
import { defineMessage } from './message-contract';
import { Ad } from './offer';

/**
 * One ad service version's answer to a need. Published on its exchange
 * (ad.solution.v1), where every web instance and any monitor can hear it.
 * Version 1 has no conversation id: the AMQP correlationId carries it.
 */
export const AdSolutionV1 = envelopeOf('ad.solution', 1, {
  /**
   * The message this answers: the need, or, for an answer the schema adapter
   * translated, the version-2 answer it was made from (the need is then the
   * conversation's, in the AMQP correlationId).
   */
  causationId: CausedBy,
  /** A shadow version is timed and compared, but its ads are never shown. */
  shadow: Type.Boolean(),
  payload: Type.Object({ ad: Ad }),
});
export type AdSolutionV1 = Static<typeof AdSolutionV1>;

export const adSolutionV1 = defineMessage(AdSolutionV1);

export function createAdSolutionV1(
  need: Pick<AdNeedV1, 'id'>,
  producer: Producer,
  shadow: boolean,
  ad: AdSolutionV1['payload']['ad'],
  now: Date = new Date(),
): AdSolutionV1 {
  return {
    ...newEnvelopeFields(producer, now),
    causationId: need.id,
    name: 'ad.solution',
    schemaVersion: 1,
    shadow,
    payload: { ad },
  };
}

/** One offer of a version-2 answer: the ad, and how well the version thinks it fits (0 to 1). */
export const RankedAd = Type.Object({
  ad: Ad,
  score: Type.Number({ minimum: 0, maximum: 1 }),
});
export type RankedAd = Static<typeof RankedAd>;

/**
 * One ad service version's answer to a version-2 need: up to three offers,
 * best first, each with its reason and score, and how confident the version
 * is in its choice. The schema adapter turns each into a version-1 answer
 * (its first offer) for consumers that read only version 1.
 */
export const AdSolutionV2 = envelopeOf('ad.solution', 2, {
  conversationId: ConversationId,
  /** The need this answers. */
  causationId: CausedBy,
  /** A shadow version is timed and compared, but its ads are never shown. */
  shadow: Type.Boolean(),
  payload: Type.Object({
    /** Best first. */
    offers: Type.Array(RankedAd, { minItems: 1, maxItems: 3 }),
    confidence: Type.Number({ minimum: 0, maximum: 1 }),
  }),
});
export type AdSolutionV2 = Static<typeof AdSolutionV2>;

export const adSolutionV2 = defineMessage(AdSolutionV2);

export function createAdSolutionV2(
  need: Pick<AdNeedV2, 'id' | 'conversationId'>,
  producer: Producer,
  shadow: boolean,
  payload: AdSolutionV2['payload'],
  now: Date = new Date(),
): AdSolutionV2 {
  return {
    ...newEnvelopeFields(producer, now),
    conversationId: need.conversationId,
    causationId: need.id,
    name: 'ad.solution',
    schemaVersion: 2,
    shadow,
    payload,
  };
}
