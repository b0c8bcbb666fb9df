import type { Locator, Page } from 'playwright-core'
import { AppPage } from './app-page.ts'
import { tableRows } from './referral-pages.ts'

/**
 * /people/{id}/summary: "Health summary" for a probation practitioner, "What probation sees" (a preview) for the
 * health team.
 */
export class HealthSummaryPage extends AppPage {
  readonly heading: string

  constructor(page: Page, heading: 'Health summary' | 'What probation sees' = 'Health summary') {
    super(page)
    this.heading = heading
  }

  static async open(
    page: Page,
    personId: string,
    heading: 'Health summary' | 'What probation sees' = 'Health summary',
  ): Promise<HealthSummaryPage> {
    await page.goto(`/people/${personId}/summary`)
    return new HealthSummaryPage(page, heading).verifyOnPage()
  }

  /** Need and date identified, one row per kind of need. */
  async needs(): Promise<string[][]> {
    return tableRows(this.page.locator('#needs'))
  }

  /** Service, status, sent and whether the first appointment was kept. */
  async referrals(): Promise<string[][]> {
    return tableRows(this.page.locator('#referrals'))
  }

  get summary(): Locator {
    return this.page.locator('#summary')
  }

  get notShared(): Locator {
    return this.page.locator('#not-shared')
  }

  async mainText(): Promise<string> {
    return ((await this.page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ')
  }
}
