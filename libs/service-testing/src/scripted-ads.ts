import { adNeedV1, adSolutionV1, createAdSolutionV1, type Ad, type AdNeedV1 } from '@ad-race/contracts';
import { Bus } from '@ad-race/messaging';
import { Collector, silentLogger } from '@ad-race/testing';
import { randomUUID } from 'node:crypto';

export interface ScriptedVersion {
  version: string;
  /** Answer this long after hearing the need. */
  delayMs: number;
  shadow?: boolean;
}

export const SAMPLE_AD: Ad = {
  headline: 'Volkswagen ID.3 in Amsterdam from €49.00 a day',
  reason: 'A scripted answer from a test',
  offer: {
    id: 'o-test',
    carClass: 'electric',
    model: 'Volkswagen ID.3',
    city: 'Amsterdam',
    location: 'Amsterdam Centraal',
    dailyRateEur: 49,
    discountPercent: 0,
    seats: 5,
    transmission: 'automatic',
  },
};

/**
 * Ad service versions with scripted timing, for tests that must know who wins:
 * a real bus on the real broker, answering every version-1 need it hears after a set delay.
 */
export async function startScriptedAds(url: string, namespace: string, versions: ScriptedVersion[]) {
  const needs = new Collector<AdNeedV1>();
  const bus = new Bus({ url, namespace, instance: `scripted-${randomUUID().slice(0, 8)}`, logger: silentLogger, publishes: [adSolutionV1] });
  const timers = new Set<NodeJS.Timeout>();
  bus.subscribe({
    contract: adNeedV1,
    queue: { kind: 'per-instance' },
    handle(need) {
      needs.push(need);
      for (const v of versions) {
        const producer = { service: 'ads', version: v.version, instance: `${v.version}-scripted` };
        const timer = setTimeout(() => {
          timers.delete(timer);
          void bus.publish(adSolutionV1, createAdSolutionV1(need, producer, v.shadow ?? false, SAMPLE_AD)).catch(() => undefined);
        }, v.delayMs);
        timers.add(timer);
      }
    },
  });
  await bus.start();
  await bus.connected();
  return {
    needs,
    async close() {
      timers.forEach(clearTimeout);
      await bus.close();
    },
  };
}
