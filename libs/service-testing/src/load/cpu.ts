import { listedServices } from '../services';
import { readdirSync, readFileSync } from 'node:fs';

// Where the CPU and memory go during a load step: the time each process of the
// stack, the broker and the benchmark itself spent on the CPU, and what each
// holds in memory (Linux /proc only).

const PROCESSES: [name: string, matches: (cmdline: string) => boolean][] = [
  ...listedServices().map(({ name }): [string, (cmdline: string) => boolean] => [name, (c) => c.includes(`dist/services/${name}/`)]),
  ['shape answerers', (c) => c.includes('shape-answerer')],
  ['RabbitMQ', (c) => c.includes('beam.smp') && c.includes('rabbit')],
];
const TICKS_PER_S = 100; // USER_HZ on Linux
const PAGE_BYTES = 4096;

/** CPU ticks (user and system) and resident memory, in bytes, by process name. */
export type ProcessSample = Map<string, { ticks: number; rssBytes: number }>;

function read(pid: string): { ticks: number; rssBytes: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime + stime; rss in pages (fields 14, 15 and 24 of the whole line)
  return { ticks: Number(fields[11]) + Number(fields[12]), rssBytes: Number(fields[21]) * PAGE_BYTES };
}

export function sampleProcesses(): ProcessSample {
  const sample: ProcessSample = new Map();
  try {
    for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
        const name = pid === String(process.pid) ? 'benchmark' : PROCESSES.find(([, m]) => m(cmdline))?.[0];
        if (!name) continue;
        const { ticks, rssBytes } = read(pid);
        const sum = sample.get(name) ?? { ticks: 0, rssBytes: 0 };
        sample.set(name, { ticks: sum.ticks + ticks, rssBytes: sum.rssBytes + rssBytes });
      } catch {
        // the process ended meanwhile
      }
    }
  } catch {
    // no /proc: not Linux
  }
  return sample;
}

/** Percent of one core each process used between two samples. */
export function cpuPercent(before: ProcessSample, after: ProcessSample, seconds: number): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [name, { ticks }] of after) result[name] = Math.round((100 * (ticks - (before.get(name)?.ticks ?? 0))) / TICKS_PER_S / seconds);
  return result;
}

/** Microseconds of CPU each process spent per ad (or race), at `perS` a second. */
export function cpuPerAd(cpu: Record<string, number>, perS: number): Record<string, number> {
  return Object.fromEntries(Object.entries(cpu).map(([name, pct]) => [name, Math.round(((pct / 100) * 1e6) / Math.max(1, perS))]));
}

/** Resident memory of each process, in MiB. */
export function memoryMb(sample: ProcessSample): Record<string, number> {
  return Object.fromEntries([...sample].map(([name, { rssBytes }]) => [name, Math.round(rssBytes / 1024 / 1024)]));
}
