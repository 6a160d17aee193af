import type { Metrics } from '@ad-race/service-runtime';

/** What the web server counts of its races, each labelled by the version it is about. */
export function raceMetrics(metrics: Metrics) {
  const { counter, histogram } = metrics;
  return {
    needsPublished: counter('ad_race_needs_published_total', 'Needs for an ad published by the web server'),
    repliesReceived: counter('ad_race_replies_received_total', 'Answers the web server timed, by answering version'),
    wins: counter('ad_race_wins_total', 'Races won, by version'),
    losses: counter('ad_race_losses_total', 'Answers that arrived within the deadline but after the winner'),
    lateReplies: counter('ad_race_late_replies_total', 'Answers that arrived after the deadline'),
    shadowReplies: counter('ad_race_shadow_replies_total', 'Answers from a version running in shadow (timed, never shown)'),
    translatedReplies: counter('ad_race_translated_replies_total', 'Answers that reached the web server through the schema adapter, by answering version'),
    duplicateReplies: counter('ad_race_duplicate_replies_total', 'Second answers by one version to one need, ignored'),
    fallbacks: counter('ad_race_fallbacks_total', 'Races with no valid answer by the deadline: the house ad was shown'),
    clicks: counter('ad_race_clicks_total', 'Ads customers clicked, once per ad, by the version that served it'),
    needsShed: counter('ad_race_needs_shed_total', 'Page views answered at once with the house ad, no need published: more needs were in flight than the bus carries on time'),
    replyLatencyMs: histogram('ad_race_reply_latency_ms', 'From publishing the need to receiving an answer, by answering version, in milliseconds'),
    adLatencyMs: histogram('ad_race_ad_latency_ms', 'From publishing the need to the ad shown, by the version that served it, in milliseconds'),
  };
}

export type RaceMetrics = ReturnType<typeof raceMetrics>;
