import { LoadCustomer, startStack, willUseStackQueues, type Outcome, type RunningStack } from '@ad-race/service-testing';
import { eventually, openTestNamespace } from '@ad-race/testing';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The stage controls (npm run stage, tools/stage.mjs) on stacks as npm start runs them: each acts
// on its own stack only, chosen by PORT and BUS_NAMESPACE, through what that stack recorded.
const root = join(__dirname, '../..');
// tools/ is no project of the workspace: its module is loaded as a file, as its scripts are run.
const { isAlive: running, stateFile } = require(join(root, 'tools/stack-state.mjs')) as typeof import('../../tools/stack-state.mjs');

interface Ran {
  code: number;
  output: string;
}

/** Runs `npm run stage -- <args>` for the stack on this port and namespace. */
function stage(port: number, namespace: string, ...args: string[]): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['tools/stage.mjs', ...args], { cwd: root, env: { ...process.env, PORT: String(port), BUS_NAMESPACE: namespace } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

/** A stack of some services of the list in a namespace of its own, deleted from the broker when it stops. */
async function ownStack(label: string, services: string[] = [], env: Record<string, string> = {}) {
  const ns = await openTestNamespace(label);
  willUseStackQueues(ns.probe);
  const stack = await startStack({ AMQP_URL: ns.url, BUS_NAMESPACE: ns.namespace, ...env }, services);
  return {
    stack,
    namespace: ns.namespace,
    stage: (...args: string[]) => stage(stack.port, ns.namespace, ...args),
    async stop() {
      await stack.stop();
      await ns.cleanup();
    },
  };
}

describe('stage controls on a stack of its own', () => {
  let own: Awaited<ReturnType<typeof ownStack>>;
  let stack: RunningStack;
  let customer: LoadCustomer;
  const outcomes: Outcome[] = [];

  beforeAll(async () => {
    own = await ownStack('e2e-stage', [], { AD_DEADLINE_MS: '5000', PAGE_VIEWS_PER_SECOND: '1000' });
    stack = own.stack;
    customer = await LoadCustomer.connect(stack.url, 'anna@example.com', 'rent-a-car', (o) => outcomes.push(o));
  });

  afterAll(async () => {
    customer?.close();
    await own?.stop();
  });

  /**
   * Sends page views one at a time, each once the last has its ad (one need in flight: none is
   * shed for load), and returns which version served each.
   */
  async function servedBy(views: number): Promise<string[]> {
    outcomes.splice(0);
    for (let i = 1; i <= views; i++) {
      customer.view();
      await eventually(() => outcomes.length === i, 10_000, `an ad for page view ${i} of ${views}`);
    }
    return outcomes.map((o) => o.version);
  }

  it('stops ads-v2 (ads-v1 then serves every page view), starts it again (it wins races again), and says when it already runs', async () => {
    const before = stack.pidOf('ads-v2');
    expect(before).toBeDefined();

    const stopped = await own.stage('stop', 'ads-v2');
    expect(stopped).toEqual({ code: 0, output: `[stage] ads-v2 stopped (was pid ${before})\n` });
    expect(running(before!)).toBe(false);
    expect(stack.pidOf('ads-v2')).toBeUndefined();
    expect((await own.stage('status', 'ads-v2')).output).toMatch(/\n {2}ads-v2 +stopped +- +\d+ +no +v2 +-\n$/);

    const versions = await servedBy(30);
    expect(new Set(versions)).toEqual(new Set(['v1']));

    const started = await own.stage('start', 'ads-v2');
    expect(started.code).toBe(0);
    expect(started.output).toMatch(/^\[stage\] ads-v2 ready \(pid \d+, port \d+, on the v2 messages\)\n$/);
    const after = stack.pidOf('ads-v2');
    expect(after).toBeDefined();
    expect(started.output).toContain(`pid ${after}`);
    expect((await own.stage('status', 'ads-v2')).output).toMatch(new RegExp(`\\n {2}ads-v2 +running +${after} +\\d+ +no +v2 +yes\\n$`));

    // Some race soon goes to v2 again: views in small batches until one does.
    await eventually(async () => (await servedBy(10)).includes('v2'), 30_000, 'a page view served by ads-v2 after its start');

    const again = await own.stage('start', 'ads-v2');
    expect(again.code).toBe(3); // nothing to do
    expect(again.output).toBe(`[stage] ads-v2 already runs (pid ${after}, port ${new URL(stack.urlOf('ads-v2')).port}): nothing started\n`);
    expect(stack.pidOf('ads-v2')).toBe(after);
  }, 90_000);

  it('restarts ads-v2 in shadow and out of it: in shadow it never serves an ad', async () => {
    const shadowed = await own.stage('shadow', 'ads-v2', 'on');
    expect(shadowed.code).toBe(0);
    const pid = stack.pidOf('ads-v2')!;
    expect(shadowed.output).toContain(`pid ${pid}`);
    expect(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')).toContain('SHADOW=true');
    expect((await own.stage('status', 'ads-v2')).output).toMatch(new RegExp(`\\n {2}ads-v2 +running +${pid} +\\d+ +yes +v2 +yes\\n$`));
    expect(new Set(await servedBy(30))).toEqual(new Set(['v1']));

    expect((await own.stage('shadow', 'ads-v2', 'off')).code).toBe(0);
    expect(readFileSync(`/proc/${stack.pidOf('ads-v2')}/environ`, 'utf8').split('\0')).toContain('SHADOW=false');
    await eventually(async () => (await servedBy(10)).includes('v2'), 30_000, 'a page view served by ads-v2 out of shadow');
  }, 90_000);

  it('starts ads-v2 on the messages it is given, and keeps them over a stop and a start', async () => {
    const environ = () => readFileSync(`/proc/${stack.pidOf('ads-v2')}/environ`, 'utf8').split('\0');
    const moved = await own.stage('restart', 'ads-v2', 'MESSAGES=v1');
    expect(moved).toEqual({ code: 0, output: expect.stringMatching(/^\[stage\] ads-v2 ready \(pid \d+, port \d+, on the v1 messages\)\n$/) });
    expect(environ()).toContain('MESSAGES=v1');
    expect((await own.stage('stop', 'ads-v2')).code).toBe(0);
    expect((await own.stage('start', 'ads-v2')).code).toBe(0);
    expect(environ()).toContain('MESSAGES=v1');
    expect((await own.stage('status', 'ads-v2')).output).toMatch(/\n {2}ads-v2 +running +\d+ +\d+ +no +v1 +yes\n$/);

    const refused = await own.stage('start', 'ads-v1', 'MESSAGES=v2');
    expect(refused).toEqual({ code: 2, output: 'ads-v1 has no MESSAGES setting; those that have: ads-v2, ads-v3\n' });
    expect((await own.stage('restart', 'ads-v2', 'MESSAGES=v2')).code).toBe(0);
    expect(environ()).toContain('MESSAGES=v2');
  }, 90_000);
});

describe('stage controls with two stacks on one machine', () => {
  let a: Awaited<ReturnType<typeof ownStack>>;
  let b: Awaited<ReturnType<typeof ownStack>>;

  beforeAll(async () => {
    a = await ownStack('e2e-stage-a', ['ads-v2']);
    b = await ownStack('e2e-stage-b', ['ads-v2']);
  });

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
  });

  it("stops ads-v2 in one stack and leaves the other's running", async () => {
    const ofB = b.stack.pidOf('ads-v2');
    expect(ofB).toBeDefined();
    expect(a.stack.pidOf('ads-v2')).toBeDefined();

    expect((await a.stage('stop', 'ads-v2')).code).toBe(0);
    expect(a.stack.pidOf('ads-v2')).toBeUndefined();
    expect(b.stack.pidOf('ads-v2')).toBe(ofB);
    expect(running(ofB!)).toBe(true);
    const status = await b.stage('status');
    expect(status.output).toContain(`stack PORT=${b.stack.port} BUS_NAMESPACE=${b.namespace} (supervisor pid `);
    expect(status.output).toMatch(new RegExp(`\\n {2}ads-v2 +running +${ofB} +${b.stack.port + 2} +no +v2 +yes\\n`));
    expect((await a.stage('status')).output).toMatch(/\n {2}ads-v2 +stopped +- /);
  });

  it('says in one line when no stack runs for PORT and BUS_NAMESPACE, and how to start one', async () => {
    const none = await stage(a.stack.port, 'e2e-stage-none', 'status');
    expect(none.code).toBe(1);
    expect(none.output).toMatch(new RegExp(`^no stack runs for PORT=${a.stack.port} BUS_NAMESPACE=e2e-stage-none: start one with \`PORT=${a.stack.port} BUS_NAMESPACE=e2e-stage-none npm start\`; running here: [^\\n]*PORT=${a.stack.port} BUS_NAMESPACE=${a.namespace}[^\\n]*\\n$`));
  });
});

describe('stopping a stack', () => {
  it('stops a service that stage started in it, and removes its record', async () => {
    const own = await ownStack('e2e-stage-end', ['ads-v1']);
    let pid: number | undefined;
    try {
      expect((await own.stage('start', 'ads-v2')).code).toBe(0);
      pid = own.stack.pidOf('ads-v2');
      expect(pid).toBeDefined();
      expect(running(pid!)).toBe(true);
      expect(existsSync(stateFile(tmpdir(), { port: own.stack.port, namespace: own.namespace }))).toBe(true);
    } finally {
      await own.stop();
    }
    await eventually(() => !running(pid!), 5_000, `ads-v2 (pid ${pid}) gone with its stack`);
    expect(existsSync(stateFile(tmpdir(), { port: own.stack.port, namespace: own.namespace }))).toBe(false);
    expect((await own.stage('status')).output).toMatch(/^no stack runs for /);
  });
});
