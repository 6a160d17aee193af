import { launchChromium } from '@ad-race/chromium';
import { startStack, willUseStackQueues, type RunningStack } from '@ad-race/service-testing';
import { simulate } from '@ad-race/simulator';
import { eventually, openTestNamespace } from '@ad-race/testing';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { expectText, SCREENSHOTS, watchPage } from './browser';

/** The dashboard's texts are waited for longer than the customer page's. */
const TEXT_TIMEOUT_MS = 10_000;

/** What the charts show now: every canvas of the four, as an image. */
const chartPixels = (page: Page) => page.$$eval('.plot canvas', (canvases) => canvases.map((c) => (c as HTMLCanvasElement).toDataURL()));

describe('the dashboard, served by the monitor', () => {
  let ns: Awaited<ReturnType<typeof openTestNamespace>>;
  let stack: RunningStack;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    ns = await openTestNamespace('e2e-dashboard');
    willUseStackQueues(ns.probe);
    // A generous deadline, so both versions' answers count on a busy machine; snapshots twice a second.
    stack = await startStack({
      AMQP_URL: ns.url,
      BUS_NAMESPACE: ns.namespace,
      AD_DEADLINE_MS: '5000',
      DASHBOARD_INTERVAL_MS: '500',
      PAGE_VIEWS_PER_SECOND: '1000',
      SESSION_SECRET: 'a secret for the dashboard test, long enough',
    });
    browser = await launchChromium();
    page = await browser.newPage();
    await watchPage(page, problems, (message) => message.type() === 'error');
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await ns?.cleanup();
  });

  it('shows the versions alive, v3 in shadow, and "not enough data" before any race, under a strict Content-Security-Policy', async () => {
    const response = await page.goto(stack.urlOf('monitor'));
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await expectText(page.locator('#connection'), /^Live/, TEXT_TIMEOUT_MS);
    for (const version of ['v1', 'v2', 'v3']) await page.locator(`#versions-rows tr[data-service="ads"][data-version="${version}"]`).waitFor();
    await expectText(page.locator('#versions-rows tr[data-version="v3"]'), /ads v3\s*shadow/i, TEXT_TIMEOUT_MS);
    await expectText(page.locator('#versions-rows tr[data-version="v2"]'), /need v2 → solution v2/, TEXT_TIMEOUT_MS);
    expect(await page.locator('#versions-rows tr[data-version="v1"] .tag-shadow').count()).toBe(0);
    // No race yet: v2 against v1, the first two versions of the ad service, with not enough data.
    await expectText(page.locator('#verdict-overall'), /^v2 vs v1: not enough data yet$/, TEXT_TIMEOUT_MS);
    await expectText(page.locator('#verdict-rows tr').first(), /^Fitnessnot enough data0 pairs/, TEXT_TIMEOUT_MS);
    expect(problems).toEqual([]);
  });

  it('draws the race as traffic flows: charts that change, a verdict once there is enough data, the last races', async () => {
    const before = await chartPixels(page);
    // Simulated customers log in, browse and click what they like: two days in some fifteen seconds.
    let simulating = true;
    const simulation = simulate({ url: stack.url, customers: 16, days: 2, speed: 12_000, seed: 3, quiet: true }).finally(() => (simulating = false));
    await eventually(async () => {
      const after = await chartPixels(page);
      return after.length === 4 && after.every((pixels, i) => pixels !== before[i]);
    }, 15_000, 'all four charts redrawn with the traffic');
    expect(simulating).toBe(true); // they changed while the simulator ran
    const summary = await simulation;
    expect(summary.unanswered).toBe(0);
    // v1 and v2 answered the same needs, well over the 50 a verdict needs.
    await eventually(async () => (await page.locator('#verdict-overall').getAttribute('data-verdict')) !== 'not enough data', 15_000, 'a verdict');
    await expectText(page.locator('#verdict-overall'), /^v2 (is better than|is worse than|vs) v1/, TEXT_TIMEOUT_MS);
    expect(await page.locator('#verdict-rows tr').count()).toBe(3);
    for (const chart of ['win', 'latency', 'fitness']) {
      await expectText(page.locator(`[data-legend="${chart}"]`), /v1.*v2.*v3/, TEXT_TIMEOUT_MS);
    }
    await expectText(page.locator('[data-legend="ctr"]'), /v1.*v2/, TEXT_TIMEOUT_MS);
    await expectText(page.locator('#races .race').first(), /v[12] won in [\d.]+ ms/, TEXT_TIMEOUT_MS);
    expect(await page.locator('#races .race').first().locator('.lane').count()).toBeGreaterThanOrEqual(3);

    for (const [width, height] of [
      [1280, 720],
      [1920, 1080],
      [390, 844],
    ] as const) {
      await page.setViewportSize({ width, height });
      await eventually(async () => (await page.locator('.plot canvas').first().evaluate((c) => c.getBoundingClientRect().width)) <= width, 5_000, 'the charts resized');
      await page.screenshot({ path: join(SCREENSHOTS, `dashboard-${width}x${height}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 720 });
    expect(problems).toEqual([]);
  });

  it('judges the pair and the window chosen, and keeps them in the address', async () => {
    await page.locator('#pair-b').selectOption('v3');
    await expectText(page.locator('#verdict-b'), /^v3$/, TEXT_TIMEOUT_MS);
    await expectText(page.locator('#verdict-overall'), /v3/, TEXT_TIMEOUT_MS);
    await page.locator('#window').selectOption('1h');
    await eventually(async () => new URL(page.url()).search.includes('window=1h'), 5_000, 'the window in the address');
    expect(new URL(page.url()).searchParams.get('b')).toBe('v3');
    await expectText(page.locator('#connection'), /^Live/, TEXT_TIMEOUT_MS);
    await expectText(page.locator('#verdict-b'), /^v3$/, TEXT_TIMEOUT_MS);
  });

  it('says the monitor is unreachable when it stops, and keeps trying', async () => {
    const pid = stack.pidOf('monitor');
    expect(pid).toBeDefined();
    process.kill(pid!, 'SIGTERM');
    await expectText(page.locator('#connection'), /^Monitor unreachable, retrying/, TEXT_TIMEOUT_MS);
    // What it showed stays on the screen.
    expect(await page.locator('#verdict-rows tr').count()).toBe(3);
  });
});
