import { CAR_CLASSES, type CarClass, type Offer } from '@ad-race/contracts';
import { FLEET, type CustomerProfile, type Random } from '@ad-race/catalog';
import { normal } from './streams';

// The simulated customers' hidden ground truth: what makes each of them click
// an ad. It is the simulator's own idea of what customers want, deliberately
// not the fitness function (libs/fitness): it knows things the profile does not
// say (the gearbox a customer drives, the brands they like and dislike, what
// they will really pay, how much a discount draws them), and it ignores things
// the fitness function relies on (the loyalty tier's budget, the classes rented
// before). So the fitness function can be wrong, and the click-through the
// monitor measures shows where: that is what the simulation is for.
// Nothing outside the simulator reads it; no ad service may.

/** What a customer really wants, drawn from the run's seed: the profile says some of it, never all. */
export interface HiddenTaste {
  /** The chance of a click on an ad that suits the customer in every way (0.2 to 0.5): some click more than others. */
  clickiness: number;
  /** The gearbox the customer drives: an automatic-only driver rarely clicks a manual car; a manual driver mildly minds an automatic. */
  gearbox: 'manual' | 'automatic' | 'either';
  /**
   * How much each car class appeals, in (0, 1]. From the classes the customer
   * names, with noise, and sometimes a class they never named that they like
   * anyway. Past rentals do not count: they may have taken what was left.
   */
  classAppeal: Record<CarClass, number>;
  /** A brand the customer is drawn to (the first word of the model: "Volkswagen", "Mercedes-Benz"). */
  likedBrand: string;
  /** A brand the customer avoids. */
  dislikedBrand: string;
  /** What the customer will pay a day, after discount, whatever their loyalty tier: anchored on their favourite class. */
  willingToPayEur: number;
  /** How much a discount draws the customer in (0 to 1), even on a car they could afford anyway. */
  dealSeeking: number;
}

/** Every brand in the fleet. */
export const BRANDS: readonly string[] = [...new Set(Object.values(FLEET).flatMap((c) => c.models.map((m) => brandOf(m.model))))];

/** The brand of a car model: its first word ("Mercedes-Benz Vito Tourer" → "Mercedes-Benz"). */
export function brandOf(model: string): string {
  return model.split(' ')[0] ?? model;
}

/** The appeal of the first, second and third class a customer names: flatter than what they say suggests. */
const NAMED_CLASS_APPEAL = [0.9, 0.6, 0.45];
/** The appeal of a class the customer does not name. */
const UNNAMED_CLASS_APPEAL = 0.12;
/** The chance that a customer secretly likes a class they never named, and how much. */
const SECRET_FAVOURITE_CHANCE = 0.3;
const SECRET_FAVOURITE_APPEAL = 0.85;

/** Draws one customer's hidden taste. */
export function drawTaste(profile: CustomerProfile, random: Random): HiddenTaste {
  const clickiness = 0.2 + 0.3 * random.next();
  const gearbox = random.weighted({ automatic: 40, manual: 25, either: 35 });
  const classAppeal = {} as Record<CarClass, number>;
  for (const carClass of CAR_CLASSES) {
    const rank = profile.preferredClasses.indexOf(carClass);
    const base = NAMED_CLASS_APPEAL[rank] ?? UNNAMED_CLASS_APPEAL;
    classAppeal[carClass] = Math.min(1, base * Math.exp(0.3 * normal(random)));
  }
  if (random.chance(SECRET_FAVOURITE_CHANCE)) {
    const unnamed = CAR_CLASSES.filter((c) => !profile.preferredClasses.includes(c));
    if (unnamed.length > 0) {
      const secret = random.pick(unnamed);
      classAppeal[secret] = Math.max(classAppeal[secret], SECRET_FAVOURITE_APPEAL);
    }
  }
  const likedBrand = random.pick(BRANDS);
  const dislikedBrand = random.pick(BRANDS.filter((b) => b !== likedBrand));
  const favourite = profile.preferredClasses[0] ?? 'economy';
  const willingToPayEur = FLEET[favourite].baseDailyRateEur * Math.exp(0.35 * normal(random));
  const dealSeeking = random.next() ** 2;
  return { clickiness, gearbox, classAppeal, likedBrand, dislikedBrand, willingToPayEur, dealSeeking };
}

/** Who is clicking: the profile the rental company knows, and the taste it does not. */
export interface Clicker {
  profile: CustomerProfile;
  taste: HiddenTaste;
}

/** The most a click can be certain: some never click. */
const MAX_CLICK_PROBABILITY = 0.95;

/**
 * The ground truth: the probability that this customer clicks an ad for this
 * offer. A product of how each thing the customer cares about fits:
 *
 * - place: the car is where they are or are going (home, or the next trip's city); anywhere else 0.05;
 * - seats: a car too small for the party 0.03; a seven-seater for one or two, 0.5 (who wants to park it);
 * - gearbox: an automatic-only driver and a manual car 0.15; a manual driver and an automatic 0.6;
 * - class: the hidden class appeal (see HiddenTaste);
 * - brand: the liked brand 1.5, the disliked one 0.35;
 * - price: 1 / (1 + (price / willing to pay)^4): one half at what they will pay, falling fast above it;
 * - deal: 1 + dealSeeking × discount / 30: thirty percent off can double a deal-seeker's interest.
 */
export function clickProbability({ profile, taste }: Clicker, offer: Offer): number {
  const place = offer.city === profile.homeCity || offer.city === profile.nextTrip?.city ? 1 : 0.05;
  const seats = offer.seats < profile.familySize ? 0.03 : profile.familySize <= 2 && offer.seats >= 7 ? 0.5 : 1;
  const gearbox = taste.gearbox === 'either' || offer.transmission === taste.gearbox ? 1 : taste.gearbox === 'automatic' ? 0.15 : 0.6;
  const brand = brandOf(offer.model);
  const brandAppeal = brand === taste.likedBrand ? 1.5 : brand === taste.dislikedBrand ? 0.35 : 1;
  const pricePerDay = offer.dailyRateEur * (1 - offer.discountPercent / 100);
  const priceAppeal = 1 / (1 + (pricePerDay / taste.willingToPayEur) ** 4);
  const deal = 1 + (taste.dealSeeking * offer.discountPercent) / 30;
  const p = taste.clickiness * taste.classAppeal[offer.carClass] * place * seats * gearbox * brandAppeal * priceAppeal * deal;
  return Math.min(MAX_CLICK_PROBABILITY, p);
}

/** What the web server says served an ad when no version did: the house ad, never clicked here. */
export const HOUSE_AD_SOURCES: readonly string[] = ['fallback', 'shed'];

/**
 * Whether the customer clicks this ad: the page view's own uniform draw (fixed
 * by the plan) under the ground truth's probability. The same seed and the
 * same ad always give the same choice. House ads are never clicked.
 */
export function decideClick(clicker: Clicker, offer: Offer, servedByVersion: string, draw: number): boolean {
  if (HOUSE_AD_SOURCES.includes(servedByVersion)) return false;
  return draw < clickProbability(clicker, offer);
}
