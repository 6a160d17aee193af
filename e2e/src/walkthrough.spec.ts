import { startStack, willUseStackQueues, type RunningStack } from '@ad-race/service-testing';
import { openTestNamespace } from '@ad-race/testing';
import { ACTS } from '@ad-race/walkthrough';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

// The conference walkthrough (npm run walkthrough, walkthrough/) as CI runs it:
// at fast pace, against a stack as npm start runs it, on the real broker. It
// must pass every act; and an act must fail when what it proves is not so.
const root = join(__dirname, '../..');
const PICTURES = join(__dirname, '..', 'screenshots', 'walkthrough');

interface Ran {
  code: number;
  output: string;
}

/** Runs the built walkthrough (dist/walkthrough/main.cjs) on the stack of this port and namespace. */
function walkthrough(stack: RunningStack, namespace: string, ...args: string[]): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['dist/walkthrough/main.cjs', ...args],
      { cwd: root, env: { ...process.env, PORT: String(stack.port), BUS_NAMESPACE: namespace }, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

/** A stack of every service of the list in a namespace of its own, deleted from the broker when it stops. */
async function ownStack(label: string, env: Record<string, string> = {}) {
  const ns = await openTestNamespace(label);
  willUseStackQueues(ns.probe);
  // A deadline that a busy CI machine keeps: the acts count a house ad as a page that got no ad of a version.
  const stack = await startStack({ AMQP_URL: ns.url, BUS_NAMESPACE: ns.namespace, AD_DEADLINE_MS: '1000', ...env });
  return {
    stack,
    namespace: ns.namespace,
    async stop() {
      await stack.stop();
      await ns.cleanup();
    },
  };
}

describe('the walkthrough, at fast pace', () => {
  let own: Awaited<ReturnType<typeof ownStack>> | undefined;

  afterEach(async () => {
    await own?.stop();
    own = undefined;
  });

  it('runs all seven acts on a stack just started, each showing what it should, with a picture of each', async () => {
    own = await ownStack('e2e-walkthrough');
    rmSync(PICTURES, { recursive: true, force: true });
    const ran = await walkthrough(own.stack, own.namespace, '--pace', 'fast', '--screenshots', PICTURES);
    console.log(ran.output);
    expect(ran.output).toContain('Every act showed what it should (7 of 7).');
    expect(ran.output).not.toContain('✗');
    expect(ran.code).toBe(0);
    for (let act = 1; act <= 7; act++) {
      expect(ran.output).toMatch(new RegExp(`\\n {2}✓ act ${act}, .+: (\\d+) of \\1 claims hold`));
      const picture = join(PICTURES, `act-${act}.png`);
      expect(existsSync(picture)).toBe(true);
      expect(readFileSync(picture).subarray(1, 4).toString()).toBe('PNG');
    }
    // The stage was set with the stage controls, as a speaker would: npm start runs everything, act 1 wants v1 alone.
    const setting = ran.output.slice(0, ran.output.indexOf('━━ Act 1 '));
    for (const player of ['schema-adapter', 'ads-v2', 'ads-v3']) expect(setting).toContain(`$ npm run stage -- stop ${player}\n`);
    // Each act ran the commands its script (and docs/walkthrough.md) gives, in its own part of the output.
    const parts = ran.output.split(/\n━━ Act \d of \d · /).slice(1);
    expect(parts).toHaveLength(ACTS.length);
    ACTS.forEach((act, i) => {
      for (const command of act.stageCommands) expect(parts[i]).toContain(`$ npm run stage -- ${command.join(' ')}\n`);
    });
  }, 300_000);

  it('fails the act whose claim is not so: with ads-v3 out of shadow, act 4 says it was served and exits 1', async () => {
    // SHADOW=false for the whole stack: ads-v3 then races for real, as a shadow never does.
    own = await ownStack('e2e-walkthrough-no-shadow', { SHADOW: 'false' });
    const ran = await walkthrough(own.stack, own.namespace, '--pace', 'fast', '--act', '4');
    console.log(ran.output);
    expect(ran.code).toBe(1);
    expect(ran.output).toMatch(/\n {2}✗ the monitor times v3 in shadow, and it never won a race\n {6}v3: not a shadow, \d+ answers/);
    expect(ran.output).toMatch(/\n {2}✗ act 4, A shadow version: \d of 3 claims hold/);
    expect(ran.output).toContain('1 of 1 acts did not show what they should: act 4.');
  }, 180_000);
});
