import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ACTS } from './acts';
import { PACES, type Pace } from './pace';
import type { StackAddress } from './stack';

/** A walkthrough as the command line asks for it. */
export interface Command {
  acts: number[];
  pace: Pace;
  address: StackAddress;
  screenshots?: string;
  seed: number;
}

export function usage(): string {
  return `Usage: npm run walkthrough -- [options]

The talk, act by act, against a running stack: each act says what to tell the
audience, runs its commands (npm run stage, npm run simulate), shows what the
customers saw and what the monitor reports, and checks it showed what it
should. Exits 1 when an act did not. The script: docs/walkthrough.md.

${ACTS.map((act, i) => `  ${i + 1}. ${act.title}`).join('\n')}

Options:
  --act <n>            run act n only (1 to ${ACTS.length}; give it again for more); every act by default.
                       The stack is set as the act begins, whatever ran before.
  --pace live|fast     live (default): waits for Enter between acts, 20 s of traffic
                       per act, a week in 2.5 min; fast: no waiting, the whole talk
                       in about a minute and a half (CI, rehearsals)
  --compose            drive the compose stack (docker compose up) instead of npm start's
  --url <url>          the web server (default http://localhost:$PORT, or :$WEB_PORT with --compose; 3000)
  --monitor-url <url>  the monitor (default: npm start's monitor port, or :$MONITOR_PORT with --compose; 3005)
  --screenshots <dir>  a picture of the page or the dashboard at the end of each act,
                       act-<n>.png (docs/walkthrough's are made so)
  --seed <n>           the customers, their pages and clicks (default 1)
  --help               this text

The stack must be running: npm start (or, with --compose, docker compose up
--detach --wait, or docker-compose up -d). PORT and BUS_NAMESPACE choose the
stack, as for npm run stage. Ctrl-C stops the walkthrough, not the stack:
--act N sets act N's scene again.`;
}

/** The monitor's port in npm start's stack: PORT plus its place in the one list of services. */
export function stackMonitorPort(root: string, port: number): number {
  const list = JSON.parse(readFileSync(join(root, 'services/services.json'), 'utf8')) as { services: { name: string }[] };
  const index = list.services.findIndex((s) => s.name === 'monitor');
  if (index < 0) throw new Error('services/services.json lists no monitor');
  return port + index;
}

function whole(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}, not "${text}"`);
  return value;
}

const url = (name: string, text: string) => {
  if (!/^https?:\/\/[^/]+/.test(text)) throw new Error(`--${name} must be an http(s) URL, not "${text}"`);
  return text.replace(/\/+$/, '');
};

/** The command line, read; null for --help. Throws an Error that says what is wrong. */
export function parseCommandLine(args: string[], env: NodeJS.ProcessEnv, root: string): Command | null {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      act: { type: 'string', multiple: true },
      pace: { type: 'string' },
      compose: { type: 'boolean' },
      url: { type: 'string' },
      'monitor-url': { type: 'string' },
      screenshots: { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return null;
  const paceName = values.pace ?? 'live';
  if (paceName !== 'live' && paceName !== 'fast') throw new Error(`--pace is live or fast, not "${paceName}"`);
  const acts = values.act ? [...new Set(values.act.map((a) => whole('act', a, 1, ACTS.length)))].sort((a, b) => a - b) : ACTS.map((_, i) => i + 1);
  const compose = values.compose ?? false;
  const port = whole('PORT', env['PORT'] || '3000', 1, 65535);
  const web = values.url ? url('url', values.url) : `http://localhost:${compose ? env['WEB_PORT'] || 3000 : port}`;
  const monitor = values['monitor-url'] ? url('monitor-url', values['monitor-url']) : `http://localhost:${compose ? env['MONITOR_PORT'] || 3005 : stackMonitorPort(root, port)}`;
  return {
    acts,
    pace: PACES[paceName],
    address: { root, compose, env, web, monitor },
    screenshots: values.screenshots,
    seed: values.seed === undefined ? 1 : whole('seed', values.seed, 0, 2 ** 32 - 1),
  };
}
