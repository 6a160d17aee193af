import { adNeedV1, adNeedV2, createAdNeedV1, createAdNeedV2 } from './ad-need';
import { adSolutionV1, adSolutionV2, createAdSolutionV1, createAdSolutionV2 } from './ad-solution';
import { conversationOf } from './envelope';
import type { Ad } from './offer';

const web = { service: 'web', version: '1.0.0', instance: 'web-1' };
const adsV1 = { service: 'ads', version: 'v1', instance: 'ads-v1-1' };
const ad: Ad = {
  headline: 'VW ID.3 in Amsterdam from €49/day',
  reason: 'The biggest discount in Amsterdam',
  offer: {
    id: 'o-00001',
    carClass: 'electric',
    model: 'VW ID.3',
    city: 'Amsterdam',
    location: 'Amsterdam Centraal',
    dailyRateEur: 49,
    discountPercent: 15,
    seats: 5,
    transmission: 'automatic',
  },
};

function need() {
  return createAdNeedV1(web, { customerId: 'c-0001', city: 'Amsterdam', loyaltyTier: 'gold', page: 'login' }, 250, new Date('2026-01-01T12:00:00Z'));
}

describe('ad.need v1', () => {
  it('round-trips a need it created, with a deadline after its creation', () => {
    const n = need();
    const decoded = adNeedV1.decode(adNeedV1.encode(n));
    expect(decoded).toEqual({ ok: true, message: n });
    expect(n.deadline).toBe('2026-01-01T12:00:00.250Z');
    expect(n.causationId).toBeNull();
    expect(conversationOf(n)).toBe(n.id);
  });

  it('travels on an exchange of its own version', () => {
    expect([adNeedV1.channel, adNeedV2.channel, adSolutionV1.channel, adSolutionV2.channel]).toEqual(['ad.need.v1', 'ad.need.v2', 'ad.solution.v1', 'ad.solution.v2']);
  });

  it('says why a delivery named as another message or version is not this one, from its AMQP properties alone', () => {
    expect(adNeedV1.mismatch('ad.need', 1)).toBeNull();
    expect(adNeedV1.mismatch('ad.need', 2)).toBe('unknown schema version 2 of "ad.need" (this consumer reads version 1)');
    expect(adNeedV1.mismatch('ad.solution', 1)).toBe('expected message "ad.need", got "ad.solution"');
  });
});

describe('ad.need v2', () => {
  it('published first-hand, starts a conversation of its own', () => {
    const n = createAdNeedV2(web, { ...need().payload, preferredClasses: ['suv'], partySize: 5, rentals: { count: 0, mostRecentClass: null }, trip: null }, 250);
    expect(n).toMatchObject({ conversationId: n.id, causationId: null, schemaVersion: 2 });
    expect(adNeedV2.decode(adNeedV2.encode(n))).toEqual({ ok: true, message: n });
  });
});

describe('ad.solution v1', () => {
  it('names the need it answers as its cause, and is in its conversation', () => {
    const n = need();
    const s = createAdSolutionV1(n, adsV1, false, ad);
    expect(s.causationId).toBe(n.id);
    expect(conversationOf(s)).toBe(n.id);
    expect(adSolutionV1.decode(adSolutionV1.encode(s))).toEqual({ ok: true, message: s });
  });

  it('requires a cause and a shadow flag', () => {
    const s = createAdSolutionV1(need(), adsV1, true, ad);
    expect(adSolutionV1.check({ ...s, causationId: null }).ok).toBe(false);
    const { shadow: _, ...withoutShadow } = s;
    const decoded = adSolutionV1.check(withoutShadow);
    expect(!decoded.ok && decoded.error).toContain('/shadow');
  });

  it('rejects an ad with a negative daily rate', () => {
    const s = createAdSolutionV1(need(), adsV1, false, { ...ad, offer: { ...ad.offer, dailyRateEur: -1 } });
    const decoded = adSolutionV1.check(s);
    expect(!decoded.ok && decoded.error).toContain('/payload/ad/offer/dailyRateEur');
  });
});

describe('ad.solution v2', () => {
  it('answers a version-2 need in its conversation, with ranked offers', () => {
    const n = createAdNeedV2(web, { ...need().payload, preferredClasses: [], partySize: 1, rentals: { count: 0, mostRecentClass: null }, trip: null }, 250);
    const s = createAdSolutionV2({ id: n.id, conversationId: 'c0ffee00-0000-4000-8000-000000000000' }, adsV1, false, { offers: [{ ad, score: 0.9 }], confidence: 0.5 });
    expect(s).toMatchObject({ causationId: n.id, conversationId: 'c0ffee00-0000-4000-8000-000000000000' });
    expect(conversationOf(s)).toBe('c0ffee00-0000-4000-8000-000000000000');
    expect(adSolutionV2.check(s).ok).toBe(true);
  });
});
