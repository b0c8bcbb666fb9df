import type { Page } from 'playwright-core'
import { AppPage } from './app-page.ts'

/** A page identified only by its h1: enough for the journeys that pass through it. */
export class HeadedPage extends AppPage {
  readonly heading: string | RegExp

  constructor(page: Page, heading: string | RegExp) {
    super(page)
    this.heading = heading
  }

  link(name: string | RegExp) {
    return this.page.getByRole('link', { name })
  }

  button(name: string | RegExp) {
    return this.page.getByRole('button', { name })
  }

  field(label: string | RegExp) {
    return this.page.getByLabel(label, { exact: typeof label === 'string' })
  }

  /** A summary-list value by its key. */
  async summaryValue(key: string): Promise<string> {
    const row = this.page
      .locator('.govuk-summary-list__row')
      .filter({ has: this.page.locator('.govuk-summary-list__key', { hasText: key }) })
    return ((await row.locator('.govuk-summary-list__value').first().textContent()) ?? '').trim()
  }
}
