import { CarClass, LoyaltyTier } from '@ad-race/contracts';
import { Type, type Static } from '@sinclair/typebox';

export const PastRental = Type.Object({
  carClass: CarClass,
  city: Type.String(),
  days: Type.Integer({ minimum: 1 }),
});
export type PastRental = Static<typeof PastRental>;

/**
 * A trip the customer has booked, relative to today: it starts in
 * `startsInDays` days, at a desk in a city, for `days` days.
 */
export const PlannedTrip = Type.Object({
  city: Type.String(),
  pickupLocation: Type.String(),
  startsInDays: Type.Integer({ minimum: 1 }),
  days: Type.Integer({ minimum: 1 }),
});
export type PlannedTrip = Static<typeof PlannedTrip>;

/** What the rental company knows about a customer. */
export const CustomerProfile = Type.Object({
  id: Type.String({ pattern: '^c-\\d{4}$' }),
  name: Type.String({ minLength: 1 }),
  email: Type.String({ format: 'email' }),
  homeCity: Type.String(),
  loyaltyTier: LoyaltyTier,
  /** The classes the customer says they like, most liked first. */
  preferredClasses: Type.Array(CarClass, { minItems: 1, maxItems: 3 }),
  /** How many people usually travel with the customer, the customer included. */
  familySize: Type.Integer({ minimum: 1, maximum: 9 }),
  /** Oldest first. */
  pastRentals: Type.Array(PastRental),
  /** The customer's next booked trip, if any. */
  nextTrip: Type.Union([PlannedTrip, Type.Null()]),
});
export type CustomerProfile = Static<typeof CustomerProfile>;
