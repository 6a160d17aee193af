import { CUSTOMERS } from '@ad-race/catalog';
import { parseArgs } from 'node:util';
import type { Progress } from './summary';

/** What a run simulates, and against which stack. */
export interface SimulateOptions {
  /** The web server of the stack to drive. */
  url: string;
  /** How many of the catalog's customers browse (the first ones: Anna first). */
  customers: number;
  /** Simulated days, from Monday midnight. */
  days: number;
  /** Simulated seconds per real second. */
  speed: number;
  /** The same seed gives the same customers, visits and choices. */
  seed: number;
  /** Called a few times a second with the counts so far, and once at the end. */
  onProgress?: (progress: Progress) => void;
  /** Draw no progress bar, print no summary and no warnings (for tests and tools that report on their own). */
  quiet?: boolean;
}

export const DEFAULTS = {
  customers: 30,
  days: 7,
  // A simulated week in about two and a half minutes.
  speed: 4000,
  seed: 1,
} as const;

export function defaultUrl(env: NodeJS.ProcessEnv = process.env): string {
  return `http://localhost:${env['PORT'] ?? 3000}`;
}

export function usage(env: NodeJS.ProcessEnv = process.env): string {
  return `Usage: npm run simulate -- [options]

Simulated customers log in to ad-race through its HTTP API, open pages over its
WebSocket, and click ads as a hidden ground truth of their tastes says (not the
fitness function: the click-through shows where that is wrong). A week of
traffic, with quiet nights and busy evenings, in a few minutes.

Options:
  --customers <n>  how many customers browse, 1 to ${CUSTOMERS.length} (default ${DEFAULTS.customers}; Anna first)
  --days <n>       simulated days, from Monday midnight (default ${DEFAULTS.days})
  --speed <x>      simulated seconds per real second (default ${DEFAULTS.speed}: a week in about ${Math.round((7 * 86_400) / DEFAULTS.speed / 6) / 10} minutes)
  --seed <n>       the same seed gives the same customers, visits and clicks (default ${DEFAULTS.seed})
  --url <url>      the stack's web server (default ${defaultUrl(env)}, from PORT)
  --quiet          no progress bar; only the summary
  --help           this text

The stack must be running: npm start (or any URL with --url). The web server
allows 30 logins a minute from one address: each customer logs in once a run,
and more than 30 customers wait their turn.`;
}

export type Command = { help: true } | { help: false; options: SimulateOptions };

function wholeNumber(name: string, text: string | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}, not "${text}"`);
  return value;
}

/** The command line, read: the options of a run, or a request for help. Throws an Error that says what is wrong. */
export function parseCommandLine(args: string[], env: NodeJS.ProcessEnv = process.env): Command {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      customers: { type: 'string' },
      days: { type: 'string' },
      speed: { type: 'string' },
      seed: { type: 'string' },
      url: { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { help: true };
  const speed = values.speed === undefined ? DEFAULTS.speed : Number(values.speed);
  if (!Number.isFinite(speed) || speed <= 0) throw new Error(`--speed must be a positive number, not "${values.speed}"`);
  const url = values.url ?? defaultUrl(env);
  if (!/^https?:\/\/[^/]+/.test(url)) throw new Error(`--url must be an http(s) URL, not "${url}"`);
  return {
    help: false,
    options: {
      url: url.replace(/\/+$/, ''),
      customers: wholeNumber('customers', values.customers, DEFAULTS.customers, 1, CUSTOMERS.length),
      days: wholeNumber('days', values.days, DEFAULTS.days, 1, 365),
      speed,
      seed: wholeNumber('seed', values.seed, DEFAULTS.seed, 0, 2 ** 32 - 1),
      quiet: values.quiet ?? false,
    },
  };
}
