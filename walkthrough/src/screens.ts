import { launchChromium } from '@ad-race/chromium';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { until } from './wait';

// The pictures of the walkthrough: what the audience sees at the end of each
// act, the customer's page or the monitor's dashboard, taken in Chromium
// (playwright-core) and written as PNG files: docs/walkthrough.md shows them.

const VIEWPORT = { width: 1280, height: 800 };
const WAIT_MS = 15_000;
/** The customer's pages, in the order the walkthrough opens them: each shot fires a race of its own. */
const PAGES = ['deals', 'my-trips', 'home'] as const;

export class Screens {
  private opened = 0;

  private constructor(
    private readonly browser: Browser,
    private readonly customer: Page,
    private readonly dashboardPage: Page,
    private readonly dir: string,
    private readonly monitor: string,
  ) {}

  /** Opens Chromium with the page logged in as `email`, and a tab for the dashboard. */
  static async open({ web, monitor, dir, email, password }: { web: string; monitor: string; dir: string; email: string; password: string }): Promise<Screens> {
    mkdirSync(dir, { recursive: true });
    const browser = await launchChromium();
    try {
      const customer = await browser.newPage({ viewport: VIEWPORT });
      await customer.goto(web);
      await customer.getByLabel('E-mail address').fill(email);
      await customer.getByLabel('Password').fill(password);
      await customer.getByRole('button', { name: 'Log in' }).click();
      await customer.locator('#ad-card .ad').waitFor({ timeout: WAIT_MS });
      const dashboardPage = await browser.newPage({ viewport: VIEWPORT });
      return new Screens(browser, customer, dashboardPage, dir, monitor);
    } catch (err) {
      await browser.close();
      throw err;
    }
  }

  /**
   * The customer opens the next page and waits for its ad and its race (the
   * photo finish); then the picture. Returns the file written.
   */
  async page(name: string): Promise<string> {
    const page = this.customer;
    const target = PAGES[this.opened++ % PAGES.length]!;
    const ad = page.locator('#ad-card .ad');
    const races = page.locator('#tally-total');
    const before = { need: await ad.getAttribute('data-need-id'), races: await races.textContent() };
    await page.locator(`#nav a[data-page="${target}"]`).click();
    // Its ad, and its race counted in the tally: the photo finish shows that race.
    await until(async () => (await ad.getAttribute('data-page')) === target && (await ad.getAttribute('data-need-id')) !== before.need && (await races.textContent()) !== before.races, WAIT_MS, `the ad and the race of ${target} for the picture`, 100);
    return this.shoot(page, name);
  }

  /** The dashboard over its five-minute window, with the verdict of b against a; then the picture. */
  async dashboard(name: string, a: string, b: string): Promise<string> {
    const page = this.dashboardPage;
    await page.goto(`${this.monitor}/?${new URLSearchParams({ window: '5m', a, b })}`);
    await page.locator('#connection[data-state="live"]').waitFor({ timeout: WAIT_MS });
    await page.locator('#races li:not(.muted)').first().waitFor({ timeout: WAIT_MS });
    await page.locator('#verdict-rows tr').first().waitFor({ timeout: WAIT_MS });
    return this.shoot(page, name);
  }

  private async shoot(page: Page, name: string): Promise<string> {
    const file = join(this.dir, `${name}.png`);
    await page.screenshot({ path: file });
    return file;
  }

  close(): Promise<void> {
    return this.browser.close();
  }
}
