import type { Locator, Page } from 'playwright-core'
import { AppPage } from './app-page.ts'

/** "Record what happened": the outcome radios, with the acceptable-absence reason revealed under its option. */
export class OutcomePage extends AppPage {
  readonly heading = 'Record what happened'

  static async open(page: Page, appointmentId: string): Promise<OutcomePage> {
    await page.goto(`/appointments/${appointmentId}/outcome`)
    return new OutcomePage(page).verifyOnPage()
  }

  outcome(label: string): Locator {
    return this.page.getByLabel(label, { exact: true })
  }

  get absenceReason(): Locator {
    return this.page.getByLabel('Reason the absence was acceptable', { exact: false })
  }

  async save(): Promise<void> {
    await this.page.getByRole('button', { name: 'Save outcome' }).click()
  }
}
