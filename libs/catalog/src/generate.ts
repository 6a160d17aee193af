import { CAR_CLASSES, type CarClass, type LoyaltyTier, type Offer } from '@ad-race/contracts';
import type { CustomerProfile, PastRental, PlannedTrip } from './customer';
import { FLEET } from './fleet';
import { CITIES } from './places';
import { Random } from './random';

/** The seed of the committed data set (libs/catalog/data). */
export const DATA_SEED = 20150621;

const OFFERS_PER_LOCATION = { airport: 160, station: 115, downtown: 100 } as const;

const CLASS_MIX: Record<CarClass, number> = {
  mini: 12,
  economy: 22,
  compact: 22,
  suv: 16,
  van: 7,
  premium: 9,
  electric: 12,
};

const DISCOUNTS = [0, 0, 0, 0, 5, 5, 10, 10, 15, 20, 25, 30];

function roundRate(eur: number): number {
  return Math.round(eur) - 0.01;
}

export function generateOffers(random: Random): Offer[] {
  const offers: Offer[] = [];
  for (const city of CITIES) {
    for (const location of city.locations) {
      for (let i = 0; i < OFFERS_PER_LOCATION[location.kind]; i++) {
        const carClass = random.weighted(CLASS_MIX);
        const { baseDailyRateEur, models } = FLEET[carClass];
        const car = random.pick(models);
        const airportSurcharge = location.kind === 'airport' ? 1.1 : 1;
        const rate = baseDailyRateEur * city.priceLevel * airportSurcharge * (0.85 + random.next() * 0.3);
        offers.push({
          id: `o-${String(offers.length + 1).padStart(5, '0')}`,
          carClass,
          model: car.model,
          city: city.name,
          location: location.name,
          dailyRateEur: roundRate(rate),
          discountPercent: random.pick(DISCOUNTS),
          seats: car.seats,
          transmission: car.transmission === 'either' ? (random.chance(0.6) ? 'manual' : 'automatic') : car.transmission,
        });
      }
    }
  }
  return offers;
}

/** The customers the README names, first in the data set. Everyone's password is "rent-a-car". */
const DEMO_CUSTOMERS: Omit<CustomerProfile, 'id' | 'pastRentals' | 'nextTrip'>[] = [
  { name: 'Anna de Vries', email: 'anna@example.com', homeCity: 'Amsterdam', loyaltyTier: 'gold', preferredClasses: ['electric', 'compact'], familySize: 2 },
  { name: 'Ben Schneider', email: 'ben@example.com', homeCity: 'Berlin', loyaltyTier: 'basic', preferredClasses: ['suv', 'van'], familySize: 5 },
  { name: 'Chloé Martin', email: 'chloe@example.com', homeCity: 'Paris', loyaltyTier: 'platinum', preferredClasses: ['premium'], familySize: 1 },
  { name: 'Diego García', email: 'diego@example.com', homeCity: 'Madrid', loyaltyTier: 'silver', preferredClasses: ['economy', 'mini'], familySize: 3 },
];

const FIRST_NAMES = [
  'Emma', 'Liam', 'Sofia', 'Noah', 'Mila', 'Lucas', 'Julia', 'Finn', 'Sara', 'Daan', 'Lena', 'Mateo', 'Chiara', 'Leon', 'Ines',
  'Oscar', 'Freya', 'Hugo', 'Clara', 'Jonas', 'Nora', 'Luca', 'Elena', 'Felix', 'Maja', 'Tom', 'Alice', 'Pablo', 'Ida', 'Marco',
];
const LAST_NAMES = [
  'Jansen', 'Müller', 'Rossi', 'Dubois', 'Silva', 'Novak', 'Larsen', "O'Brien", 'Fernández', 'Bakker', 'Weber', 'Bianchi',
  'Moreau', 'Costa', 'Nielsen', 'Huber', 'Smith', 'Visser', 'Keller', 'Romano',
];

const TIER_MIX: Record<LoyaltyTier, number> = { basic: 50, silver: 28, gold: 15, platinum: 7 };

function pastRentals(random: Random, preferred: CarClass[]): PastRental[] {
  const rentals: PastRental[] = [];
  const count = random.int(0, 10);
  for (let i = 0; i < count; i++) {
    rentals.push({
      carClass: random.chance(0.7) ? random.pick(preferred) : random.pick(CAR_CLASSES),
      city: random.pick(CITIES).name,
      days: random.int(1, 14),
    });
  }
  return rentals;
}

function asciiLocalPart(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[^A-Za-z ]/g, '')
    .toLowerCase()
    .trim()
    .replace(/ +/g, '.');
}

export function generateCustomers(random: Random, count: number): CustomerProfile[] {
  const customers: CustomerProfile[] = [];
  const emails = new Set<string>();
  const id = () => `c-${String(customers.length + 1).padStart(4, '0')}`;
  for (const demo of DEMO_CUSTOMERS) {
    customers.push({ id: id(), ...demo, pastRentals: pastRentals(random, demo.preferredClasses), nextTrip: null });
    emails.add(demo.email);
  }
  while (customers.length < count) {
    const name = `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
    let email = `${asciiLocalPart(name)}@example.com`;
    for (let n = 2; emails.has(email); n++) email = `${asciiLocalPart(name)}${n}@example.com`;
    emails.add(email);
    const first = random.pick(CAR_CLASSES);
    const preferredClasses: CarClass[] = random.chance(0.5) ? [first] : [first, random.pick(CAR_CLASSES.filter((c) => c !== first))];
    customers.push({
      id: id(),
      name,
      email,
      homeCity: random.pick(CITIES).name,
      loyaltyTier: random.weighted(TIER_MIX),
      preferredClasses,
      familySize: Number(random.weighted({ 1: 25, 2: 30, 3: 15, 4: 18, 5: 8, 6: 4 })),
      pastRentals: pastRentals(random, preferredClasses),
      nextTrip: null,
    });
  }
  return customers;
}

/** The demo customers' next trips: Anna flies to Barcelona, Chloé takes the train to Nice. */
const DEMO_TRIPS: Record<string, PlannedTrip | null> = {
  'anna@example.com': { city: 'Barcelona', pickupLocation: 'Barcelona El Prat Airport (BCN)', startsInDays: 9, days: 4 },
  'ben@example.com': null,
  'chloe@example.com': { city: 'Nice', pickupLocation: 'Nice Promenade', startsInDays: 3, days: 7 },
  'diego@example.com': null,
};

/**
 * Gives about a third of the customers a booked trip. Drawn from a random
 * stream of its own, after everything else, so that adding trips to the
 * data set changed nothing that was there before them.
 */
export function planTrips(random: Random, customers: CustomerProfile[]): void {
  for (const customer of customers) {
    if (customer.email in DEMO_TRIPS) {
      customer.nextTrip = DEMO_TRIPS[customer.email]!;
      continue;
    }
    if (!random.chance(0.35)) continue;
    const city = random.chance(0.4) ? CITIES.find((c) => c.name === customer.homeCity)! : random.pick(CITIES);
    customer.nextTrip = { city: city.name, pickupLocation: random.pick(city.locations).name, startsInDays: random.int(1, 60), days: random.int(1, 14) };
  }
}

export const CUSTOMER_COUNT = 240;

/** The whole data set, as committed in libs/catalog/data. */
export function generateCatalog(seed: number = DATA_SEED) {
  const random = new Random(seed);
  const offers = generateOffers(random);
  const customers = generateCustomers(random, CUSTOMER_COUNT);
  planTrips(new Random(seed + 1), customers);
  return { offers, customers };
}
