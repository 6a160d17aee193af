import { RaceTable, type RaceEvent } from './race-table';

type Events = RaceEvent<string, string>[];
const DEADLINE = 250;

function table(options = {}) {
  return new RaceTable<string, string>({ deadlineMs: DEADLINE, ...options });
}
const answer = (version: string, shadow = false) => ({ version, shadow, solution: `ad from ${version}` });
const types = (events: Events) => events.map((e) => e.type);
function noAnswerOf(events: Events) {
  const e = events.find((e) => e.type === 'summary');
  return e && e.type === 'summary' ? e.noAnswer : undefined;
}
function winnerOf(events: Events) {
  const e = events.find((e) => e.type === 'winner');
  return e && e.type === 'winner' ? e.reply.version : undefined;
}

describe('a race', () => {
  it('is won by the first answer, timed from the publication of the need', () => {
    const t = table();
    t.openRace('n1', 'anna', 1000);
    const first = t.reply('n1', answer('v2'), 1001.5);
    expect(winnerOf(first)).toBe('v2');
    expect(first.find((e) => e.type === 'reply')).toMatchObject({ reply: { version: 'v2', latencyMs: 1.5, won: true, late: false } });

    const second = t.reply('n1', answer('v1'), 1003);
    expect(winnerOf(second)).toBeUndefined();
    expect(second[0]).toMatchObject({ type: 'reply', reply: { version: 'v1', latencyMs: 3, won: false } });
  });

  it('never lets a shadow answer win, but times it', () => {
    const t = table();
    t.openRace('n1', 'anna', 0);
    const shadow = t.reply('n1', answer('v3', true), 1);
    expect(winnerOf(shadow)).toBeUndefined();
    expect(shadow[0]).toMatchObject({ type: 'reply', reply: { version: 'v3', shadow: true, won: false, latencyMs: 1 } });
    expect(winnerOf(t.reply('n1', answer('v1'), 2))).toBe('v1');
  });

  it('gives the house ad when no valid answer comes by the deadline, and never before', () => {
    const t = table();
    t.openRace('n1', 'anna', 0);
    expect(t.closeDue(DEADLINE - 1)).toEqual([]);
    const closing = t.closeDue(DEADLINE);
    expect(types(closing)).toEqual(['fallback', 'summary']);
    expect(t.openCount).toBe(0);
  });

  it('waits for the deadline when only shadow versions answered', () => {
    const t = table();
    t.openRace('n1', 'anna', 0);
    expect(types(t.reply('n1', answer('v3', true), 1))).toEqual(['reply']);
    expect(types(t.closeDue(DEADLINE))).toEqual(['fallback', 'summary']);
  });

  it('counts an answer after the deadline as late, and sends an updated summary', () => {
    const t = table();
    t.openRace('n1', 'anna', 0);
    t.closeDue(DEADLINE);
    const late = t.reply('n1', answer('v1'), 300);
    expect(types(late)).toEqual(['reply', 'summary']);
    expect(late[0]).toMatchObject({ reply: { version: 'v1', late: true, won: false, latencyMs: 300 } });
  });

  it('closes as soon as every version that answered recently has answered', () => {
    const t = table();
    // Earlier races teach the table that v1 and v2 are answering.
    t.openRace('n0', 'anna', 0);
    t.reply('n0', answer('v1'), 1);
    t.reply('n0', answer('v2'), 2);

    t.openRace('n1', 'anna', 10);
    expect(types(t.reply('n1', answer('v2'), 11))).toEqual(['reply', 'winner']);
    const last = t.reply('n1', answer('v1'), 12);
    expect(types(last)).toEqual(['reply', 'summary']);
    const summary = last.find((e) => e.type === 'summary');
    expect(summary?.type === 'summary' && summary.race.replies.map((r) => [r.version, r.won])).toEqual([
      ['v2', true],
      ['v1', false],
    ]);
    expect(t.openCount).toBe(0);
  });

  it('stops waiting for a version that has not answered for a while (ads-v2 was stopped)', () => {
    const t = table({ rosterWindowMs: 1000 });
    t.openRace('n0', 'anna', 0);
    t.reply('n0', answer('v1'), 1);
    t.reply('n0', answer('v2'), 2);

    t.openRace('n1', 'anna', 100);
    expect(types(t.reply('n1', answer('v1'), 101))).toEqual(['reply', 'winner']); // still waits for v2
    t.closeDue(350);

    t.openRace('n2', 'anna', 5000);
    expect(types(t.reply('n2', answer('v1'), 5001))).toEqual(['reply', 'winner', 'summary']);
  });

  it('lists, in its summary, the versions that answered recently but not this race (ads-v2 was stopped)', () => {
    const t = table({ rosterWindowMs: 1000, noAnswerWindowMs: 60_000 });
    t.openRace('n0', 'anna', 0);
    t.reply('n0', answer('v1'), 1);
    t.reply('n0', answer('v2'), 2);
    t.reply('n0', answer('v3', true), 3);

    // v2 and v3 stopped; v1 answers alone. The race waits for them until its deadline...
    t.openRace('n1', 'anna', 100);
    t.reply('n1', answer('v1'), 101);
    expect(noAnswerOf(t.closeDue(100 + DEADLINE))).toEqual(['v2', 'v3']);
    // ...and, once they are no longer waited for, closes at once, still naming them.
    t.openRace('n2', 'anna', 5000);
    expect(noAnswerOf(t.reply('n2', answer('v1'), 5001))).toEqual(['v2', 'v3']);
    // A minute after its last answer, a stopped version is forgotten.
    t.openRace('n3', 'anna', 60_003);
    expect(noAnswerOf(t.reply('n3', answer('v1'), 60_004))).toEqual([]);
  });

  it('takes a version off the no-answer list of a race when its answer comes late', () => {
    const t = table();
    t.openRace('n0', 'anna', 0);
    t.reply('n0', answer('v1'), 1);
    t.reply('n0', answer('v2'), 2);
    t.openRace('n1', 'anna', 10);
    t.reply('n1', answer('v1'), 11);
    expect(noAnswerOf(t.closeDue(10 + DEADLINE))).toEqual(['v2']);
    expect(noAnswerOf(t.reply('n1', answer('v2'), 400))).toEqual([]);
  });

  it('names no version as missing before any has answered', () => {
    const t = table();
    t.openRace('n1', 'anna', 0);
    expect(noAnswerOf(t.closeDue(DEADLINE))).toEqual([]);
  });

  it('records one reply per version and ignores duplicates and unknown needs', () => {
    const t = table();
    t.openRace('n1', 'anna', 0);
    t.reply('n1', answer('v1'), 1);
    expect(t.reply('n1', answer('v1'), 2)).toEqual([{ type: 'ignored', needId: 'n1', version: 'v1', reason: 'duplicate' }]);
    expect(t.reply('n-other', answer('v1'), 2)).toEqual([{ type: 'ignored', needId: 'n-other', version: 'v1', reason: 'unknown need' }]);
    expect(t.knows('n1')).toBe(true);
    expect(t.knows('n-other')).toBe(false);
  });

  it('reports the next deadline, oldest race first', () => {
    const t = table();
    expect(t.nextDeadline()).toBeUndefined();
    t.openRace('n1', 'anna', 10);
    t.openRace('n2', 'anna', 20);
    expect(t.nextDeadline()).toBe(10 + DEADLINE);
  });
});

