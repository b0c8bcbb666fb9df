import type { Page } from 'playwright-core'
import { AppPage } from './app-page.ts'

export class AuditLogPage extends AppPage {
  readonly heading = 'Audit log'

  static async open(page: Page): Promise<AuditLogPage> {
    await page.goto('/audit')
    return new AuditLogPage(page).verifyOnPage()
  }

  /** Every row of the events table as its cells' text. */
  async events(): Promise<string[][]> {
    return this.page
      .locator('#audit-events tbody tr')
      .evaluateAll((rows) =>
        rows.map((tr) =>
          [...tr.querySelectorAll('td, th')].map((cell) => cell.textContent.replace(/\s+/g, ' ').trim()),
        ),
      )
  }

  async filterByActor(email: string): Promise<void> {
    await this.page.getByLabel('Staff email address').fill(email)
    await this.page.getByRole('button', { name: 'Apply filters' }).click()
    await this.page.waitForLoadState()
  }
}
