// npm run resilience: every fault scenario at full size against the stack as
// `npm start` runs it, on this machine; prints a table and writes it, with the
// figures, to docs/resilience.md.
import { containerEngineAvailable } from '@ad-race/service-testing';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { SCENARIOS, SIZES, type ScenarioResult } from './scenarios';

async function main() {
  const size = SIZES[process.argv[2] === '--ci' ? 'ci' : 'full'];
  const engine = await containerEngineAvailable();
  const results: ScenarioResult[] = [];
  for (const scenario of SCENARIOS) {
    if (scenario.needsContainerEngine && !engine) {
      console.log('skipping the broker restart: no container engine (DOCKER_HOST) to run a broker of its own');
      continue;
    }
    const result = await scenario.run(size);
    console.log(result.scenario);
    results.push(result);
    for (const f of result.findings) console.log(`  ${f.held ? 'held  ' : 'FAILED'} ${f.claim}: ${f.figures}`);
  }
  const rows = results.flatMap((r) => r.findings.map((f, i) => `| ${i === 0 ? r.scenario : ''} | ${f.claim} | ${f.held ? 'held' : '**failed**'} | ${f.figures} |`));
  const failed = results.flatMap((r) => r.findings).filter((f) => !f.held).length;
  const markdown = [
    '# Resilience: the stack under faults',
    '',
    `\`npm run resilience\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), size "${size.name}"`,
    `(${size.loadPerS} page views a second during each fault, faults of ${size.faultSeconds} s, ${size.junkPerExchange} junk messages on each exchange,`,
    `${size.sockets} sockets, a soak of ${size.soakSeconds} s). Every service runs as \`npm start\` runs it, each a process of its own, with the`,
    'broker and the customers on the same machine. The tests in `resilience/` run the same scenarios at a smaller size in `npm test`.',
    '',
    '| Scenario | Claim | | Figures |',
    '|---|---|---|---|',
    ...rows,
    '',
    failed ? `${failed} claims did not hold.` : 'Every claim held.',
    '',
  ].join('\n');
  console.log('\n' + markdown);
  if (size.name === 'full') writeFileSync(join(__dirname, '../../docs/resilience.md'), markdown);
  process.exit(failed ? 1 : 0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
