import type { CustomerProfile, PlannedTrip } from '@ad-race/catalog';
import type { AdNeedV1, AdNeedV2, Trip } from '@ad-race/contracts';
import type { Minted, Translation } from './translation';

export interface UpcastContext extends Minted {
  /** The conversation the need started (its AMQP correlationId; a version-1 need's own id). */
  conversationId: string;
  /** What the rental company knows of the customer the need is for, if anything. */
  profile: CustomerProfile | undefined;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const date = (at: number) => new Date(at).toISOString().slice(0, 10);

/** A planned trip (in N days, for N days) as dates, counted from the day of `now`. */
export function tripDates(trip: PlannedTrip, now: Date): Trip {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const pickup = today + trip.startsInDays * DAY_MS;
  return { city: trip.city, pickupLocation: trip.pickupLocation, pickupDate: date(pickup), returnDate: date(pickup + trip.days * DAY_MS) };
}

/**
 * Version 1 of a need to version 2, enriched from the customer's profile.
 * Everything version 1 said keeps its meaning; the deadline stays the same
 * instant (a translation never buys a need more time); the conversation is
 * the one the need started, and its cause is the need itself. The producer
 * stays the service that needed the ad: the adapter only translated.
 */
export function upcastNeed(need: AdNeedV1, { conversationId, profile, id, now }: UpcastContext): Translation<AdNeedV2> {
  if (!profile) return { ok: false, reason: `no profile of customer ${need.payload.customerId}: cannot add what version 2 needs` };
  const latest = profile.pastRentals[profile.pastRentals.length - 1];
  return {
    ok: true,
    conversationId,
    message: {
      id,
      name: 'ad.need',
      schemaVersion: 2,
      createdAt: now.toISOString(),
      producer: need.producer,
      conversationId,
      causationId: need.id,
      deadline: need.deadline,
      payload: {
        customerId: need.payload.customerId,
        city: need.payload.city,
        loyaltyTier: need.payload.loyaltyTier,
        page: need.payload.page,
        preferredClasses: profile.preferredClasses.slice(0, 3),
        partySize: profile.familySize,
        rentals: { count: profile.pastRentals.length, mostRecentClass: latest?.carClass ?? null },
        trip: profile.nextTrip ? tripDates(profile.nextTrip, now) : null,
      },
    },
  };
}
