import type { Ad } from '@ad-race/contracts';

/**
 * The house ad: what the customer sees when no ad service answered in time.
 * The ad slot is never left empty.
 */
export function houseAd(city: string): Ad {
  return {
    headline: 'Rent a car with ad-race: members save up to 30%',
    reason: 'Our ad services did not answer in time, so here is our own ad',
    offer: {
      id: 'house-ad',
      carClass: 'economy',
      model: 'Volkswagen Polo or similar',
      city,
      location: `Any ad-race desk in ${city}`,
      dailyRateEur: 29.99,
      discountPercent: 0,
      seats: 5,
      transmission: 'manual',
    },
  };
}
