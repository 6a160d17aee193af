// Writes broker/definitions.json: the broker's users and their permissions,
// one user per service of services/services.json with only what its "bus"
// says it does. Run with `npm run generate:broker`; the output is committed,
// and a test checks it is what this makes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { definitionsTemplate } from '../deployment/src/broker-definitions';

const path = join(__dirname, '../broker/definitions.json');
writeFileSync(path, definitionsTemplate());
console.log(`wrote ${path}`);
