import type { CarClass } from '@ad-race/contracts';

export interface CarModel {
  model: string;
  carClass: CarClass;
  seats: number;
  transmission: 'manual' | 'automatic' | 'either';
}

/** The models each car class is rented out as, and what an average day of it costs in euros. */
export const FLEET: Record<CarClass, { baseDailyRateEur: number; models: CarModel[] }> = {
  mini: {
    baseDailyRateEur: 26,
    models: [
      { model: 'Fiat 500', carClass: 'mini', seats: 4, transmission: 'either' },
      { model: 'Toyota Aygo X', carClass: 'mini', seats: 4, transmission: 'either' },
      { model: 'Kia Picanto', carClass: 'mini', seats: 4, transmission: 'manual' },
    ],
  },
  economy: {
    baseDailyRateEur: 33,
    models: [
      { model: 'Volkswagen Polo', carClass: 'economy', seats: 5, transmission: 'either' },
      { model: 'Renault Clio', carClass: 'economy', seats: 5, transmission: 'either' },
      { model: 'Peugeot 208', carClass: 'economy', seats: 5, transmission: 'manual' },
      { model: 'Opel Corsa', carClass: 'economy', seats: 5, transmission: 'manual' },
    ],
  },
  compact: {
    baseDailyRateEur: 42,
    models: [
      { model: 'Volkswagen Golf', carClass: 'compact', seats: 5, transmission: 'either' },
      { model: 'Ford Focus', carClass: 'compact', seats: 5, transmission: 'either' },
      { model: 'Toyota Corolla', carClass: 'compact', seats: 5, transmission: 'automatic' },
      { model: 'Skoda Octavia Estate', carClass: 'compact', seats: 5, transmission: 'either' },
    ],
  },
  suv: {
    baseDailyRateEur: 64,
    models: [
      { model: 'Nissan Qashqai', carClass: 'suv', seats: 5, transmission: 'either' },
      { model: 'Volkswagen Tiguan', carClass: 'suv', seats: 5, transmission: 'automatic' },
      { model: 'Toyota RAV4', carClass: 'suv', seats: 5, transmission: 'automatic' },
      { model: 'Skoda Kodiaq', carClass: 'suv', seats: 7, transmission: 'automatic' },
      { model: 'Peugeot 5008', carClass: 'suv', seats: 7, transmission: 'either' },
    ],
  },
  van: {
    baseDailyRateEur: 86,
    models: [
      { model: 'Volkswagen Multivan', carClass: 'van', seats: 7, transmission: 'automatic' },
      { model: 'Mercedes-Benz Vito Tourer', carClass: 'van', seats: 9, transmission: 'automatic' },
      { model: 'Ford Tourneo Custom', carClass: 'van', seats: 8, transmission: 'manual' },
      { model: 'Renault Trafic Passenger', carClass: 'van', seats: 9, transmission: 'manual' },
    ],
  },
  premium: {
    baseDailyRateEur: 115,
    models: [
      { model: 'BMW 5 Series', carClass: 'premium', seats: 5, transmission: 'automatic' },
      { model: 'Mercedes-Benz E-Class', carClass: 'premium', seats: 5, transmission: 'automatic' },
      { model: 'Audi A6 Avant', carClass: 'premium', seats: 5, transmission: 'automatic' },
      { model: 'Volvo XC90', carClass: 'premium', seats: 7, transmission: 'automatic' },
    ],
  },
  electric: {
    baseDailyRateEur: 58,
    models: [
      { model: 'Tesla Model 3', carClass: 'electric', seats: 5, transmission: 'automatic' },
      { model: 'Volkswagen ID.3', carClass: 'electric', seats: 5, transmission: 'automatic' },
      { model: 'Polestar 2', carClass: 'electric', seats: 5, transmission: 'automatic' },
      { model: 'Kia EV6', carClass: 'electric', seats: 5, transmission: 'automatic' },
      { model: 'Tesla Model Y', carClass: 'electric', seats: 7, transmission: 'automatic' },
    ],
  },
};
