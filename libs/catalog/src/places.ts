/** Where offers can be picked up: cities, each with its downtown, station and airport desks. */
export interface PickupLocation {
  name: string;
  kind: 'downtown' | 'station' | 'airport';
}

export interface City {
  name: string;
  country: string;
  /** How expensive renting is here compared with the average city. */
  priceLevel: number;
  locations: PickupLocation[];
}

const downtown = (name: string): PickupLocation => ({ name, kind: 'downtown' });
const station = (name: string): PickupLocation => ({ name, kind: 'station' });
const airport = (name: string): PickupLocation => ({ name, kind: 'airport' });

export const CITIES: City[] = [
  { name: 'Amsterdam', country: 'NL', priceLevel: 1.2, locations: [downtown('Amsterdam Zuid'), station('Amsterdam Centraal'), airport('Amsterdam Schiphol Airport (AMS)')] },
  { name: 'Rotterdam', country: 'NL', priceLevel: 1.0, locations: [station('Rotterdam Centraal'), airport('Rotterdam The Hague Airport (RTM)')] },
  { name: 'Utrecht', country: 'NL', priceLevel: 1.0, locations: [station('Utrecht Centraal'), downtown('Utrecht Leidsche Rijn')] },
  { name: 'Eindhoven', country: 'NL', priceLevel: 0.9, locations: [downtown('Eindhoven Strijp-S'), airport('Eindhoven Airport (EIN)')] },
  { name: 'Berlin', country: 'DE', priceLevel: 1.0, locations: [station('Berlin Hauptbahnhof'), downtown('Berlin Mitte'), airport('Berlin Brandenburg Airport (BER)')] },
  { name: 'Munich', country: 'DE', priceLevel: 1.15, locations: [station('München Hauptbahnhof'), airport('Munich Airport (MUC)')] },
  { name: 'Hamburg', country: 'DE', priceLevel: 1.05, locations: [downtown('Hamburg Altona'), airport('Hamburg Airport (HAM)')] },
  { name: 'Paris', country: 'FR', priceLevel: 1.3, locations: [station('Paris Gare de Lyon'), downtown('Paris La Défense'), airport('Paris Charles de Gaulle Airport (CDG)'), airport('Paris Orly Airport (ORY)')] },
  { name: 'Lyon', country: 'FR', priceLevel: 0.95, locations: [station('Lyon Part-Dieu'), airport('Lyon Saint-Exupéry Airport (LYS)')] },
  { name: 'Nice', country: 'FR', priceLevel: 1.1, locations: [downtown('Nice Promenade'), airport("Nice Côte d'Azur Airport (NCE)")] },
  { name: 'Barcelona', country: 'ES', priceLevel: 1.0, locations: [station('Barcelona Sants'), airport('Barcelona El Prat Airport (BCN)')] },
  { name: 'Madrid', country: 'ES', priceLevel: 0.95, locations: [station('Madrid Atocha'), airport('Madrid Barajas Airport (MAD)')] },
  { name: 'Lisbon', country: 'PT', priceLevel: 0.85, locations: [downtown('Lisbon Baixa'), airport('Lisbon Humberto Delgado Airport (LIS)')] },
  { name: 'Rome', country: 'IT', priceLevel: 1.05, locations: [station('Roma Termini'), airport('Rome Fiumicino Airport (FCO)')] },
  { name: 'Milan', country: 'IT', priceLevel: 1.1, locations: [station('Milano Centrale'), airport('Milan Malpensa Airport (MXP)')] },
  { name: 'Vienna', country: 'AT', priceLevel: 1.05, locations: [downtown('Wien Innere Stadt'), airport('Vienna International Airport (VIE)')] },
  { name: 'Zurich', country: 'CH', priceLevel: 1.35, locations: [station('Zürich HB'), airport('Zurich Airport (ZRH)')] },
  { name: 'Copenhagen', country: 'DK', priceLevel: 1.25, locations: [downtown('København Nørreport'), airport('Copenhagen Airport (CPH)')] },
  { name: 'Dublin', country: 'IE', priceLevel: 1.15, locations: [downtown('Dublin Docklands'), airport('Dublin Airport (DUB)')] },
  { name: 'London', country: 'GB', priceLevel: 1.3, locations: [station('London Kings Cross'), airport('London Heathrow Airport (LHR)'), airport('London Gatwick Airport (LGW)')] },
];
