// Regenerates the seeded data set: offers and customer profiles
// (libs/catalog/data) and the demo log-ins (services/web/data/accounts.json).
// Run with `npm run generate:data`; the output is committed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_PASSWORD } from '../libs/catalog/src';
import { generateCatalog } from '../libs/catalog/src/generate';
import { hashPassword } from '../services/web/src/auth/password';

async function main() {
  const root = join(__dirname, '..');
  const { offers, customers } = generateCatalog();
  // One record a line: diffs of the data set stay readable.
  const write = (path: string, records: unknown[]) => {
    writeFileSync(join(root, path), '[\n' + records.map((r) => JSON.stringify(r)).join(',\n') + '\n]\n');
    console.log(`wrote ${path}`);
  };
  write('libs/catalog/data/offers.json', offers);
  write('libs/catalog/data/customers.json', customers);

  const accounts = [];
  for (const c of customers) {
    accounts.push({ customerId: c.id, email: c.email, passwordHash: await hashPassword(DEMO_PASSWORD) });
  }
  write('services/web/data/accounts.json', accounts);
  console.log(`${offers.length} offers, ${customers.length} customers`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
