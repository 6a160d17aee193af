import type { Ad } from '@ad-race/contracts';

/** Why the house ad is shown: no answer by the deadline, or the ad services too busy to ask. */
export type HouseAdCause = 'fallback' | 'shed';

const REASONS: Record<HouseAdCause, string> = {
  fallback: 'Our ad services did not answer in time, so here is our own ad',
  shed: 'Our ad services are busy right now, so here is our own ad at once',
};

/**
 * The house ad: what the customer sees when no ad service answered in time,
 * or when the web server did not ask them because they are busy. The ad slot
 * is never left empty.
 */
export function houseAd(city: string, cause: HouseAdCause = 'fallback'): Ad {
  return {
    headline: 'Rent a car with ad-race: members save up to 30%',
    reason: REASONS[cause],
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
