import { Comparison, VersionsResponse, type VersionAlive } from '@ad-race/contracts';
import { Value } from '@sinclair/typebox/value';
import type { TSchema, Static } from '@sinclair/typebox';
import { spawn } from 'node:child_process';

// The running stack as the walkthrough drives it: the stage controls, run as
// a speaker runs them (tools/stage.mjs, which `npm run stage` runs), and the
// monitor, read over its HTTP API and checked against its contract.

/** Where the stack is and how to reach it. */
export interface StackAddress {
  /** The repository: tools/stage.mjs is run from here. */
  root: string;
  /** The compose stack (docker-compose.yml) rather than the one `npm start` runs. */
  compose: boolean;
  /** The environment stage runs in: PORT and BUS_NAMESPACE choose the stack. */
  env: NodeJS.ProcessEnv;
  web: string;
  monitor: string;
}

/** A stage command as the speaker types it. */
export function stageCommand(args: readonly string[], compose: boolean): string {
  return `npm run stage -- ${compose ? '--compose ' : ''}${args.join(' ')}`;
}

/** What a stage command did: what it was asked, or nothing, since it was already so (exit code 3). */
export type StageResult = 'done' | 'unchanged';
/** stage's exit code for "nothing to do" (EXIT.unchanged in tools/stack-state.mjs). */
const UNCHANGED = 3;

/** The stage commands running now: Ctrl-C lets them finish, so that no service is left half started. */
const inFlight = new Set<Promise<unknown>>();

/** Resolves once no stage command runs. */
export async function stageCommandsDone(): Promise<void> {
  await Promise.allSettled([...inFlight]);
}

export class Stack {
  constructor(readonly address: StackAddress) {}

  /** Runs one stage command; every line it prints goes to `echo`. Throws when it fails. */
  stage(args: readonly string[], echo: (line: string) => void): Promise<StageResult> {
    const argv = [...(this.address.compose ? ['--compose'] : []), ...args];
    // A process group of its own: Ctrl-C in the terminal stops the walkthrough, not a command halfway.
    const child = spawn(process.execPath, ['tools/stage.mjs', ...argv], { cwd: this.address.root, env: this.address.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let pending = '';
    const lines = (chunk: Buffer) => {
      pending += chunk.toString();
      const complete = pending.split('\n');
      pending = complete.pop()!;
      complete.filter(Boolean).forEach(echo);
    };
    child.stdout.on('data', lines);
    child.stderr.on('data', lines);
    const ran = new Promise<StageResult>((resolve, reject) => {
      child.once('error', (err) => reject(new Error(`could not run tools/stage.mjs: ${err.message}`)));
      child.once('close', (code) => {
        if (pending) echo(pending);
        if (code === 0) resolve('done');
        else if (code === UNCHANGED) resolve('unchanged');
        else reject(new Error(`\`${stageCommand(args, this.address.compose)}\` failed (exit code ${code})`));
      });
    });
    inFlight.add(ran);
    void ran.finally(() => inFlight.delete(ran)).catch(() => undefined);
    return ran;
  }

  /** Whether a service answers /health/ready. */
  async ready(url: string): Promise<boolean> {
    try {
      return (await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2_000) })).ok;
    } catch {
      return false;
    }
  }

  /** The versions the monitor knows, alive or gone, from their heartbeats. */
  async versions(): Promise<VersionAlive[]> {
    return (await this.monitorGet('/api/versions', VersionsResponse)).versions;
  }

  /** Version b judged against version a over the needs made between from and to. */
  comparison(a: string, b: string, from: Date, to: Date): Promise<Comparison> {
    const query = new URLSearchParams({ a, b, from: from.toISOString(), to: to.toISOString() });
    return this.monitorGet(`/api/comparison?${query}`, Comparison);
  }

  private async fetchMonitor(path: string): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(`${this.address.monitor}${path}`, { signal: AbortSignal.timeout(20_000) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
      throw new Error(`the monitor does not answer at ${this.address.monitor} (${cause})`);
    }
    if (!res.ok) throw new Error(`the monitor answered ${res.status} to GET ${path}: ${(await res.text()).slice(0, 200)}`);
    return res;
  }

  private async monitorGet<S extends TSchema>(path: string, schema: S): Promise<Static<S>> {
    const body: unknown = await (await this.fetchMonitor(path)).json();
    if (!Value.Check(schema, body)) {
      const first = [...Value.Errors(schema, body)][0];
      throw new Error(`the monitor's answer to GET ${path} breaks its contract: ${first ? `${first.path} ${first.message}` : 'invalid'}`);
    }
    return body;
  }
}
