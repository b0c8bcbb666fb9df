import type { Locator, Page } from 'playwright-core'
import { AppPage } from './app-page.ts'

/** The administrators' list of screening instruments, with the licence permission recorded for each. */
export class InstrumentsPage extends AppPage {
  readonly heading = 'Screening instruments'

  static async open(page: Page): Promise<InstrumentsPage> {
    await page.goto('/admin/instruments')
    return new InstrumentsPage(page).verifyOnPage()
  }

  card(code: string): Locator {
    return this.page.locator(`#instrument-${code}`)
  }

  /** The value of one row of an instrument's card, by its key ("Can be used", "Permission reference"). */
  async row(code: string, key: string): Promise<string> {
    const row = this.card(code)
      .locator('.govuk-summary-list__row')
      .filter({
        has: this.page.locator('.govuk-summary-list__key', { hasText: key }),
      })
    return ((await row.locator('.govuk-summary-list__value').textContent()) ?? '').replace(/\s+/g, ' ').trim()
  }

  async recordPermission(code: string): Promise<void> {
    await this.card(code)
      .getByRole('link', { name: /^Record permission/ })
      .click()
    await this.page.waitForLoadState()
  }

  async revokePermission(code: string): Promise<void> {
    await this.card(code)
      .getByRole('link', { name: /^Revoke permission/ })
      .click()
    await this.page.waitForLoadState()
  }
}

export class RecordPermissionPage extends AppPage {
  readonly heading = 'Record the licence holder’s permission'

  async record(reference: string): Promise<void> {
    await this.page.getByLabel('Permission reference').fill(reference)
    await this.page.getByRole('button', { name: 'Record permission' }).click()
    await this.page.waitForLoadState()
  }
}

export class RevokePermissionPage extends AppPage {
  readonly heading = /^Are you sure you want to revoke permission to use /

  get warning(): Locator {
    return this.page.locator('.govuk-warning-text')
  }

  async confirm(): Promise<void> {
    await this.page.getByRole('button', { name: 'Yes, revoke permission' }).click()
    await this.page.waitForLoadState()
  }
}
