export { fitnessOf, rentalDays, FITNESS_MODEL_VERSION, type Fitness, type FitnessFactors } from './fitness';
