import { Parser } from '@asyncapi/parser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asyncApiYaml } from './asyncapi.node';
import { MESSAGES } from './messages';

const FILE = join(__dirname, '../../../docs/asyncapi.yaml');

describe('the AsyncAPI document (docs/asyncapi.yaml)', () => {
  it('is what the generator makes from the contracts (regenerate with `npm run generate:asyncapi`)', () => {
    expect(readFileSync(FILE, 'utf8')).toBe(asyncApiYaml());
  });

  it('is a valid AsyncAPI 3.0 document, with every exchange and message version', async () => {
    const { document, diagnostics } = await new Parser().parse(readFileSync(FILE, 'utf8'));
    // Severity 0 is an error; hints and warnings (say, that no operation is described) are not.
    expect(diagnostics.filter((d) => d.severity === 0).map((d) => `${d.path.join('.')}: ${d.message}`)).toEqual([]);
    expect(document?.version()).toBe('3.0.0');
    expect(document!.channels().all().map((c) => c.address())).toEqual(MESSAGES.map((m) => `{namespace}.${m.channel}`));
    expect(document!.messages().all().map((m) => m.id()).sort()).toEqual(MESSAGES.map((m) => m.channel).sort());
  });

  it('the check can fail: a channel naming a message the document does not have is an error', async () => {
    const broken = readFileSync(FILE, 'utf8').replace("$ref: '#/components/messages/ad.need.v2'", "$ref: '#/components/messages/ad.need.v9'");
    const { diagnostics } = await new Parser().parse(broken);
    expect(diagnostics.filter((d) => d.severity === 0).map((d) => d.message).join('\n')).toMatch(/ad\.need\.v9/);
  });
});