describe('the race table', () => {
  it('does not grow when replies go missing', () => {
    const t = table();
    for (let i = 0; i < 10_000; i++) t.openRace(`n${i}`, 'anna', i / 10);
    const events = t.closeDue(1000 + DEADLINE);
    expect(events.filter((e) => e.type === 'fallback')).toHaveLength(10_000);
    expect(t.openCount).toBe(0);
    t.closeDue(1000 + DEADLINE + 5_001);
    expect(t.closedCount).toBe(0);
  });

  it('closes the oldest race when too many are open', () => {
    const t = table({ maxOpenRaces: 2 });
    t.openRace('n1', 'anna', 0);
    t.openRace('n2', 'anna', 1);
    const events = t.openRace('n3', 'anna', 2);
    expect(events.map((e) => e.type === 'fallback' && e.race.needId)).toContain('n1');
    expect(t.openCount).toBe(2);
  });

  it('remembers a bounded number of closed races, however many late and duplicate replies arrive', () => {
    const t = table({ maxClosedRaces: 100 });
    for (let i = 0; i < 1000; i++) {
      t.openRace(`n${i}`, 'anna', i);
      t.reply(`n${i}`, answer('v1'), i + 0.5);
      t.reply(`n${i}`, answer('v1'), i + 0.6);
    }
    t.closeDue(2000);
    expect(t.openCount).toBe(0);
    expect(t.closedCount).toBeLessThanOrEqual(100);
    for (let i = 0; i < 1000; i++) t.reply(`n${i}`, answer('v2'), 2001);
    expect(t.closedCount).toBeLessThanOrEqual(100);
  });

  it('keeps at most one reply for each of a bounded number of versions', () => {
    const t = table({ maxRepliesPerRace: 3 });
    t.openRace('n1', 'anna', 0);
    for (let v = 0; v < 10; v++) t.reply('n1', answer(`v${v}`), 1);
    expect(t.reply('n1', answer('v99'), 2)[0]).toMatchObject({ type: 'ignored', reason: 'too many versions' });
  });
});
