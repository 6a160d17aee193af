import type { RaceMessage, RaceResult } from '@ad-race/contracts';
import { finishRows, finishSummary, formatMs, type FinishRow } from '../photo-finish';

// A race as the dashboard shows it (pure): the customer page's photo-finish
// rows and sentence, and one case the customer page never meets. The monitor
// times each answer from when it was made, the web server from when it
// arrived: an answer made first can still arrive second, and lose.

export interface RaceView {
  summary: string;
  rows: FinishRow[];
}

export function raceView(race: RaceResult): RaceView {
  const message: RaceMessage = { type: 'race', needId: race.needId, deadlineMs: race.deadlineMs ?? 0, replies: race.replies, noAnswer: race.noAnswer };
  const winner = race.replies.find((r) => r.won);
  const rows = finishRows(message).map((row, i) => {
    const reply = race.replies[i];
    if (row.kind !== 'lost' || !winner || !reply || reply.latencyMs >= winner.latencyMs) return row;
    return { ...row, result: `lost: made ${formatMs(winner.latencyMs - reply.latencyMs)} sooner, arrived later` };
  });
  const firstMade = race.replies.find((r) => !r.shadow && !r.late);
  let summary: string;
  if (winner && firstMade && firstMade.latencyMs < winner.latencyMs) {
    summary = `${winner.version} won in ${formatMs(winner.latencyMs)}: its answer reached the web server before ${firstMade.version}’s, made ${formatMs(winner.latencyMs - firstMade.latencyMs)} sooner.`;
  } else if (!winner && race.deadlineMs === null) {
    summary = 'The house ad was shown.';
  } else {
    summary = finishSummary(message);
  }
  return { summary, rows };
}
