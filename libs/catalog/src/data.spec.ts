import { CAR_CLASSES, Offer } from '@ad-race/contracts';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { CustomerProfile, CUSTOMERS, OFFERS, CITIES, generateCatalog } from './index';

describe('the seeded data set', () => {
  it('is exactly what the generator makes (regenerate with `npm run generate:data`)', () => {
    const { offers, customers } = generateCatalog();
    expect(OFFERS).toEqual(offers);
    expect(CUSTOMERS).toEqual(customers);
  });

  it('has at least 5,000 valid offers across at least 20 cities and airports, in every car class', () => {
    const valid = TypeCompiler.Compile(Offer);
    expect(OFFERS.length).toBeGreaterThanOrEqual(5000);
    expect(OFFERS.filter((o) => !valid.Check(o))).toEqual([]);
    const cities = new Set(OFFERS.map((o) => o.city));
    const airports = new Set(OFFERS.map((o) => o.location).filter((l) => l.includes('Airport')));
    expect(cities.size + airports.size).toBeGreaterThanOrEqual(20);
    expect(new Set(OFFERS.map((o) => o.carClass))).toEqual(new Set(CAR_CLASSES));
    expect(new Set(OFFERS.map((o) => o.id)).size).toBe(OFFERS.length);
  });

  it('has every city offers at an airport or station, and plausible rates', () => {
    for (const city of CITIES) {
      expect(OFFERS.some((o) => o.city === city.name)).toBe(true);
    }
    const rates = OFFERS.map((o) => o.dailyRateEur);
    expect(Math.min(...rates)).toBeGreaterThan(15);
    expect(Math.max(...rates)).toBeLessThan(250);
  });

  it('has at least 200 valid customer profiles with unique e-mail addresses, anna among them', () => {
    const valid = TypeCompiler.Compile(CustomerProfile);
    expect(CUSTOMERS.length).toBeGreaterThanOrEqual(200);
    expect(CUSTOMERS.filter((c) => !valid.Check(c))).toEqual([]);
    expect(new Set(CUSTOMERS.map((c) => c.email)).size).toBe(CUSTOMERS.length);
    expect(CUSTOMERS.find((c) => c.email === 'anna@example.com')).toMatchObject({ homeCity: 'Amsterdam', loyaltyTier: 'gold' });
    const cityNames = new Set(CITIES.map((c) => c.name));
    expect(CUSTOMERS.every((c) => cityNames.has(c.homeCity))).toBe(true);
  });

  it('gives some customers a booked trip, from a desk that has offers', () => {
    const trips = CUSTOMERS.flatMap((c) => (c.nextTrip ? [c.nextTrip] : []));
    expect(trips.length).toBeGreaterThan(CUSTOMERS.length / 5);
    expect(trips.length).toBeLessThan(CUSTOMERS.length / 2);
    const desks = new Set(OFFERS.map((o) => `${o.city}|${o.location}`));
    expect(trips.filter((t) => !desks.has(`${t.city}|${t.pickupLocation}`))).toEqual([]);
    expect(CUSTOMERS.find((c) => c.email === 'anna@example.com')!.nextTrip).toMatchObject({ city: 'Barcelona' });
  });
});
