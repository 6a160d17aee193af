import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTS } from './acts';

// docs/walkthrough.md is the talk as a script for people; acts.ts is the same
// script for the walkthrough to run. They must say the same.
const root = join(__dirname, '../..');
const doc = readFileSync(join(root, 'docs/walkthrough.md'), 'utf8');

describe('docs/walkthrough.md', () => {
  it.each(ACTS.map((act, i) => [i + 1, act] as const))('has act %i as the walkthrough runs it: its title, its words, its commands, its picture, what it proves', (number, act) => {
    expect(doc).toContain(`## Act ${number}: ${act.title}\n`);
    expect(doc).toContain(`**Say.** ${act.say}\n`);
    expect(doc).toContain(`**Proves.** ${act.proves}\n`);
    for (const command of act.stageCommands) expect(doc).toContain(`\nnpm run stage -- ${command.join(' ')}\n`);
    expect(doc).toContain(`(walkthrough/act-${number}.png)`);
    expect(existsSync(join(root, `docs/walkthrough/act-${number}.png`))).toBe(true);
  });

  it('has no act the walkthrough does not run', () => {
    expect(doc.match(/^## Act \d+:/gm)).toHaveLength(ACTS.length);
  });
});
