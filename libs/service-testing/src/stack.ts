import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MESSAGES, sharedQueueOf } from '@ad-race/contracts';
import { freePortRange, type BusProbe } from '@ad-race/testing';
import { listedServices } from './services';
import { workspaceRoot } from './workspace';

export interface RunningStack {
  url: string;
  port: number;
  output(): string;
  /** Where a service of the list listens in this stack (PORT + its place in the list). */
  urlOf(service: string): string;
  /** The process id of a service of this stack, while it runs (Linux: read from /proc). */
  pidOf(service: string): number | undefined;
  stop(): Promise<void>;
}

/** The children of a process whose command line names a service's bundle. */
function childRunning(parent: number, service: string): number | undefined {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`dist/services/${service}/`)) return Number(pid);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

/**
 * Runs the built stack exactly as `npm start` does (tools/start-stack.mjs),
 * on free ports, with the environment given (say, a namespace of its own):
 * every service in the list, or those named. For the end-to-end test and the
 * benchmark; build first. Unless the environment names one, the monitor's
 * data directory is a temporary one, removed when the stack stops.
 */
export async function startStack(env: Record<string, string>, services: string[] = [], root = workspaceRoot()): Promise<RunningStack> {
  // Consecutive ports, one per service in the list.
  const port = await freePortRange(listedServices().length);
  const dataDir = env['DATA_DIR'] === undefined ? mkdtempSync(join(tmpdir(), 'stack-monitor-')) : undefined;
  const child: ChildProcess = spawn(process.execPath, ['tools/start-stack.mjs', ...services], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', ...(dataDir ? { DATA_DIR: dataDir } : {}), ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the stack did not start in 20 s:\n${output}`)), 20_000);
    const check = () => {
      if (output.includes('[stack] ready')) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the stack exited with ${code}:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    output: () => output,
    urlOf: (service) => {
      const index = listedServices().findIndex((s) => s.name === service);
      if (index < 0) throw new Error(`no service "${service}" in services/services.json`);
      return `http://127.0.0.1:${port + index}`;
    },
    pidOf: (service) => childRunning(child.pid!, service),
    async stop() {
      child.kill('SIGTERM');
      await exited;
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Notes, for a test namespace's cleanup, the shared and durable queues the
 * services of the stack declare: those their entries in the list of services
 * name. Unused shared queues expire from the broker by themselves after ten
 * minutes, the monitor's durable ones after a week; this deletes them at once.
 */
export function willUseStackQueues(probe: BusProbe): void {
  for (const { bus } of listedServices()) {
    for (const { channel, group } of (bus.queues ?? []).map(sharedQueueOf)) {
      const contract = MESSAGES.find((m) => m.channel === channel);
      if (!contract) throw new Error(`services/services.json names a queue on "${channel}", which is no message version`);
      probe.willUseSharedQueue(contract, group);
    }
  }
}
