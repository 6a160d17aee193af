import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { freePort } from '@ad-race/testing';

/** The workspace root: found from the current directory (Jest runs a project from its own folder). */
function workspaceRoot(): string {
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'tools/start-stack.mjs'))) return dir;
    if (dirname(dir) === dir) throw new Error('not inside the ad-race workspace: no tools/start-stack.mjs above ' + process.cwd());
  }
}

export interface RunningStack {
  url: string;
  port: number;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Runs the built stack exactly as `npm start` does (tools/start-stack.mjs),
 * on free ports, with the environment given (say, a namespace of its own).
 * For the end-to-end test and the benchmark; build first.
 */
export async function startStack(env: Record<string, string>, root = workspaceRoot()): Promise<RunningStack> {
  // Three consecutive ports: web, ads-v1, ads-v2. Taken from the top of a free one, which is nearly always enough.
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['tools/start-stack.mjs'], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port) },
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
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
