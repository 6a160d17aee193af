import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ServiceIdentity } from './identity';

// Milliseconds are the natural unit of a race; buckets from 0.1 ms to 1 s.
export const LATENCY_BUCKETS_MS = [0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 25, 50, 100, 250, 500, 1000];

/**
 * The metrics registry of a service, with what every service counts the same
 * way; a service defines its own metrics with `counter` and `histogram`, and
 * dashboards read the same names from every service. Each metric carries the
 * version it is about: the ad service version that answered, or the service's
 * own version for what it does itself. `keep` names versions that always keep
 * their label (the house ad's "fallback", say), within the bound.
 */
export function createMetrics(identity: ServiceIdentity, keep: readonly string[] = []) {
  const registry = new Registry();
  registry.setDefaultLabels({ service: identity.service, instance: identity.instance });
  collectDefaultMetrics({ register: registry });
  // Versions named by messages that broke their contract are bounded apart, so junk on the bus
  // cannot crowd out the real ones.
  const versions = versionLabels(MAX_VERSION_LABELS, [identity.version, ...keep]);
  const counter = (name: string, help: string, version = versions) => {
    const metric = new Counter({ name, help, labelNames: ['version'] as const, registers: [registry] });
    return { inc: (labels: VersionLabel, by = 1) => metric.inc({ version: version(labels.version) }, by) };
  };
  const histogram = (name: string, help: string, buckets = LATENCY_BUCKETS_MS) => {
    const metric = new Histogram({ name, help, labelNames: ['version'] as const, buckets, registers: [registry] });
    return { observe: (labels: VersionLabel, value: number) => metric.observe({ version: versions(labels.version) }, value) };
  };

  return {
    registry,
    /** A counter labelled by version: a service's own metric. */
    counter,
    /** A histogram labelled by version (milliseconds, by default). */
    histogram,
    needsExpired: counter('ad_race_needs_expired_total', 'Needs dropped unanswered because their deadline had passed'),
    invalidMessages: counter(
      'ad_race_invalid_messages_total',
      'Messages dead-lettered because they broke their contract, were a version the consumer does not read, or their handler refused them or failed, by producer version',
      versionLabels(),
    ),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** The version a metric is about; from another process's message, so not to be trusted as a label. */
export interface VersionLabel {
  version: string | undefined;
}

/** Versions one service labels its metrics with; the rest are counted together as "other". */
export const MAX_VERSION_LABELS = 32;
const VERSION = /^[A-Za-z0-9][\w.+-]{0,31}$/;

/**
 * Turns a version into a label value. Every distinct label value is a time
 * series kept for the life of the process, and versions come from messages
 * anyone on the bus can publish: so a value that does not look like a version
 * is "unknown", and past the first few versions seen (counting those it
 * `always` keeps) the rest are "other".
 */
export function versionLabels(max = MAX_VERSION_LABELS, always: string[] = []): (version: string | undefined) => string {
  const seen = new Set<string>(always);
  return (version) => {
    if (version === undefined) return 'unknown';
    if (seen.has(version)) return version;
    if (!VERSION.test(version)) return 'unknown';
    if (seen.size >= max) return 'other';
    seen.add(version);
    return version;
  };
}
