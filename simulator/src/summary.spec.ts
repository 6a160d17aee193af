import { clickThroughLine, formatDuration, formatSummary, simulatedClock, Tally, type Summary } from './summary';
import { barFields } from './terminal';

describe('the tally', () => {
  it('counts ads by who served them, house ads apart, and click-through per version', () => {
    const tally = new Tally();
    tally.loggedIn();
    tally.pageViewSent();
    tally.pageViewSent();
    tally.adShown('v1', false);
    tally.adShown('v1', true);
    tally.adShown('v2', true);
    tally.adShown('fallback', false);
    tally.adShown('shed', false);
    const counts = tally.snapshot();
    expect(counts).toEqual({
      logins: 1,
      pageViews: 2,
      ads: 5,
      byVersion: { v1: { ads: 2, clicks: 1, clickThrough: 0.5 }, v2: { ads: 1, clicks: 1, clickThrough: 1 } },
      houseAds: { fallback: 1, shed: 1 },
      clicks: 2,
      problems: 0,
    });
    expect(clickThroughLine(counts)).toBe('v1 50.0%  v2 100.0%');
  });

  it('hands out copies: later events do not change a snapshot', () => {
    const tally = new Tally();
    tally.adShown('v1', true);
    const before = tally.snapshot();
    tally.adShown('v1', false);
    expect(before.byVersion['v1']).toEqual({ ads: 1, clicks: 1, clickThrough: 1 });
  });
});

describe('what the run shows', () => {
  it('reads simulated time as a weekday and a clock', () => {
    expect(simulatedClock(0)).toBe('day 1 Mon 00:00');
    expect(simulatedClock(2 * 86_400 + 19 * 3600 + 42 * 60 + 5)).toBe('day 3 Wed 19:42');
    expect(simulatedClock(6 * 86_400 + 23 * 3600 + 59 * 60)).toBe('day 7 Sun 23:59');
    expect(simulatedClock(7 * 86_400, 7)).toBe('day 7 Sun 24:00');
    expect(simulatedClock(86_400, 1)).toBe('day 1 Mon 24:00');
  });

  it('says how long the run took', () => {
    expect(formatDuration(42_400)).toBe('42 s');
    expect(formatDuration(151_000)).toBe('2 min 31 s');
  });

  it('fills the progress bar with the clock, the ads by version, the clicks and the click-through', () => {
    const tally = new Tally();
    tally.adShown('v1', true);
    tally.adShown('fallback', false);
    const fields = barFields({ ...tally.snapshot(), phase: 'browsing', simulatedSec: 3600 * 20, days: 7, plannedPageViews: 100 });
    expect(fields).toEqual({ phase: '', clock: 'day 1 Mon 20:00', ads: 'v1 1 house 1', clicks: '1', ctr: 'v1 100.0%' });
  });

  it('sums the run up: page views, ads won and click-through per version, house ads, time', () => {
    const summary: Summary = {
      url: 'http://localhost:3000',
      customers: 30,
      days: 7,
      seed: 1,
      speed: 4000,
      logins: 30,
      pageViews: 1186,
      ads: 1216,
      byVersion: { v1: { ads: 500, clicks: 10, clickThrough: 0.02 }, v2: { ads: 700, clicks: 70, clickThrough: 0.1 } },
      houseAds: { fallback: 12, shed: 4 },
      clicks: 80,
      problems: 0,
      unanswered: 0,
      elapsedMs: 153_000,
    };
    const text = formatSummary(summary);
    expect(text).toContain('Simulated 7 days of 30 customers (seed 1, 4,000× speed) against http://localhost:3000 in 2 min 33 s');
    expect(text).toContain('1,186 page views and 30 logins: 1,216 ads, every one answered');
    expect(text).toMatch(/v1\s+500\s+41\.1%\s+10\s+2\.0%/);
    expect(text).toMatch(/v2\s+700\s+57\.6%\s+70\s+10\.0%/);
    expect(text).toMatch(/house ad\s+16\s+1\.3%\s+\(12 too late, 4 shed\)/);
    expect(formatSummary({ ...summary, unanswered: 3 })).toContain('3 unanswered');
  });
});
