import type { Offer } from '@ad-race/contracts';
import type { CustomerProfile } from './customer';
import customers from '../data/customers.json';
import offers from '../data/offers.json';

export * from './customer';
export * from './places';
export * from './fleet';
export { generateCatalog, DATA_SEED } from './generate';
export { Random } from './random';

/** Every car-rental offer in the seeded data set (libs/catalog/data/offers.json). */
export const OFFERS: readonly Offer[] = offers as Offer[];

/** Every customer profile in the seeded data set (libs/catalog/data/customers.json). */
export const CUSTOMERS: readonly CustomerProfile[] = customers as CustomerProfile[];

/** The password of every customer in the seeded data set (see the README). */
export const DEMO_PASSWORD = 'rent-a-car';
