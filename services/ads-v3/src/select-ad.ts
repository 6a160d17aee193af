import { dailyPriceEur, type Ad, type AdNeedPayloadV1, type AdNeedPayloadV2, type CarClass, type LoyaltyTier, type Offer, type Trip } from '@ad-race/contracts';
import type { CustomerProfile } from '@ad-race/catalog';
import { fitnessOf } from '@ad-race/fitness';

const CLASS_NAMES: Record<Offer['carClass'], string> = {
  mini: 'a mini',
  economy: 'an economy car',
  compact: 'a compact car',
  suv: 'an SUV',
  van: 'a van',
  premium: 'a premium car',
  electric: 'an electric car',
};

/** How good a deal an offer is, whoever the customer: its discount against its price. */
function dealScore(offer: Offer): number {
  return offer.discountPercent * 1.5 - dailyPriceEur(offer) / 10;
}

/**
 * What version 3 keeps ready (as version 2 did), built once at start-up instead of scanning the
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

/**
 * What version 3 knows of the customer a need is for (as version 2 did). With version-1 needs it
 * looks the customer up in its own copy of the profiles; version-2 needs say
 * it all, and the customer's next trip too.
 */
export interface Shopper {
  city: string;
  loyaltyTier: LoyaltyTier;
  /** Most liked first. */
  preferredClasses: readonly CarClass[];
  partySize: number;
  /** Points for the classes the customer rented before. */
  habits: Partial<Record<CarClass, number>>;
  /** Where the customer picks a car up next, when known: the ad is for that trip. */
  trip: Trip | null;
}

/** A version-1 need, and what this version's copy of the profiles says of the customer (if anything). */
export function shopperFromProfile(need: AdNeedPayloadV1, profile: CustomerProfile | undefined): Shopper {
  const habits: Partial<Record<CarClass, number>> = {};
  for (const rental of profile?.pastRentals ?? []) habits[rental.carClass] = Math.min(10, (habits[rental.carClass] ?? 0) + 2);
  return { city: need.city, loyaltyTier: need.loyaltyTier, preferredClasses: profile?.preferredClasses ?? [], partySize: profile?.familySize ?? 1, habits, trip: null };
}

/** A version-2 need says what version 3 needs: preferences, party, the latest rental, the next trip. */
export function shopperFromNeed(need: AdNeedPayloadV2): Shopper {
  const habits: Partial<Record<CarClass, number>> = {};
  if (need.rentals.mostRecentClass) habits[need.rentals.mostRecentClass] = 6;
  return { city: need.city, loyaltyTier: need.loyaltyTier, preferredClasses: need.preferredClasses, partySize: need.partySize, habits, trip: need.trip };
}

/** One offer version 3 would show, with the euros it is expected to bring and how likely it is taken (0 to 1). */
export interface Choice {
  ad: Ad;
  points: number;
  score: number;
}

/** The shopper as the fitness function reads a customer: version 3 ranks by the fitness an offer would score. */
function customerOf(shopper: Shopper): CustomerProfile {
  const days = shopper.trip ? Math.max(1, Math.round((Date.parse(shopper.trip.returnDate) - Date.parse(shopper.trip.pickupDate)) / 86_400_000)) : 3;
  return {
    id: 'shopper',
    name: 'shopper',
    email: 'shopper@example.com',
    homeCity: shopper.city,
    loyaltyTier: shopper.loyaltyTier,
    preferredClasses: [...shopper.preferredClasses],
    familySize: shopper.partySize,
    pastRentals: (Object.keys(shopper.habits) as CarClass[]).map((carClass) => ({ carClass, city: shopper.city, days: 3 })),
    nextTrip: shopper.trip ? { city: shopper.trip.city, pickupLocation: shopper.trip.pickupLocation, startsInDays: 1, days } : null,
  };
}

/**
 * Ranks the offers for a shopper, best first, one per car class, at most
 * `max`. Version 3's one change: where version 2 adds up points for the class
 * and the deal, version 3 scores every offer of the city by the fitness the
 * monitor will judge it by (the euros it is expected to bring: how likely
 * this customer takes it, times what the rental is worth), and keeps the best
 * of each class.
 */
export function rankAds(shopper: Shopper, catalog: AdCatalog, max = 3): Choice[] {
  const city = shopper.trip?.city ?? shopper.city;
  const customer = customerOf(shopper);
  const candidates: { offer: Offer; points: number; score: number }[] = [];
  for (const offers of (catalog.offersByCity.get(city) ?? new Map<CarClass, readonly Offer[]>()).values()) {
    let best: { offer: Offer; points: number; score: number } | undefined;
    for (const offer of offers) {
      const fitness = fitnessOf(offer, customer);
      if (!best || fitness.expectedValueEur > best.points) best = { offer, points: fitness.expectedValueEur, score: fitness.takeProbability };
    }
    if (best) candidates.push(best);
  }
  if (candidates.length === 0) {
    const anywhere = catalog.bestDealAnywhere;
    return [{ ad: adFor(anywhere, `No offers in ${city}: the best deal anywhere, in ${anywhere.city}`), points: 0, score: 0 }];
  }
  // A stable sort: of two equal offers, the one met first stays first.
  return candidates
    .sort((a, b) => b.points - a.points)
    .slice(0, max)
    .map(({ offer, points, score }) => ({ ad: adFor(offer, reasonFor(offer, shopper)), points, score: Math.round(score * 1000) / 1000 }));
}

/** Chooses the ad for a version-1 need. */
export function selectAd(need: AdNeedPayloadV1, catalog: AdCatalog): Ad {
  return rankAds(shopperFromProfile(need, catalog.profiles.get(need.customerId)), catalog, 1)[0]!.ad;
}

/**
 * Answers a version-2 need: up to three offers, best first, and how confident
 * version 3 is in the first: the share of what it looked for that the offer
 * has (a class the customer prefers, seats for the party, the trip's desk).
 */
export function chooseAds(need: AdNeedPayloadV2, catalog: AdCatalog): { offers: { ad: Ad; score: number }[]; confidence: number } {
  const shopper = shopperFromNeed(need);
  const choices = rankAds(shopper, catalog);
  const { offer } = choices[0]!.ad;
  const looks = [shopper.preferredClasses.includes(offer.carClass), offer.seats >= shopper.partySize];
  if (shopper.trip) looks.push(offer.location === shopper.trip.pickupLocation);
  const confidence = Math.round((100 * looks.filter(Boolean).length) / looks.length) / 100;
  return { offers: choices.map(({ ad, score }) => ({ ad, score })), confidence };
}

function reasonFor(offer: Offer, shopper: Shopper): string {
  const parts: string[] = [];
  if (shopper.preferredClasses.includes(offer.carClass)) parts.push(`${CLASS_NAMES[offer.carClass]}, as you like`);
  if (shopper.partySize > 1 && offer.seats >= shopper.partySize) parts.push(`${offer.seats} seats for your party of ${shopper.partySize}`);
  if (offer.discountPercent > 0) parts.push(`${offer.discountPercent}% off`);
  if (shopper.trip && offer.location === shopper.trip.pickupLocation) parts.push(`at ${offer.location}`);
  if (parts.length === 0) parts.push(`a good deal for a ${shopper.loyaltyTier} member`);
  const where = shopper.trip ? `For your trip to ${shopper.trip.city} on ${shopper.trip.pickupDate}` : `In ${shopper.city}`;
  return `${where}: ${parts.join(', ')}`;
}

function adFor(offer: Offer, reason: string): Ad {
  return { headline: `${offer.model} in ${offer.city} from €${dailyPriceEur(offer).toFixed(2)} a day`, reason, offer };
}
