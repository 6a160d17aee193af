import type { Ad, AdNeedPayloadV1, CarClass, LoyaltyTier, Offer } from '@ad-race/contracts';
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

/** How good a deal an offer is, whoever the customer: its discount against its price. */
function dealScore(offer: Offer): number {
  return offer.discountPercent * 1.5 - priceAfterDiscount(offer) / 10;
}

/**
 * What version 2 keeps ready, built once at start-up instead of scanning the
 * catalog for every need: per city and car class, the offers with the best
 * deal first; the best deal anywhere; and the customer profiles by id.
 */
export interface AdCatalog {
  offersByCity: ReadonlyMap<string, ReadonlyMap<CarClass, readonly Offer[]>>;
  bestDealAnywhere: Offer;
  profiles: ReadonlyMap<string, CustomerProfile>;
}

export function indexCatalog(offers: readonly Offer[], profiles: readonly CustomerProfile[]): AdCatalog {
  const offersByCity = new Map<string, Map<CarClass, Offer[]>>();
  for (const offer of offers) {
    let byClass = offersByCity.get(offer.city);
    if (!byClass) offersByCity.set(offer.city, (byClass = new Map()));
    const list = byClass.get(offer.carClass);
    if (list) list.push(offer);
    else byClass.set(offer.carClass, [offer]);
  }
  for (const byClass of offersByCity.values()) for (const list of byClass.values()) list.sort((a, b) => dealScore(b) - dealScore(a));
  const bestDealAnywhere = [...offers].sort((a, b) => dealScore(b) - dealScore(a))[0];
  if (!bestDealAnywhere) throw new Error('an empty catalog: nothing to advertise');
  return { offersByCity, bestDealAnywhere, profiles: new Map(profiles.map((p) => [p.id, p])) };
}

/** How much this customer likes a car class: their preferences, their habits, their tier. */
function classScore(carClass: CarClass, tier: LoyaltyTier, profile: CustomerProfile | undefined): number {
  const preference = profile ? (PREFERENCE_POINTS[profile.preferredClasses.indexOf(carClass)] ?? 0) : 0;
  let rentedBefore = 0;
  for (const rental of profile?.pastRentals ?? []) if (rental.carClass === carClass) rentedBefore++;
  const tierBonus = TIER_FAVOURITES[tier].includes(carClass) ? 8 : 0;
  return preference + Math.min(10, 2 * rentedBefore) + tierBonus;
}

/**
 * Chooses the ad for a need. Version 2 looks up the customer's profile too:
 * the classes they prefer, how many travel with them, what they rented before.
 * From the index it takes, in each class, the best deal with seats for the
 * whole party, and picks the class this customer likes best for it: a few
 * offers read per need, where version 1 reads the whole catalog.
 */
export function selectAd(need: AdNeedPayloadV1, catalog: AdCatalog): Ad {
  const profile = catalog.profiles.get(need.customerId);
  const partySize = profile?.familySize ?? 1;
  let best: Offer | undefined;
  let bestScore = -Infinity;
  for (const [carClass, offers] of catalog.offersByCity.get(need.city) ?? []) {
    const roomy = offers.find((o) => o.seats >= partySize);
    const offer = roomy ?? offers[0]!;
    const score = classScore(carClass, need.loyaltyTier, profile) + dealScore(offer) - (roomy ? 0 : 100);
    if (score > bestScore) {
      bestScore = score;
      best = offer;
    }
  }
  if (!best) {
    const anywhere = catalog.bestDealAnywhere;
    return adFor(anywhere, `No offers in ${need.city}: the best deal anywhere, in ${anywhere.city}`);
  }
  return adFor(best, reasonFor(best, need, profile));
}

function reasonFor(offer: Offer, need: AdNeedPayloadV1, profile: CustomerProfile | undefined): string {
  const parts: string[] = [];
  if (profile?.preferredClasses.includes(offer.carClass)) parts.push(`${CLASS_NAMES[offer.carClass]}, as you like`);
  if (profile && profile.familySize > 1 && offer.seats >= profile.familySize) parts.push(`${offer.seats} seats for your party of ${profile.familySize}`);
  if (offer.discountPercent > 0) parts.push(`${offer.discountPercent}% off`);
  if (parts.length === 0) parts.push(`a good deal for a ${need.loyaltyTier} member`);
  return `In ${need.city}: ${parts.join(', ')}`;
}

function adFor(offer: Offer, reason: string): Ad {
  return { headline: `${offer.model} in ${offer.city} from €${priceAfterDiscount(offer).toFixed(2)} a day`, reason, offer };
}
