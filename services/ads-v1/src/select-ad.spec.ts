import type { AdNeedPayloadV1, Offer } from '@ad-race/contracts';
import { OFFERS } from '@ad-race/catalog';
import { selectAd } from './select-ad';

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

describe('ads v1: choosing an ad', () => {
  it('shows an offer in the customer’s city, with a headline and a reason', () => {
    const ad = selectAd(need(), OFFERS);
    expect(ad.offer.city).toBe('Amsterdam');
    expect(ad.headline).toContain(ad.offer.model);
    expect(ad.reason).toContain('Amsterdam');
  });

  it('prefers the bigger discount', () => {
    const offers = [offer('o-1', { discountPercent: 5 }), offer('o-2', { discountPercent: 25 }), offer('o-3', { city: 'Berlin', discountPercent: 30 })];
    expect(selectAd(need({ loyaltyTier: 'basic' }), offers).offer.id).toBe('o-2');
  });

  it('leans towards the classes a loyalty tier likes', () => {
    const offers = [offer('o-economy', { carClass: 'economy', discountPercent: 10 }), offer('o-premium', { carClass: 'premium', discountPercent: 10, dailyRateEur: 60 })];
    expect(selectAd(need({ loyaltyTier: 'platinum' }), offers).offer.id).toBe('o-premium');
    expect(selectAd(need({ loyaltyTier: 'basic' }), offers).offer.id).toBe('o-economy');
  });

  it('shows the best deal anywhere when the city has no offers', () => {
    const ad = selectAd(need({ city: 'Atlantis' }), OFFERS);
    expect(ad.offer.city).not.toBe('Atlantis');
    expect(ad.reason).toContain('No offers in Atlantis');
  });

  it('prices the discount into the headline', () => {
    const o = offer('o-1', { dailyRateEur: 49.99, discountPercent: 20 });
    expect(selectAd(need(), [o]).headline).toBe('Renault Clio in Amsterdam from €39.99 a day');
  });
});
