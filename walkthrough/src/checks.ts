import type { Comparison, RaceReply, VersionAlive } from '@ad-race/contracts';
import { houseAds, servedLine as served, type Counts } from '@ad-race/simulator';

// What each act must show, judged from what was seen: the customers' own
// counts (every ad they got, and who served it) and what the monitor reports.
// Pure: every judgment here is a function of its figures, and is tested both
// ways in checks.spec.ts.

/** One thing an act shows, whether it held, and the figures that say so. */
export interface Claim {
  claim: string;
  holds: boolean;
  evidence: string;
}

const claim = (text: string, holds: boolean, evidence: string): Claim => ({ claim: text, holds, evidence });
/** A part of a whole in whole percent: "25%" (0% of nothing). */
export const percent = (part: number, whole: number) => `${whole === 0 ? 0 : Math.round((100 * part) / whole)}%`;
/** A latency as the claims give it: "1.25 ms". */
export const ms = (value: number) => `${value.toFixed(2)} ms`;

/** One version's figures in a comparison, if it is either side. */
const sideOf = (comparison: Comparison, version: string) => [comparison.a, comparison.b].find((s) => s.version === version);

/** Who served the ads, in one phrase: "v1 12, v2 48, house 0". */
export const servedLine = (counts: Counts) => served(counts, ', ');

/**
 * Every page view the customers sent got an ad from an ad service: none is
 * waiting, none fell back to the house ad, the web server reported no problem.
 */
export function everyViewServed(counts: Counts, unanswered: number): Claim {
  const holds = counts.pageViews > 0 && unanswered === 0 && houseAds(counts) === 0 && counts.problems === 0;
  const problems = counts.problems > 0 ? `, ${counts.problems} problems` : '';
  return claim(
    'every page view got an ad from an ad service',
    holds,
    `${counts.pageViews} page views: ${counts.ads} ads (${servedLine(counts)}), ${unanswered} unanswered${problems}`,
  );
}

/** Every ad came from these versions (and at least one ad came). */
export function servedOnlyBy(counts: Counts, versions: readonly string[]): Claim {
  const others = Object.keys(counts.byVersion).filter((v) => !versions.includes(v) && counts.byVersion[v]!.ads > 0);
  const served = versions.reduce((sum, v) => sum + (counts.byVersion[v]?.ads ?? 0), 0);
  return claim(`every ad was served by ${versions.join(' or ')}`, served > 0 && others.length === 0, servedLine(counts));
}

/** One version served more than half of the ads. */
export function wonMost(counts: Counts, version: string): Claim {
  const won = counts.byVersion[version]?.ads ?? 0;
  return claim(`${version} won most races`, won * 2 > counts.ads, `${won} of ${counts.ads} ads (${percent(won, counts.ads)})`);
}

/** No ad was served by this version. */
export function neverServed(counts: Counts, version: string): Claim {
  const served = counts.byVersion[version]?.ads ?? 0;
  return claim(`no customer saw an ad of ${version}`, served === 0, `${version} served ${served} of ${counts.ads} ads`);
}

/** The monitor counted a version's wins over the act's races as more than half of those it answered. */
export function monitorSawWinner(comparison: Comparison, version: string): Claim {
  const summary = sideOf(comparison, version);
  const rate = summary?.winRate ?? null;
  const latency = summary?.latencyMs ? `, p50 ${ms(summary.latencyMs.p50)}` : '';
  return claim(
    `the monitor counts ${version} winning most races`,
    rate !== null && rate > 0.5,
    summary ? `${version} won ${summary.wins} of the ${summary.answers} races it answered (${rate === null ? '–' : percent(rate, 1)})${latency}` : `${version} is not in the comparison`,
  );
}

/** A race's photo finish, as the page gets it (and the dashboard): every version's answer. */
export interface PhotoFinish {
  replies: readonly Pick<RaceReply, 'version' | 'latencyMs' | 'late' | 'translated'>[];
}

