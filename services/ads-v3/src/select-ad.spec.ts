import type { AdNeedPayloadV1, AdNeedPayloadV2, Offer } from '@ad-race/contracts';
import { CUSTOMERS, OFFERS, type CustomerProfile } from '@ad-race/catalog';
import { chooseAds, indexCatalog, rankAds, selectAd, shopperFromNeed } from './select-ad';

const need = (over: Partial<AdNeedPayloadV1> = {}): AdNeedPayloadV1 => ({
  customerId: 'c-0001',
  city: 'Amsterdam',
  loyaltyTier: 'gold',
  page: 'login',
  ...over,
});

function offer(id: string, over: Partial<Offer>): Offer {
  return {
    id,
    carClass: 'economy',
    model: 'Renault Clio',
    city: 'Amsterdam',
    location: 'Amsterdam Centraal',
    dailyRateEur: 40,
    discountPercent: 0,
    seats: 5,
    transmission: 'manual',
    ...over,
  };
}

function profile(over: Partial<CustomerProfile>): CustomerProfile {
  return {
    id: 'c-9999',
    name: 'Test Customer',
    email: 'test@example.com',
    homeCity: 'Amsterdam',
    loyaltyTier: 'basic',
    preferredClasses: ['economy'],
    familySize: 1,
    pastRentals: [],
    nextTrip: null,
    ...over,
  };
}

const seeded = indexCatalog(OFFERS, CUSTOMERS);

describe('ads v3: choosing an ad', () => {
  it('shows an offer in the customer’s city, with a headline and a reason', () => {
    const ad = selectAd(need(), seeded);
    expect(ad.offer.city).toBe('Amsterdam');
    expect(ad.headline).toContain(ad.offer.model);
    expect(ad.reason).toContain('Amsterdam');
  });

  it('prefers the offer expected to bring more, other things equal: within budget, the smaller discount', () => {
    // Version 2 preferred the bigger discount; version 3 ranks by fitness, the euros an offer is expected to bring.
    const catalog = indexCatalog([offer('o-1', { discountPercent: 5 }), offer('o-2', { discountPercent: 25 }), offer('o-3', { city: 'Berlin', discountPercent: 30 })], []);
    expect(selectAd(need({ loyaltyTier: 'basic' }), catalog).offer.id).toBe('o-1');
  });

  it('leans towards the classes a loyalty tier likes when it knows nothing else', () => {
    const catalog = indexCatalog([offer('o-economy', { carClass: 'economy', discountPercent: 10 }), offer('o-premium', { carClass: 'premium', discountPercent: 10, dailyRateEur: 60 })], []);
    expect(selectAd(need({ customerId: 'c-unknown', loyaltyTier: 'platinum' }), catalog).offer.id).toBe('o-premium');
    expect(selectAd(need({ customerId: 'c-unknown', loyaltyTier: 'basic' }), catalog).offer.id).toBe('o-economy');
  });

  it('shows the customer the class they prefer, over a bigger discount', () => {
    const catalog = indexCatalog(
      [offer('o-economy', { carClass: 'economy', discountPercent: 20 }), offer('o-electric', { carClass: 'electric', discountPercent: 5, dailyRateEur: 55 })],
      [profile({ id: 'c-0100', preferredClasses: ['electric'] })],
    );
    const ad = selectAd(need({ customerId: 'c-0100', loyaltyTier: 'basic' }), catalog);
    expect(ad.offer.id).toBe('o-electric');
    expect(ad.reason).toContain('an electric car, as you like');
  });

  it('finds seats for the whole party', () => {
    const catalog = indexCatalog(
      [offer('o-5', { carClass: 'suv', seats: 5, discountPercent: 30 }), offer('o-7', { carClass: 'suv', seats: 7, dailyRateEur: 80 })],
      [profile({ id: 'c-0100', preferredClasses: ['suv'], familySize: 6 })],
    );
    const ad = selectAd(need({ customerId: 'c-0100' }), catalog);
    expect(ad.offer.id).toBe('o-7');
    expect(ad.reason).toContain('7 seats for your party of 6');
  });

  it('fits every seeded customer who travels with others into a car with enough seats, in a class they like when their city has one', () => {
    for (const customer of CUSTOMERS) {
      const ad = selectAd(need({ customerId: customer.id, city: customer.homeCity, loyaltyTier: customer.loyaltyTier }), seeded);
      const cityOffers = OFFERS.filter((o) => o.city === customer.homeCity);
      if (cityOffers.some((o) => o.seats >= customer.familySize)) expect(ad.offer.seats).toBeGreaterThanOrEqual(customer.familySize);
      const fits = cityOffers.filter((o) => o.seats >= customer.familySize);
      if (fits.some((o) => customer.preferredClasses.includes(o.carClass))) expect(customer.preferredClasses).toContain(ad.offer.carClass);
    }
  });

  it('shows the best deal anywhere when the city has no offers', () => {
    const ad = selectAd(need({ city: 'Atlantis' }), seeded);
    expect(ad.offer.city).not.toBe('Atlantis');
    expect(ad.reason).toContain('No offers in Atlantis');
  });

  it('prices the discount into the headline', () => {
    const o = offer('o-1', { dailyRateEur: 49.99, discountPercent: 20 });
    expect(selectAd(need(), indexCatalog([o], [])).headline).toBe('Renault Clio in Amsterdam from €39.99 a day');
  });
});

