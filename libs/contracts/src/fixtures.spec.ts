import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MESSAGES } from './messages';

// Every message version has fixtures (libs/contracts/fixtures/<channel>.json):
// messages that validate, and messages that do not, each with the reason a
// consumer gives when it dead-letters one. Other implementations can test
// against the same files; the valid ones are the AsyncAPI document's examples.

interface Fixtures {
  valid: { description: string; message: unknown }[];
  invalid: ({ description: string; reason: string } & ({ message: unknown } | { body: string }))[];
}

const DIR = join(__dirname, '../fixtures');
const load = (channel: string): Fixtures => JSON.parse(readFileSync(join(DIR, `${channel}.json`), 'utf8')) as Fixtures;

describe('message fixtures', () => {
  it('exist for every message version on the bus, and for nothing else', () => {
    expect(readdirSync(DIR).sort()).toEqual(MESSAGES.map((m) => `${m.channel}.json`).sort());
  });

  describe.each(MESSAGES.map((contract) => [contract.channel, contract] as const))('%s', (channel, contract) => {
    const fixtures = load(channel);

    it('has fixtures that validate and fixtures that do not', () => {
      expect(fixtures.valid.length).toBeGreaterThanOrEqual(2);
      expect(fixtures.invalid.length).toBeGreaterThanOrEqual(3);
    });

    it.each(fixtures.valid.map((f) => [f.description, f.message]))('accepts %s', (_, message) => {
      expect(contract.check(message)).toEqual({ ok: true, message });
      expect(contract.decode(JSON.stringify(message)).ok).toBe(true);
    });

    it.each(fixtures.invalid.map((f) => [f.description, f]))('rejects %s, saying why', (_, fixture) => {
      const decoded = contract.decode('body' in fixture ? fixture.body : JSON.stringify(fixture.message));
      expect(decoded.ok).toBe(false);
      expect(!decoded.ok && decoded.error).toContain(fixture.reason);
    });
  });
});
