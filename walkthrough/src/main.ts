// npm run walkthrough: the conference talk, act by act, against a running
// stack (see --help and docs/walkthrough.md).
import { join } from 'node:path';
import { Narrator } from './narrator';
import { parseCommandLine, usage } from './options';
import { stageCommandsDone } from './stack';
import { passed, runWalkthrough } from './walkthrough';

/** The repository: this file runs as dist/walkthrough/main.cjs (and as walkthrough/src/main.ts in tests). */
const ROOT = join(__dirname, '../..');

async function main(): Promise<number> {
  let command;
  try {
    command = parseCommandLine(process.argv.slice(2), process.env, ROOT);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${usage()}\n`);
    return 2;
  }
  if (!command) {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  const tty = Boolean(process.stdout.isTTY) && !process.env['NO_COLOR'];
  const narrator = new Narrator({ out: process.stdout, input: command.pace.pauses ? process.stdin : undefined, tty });
  // Ctrl-C: the stack runs on as it is; a stage command under way is let finish. Twice: at once.
  process.once('SIGINT', () => {
    narrator.endProgress();
    const act = narrator.currentAct;
    process.stdout.write(`\nInterrupted${act ? ` in act ${act}` : ''}: the stack runs on as it is${act ? `; \`npm run walkthrough -- --act ${act}\` sets its scene and runs it again` : ''}.\n`);
    process.once('SIGINT', () => process.exit(130));
    void stageCommandsDone().then(() => process.exit(130));
  });
  const outcomes = await runWalkthrough({ ...command, narrator });
  const failed = outcomes.filter((o) => !passed(o));
  process.stdout.write(failed.length === 0 ? `\nEvery act showed what it should (${outcomes.length} of ${outcomes.length}).\n` : `\n${failed.length} of ${outcomes.length} acts did not show what they should: act ${failed.map((o) => o.number).join(', ')}.\n`);
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`walkthrough: ${err.message}\n`);
    process.exit(1);
  },
);
