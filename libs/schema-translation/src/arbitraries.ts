import { CITIES, type CustomerProfile } from '@ad-race/catalog';
import { CAR_CLASSES, LOYALTY_TIERS, type Ad, type AdNeedV1, type AdSolutionV2, type Producer } from '@ad-race/contracts';
import fc from 'fast-check';

// Random messages and profiles, each valid by its schema, for property tests of the translations.

const text = (maxLength: number) => fc.string({ minLength: 1, maxLength });
const instant = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true });
const carClass = fc.constantFrom(...CAR_CLASSES);

export const producer: fc.Arbitrary<Producer> = fc.record({ service: text(64), version: text(64), instance: text(128) });

export const needV1: fc.Arbitrary<AdNeedV1> = fc
  .record({
    id: fc.uuid(),
    createdAt: instant,
    deadlineMs: fc.integer({ min: 1, max: 10_000 }),
    producer,
    customerId: text(32),
    city: text(64),
    loyaltyTier: fc.constantFrom(...LOYALTY_TIERS),
    page: fc.stringMatching(/^[a-z0-9]{1,10}(-[a-z0-9]{1,10}){0,2}$/),
  })
  .map(({ id, createdAt, deadlineMs, producer, ...payload }) => ({
    id,
    name: 'ad.need' as const,
    schemaVersion: 1 as const,
    createdAt: createdAt.toISOString(),
    producer,
    causationId: null,
    deadline: new Date(createdAt.getTime() + deadlineMs).toISOString(),
    payload,
  }));

const desk = fc.constantFrom(...CITIES.flatMap((c) => c.locations.map((l) => ({ city: c.name, pickupLocation: l.name }))));

export const profile: fc.Arbitrary<CustomerProfile> = fc.record({
  id: fc.integer({ min: 1, max: 9999 }).map((n) => `c-${String(n).padStart(4, '0')}`),
  name: text(40),
  email: fc.constant('someone@example.com'),
  homeCity: fc.constantFrom(...CITIES.map((c) => c.name)),
  loyaltyTier: fc.constantFrom(...LOYALTY_TIERS),
  preferredClasses: fc.uniqueArray(carClass, { minLength: 1, maxLength: 3 }),
  familySize: fc.integer({ min: 1, max: 9 }),
  pastRentals: fc.array(fc.record({ carClass, city: fc.constantFrom(...CITIES.map((c) => c.name)), days: fc.integer({ min: 1, max: 30 }) }), { maxLength: 12 }),
  nextTrip: fc.option(
    fc.record({ desk, startsInDays: fc.integer({ min: 1, max: 365 }), days: fc.integer({ min: 1, max: 30 }) }).map(({ desk, ...when }) => ({ ...desk, ...when })),
    { nil: null },
  ),
});

export const ad: fc.Arbitrary<Ad> = fc.record({
  headline: text(160),
  reason: text(240),
  offer: fc.record({
    id: text(32),
    carClass,
    model: text(64),
    city: text(64),
    location: text(96),
    dailyRateEur: fc.double({ min: 0.01, max: 10_000, noNaN: true }),
    discountPercent: fc.integer({ min: 0, max: 90 }),
    seats: fc.integer({ min: 1, max: 9 }),
    transmission: fc.constantFrom('manual' as const, 'automatic' as const),
  }),
});

export const solutionV2: fc.Arbitrary<AdSolutionV2> = fc
  .record({
    id: fc.uuid(),
    createdAt: instant,
    producer,
    conversationId: fc.uuid(),
    causationId: fc.uuid(),
    shadow: fc.boolean(),
    offers: fc.array(fc.record({ ad, score: fc.double({ min: 0, max: 1, noNaN: true }) }), { minLength: 1, maxLength: 3 }),
    confidence: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ createdAt, offers, confidence, ...rest }) => ({
    ...rest,
    name: 'ad.solution' as const,
    schemaVersion: 2 as const,
    createdAt: createdAt.toISOString(),
    payload: { offers, confidence },
  }));
