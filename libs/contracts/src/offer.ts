import { Type, type Static, type TLiteral, type TUnion } from '@sinclair/typebox';

function oneOf<const T extends readonly string[]>(values: T): TUnion<TLiteral<T[number]>[]> {
  return Type.Union(values.map((v) => Type.Literal(v)));
}

export const CAR_CLASSES = ['mini', 'economy', 'compact', 'suv', 'van', 'premium', 'electric'] as const;
export const CarClass = oneOf(CAR_CLASSES);
export type CarClass = Static<typeof CarClass>;

export const LOYALTY_TIERS = ['basic', 'silver', 'gold', 'platinum'] as const;
export const LoyaltyTier = oneOf(LOYALTY_TIERS);
export type LoyaltyTier = Static<typeof LoyaltyTier>;

export const Transmission = oneOf(['manual', 'automatic'] as const);

/** A car-rental offer as it travels inside an ad. */
export const Offer = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 32 }),
  carClass: CarClass,
  model: Type.String({ minLength: 1, maxLength: 64 }),
  city: Type.String({ minLength: 1, maxLength: 64 }),
  location: Type.String({ minLength: 1, maxLength: 96 }),
  dailyRateEur: Type.Number({ exclusiveMinimum: 0 }),
  discountPercent: Type.Integer({ minimum: 0, maximum: 90 }),
  seats: Type.Integer({ minimum: 1, maximum: 9 }),
  transmission: Transmission,
});
export type Offer = Static<typeof Offer>;

/** One ad: the offer it names and why it was chosen for this customer. */
export const Ad = Type.Object({
  headline: Type.String({ minLength: 1, maxLength: 160 }),
  reason: Type.String({ minLength: 1, maxLength: 240 }),
  offer: Offer,
});
export type Ad = Static<typeof Ad>;

/**
 * The price of an offer per day after its discount, in euros, rounded to the
 * cent: the price every ad shows and every version and the fitness function
 * reckon with. 49.99 a day at 20% off is 39.99.
 */
export function dailyPriceEur(offer: Pick<Offer, 'dailyRateEur' | 'discountPercent'>): number {
  return Math.round(offer.dailyRateEur * (100 - offer.discountPercent)) / 100;
}
