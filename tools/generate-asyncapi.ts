// Writes docs/asyncapi.yaml: the AsyncAPI 3.0 document of every exchange and
// message version, generated from the TypeBox schemas in libs/contracts, with
// their fixtures as examples. Run with `npm run generate:asyncapi`; the output
// is committed, and a test checks it is what this makes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asyncApiYaml } from '../libs/contracts/src/asyncapi.node';

const path = join(__dirname, '../docs/asyncapi.yaml');
writeFileSync(path, asyncApiYaml());
console.log(`wrote ${path}`);
