import type { AdSolutionV1, AdSolutionV2 } from '@ad-race/contracts';
import type { Minted, Translation } from './translation';

/**
 * Version 2 of an answer to version 1: its first (best) offer. The producer
 * stays the version that chose the ad, so a version-1 reader serves it as
 * that version's; the cause is the version-2 answer; the conversation, which
 * version 1 has no field for, is the answer's.
 */
export function downcastSolution(solution: AdSolutionV2, { id, now }: Minted): Translation<AdSolutionV1> {
  const best = solution.payload.offers[0];
  if (!best) return { ok: false, reason: 'a version-2 answer without an offer' };
  return {
    ok: true,
    conversationId: solution.conversationId,
    message: {
      id,
      name: 'ad.solution',
      schemaVersion: 1,
      createdAt: now.toISOString(),
      producer: solution.producer,
      causationId: solution.id,
      shadow: solution.shadow,
      payload: { ad: best.ad },
    },
  };
}
