import { listedServices } from '@ad-race/service-testing';
import { readdirSync, readFileSync } from 'node:fs';

// Where the CPU goes during a load step: the time each process of the stack,
// the broker and the benchmark itself spent on the CPU (Linux /proc only).

const PROCESSES: [name: string, matches: (cmdline: string) => boolean][] = [
  ...listedServices().map(({ name }): [string, (cmdline: string) => boolean] => [name, (c) => c.includes(`dist/services/${name}/`)]),
  ['RabbitMQ', (c) => c.includes('beam.smp') && c.includes('rabbit')],
];
const TICKS_PER_S = 100; // USER_HZ on Linux

function cpuTicks(pid: string): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

export type CpuSample = Map<string, number>;

export function sampleCpu(): CpuSample {
  const sample: CpuSample = new Map();
  try {
    for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
        const name = pid === String(process.pid) ? 'benchmark' : PROCESSES.find(([, m]) => m(cmdline))?.[0];
        if (name) sample.set(name, (sample.get(name) ?? 0) + cpuTicks(pid));
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
export function cpuPercent(before: CpuSample, after: CpuSample, seconds: number): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [name, ticks] of after) result[name] = Math.round((100 * (ticks - (before.get(name) ?? 0))) / TICKS_PER_S / seconds);
  return result;
}
