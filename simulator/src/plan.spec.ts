import { OFFERS } from '@ad-race/catalog';
import { decideClick } from './ground-truth';
import { isWeekend, PAGES, planRun, schedule, SECONDS_PER_DAY, type Plan } from './plan';

const week = (seed: number, customers = 30) => planRun({ customers, days: 7, seed });

/**
 * The clicks of a run against a stand-in for the stack that always answers a
 * page view the same way (an offer of the customer's city, picked by the
 * view's place in the plan; every third view a version the other, every
 * twentieth the house ad). What the customers choose depends on the plan and
 * the ads alone.
 */
function clicksOf(plan: Plan): boolean[] {
  return plan.views.map((view, i) => {
    const customer = plan.customers[view.customer]!;
    const offers = OFFERS.filter((o) => o.city === customer.profile.homeCity);
    const version = i % 20 === 0 ? 'fallback' : i % 3 === 0 ? 'v2' : 'v1';
    return decideClick(customer, offers[i % offers.length]!, version, view.clickDraw);
  });
}

describe('the plan of a run', () => {
  it('is the same for the same seed: customers, page views, times and click draws', () => {
    expect(week(1)).toEqual(week(1));
  });

  it('is another for another seed', () => {
    const [a, b] = [week(1), week(2)];
    expect(a.customers.map((c) => c.profile.email)).toEqual(b.customers.map((c) => c.profile.email));
    expect(a.views.map((v) => `${v.customer}@${v.atSec}`)).not.toEqual(b.views.map((v) => `${v.customer}@${v.atSec}`));
  });

  it('gives the same clicks for the same seed and the same ads, and other clicks for another seed', () => {
    const clicks = clicksOf(week(1));
    expect(clicksOf(week(1))).toEqual(clicks);
    expect(clicks.filter(Boolean).length).toBeGreaterThan(10);
    const other = clicksOf(week(2));
    expect(other).not.toEqual(clicks);
  });

  it('starts with Anna and takes the catalog’s customers in order', () => {
    const plan = week(7, 5);
    expect(plan.customers.map((c) => c.profile.email)).toEqual(['anna@example.com', 'ben@example.com', 'chloe@example.com', 'diego@example.com', 'julia.romano@example.com']);
  });

  it('keeps each customer’s days when customers or days are added', () => {
    const small = planRun({ customers: 5, days: 3, seed: 3 });
    const large = planRun({ customers: 8, days: 5, seed: 3 });
    expect(large.views.filter((v) => v.customer < 5 && v.atSec < 3 * SECONDS_PER_DAY)).toEqual(small.views);
  });

  it('holds every page view in order of time, within the simulated days, on the site’s pages', () => {
    const plan = week(1);
    expect(plan.views.length).toBeGreaterThan(500);
    plan.views.forEach((view, i) => {
      expect(view.atSec).toBeGreaterThanOrEqual(i === 0 ? 0 : plan.views[i - 1]!.atSec);
      expect(view.atSec).toBeLessThan(7 * SECONDS_PER_DAY);
      expect(PAGES).toContain(view.page);
      expect(view.clickDraw).toBeGreaterThanOrEqual(0);
      expect(view.clickDraw).toBeLessThan(1);
    });
  });

  it('has a daily rhythm: quiet nights, busy evenings', () => {
    const views = week(1).views;
    const share = (from: number, to: number) => views.filter((v) => (v.atSec % SECONDS_PER_DAY) / 3600 >= from && (v.atSec % SECONDS_PER_DAY) / 3600 < to).length / views.length;
    // Four night hours against four evening hours.
    expect(share(1, 5)).toBeLessThan(0.02);
    expect(share(18, 22)).toBeGreaterThan(0.25);
  });

  it('has habits of each customer’s own: some visit far more than others', () => {
    const plan = week(1);
    const perCustomer = plan.customers.map((_, i) => plan.views.filter((v) => v.customer === i).length);
    expect(Math.max(...perCustomer)).toBeGreaterThan(4 * Math.max(1, Math.min(...perCustomer)));
  });

  it('begins every visit at home', () => {
    const plan = week(1);
    const last = new Map<number, number>();
    for (const view of plan.views) {
      // A view more than two minutes after the customer's previous one starts a visit (pages are 8 to 118 s apart).
      const previous = last.get(view.customer);
      if (previous === undefined || view.atSec - previous > 118) expect(view.page).toBe('home');
      last.set(view.customer, view.atSec);
    }
  });

  it('knows Saturday and Sunday (day 0 is a Monday)', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(isWeekend)).toEqual([false, false, false, false, false, true, true, false]);
  });

  it('refuses impossible sizes', () => {
    expect(() => planRun({ customers: 0, days: 7, seed: 1 })).toThrow(RangeError);
    expect(() => planRun({ customers: 241, days: 7, seed: 1 })).toThrow(RangeError);
    expect(() => planRun({ customers: 5, days: 0, seed: 1 })).toThrow(RangeError);
  });
});

describe('the schedule', () => {
  const view = (customer: number, atSec: number) => ({ customer, atSec, page: 'home' as const, clickDraw: 0.5 });

  it('compresses simulated time by the speed', () => {
    const times = schedule([view(0, 0), view(1, 3600), view(0, 86_400)], 3600, 100).map((s) => s.atMs);
    expect(times).toEqual([0, 1000, 24_000]);
  });

  it('spaces one customer’s page views at least the gap apart, in their order, without holding up the others', () => {
    const scheduled = schedule([view(0, 0), view(0, 1), view(0, 2), view(1, 2)], 10_000, 125);
    expect(scheduled.map((s) => [s.view.customer, s.atMs])).toEqual([
      [0, 0],
      [1, 0.2],
      [0, 125],
      [0, 250],
    ]);
  });
});
