import { LATENCY_BUCKETS_MS, type Metrics } from '@ad-race/service-runtime';
import { Counter, Histogram } from 'prom-client';

/** What the adapter counts, by translation ("ad.need.v1 -> ad.need.v2"): a handful of fixed label values. */
export function adapterMetrics({ registry }: Metrics) {
  const translations = new Counter({
    name: 'ad_race_translations_total',
    help: 'Messages translated from one version to another',
    labelNames: ['from', 'to'] as const,
    registers: [registry],
  });
  const untranslatable = new Counter({
    name: 'ad_race_untranslatable_total',
    help: 'Messages that could not be translated, dead-lettered with the reason',
    labelNames: ['from'] as const,
    registers: [registry],
  });
  const skipped = new Counter({
    name: 'ad_race_translations_skipped_total',
    help: 'Messages not translated because an adapter made them: a translation is never translated again',
    labelNames: ['from'] as const,
    registers: [registry],
  });
  const translationMs = new Histogram({
    name: 'ad_race_translation_ms',
    help: 'From receiving a message to the broker confirming its translation, in milliseconds',
    labelNames: ['from', 'to'] as const,
    buckets: LATENCY_BUCKETS_MS,
    registers: [registry],
  });
  return { translations, untranslatable, skipped, translationMs };
}
