import type { Metrics } from '@ad-race/service-runtime';

/** What an ad service counts: the needs it hears, the answers it publishes, how long choosing takes. */
export function adMetrics(metrics: Metrics) {
  return {
    needsReceived: metrics.counter('ad_race_needs_received_total', 'Needs for an ad received by an ad service'),
    solutionsPublished: metrics.counter('ad_race_solutions_published_total', 'Ads published in answer to a need'),
    selectionMs: metrics.histogram('ad_race_selection_ms', 'Time an ad service took to choose an ad, in milliseconds'),
  };
}
