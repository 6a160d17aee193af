import type { RaceMessage } from '@ad-race/contracts';

export interface FinishRow {
  version: string;
  /** How the answer came: straight from the version, or through the schema adapter. */
  route: 'direct' | 'through the schema adapter';
  time: string;
  result: string;
  kind: 'won' | 'lost' | 'late' | 'shadow';
}

export function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(1)} ms`;
}

/** The photo-finish table: every version's answer to one need, as it arrived, and how it fared. */
export function finishRows(race: RaceMessage): FinishRow[] {
  const winner = race.replies.find((r) => r.won);
  return race.replies.map((r): FinishRow => {
    const row = { version: r.version, route: r.translated ? 'through the schema adapter' : 'direct', time: formatMs(r.latencyMs) } as const;
    if (r.won) return { ...row, result: 'won: its ad is shown', kind: 'won' };
    if (r.late) return { ...row, result: `too late (after the ${race.deadlineMs} ms deadline)`, kind: 'late' };
    if (r.shadow) return { ...row, result: 'shadow: timed, never shown', kind: 'shadow' };
    const behind = winner ? `${formatMs(r.latencyMs - winner.latencyMs)} behind` : 'no winner';
    return { ...row, result: `lost, ${behind}`, kind: 'lost' };
  });
}

/** One sentence for the race: who won and by how much. */
export function finishSummary(race: RaceMessage): string {
  const winner = race.replies.find((r) => r.won);
  if (!winner) {
    return race.replies.length === 0
      ? `No version answered within ${race.deadlineMs} ms: the house ad is shown.`
      : `No valid answer within ${race.deadlineMs} ms: the house ad is shown.`;
  }
  const runnerUp = race.replies.find((r) => !r.won && !r.shadow && !r.late);
  if (!runnerUp) return `${winner.version} won in ${formatMs(winner.latencyMs)}, unchallenged.`;
  return `${winner.version} won in ${formatMs(winner.latencyMs)}, ${formatMs(runnerUp.latencyMs - winner.latencyMs)} ahead of ${runnerUp.version}.`;
}
