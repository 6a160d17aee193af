import { AdmissionLimit } from './admission';

const limit = (options = {}) => new AdmissionLimit({ targetLatencyMs: 50, initialLimit: 10, minLimit: 2, ...options });

describe('the admission limit', () => {
  it('admits needs up to its limit, and another once one is settled', () => {
    const l = limit();
    expect(Array.from({ length: 12 }, () => l.admit())).toEqual([...Array(10).fill(true), false, false]);
    l.settle(5, 0);
    expect([l.admitted, l.limit]).toEqual([9, 10]);
    expect([l.admit(), l.admit()]).toEqual([true, false]);
  });

  it('grows by one for each limit’s worth of races won on time, while it is more than half in use', () => {
    const l = limit();
    for (let i = 0; i < 10; i++) l.admit();
    for (let i = 0; i < 5; i++) l.settle(5, i); // 10 down to 6 in use of 10: each adds a tenth
    expect([l.limit, l.admitted]).toEqual([10, 5]);
    for (let i = 0; i < 10; i++) {
      l.admit();
      l.settle(5, i);
    }
    expect(l.limit).toBe(11);
  });

  it('does not grow while little of it is used: a quiet spell does not lift it without end', () => {
    const l = limit();
    for (let i = 0; i < 1000; i++) {
      l.admit();
      l.settle(3, i);
    }
    expect(l.limit).toBe(10);
  });

  it('shrinks when more than a tenth of a window’s races were won late or not at all', () => {
    const l = limit();
    for (let i = 0; i < 10; i++) l.admit();
    l.settle(undefined, 1000); // no winner by the deadline: the first of a window
    for (let i = 0; i < 5; i++) l.settle(5, 1001 + i);
    expect(l.limit).toBe(10); // the window is not over
    l.settle(5, 1050); // a new window: the last one had 1 late of 6
    expect(l.limit).toBe(7);
  });

  it('does not shrink for one slow race among many on time (a garbage collection, a busy core)', () => {
    const l = limit({ initialLimit: 100 });
    for (let t = 0; t < 1000; t++) {
      l.admit();
      l.settle(t % 50 === 0 ? 80 : 5, t); // one in fifty late
    }
    expect(l.limit).toBe(100);
  });

  it('never goes below its minimum', () => {
    const l = limit();
    for (let t = 0; t < 100; t++) {
      l.admit();
      l.settle(undefined, t * 100);
    }
    expect(l.limit).toBe(2);
  });

  it('sheds the excess of a flood and keeps what it admits on time: a simulation of a bus that carries 1,200 needs a second', () => {
    // Each admitted need waits behind those in flight: it takes (in flight) / capacity (Little's law).
    const capacityPerMs = 1.2;
    const l = new AdmissionLimit({ targetLatencyMs: 50 });
    let inFlight: { settlesAt: number; latency: number }[] = [];
    let admitted = 0;
    let late = 0;
    for (let now = 0; now < 30_000; now++) {
      for (const r of inFlight.filter((r) => r.settlesAt <= now)) l.settle(r.latency, now);
      inFlight = inFlight.filter((r) => r.settlesAt > now);
      // Offered: four times what the bus carries.
      for (let k = 0; k < 4.8; k++) {
        if (!l.admit()) continue;
        const latency = (inFlight.length + 1) / capacityPerMs;
        inFlight.push({ settlesAt: now + latency, latency });
        if (now >= 10_000) {
          admitted++;
          if (latency > 50) late++;
        }
      }
    }
    expect(admitted / 20).toBeGreaterThan(1100); // nearly all the bus carries, a second
    expect(late / admitted).toBeLessThan(0.1);
  });
});
