import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ServiceIdentity } from './identity';

// Milliseconds are the natural unit of a race; buckets from 0.1 ms to 1 s.
const LATENCY_BUCKETS_MS = [0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 25, 50, 100, 250, 500, 1000];

/**
 * Every metric of ad-race, defined once so dashboards read the same names from
 * every service. Each carries the version it is about: the ad service version
 * that answered, or the service's own version for what it does itself.
 */
export function createMetrics(identity: ServiceIdentity) {
  const registry = new Registry();
  registry.setDefaultLabels({ service: identity.service, instance: identity.instance });
  collectDefaultMetrics({ register: registry });
  // The service's own version and the house ad's always keep their names. Versions named by messages
  // that broke their contract are bounded apart, so junk on the bus cannot crowd out the real ones.
  const versions = versionLabels(MAX_VERSION_LABELS, [identity.version, 'fallback']);
  const counter = (name: string, help: string, version = versions) => {
    const metric = new Counter({ name, help, labelNames: ['version'] as const, registers: [registry] });
    return { inc: (labels: VersionLabel) => metric.inc({ version: version(labels.version) }) };
  };
  const histogram = (name: string, help: string) => {
    const metric = new Histogram({ name, help, labelNames: ['version'] as const, buckets: LATENCY_BUCKETS_MS, registers: [registry] });
    return { observe: (labels: VersionLabel, value: number) => metric.observe({ version: versions(labels.version) }, value) };
  };

  return {
    registry,
    needsPublished: counter('ad_race_needs_published_total', 'Needs for an ad published by the web server'),
    needsReceived: counter('ad_race_needs_received_total', 'Needs for an ad received by an ad service'),
    needsExpired: counter('ad_race_needs_expired_total', 'Needs dropped unanswered because their deadline had passed'),
    solutionsPublished: counter('ad_race_solutions_published_total', 'Ads published in answer to a need'),
    selectionMs: histogram('ad_race_selection_ms', 'Time an ad service took to choose an ad, in milliseconds'),
    repliesReceived: counter('ad_race_replies_received_total', 'Answers the web server timed, by answering version'),
    wins: counter('ad_race_wins_total', 'Races won, by version'),
    losses: counter('ad_race_losses_total', 'Answers that arrived within the deadline but after the winner'),
    lateReplies: counter('ad_race_late_replies_total', 'Answers that arrived after the deadline'),
    shadowReplies: counter('ad_race_shadow_replies_total', 'Answers from a version running in shadow (timed, never shown)'),
    duplicateReplies: counter('ad_race_duplicate_replies_total', 'Second answers by one version to one need, ignored'),
    fallbacks: counter('ad_race_fallbacks_total', 'Races with no valid answer by the deadline: the house ad was shown'),
    replyLatencyMs: histogram('ad_race_reply_latency_ms', 'From publishing the need to receiving an answer, by answering version, in milliseconds'),
    adLatencyMs: histogram('ad_race_ad_latency_ms', 'From publishing the need to the ad shown, by the version that served it, in milliseconds'),
    invalidMessages: counter(
      'ad_race_invalid_messages_total',
      'Messages dead-lettered because they broke their contract or their handler failed, by producer version',
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
