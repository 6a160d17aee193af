import { dailyPriceEur, type Ad, type AdNeedPayloadV1, type LoyaltyTier, type Offer } from '@ad-race/contracts';

/** Car classes each loyalty tier is shown a little more of. */
const TIER_FAVOURITES: Record<LoyaltyTier, Offer['carClass'][]> = {
  basic: ['mini', 'economy'],
  silver: ['economy', 'compact'],
  gold: ['compact', 'premium', 'electric'],
  platinum: ['premium', 'electric', 'suv'],
};

function score(offer: Offer, tier: LoyaltyTier): number {
  const tierBonus = TIER_FAVOURITES[tier].includes(offer.carClass) ? 15 : 0;
  return offer.discountPercent * 2 + tierBonus - dailyPriceEur(offer) / 10;
}

/**
 * Chooses the ad for a need. Version 1 knows what the need says: the
 * customer's city and loyalty tier. It scans the whole catalog for the offers
 * in that city and shows the best deal for the tier.
 */
export function selectAd(need: AdNeedPayloadV1, offers: readonly Offer[]): Ad {
  const ranked = offers
    .filter((offer) => offer.city === need.city)
    .map((offer) => ({ offer, score: score(offer, need.loyaltyTier) }))
    .sort((a, b) => b.score - a.score);
  const best = ranked[0]?.offer;
  if (best) {
    return adFor(best, `The best deal in ${need.city} for a ${need.loyaltyTier} member: ${best.discountPercent}% off`);
  }
  const anywhere = offers
    .map((offer) => ({ offer, score: score(offer, need.loyaltyTier) }))
    .sort((a, b) => b.score - a.score)[0]!.offer;
  return adFor(anywhere, `No offers in ${need.city}: the best deal anywhere, in ${anywhere.city}`);
}

function adFor(offer: Offer, reason: string): Ad {
  return { headline: `${offer.model} in ${offer.city} from €${dailyPriceEur(offer).toFixed(2)} a day`, reason, offer };
}
