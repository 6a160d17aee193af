import { BaseConfig } from '@ad-race/service-runtime';
import { Type, type Static } from '@sinclair/typebox';

export const MonitorConfig = Type.Object({
  ...BaseConfig,
  PORT: Type.Integer({ default: 3005, minimum: 0, maximum: 65535 }),
  /** The version of the monitor itself, as its logs and metrics name it. */
  SERVICE_VERSION: Type.String({ default: '1.0.0', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$' }),
  /** Where the evidence database lives: a volume in compose and Kubernetes, so it outlives the process. */
  DATA_DIR: Type.String({ default: 'var/monitor', minLength: 1 }),
  /** Raw rows older than this are folded into per-hour totals and deleted. */
  RETENTION_HOURS: Type.Integer({ default: 8 * 24, minimum: 1 }),
  /** How many messages each of the monitor's queues keeps while no monitor reads it; then the oldest go. */
  QUEUE_MAX_LENGTH: Type.Integer({ default: 1_000_000, minimum: 1000 }),
  /** Rows written in one transaction at most, and how long the first waits for others. */
  BATCH_ROWS: Type.Integer({ default: 1000, minimum: 1 }),
  BATCH_DELAY_MS: Type.Integer({ default: 50, minimum: 0 }),
  /**
   * The monitor's CPU priority, as nice sees it (0 to 19, higher yields more): by default it
   * gives way to the services that serve customers, and catches up from its queues.
   */
  NICENESS: Type.Integer({ default: 10, minimum: 0, maximum: 19 }),
  /** The built front end, whose dashboard.html the monitor serves at / (npm run build puts it in dist/web). */
  WEB_ROOT: Type.String({ default: 'dist/web' }),
  /** How often the live dashboard's snapshot is made and pushed, while a dashboard is connected. */
  DASHBOARD_INTERVAL_MS: Type.Integer({ default: 2000, minimum: 250, maximum: 60_000 }),
});
export type MonitorConfig = Static<typeof MonitorConfig>;
