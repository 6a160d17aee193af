import { dailyPriceEur, type CarClass, type LoyaltyTier, type Offer } from '@ad-race/contracts';
import type { CustomerProfile } from '@ad-race/catalog';

/**
 * The fitness function: how much showing an offer to a customer is expected to
 * bring, in euros. A model of the customer, not a record of what they did: the
 * monitor applies it to every answer of every version so that versions can be
 * compared on the same yardstick, and the click-through it measures is what can
 * prove the model wrong. See README.md for the formula and a worked example.
 *
 * Pure and deterministic: the same offer and customer always give the same
 * score, nothing is cached, nothing is read but the two arguments.
 */

/** Bump whenever a constant or a rule below changes: scores of different models must not be compared. */
export const FITNESS_MODEL_VERSION = 'fitness-1';

/**
 * How each part of the profile contributed. Every factor is in (0, 1]: 1 means
 * "this part of the offer is as good as it gets for this customer", smaller
 * values scale the chance of a take down. None is ever 0, so a score can
 * always be explained as a product and no single mismatch hides the others.
 */
export interface FitnessFactors {
  /** The car class against the customer's preferred classes (most liked first) and the classes they rented before. */
  classFit: number;
  /** Whether the car seats the customer's whole party (familySize, the customer included). */
  seatsFit: number;
  /** Where the car is picked up against where the customer will need one: the next trip's desk and city, or home. */
  placeFit: number;
  /** The price per day after discount against the daily budget of the customer's loyalty tier. */
  priceFit: number;
}

export interface Fitness {
  /** Probability (0 to 1) that this customer rents this offer when shown the ad. */
  takeProbability: number;
  /** What the rental is worth in euros: the price after discount times the days it would be rented for. */
  valueEur: number;
  /** takeProbability × valueEur, rounded to cents: the euros showing this ad is expected to bring. */
  expectedValueEur: number;
  /** How each part of the profile contributed, for explaining a score. */
  factors: FitnessFactors;
}

// ---------------------------------------------------------------------------
// The model's constants. Judgment calls, not measurements: each says why it is
// what it is, and the README lists them. Change any of them → bump the version.
// ---------------------------------------------------------------------------

/**
 * The chance that an ad fitting the customer in every way (a favourite class,
 * room for everyone, at the desk of their next trip, within budget) is taken:
 * one in four. Even a perfect ad is mostly ignored; what matters for comparing
 * versions is the relative size of the factors below, which this only scales.
 */
const BASE_TAKE_PROBABILITY = 0.25;

/**
 * classFit for the customer's first, second and third preferred class. The
 * first is what they asked for; the next ones still appeal, less so.
 */
const PREFERRED_CLASS_FIT: readonly number[] = [1, 0.7, 0.5];
/** classFit for a class the customer does not name but has rented before: proof they would take one, if not first choice. */
const RENTED_BEFORE_CLASS_FIT = 0.35;
/** classFit for any other class: the customer never showed interest, but a car is a car. */
const OTHER_CLASS_FIT = 0.1;

/** seatsFit when the car seats the whole party. */
const ROOMY_SEATS_FIT = 1;
/** seatsFit when it does not: the party cannot travel in it, only a rare customer would rent it anyway (for part of the party). */
const TOO_FEW_SEATS_FIT = 0.05;

/** placeFit at the desk where the customer's next trip starts: exactly where they will need a car. */
const AT_TRIP_DESK_PLACE_FIT = 1;
/** placeFit at another desk of the trip's city: the right city, but a trip across town to pick it up. */
const IN_TRIP_CITY_PLACE_FIT = 0.8;
/** placeFit in the home city when there is no trip: where the customer rents, as far as we know. */
const HOME_NO_TRIP_PLACE_FIT = 1;
/** placeFit in the home city when a trip elsewhere is booked: the known need is the trip, but they may still rent at home. */
const HOME_WITH_TRIP_PLACE_FIT = 0.6;
/** placeFit anywhere else: the customer would have to travel there first. */
const ELSEWHERE_PLACE_FIT = 0.02;

/**
 * What each loyalty tier is taken to be comfortable paying per day, after
 * discount, in euros. Anchored on the fleet's base daily rates (FLEET, for
 * an average-priced city): basic covers an economy car (33), silver a compact
 * (42), gold an SUV or an electric car (64, 58), platinum a premium car (115),
 * each with some room for pricier cities and airport surcharges.
 */
const DAILY_BUDGET_EUR: Readonly<Record<LoyaltyTier, number>> = {
  basic: 40,
  silver: 55,
  gold: 80,
  platinum: 140,
};

/**
 * How fast the chance of a take falls over budget: priceFit = (budget / price)^2.
 * 10% over budget costs about 17% of the chance, 50% over about 56%, twice the
 * budget 75%. With an exponent above 1 the expected value (∝ price × priceFit)
 * falls as the price climbs over budget: an over-priced ad is worth less, not
 * more, however much the rental itself would bring.
 */
const PRICE_ELASTICITY = 2;

