import type { Page } from 'playwright-core'
import { AppPage } from './app-page.ts'

export class AccountPage extends AppPage {
  readonly heading = 'Your account'

  static async open(page: Page): Promise<AccountPage> {
    await page.goto('/account')
    return new AccountPage(page).verifyOnPage()
  }

  /** The value shown against a key in the summary list, e.g. "Email address". */
  async summaryValue(key: string): Promise<string> {
    const row = this.page
      .locator('.govuk-summary-list__row')
      .filter({ has: this.page.locator('.govuk-summary-list__key', { hasText: key }) })
    return ((await row.locator('.govuk-summary-list__value').textContent()) ?? '').trim()
  }
}