/** The races both versions answered, and by how much `ahead` came in before `behind` in each (positive: ahead was faster). */
export function margins(races: readonly PhotoFinish[], ahead: string, behind: string): number[] {
  return races.flatMap((race) => {
    const a = race.replies.find((r) => r.version === ahead && !r.late);
    const b = race.replies.find((r) => r.version === behind && !r.late);
    return a && b ? [b.latencyMs - a.latencyMs] : [];
  });
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** In the photo finishes of the races both ran, `ahead` came in first, by a median margin above zero. */
export function photoFinish(races: readonly PhotoFinish[], ahead: string, behind: string): Claim {
  const gaps = margins(races, ahead, behind);
  if (gaps.length === 0) return claim(`the photo finish shows ${ahead} ahead of ${behind}`, false, `none of the ${races.length} races had answers of both`);
  const typical = median(gaps);
  return claim(
    `the photo finish shows ${ahead} ahead of ${behind}`,
    typical > 0,
    `${ahead} ${typical > 0 ? 'ahead' : 'behind'} by ${ms(Math.abs(typical))}, the median of the ${gaps.length} races both ran`,
  );
}

/** The monitor sees this version of a service alive (or not), as its heartbeats say. */
export function seenAlive(versions: readonly VersionAlive[], service: string, version: string, alive: boolean): Claim {
  const seen = versions.find((v) => v.service === service && v.version === version);
  const state = seen ? (seen.alive ? `alive, ${seen.instances.length} instance${seen.instances.length === 1 ? '' : 's'}` : `stopped, last seen ${seen.lastSeen}`) : 'never seen';
  return claim(`the monitor sees ${service} ${version} ${alive ? 'alive' : 'stopped'}`, (seen?.alive ?? false) === alive, `${service} ${version}: ${state}`);
}

/** The instances of a service version alive now, by id. */
export function instancesOf(versions: readonly VersionAlive[], service: string, version?: string): string[] {
  return versions
    .filter((v) => v.service === service && (version === undefined || v.version === version) && v.alive)
    .flatMap((v) => v.instances.map((i) => i.instance))
    .sort();
}

/** These processes ran on: the instances alive now are those alive before (none restarted, none gone). */
export function ranOn(what: string, before: readonly string[], after: readonly string[], since: string): Claim {
  const same = before.length > 0 && before.length === after.length && before.every((id, i) => id === after[i]);
  return claim(`${what} ran on, never restarted`, same, same ? `the same instance${before.length === 1 ? '' : 's'} as ${since}: ${before.join(', ')}` : `before: ${before.join(', ') || 'none'}; now: ${after.join(', ') || 'none'}`);
}

/** A version runs in shadow: the monitor has its answers timed, and none of them won a race. */
export function comparedInShadow(comparison: Comparison, version: string): Claim {
  const s = sideOf(comparison, version);
  const holds = s !== undefined && s.shadow && s.answers > 0 && s.wins === 0;
  const evidence = s
    ? `${version}: ${s.shadow ? 'shadow' : 'not a shadow'}, ${s.answers} answers, ${s.wins} races won, would have won ${s.wouldHaveWon}${s.latencyMs ? `, p50 ${ms(s.latencyMs.p50)}` : ''}`
    : `${version} is not in the comparison`;
  return claim(`the monitor times ${version} in shadow, and it never won a race`, holds, evidence);
}

/** The monitor judged b against a: a verdict, not "not enough data". */
export function verdictGiven(comparison: Comparison): Claim {
  return claim(`the monitor gives a verdict on ${comparison.b.version} against ${comparison.a.version}`, comparison.verdict !== 'not enough data', comparison.summary);
}

/** Fitness and click-through of each of the pair that served ads, over the window. */
export function fitnessAndClicks(comparison: Comparison): Claim {
  const both = [comparison.a, comparison.b];
  const fitness = (s: Comparison['a']) => (s.meanFitness === null ? 'no fitness' : `fitness €${s.meanFitness.toFixed(2)}`);
  const ctr = (s: Comparison['a']) => (s.clickThrough === null ? 'no click-through' : `click-through ${(100 * s.clickThrough).toFixed(1)}% (${s.clicks} of ${s.wins})`);
  const holds = both.every((s) => s.meanFitness !== null && (s.shadow || s.clickThrough !== null));
  return claim(`the monitor scores fitness and click-through per version`, holds, both.map((s) => `${s.version} ${fitness(s)}, ${ctr(s)}`).join('; '));
}

/** A version answers on the newer messages: the monitor sees it read them, and its answers in the races reached the web server translated. */
export function answersTranslated(versions: readonly VersionAlive[], races: readonly PhotoFinish[], version: string, channel: string): Claim {
  const seen = versions.find((v) => v.service === 'ads' && v.version === version && v.alive);
  const replies = races.flatMap((r) => r.replies.filter((reply) => reply.version === version));
  const translated = replies.filter((r) => r.translated).length;
  const reads = seen?.reads ?? [];
  return claim(
    `${version} reads ${channel}, and its answers reach the web server through the schema adapter`,
    reads.includes(channel) && replies.length > 0 && translated === replies.length,
    `${version} reads ${reads.join(', ') || 'nothing'}; ${translated} of its ${replies.length} answers in the races came translated`,
  );
}
