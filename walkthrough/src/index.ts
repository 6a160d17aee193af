// The walkthrough's script, for the tests that run it (npm run walkthrough is its command line: main.ts).
export { ACTS } from './acts';
