import { DashboardFeed, type FeedClient } from './dashboard-feed';
import type { DashboardRequest } from './dashboard-source';

describe('the live feed of the dashboards', () => {
  let now = 0;
  let made: DashboardRequest[];
  let connected: number[];
  let feed: DashboardFeed;

  const client = () => {
    const got: string[] = [];
    const c: FeedClient & { got: string[]; ended: boolean } = { got, ended: false, send: (chunk) => got.push(chunk), end: () => (c.ended = true) };
    return c;
  };

  beforeEach(() => {
    jest.useFakeTimers();
    now = 0;
    made = [];
    connected = [];
    feed = new DashboardFeed(
      (request) => {
        made.push(request);
        return JSON.stringify({ window: request.window, n: made.length });
      },
      { intervalMs: 2000, onCount: (n) => connected.push(n) },
      () => now,
    );
  });

  afterEach(() => {
    feed.close();
    jest.useRealTimers();
  });

  const tick = () => {
    now += 2000;
    jest.advanceTimersByTime(2000);
  };

  it('makes one snapshot per interval for every dashboard asking the same, and sends each the same event', () => {
    const dashboards = Array.from({ length: 5 }, client);
    for (const d of dashboards) feed.add({ window: '5m' }, d);
    expect(made).toHaveLength(1); // the first made it; the other four got the same
    tick();
    tick();
    expect(made).toHaveLength(3);
    for (const d of dashboards) {
      expect(d.got).toEqual(['event: snapshot\ndata: {"window":"5m","n":1}\n\n', 'event: snapshot\ndata: {"window":"5m","n":2}\n\n', 'event: snapshot\ndata: {"window":"5m","n":3}\n\n']);
    }
    expect(connected.at(-1)).toBe(5);
  });

  it('makes one snapshot per distinct question', () => {
    feed.add({ window: '5m' }, client());
    feed.add({ window: '1h' }, client());
    feed.add({ window: '1h' }, client());
    feed.add({ window: '1h', a: 'v1', b: 'v3' }, client());
    made = [];
    tick();
    expect(made.map((r) => `${r.window}${r.a ?? ''}${r.b ?? ''}`).sort()).toEqual(['1h', '1hv1v3', '5m']);
  });

  it('stops making snapshots once the last dashboard has gone, and counts them going', () => {
    const remove = [feed.add({ window: '5m' }, client()), feed.add({ window: '5m' }, client())];
    remove[0]!();
    remove[0]!(); // twice is once
    tick();
    expect(connected).toEqual([1, 2, 1]);
    remove[1]!();
    made = [];
    tick();
    tick();
    expect(made).toEqual([]);
    expect(connected.at(-1)).toBe(0);
  });

  it('answers a one-off request from the snapshot of this interval, or makes one', () => {
    feed.add({ window: '5m' }, client());
    expect(feed.snapshot({ window: '5m' })).toBe('{"window":"5m","n":1}');
    expect(made).toHaveLength(1);
    now += 2000;
    expect(feed.snapshot({ window: '5m' })).toBe('{"window":"5m","n":2}');
  });

  it('keeps the stream alive with a comment when a snapshot cannot be made', () => {
    const errors: unknown[] = [];
    const failing = new DashboardFeed(
      () => {
        throw new Error('the database is closed');
      },
      { intervalMs: 2000, onError: (err) => errors.push(err) },
      () => now,
    );
    const d = client();
    failing.add({ window: '5m' }, d);
    tick();
    expect(d.got).toEqual([': no snapshot\n\n']);
    expect(errors).toHaveLength(2);
    failing.close();
  });

  it('ends every stream when it closes', () => {
    const d = client();
    feed.add({ window: '5m' }, d);
    feed.close();
    expect(d.ended).toBe(true);
    expect(connected.at(-1)).toBe(0);
    made = [];
    tick();
    expect(made).toEqual([]);
  });
});
