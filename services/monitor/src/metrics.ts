import type { Metrics } from '@ad-race/service-runtime';
import { Counter, Gauge, Histogram } from 'prom-client';

/** What the monitor counts: messages recorded by channel, batches written, versions alive, dashboards connected. */
export function monitorMetrics({ registry }: Metrics) {
  return {
    recorded: new Counter({
      name: 'ad_race_monitor_messages_total',
      help: 'Messages the monitor recorded, by channel and whether they kept their contract',
      labelNames: ['channel', 'valid'] as const,
      registers: [registry],
    }),
    duplicates: new Counter({
      name: 'ad_race_monitor_duplicates_total',
      help: 'Rows not written because the message was recorded before (a redelivery)',
      registers: [registry],
    }),
    batchMs: new Histogram({
      name: 'ad_race_monitor_batch_ms',
      help: 'Time to write one batch in one transaction, in milliseconds',
      buckets: [0.5, 1, 2, 5, 10, 25, 50, 100, 250, 1000],
      registers: [registry],
    }),
    batchRows: new Counter({ name: 'ad_race_monitor_rows_written_total', help: 'Rows written to the evidence database', registers: [registry] }),
    dashboards: new Gauge({
      name: 'ad_race_monitor_dashboards_connected',
      help: 'Dashboards connected to the live feed (server-sent events)',
      registers: [registry],
    }),
    instancesAlive: new Gauge({
      name: 'ad_race_monitor_instances_alive',
      help: 'Instances of each service version alive, from their heartbeats',
      labelNames: ['service', 'version'] as const,
      registers: [registry],
    }),
  };
}

export type MonitorMetrics = ReturnType<typeof monitorMetrics>;
