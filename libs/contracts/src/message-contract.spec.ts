import { adNeedV1, createAdNeedV1 } from './ad-need';
import { adSolutionV1, createAdSolutionV1 } from './ad-solution';
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
  });

  it('ignores fields it does not know (tolerant reader)', () => {
    const decoded = adNeedV1.check({ ...need(), addedByALaterVersion: { x: 1 } });
    expect(decoded.ok).toBe(true);
  });

  it.each([
    ['a body that is not JSON', '{"name": "ad.need"', 'message body is not JSON'],
    ['an array', '[]', 'message is not a JSON object'],
    ['another message', JSON.stringify({ ...need(), name: 'ad.solution' }), 'expected message "ad.need", got "ad.solution"'],
    ['a newer schema version', JSON.stringify({ ...need(), schemaVersion: 2 }), 'unknown schema version 2 of "ad.need"'],
    ['a missing city', JSON.stringify({ ...need(), payload: { ...need().payload, city: undefined } }), '/payload/city'],
    ['an unknown loyalty tier', JSON.stringify({ ...need(), payload: { ...need().payload, loyaltyTier: 'diamond' } }), '/payload/loyaltyTier'],
    ['a page name with spaces', JSON.stringify({ ...need(), payload: { ...need().payload, page: 'My Trips' } }), '/payload/page'],
    ['a deadline that is not a time', JSON.stringify({ ...need(), deadline: 'soon' }), '/deadline'],
  ])('rejects %s with a clear reason', (_, body, reason) => {
    const decoded = adNeedV1.decode(body);
    expect(decoded.ok).toBe(false);
    expect(!decoded.ok && decoded.error).toContain(reason);
  });
});

describe('ad.solution v1', () => {
  it('names the need it answers as its cause', () => {
    const n = need();
    const s = createAdSolutionV1(n, adsV1, false, ad);
    expect(s.causationId).toBe(n.id);
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
