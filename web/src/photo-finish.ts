import type { RaceMessage } from '@ad-race/contracts';

export interface FinishRow {
  version: string;
  /** How the answer came: straight from the version, or through the schema adapter. */
  route: 'direct' | 'through the schema adapter';
  time: string;
  result: string;
  kind: 'won' | 'lost' | 'late' | 'shadow' | 'shadow-won' | 'no-answer';
}

type Reply = RaceMessage['replies'][number];

export function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(1)} ms`;
}

/**
 * A shadow answer that came in time and before the winner's: by how much it
 * would have won (against the house ad when nothing won), or null if it would not have.
 */
function shadowLead(reply: Reply, winner: Reply | undefined): number | null {
  if (!reply.shadow || reply.late) return null;
  if (!winner) return 0;
  return reply.latencyMs < winner.latencyMs ? winner.latencyMs - reply.latencyMs : null;
}

/**
 * The photo-finish table: every version's answer to one need, as it arrived,
 * and how it fared; then the versions that answered recently but not this time.
 */
export function finishRows(race: RaceMessage): FinishRow[] {
  const winner = race.replies.find((r) => r.won);
  const answered = race.replies.map((r): FinishRow => {
    const row = { version: r.version, route: r.translated ? 'through the schema adapter' : 'direct', time: formatMs(r.latencyMs) } as const;
    if (r.won) return { ...row, result: 'won: its ad is shown', kind: 'won' };
    if (r.late) return { ...row, result: `too late (after the ${race.deadlineMs} ms deadline)`, kind: 'late' };
    const lead = shadowLead(r, winner);
    if (lead !== null) {
      const result = winner ? `shadow: would have won by ${formatMs(lead)}` : 'shadow: would have beaten the house ad';
      return { ...row, result, kind: 'shadow-won' };
    }
    if (r.shadow) return { ...row, result: 'shadow: timed, never shown', kind: 'shadow' };
    const behind = winner ? `${formatMs(r.latencyMs - winner.latencyMs)} behind` : 'no winner';
    return { ...row, result: `lost, ${behind}`, kind: 'lost' };
  });
  const silent = race.noAnswer.map((version): FinishRow => ({ version, route: 'direct', time: '—', result: 'no answer', kind: 'no-answer' }));
  return [...answered, ...silent];
}

const list = (versions: string[]) => (versions.length <= 1 ? versions.join('') : `${versions.slice(0, -1).join(', ')} and ${versions.at(-1)}`);

/** One sentence for the race: who won and by how much, and who did not answer. */
export function finishSummary(race: RaceMessage): string {
  const winner = race.replies.find((r) => r.won);
  const silent = race.noAnswer.length > 0 ? ` No answer from ${list(race.noAnswer)}.` : '';
  if (!winner) {
    return race.replies.length === 0
      ? `No version answered within ${race.deadlineMs} ms: the house ad is shown.${silent}`
      : `No valid answer within ${race.deadlineMs} ms: the house ad is shown.${silent}`;
  }
  const runnerUp = race.replies.find((r) => !r.won && !r.shadow && !r.late);
  const won = runnerUp
    ? `${winner.version} won in ${formatMs(winner.latencyMs)}, ${formatMs(runnerUp.latencyMs - winner.latencyMs)} ahead of ${runnerUp.version}.`
    : `${winner.version} won in ${formatMs(winner.latencyMs)}, unchallenged.`;
  return won + silent;
}

export interface TallyRow {
  /** A version, or "house ad". */
  label: string;
  wins: number;
  /** Races a shadow version would have won, had it not been in shadow. */
  wouldHaveWon: number;
}

/**
 * The running tally of the races this page has seen: wins per version, the
 * house ads, and the races each shadow version would have won. Each race counts
 * once, at its first summary (a late answer's update changes no winner).
 */
export class WinTally {
  private readonly rows = new Map<string, TallyRow>();
  private readonly counted = new Set<string>();

  constructor(private readonly remembered = 1000) {}

  /** The races counted: each is won by one version or the house ad. */
  get total(): number {
    let races = 0;
    for (const row of this.rows.values()) races += row.wins;
    return races;
  }

  /** Counts a race, unless it was counted already (a late answer's update): whether it counted it. */
  add(race: RaceMessage): boolean {
    if (this.counted.has(race.needId)) return false;
    this.counted.add(race.needId);
    if (this.counted.size > this.remembered) this.counted.delete(this.counted.values().next().value!);
    const winner = race.replies.find((r) => r.won);
    this.row(winner ? winner.version : 'house ad').wins++;
    for (const reply of race.replies) if (shadowLead(reply, winner) !== null) this.row(reply.version).wouldHaveWon++;
    return true;
  }

  /** Most wins first; then by name. */
  table(): TallyRow[] {
    return [...this.rows.values()].sort((a, b) => b.wins - a.wins || b.wouldHaveWon - a.wouldHaveWon || a.label.localeCompare(b.label));
  }

  private row(label: string): TallyRow {
    let row = this.rows.get(label);
    if (!row) this.rows.set(label, (row = { label, wins: 0, wouldHaveWon: 0 }));
    return row;
  }
}
