import type { Ad, AdNeedPayloadV1, LoyaltyTier, Offer } from '@ad-race/contracts';
import type { CustomerProfile } from '@ad-race/catalog';

/** Car classes each loyalty tier is shown a little more of. */
const TIER_FAVOURITES: Record<LoyaltyTier, Offer['carClass'][]> = {
  basic: ['mini', 'economy'],
  silver: ['economy', 'compact'],
  gold: ['compact', 'premium', 'electric'],
  platinum: ['premium', 'electric', 'suv'],
};

const CLASS_NAMES: Record<Offer['carClass'], string> = {
  mini: 'a mini',
  economy: 'an economy car',
  compact: 'a compact car',
  suv: 'an SUV',
  van: 'a van',
  premium: 'a premium car',
  electric: 'an electric car',
};

/** Points for the customer's first, second and third preferred class. */
const PREFERENCE_POINTS = [40, 25, 12];

export function priceAfterDiscount(offer: Offer): number {
  return Math.round(offer.dailyRateEur * (100 - offer.discountPercent)) / 100;
}

/**
 * What version 2 keeps ready, built once at start-up instead of scanning the
 * catalog for every need: the offers by city, the best deal anywhere, and the
 * customer profiles by id.
 */
export interface AdCatalog {
  offersByCity: ReadonlyMap<string, readonly Offer[]>;
  bestDealAnywhere: Offer;
  profiles: ReadonlyMap<string, CustomerProfile>;
}

export function indexCatalog(offers: readonly Offer[], profiles: readonly CustomerProfile[]): AdCatalog {
  const offersByCity = new Map<string, Offer[]>();
  for (const offer of offers) {
    const list = offersByCity.get(offer.city);
    if (list) list.push(offer);
    else offersByCity.set(offer.city, [offer]);
  }
  const bestDealAnywhere = best(offers, (o) => o.discountPercent * 2 - priceAfterDiscount(o) / 10);
  if (!bestDealAnywhere) throw new Error('an empty catalog: nothing to advertise');
  return { offersByCity, bestDealAnywhere, profiles: new Map(profiles.map((p) => [p.id, p])) };
}

function best(offers: readonly Offer[], score: (offer: Offer) => number): Offer | undefined {
  let bestOffer: Offer | undefined;
  let bestScore = -Infinity;
  for (const offer of offers) {
    const s = score(offer);
    if (s > bestScore) {
      bestScore = s;
      bestOffer = offer;
    }
  }
  return bestOffer;
}

/** How well an offer suits this customer: their classes, their party, their habits, their tier, the deal. */
function scorer(tier: LoyaltyTier, profile: CustomerProfile | undefined): (offer: Offer) => number {
  const rentedBefore = new Map<string, number>();
  for (const rental of profile?.pastRentals ?? []) rentedBefore.set(rental.carClass, (rentedBefore.get(rental.carClass) ?? 0) + 1);
  return (offer) => {
    const preference = profile ? (PREFERENCE_POINTS[profile.preferredClasses.indexOf(offer.carClass)] ?? 0) : 0;
    const tooSmall = profile && offer.seats < profile.familySize ? 100 : 0;
    const habit = Math.min(10, 2 * (rentedBefore.get(offer.carClass) ?? 0));
    const tierBonus = TIER_FAVOURITES[tier].includes(offer.carClass) ? 8 : 0;
    return preference + habit + tierBonus + offer.discountPercent * 1.5 - priceAfterDiscount(offer) / 10 - tooSmall;
  };
}

/**
 * Chooses the ad for a need. Version 2 looks up the customer's profile too:
 * the classes they prefer, how many travel with them, what they rented before.
 * It reads only the offers in the customer's city, from an index, in one pass.
 */
export function selectAd(need: AdNeedPayloadV1, catalog: AdCatalog): Ad {
  const profile = catalog.profiles.get(need.customerId);
  const offer = best(catalog.offersByCity.get(need.city) ?? [], scorer(need.loyaltyTier, profile));
  if (!offer) {
    const anywhere = catalog.bestDealAnywhere;
    return adFor(anywhere, `No offers in ${need.city}: the best deal anywhere, in ${anywhere.city}`);
  }
  return adFor(offer, reasonFor(offer, need, profile));
}

function reasonFor(offer: Offer, need: AdNeedPayloadV1, profile: CustomerProfile | undefined): string {
  const parts: string[] = [];
  if (profile?.preferredClasses.includes(offer.carClass)) parts.push(`${CLASS_NAMES[offer.carClass]}, as you like`);
  if (profile && profile.familySize > 1) parts.push(`${offer.seats} seats for your party of ${profile.familySize}`);
  if (offer.discountPercent > 0) parts.push(`${offer.discountPercent}% off`);
  if (parts.length === 0) parts.push(`a good deal for a ${need.loyaltyTier} member`);
  return `In ${need.city}: ${parts.join(', ')}`;
}

function adFor(offer: Offer, reason: string): Ad {
  return { headline: `${offer.model} in ${offer.city} from €${priceAfterDiscount(offer).toFixed(2)} a day`, reason, offer };
}
