import { Type, type Static } from '@sinclair/typebox';
import type { AdNeedV1 } from './ad-need';
import { CausedBy, envelopeOf, newEnvelopeFields, type Producer } from './envelope';
import { defineMessage } from './message-contract';
import { Ad } from './offer';

/**
 * One ad service version's answer to a need. Published on the solutions
 * exchange, where every web instance and any monitor can hear it.
 */
export const AdSolutionV1 = envelopeOf('ad.solution', 1, {
  /** The need this answers. */
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