const needV2 = (over: Partial<AdNeedPayloadV2> = {}): AdNeedPayloadV2 => ({
  ...need(),
  preferredClasses: [],
  partySize: 1,
  rentals: { count: 0, mostRecentClass: null },
  trip: null,
  ...over,
});

describe('ads v3: answering a version-2 need', () => {
  it('takes what the need says over its own copy of the profiles', () => {
    // The seeded anna prefers electric cars; this need says she now prefers vans, for a party of six.
    const answer = chooseAds(needV2({ customerId: 'c-0001', preferredClasses: ['van'], partySize: 6 }), seeded);
    expect(answer.offers[0]!.ad.offer).toMatchObject({ carClass: 'van', city: 'Amsterdam' });
    expect(answer.offers[0]!.ad.offer.seats).toBeGreaterThanOrEqual(6);
    expect(answer.offers[0]!.ad.reason).toContain('a van, as you like');
  });

  it('shows an offer for the customer’s next trip, at the desk where it starts', () => {
    const trip = { city: 'Barcelona', pickupLocation: 'Barcelona El Prat Airport (BCN)', pickupDate: '2026-12-09', returnDate: '2026-12-13' };
    const answer = chooseAds(needV2({ preferredClasses: ['electric'], partySize: 2, trip }), seeded);
    expect(answer.offers[0]!.ad.offer).toMatchObject({ city: 'Barcelona', location: 'Barcelona El Prat Airport (BCN)', carClass: 'electric' });
    expect(answer.offers[0]!.ad.reason).toMatch(/^For your trip to Barcelona on 2026-12-09: an electric car, as you like, 5 seats for your party of 2, .*at Barcelona El Prat Airport \(BCN\)$/);
    expect(answer.confidence).toBe(1);
  });

  it('ranks up to three offers of different classes, best first by fitness, each scored from 0 to 1', () => {
    for (const customer of CUSTOMERS.slice(0, 40)) {
      const need = needV2({ customerId: customer.id, city: customer.homeCity, preferredClasses: customer.preferredClasses, partySize: customer.familySize });
      const answer = chooseAds(need, seeded);
      const scores = answer.offers.map((o) => o.score);
      const points = rankAds(shopperFromNeed(need), seeded).map((c) => c.points);
      expect(answer.offers).toHaveLength(3);
      expect(new Set(answer.offers.map((o) => o.ad.offer.carClass)).size).toBe(3);
      expect([...points].sort((a, b) => b - a)).toEqual(points);
      expect(scores.every((s) => s >= 0 && s <= 1)).toBe(true);
      expect(answer.confidence).toBeGreaterThanOrEqual(0);
      expect(answer.confidence).toBeLessThanOrEqual(1);
    }
  });

  it('is less confident when the best it has misses what the customer wants', () => {
    const catalog = indexCatalog([offer('o-mini', { carClass: 'mini', seats: 4 })], []);
    const answer = chooseAds(needV2({ preferredClasses: ['van'], partySize: 7 }), catalog);
    expect(answer.offers.map((o) => o.ad.offer.id)).toEqual(['o-mini']);
    expect(answer.confidence).toBe(0);
  });
});
