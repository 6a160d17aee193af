// npm run simulate: simulated customers browse the stack for a simulated week
// (see --help), with a progress bar, and a summary at the end.
import { simulate } from './driver';
import { parseCommandLine, usage } from './options';
import { formatSummary } from './summary';

async function main(): Promise<number> {
  let command;
  try {
    command = parseCommandLine(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${usage()}\n`);
    return 2;
  }
  if (command.help) {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  // Quiet: no bar, no warnings, the summary only.
  const summary = await simulate(command.options);
  if (command.options.quiet) process.stdout.write(`${formatSummary(summary)}\n`);
  return summary.unanswered === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`simulate: ${err.message}\n`);
    process.exit(1);
  },
);