/** Days a rental is assumed to last when neither a trip nor past rentals say. */
const DEFAULT_RENTAL_DAYS = 3;

// ---------------------------------------------------------------------------

function roundToCents(eur: number): number {
  return Math.round(eur * 100) / 100;
}

/** Prefers what the customer names, then what they did; never 0. */
function classFitOf(carClass: CarClass, customer: CustomerProfile): number {
  const rank = customer.preferredClasses.indexOf(carClass);
  const preferred = rank < 0 ? undefined : PREFERRED_CLASS_FIT[rank];
  if (preferred !== undefined) return preferred;
  // A plain loop, not .some(): no closure allocated on the hot path.
  for (const rental of customer.pastRentals) if (rental.carClass === carClass) return RENTED_BEFORE_CLASS_FIT;
  return OTHER_CLASS_FIT;
}

function seatsFitOf(offer: Offer, customer: CustomerProfile): number {
  return offer.seats >= customer.familySize ? ROOMY_SEATS_FIT : TOO_FEW_SEATS_FIT;
}

/** A booked trip is the customer's known need, so it outranks home; without one, home is where they rent. */
function placeFitOf(offer: Offer, customer: CustomerProfile): number {
  const trip = customer.nextTrip;
  if (trip && offer.city === trip.city) return offer.location === trip.pickupLocation ? AT_TRIP_DESK_PLACE_FIT : IN_TRIP_CITY_PLACE_FIT;
  if (offer.city === customer.homeCity) return trip ? HOME_WITH_TRIP_PLACE_FIT : HOME_NO_TRIP_PLACE_FIT;
  return ELSEWHERE_PLACE_FIT;
}

/** 1 at or under the tier's budget, then a smooth power-law decay (see PRICE_ELASTICITY). */
function priceFitOf(pricePerDay: number, tier: LoyaltyTier): number {
  const budget = DAILY_BUDGET_EUR[tier];
  if (pricePerDay <= budget) return 1;
  return (budget / pricePerDay) ** PRICE_ELASTICITY;
}

/**
 * The median of the past rentals' days, rounded to whole days (for an even
 * count, the mean of the two middle values, halves rounded up), or undefined
 * without past rentals. A selection by counting, O(n²) on a handful of
 * rentals, so as not to copy and sort an array on every call.
 */
function medianPastDays(customer: CustomerProfile): number | undefined {
  const rentals = customer.pastRentals;
  const n = rentals.length;
  if (n === 0) return undefined;
  const lowerRank = (n - 1) >> 1;
  const upperRank = n >> 1;
  let lower = 0;
  let upper = 0;
  for (const candidate of rentals) {
    let below = 0;
    let equal = 0;
    for (const other of rentals) {
      if (other.days < candidate.days) below++;
      else if (other.days === candidate.days) equal++;
    }
    // candidate.days occupies the sorted ranks [below, below + equal).
    if (below <= lowerRank && lowerRank < below + equal) lower = candidate.days;
    if (below <= upperRank && upperRank < below + equal) upper = candidate.days;
  }
  return Math.round((lower + upper) / 2);
}

/**
 * How many days the customer would rent this offer for: the trip's days if the
 * offer is in the trip's city (it would be rented for the trip), else the median
 * of the past rentals' days (how long they usually rent), else 3.
 */
export function rentalDays(offer: Offer, customer: CustomerProfile): number {
  const trip = customer.nextTrip;
  if (trip && offer.city === trip.city) return trip.days;
  return medianPastDays(customer) ?? DEFAULT_RENTAL_DAYS;
}

/**
 * Scores an offer for a customer as an expected value in euros:
 *
 *   takeProbability  = min(1, BASE × classFit × seatsFit × placeFit × priceFit)
 *   valueEur         = dailyPriceEur × rentalDays   (the price per day after discount, as the ads show it)
 *   expectedValueEur = takeProbability × valueEur, rounded to cents
 *
 * Any offer scores, however poor the fit: the monitor scores winners, losers
 * and shadows alike, and a poor fit is a small number, not an error.
 */
export function fitnessOf(offer: Offer, customer: CustomerProfile): Fitness {
  const pricePerDay = dailyPriceEur(offer); // as the ads show it
  const classFit = classFitOf(offer.carClass, customer);
  const seatsFit = seatsFitOf(offer, customer);
  const placeFit = placeFitOf(offer, customer);
  const priceFit = priceFitOf(pricePerDay, customer.loyaltyTier);
  const raw = BASE_TAKE_PROBABILITY * classFit * seatsFit * placeFit * priceFit;
  // Every factor is in (0, 1], so this only guards against a future constant above 1.
  const takeProbability = raw > 1 ? 1 : raw < 0 ? 0 : raw;
  const valueEur = roundToCents(pricePerDay * rentalDays(offer, customer));
  return {
    takeProbability,
    valueEur,
    expectedValueEur: roundToCents(takeProbability * valueEur),
    factors: { classFit, seatsFit, placeFit, priceFit },
  };
}
