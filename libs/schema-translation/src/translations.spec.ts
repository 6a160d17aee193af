import { CUSTOMERS } from '@ad-race/catalog';
import { adNeedV1, adNeedV2, adSolutionV1, adSolutionV2, createAdNeedV1 } from '@ad-race/contracts';
import fc from 'fast-check';
import { needV1, profile, solutionV2 } from './arbitraries';
import { downcastSolution } from './downcast-solution';
import { tripDates, upcastNeed } from './upcast-need';

const minted = fc.record({ id: fc.uuid(), now: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-01-01T00:00:00Z'), noInvalidDate: true }) });

describe('upcasting a version-1 need to version 2', () => {
  it('keeps the conversation, the deadline, the producer and what every version-1 field means; its cause is the need', () => {
    fc.assert(
      fc.property(needV1, profile, minted, fc.uuid(), (need, customer, { id, now }, conversationId) => {
        expect(adNeedV1.check(need).ok).toBe(true); // the arbitrary makes valid needs
        const upcast = upcastNeed(need, { conversationId, profile: customer, id, now });
        if (!upcast.ok) throw new Error(upcast.reason);
        const v2 = upcast.message;
        expect(upcast.conversationId).toBe(conversationId);
        expect(v2).toMatchObject({ id, conversationId, causationId: need.id, deadline: need.deadline, producer: need.producer });
        const { customerId, city, loyaltyTier, page } = v2.payload;
        expect({ customerId, city, loyaltyTier, page }).toEqual(need.payload);
      }),
    );
  });

  it('never makes a message that fails the version-2 schema', () => {
    fc.assert(
      fc.property(needV1, profile, minted, fc.uuid(), (need, customer, { id, now }, conversationId) => {
        const upcast = upcastNeed(need, { conversationId, profile: customer, id, now });
        expect(upcast.ok && adNeedV2.check(upcast.message)).toEqual({ ok: true, message: upcast.ok && upcast.message });
      }),
    );
  });

  it('adds what the profile says: preferences, party, rentals, and the next trip as dates from today', () => {
    const anna = CUSTOMERS.find((c) => c.email === 'anna@example.com')!;
    const need = createAdNeedV1({ service: 'web', version: '1.0.0', instance: 'web-1' }, { customerId: anna.id, city: 'Amsterdam', loyaltyTier: 'gold', page: 'login' }, 250);
    const now = new Date('2026-11-30T23:59:00Z');
    const upcast = upcastNeed(need, { conversationId: need.id, profile: anna, id: '00000000-0000-4000-8000-000000000001', now });
    expect(upcast.ok && upcast.message.payload).toEqual({
      ...need.payload,
      preferredClasses: ['electric', 'compact'],
      partySize: 2,
      rentals: { count: anna.pastRentals.length, mostRecentClass: anna.pastRentals[anna.pastRentals.length - 1]!.carClass },
      trip: { city: 'Barcelona', pickupLocation: 'Barcelona El Prat Airport (BCN)', pickupDate: '2026-12-09', returnDate: '2026-12-13' },
    });
  });

  it('says why it cannot translate a need for a customer it knows nothing of', () => {
    fc.assert(
      fc.property(needV1, minted, (need, { id, now }) => {
        expect(upcastNeed(need, { conversationId: need.id, profile: undefined, id, now })).toEqual({
          ok: false,
          reason: `no profile of customer ${need.payload.customerId}: cannot add what version 2 needs`,
        });
      }),
    );
  });

  it('dates a trip from the day it is asked, returning after it leaves', () => {
    fc.assert(
      fc.property(profile, minted, (customer, { now }) => {
        fc.pre(customer.nextTrip !== null);
        const trip = tripDates(customer.nextTrip!, now);
        expect(trip.pickupDate > now.toISOString().slice(0, 10)).toBe(true);
        expect(trip.returnDate > trip.pickupDate).toBe(true);
      }),
    );
  });
});

describe('downcasting a version-2 answer to version 1', () => {
  it('keeps the first offer, the conversation and the version that chose it; its cause is the answer', () => {
    fc.assert(
      fc.property(solutionV2, minted, (solution, { id, now }) => {
        expect(adSolutionV2.check(solution).ok).toBe(true);
        const downcast = downcastSolution(solution, { id, now });
        if (!downcast.ok) throw new Error(downcast.reason);
        expect(downcast.conversationId).toBe(solution.conversationId);
        expect(downcast.message).toMatchObject({ id, causationId: solution.id, producer: solution.producer, shadow: solution.shadow });
        expect(downcast.message.payload.ad).toEqual(solution.payload.offers[0]!.ad);
      }),
    );
  });

  it('never makes a message that fails the version-1 schema', () => {
    fc.assert(
      fc.property(solutionV2, minted, (solution, minted) => {
        const downcast = downcastSolution(solution, minted);
        expect(downcast.ok && adSolutionV1.check(downcast.message).ok).toBe(true);
      }),
    );
  });
});
