import type { Locator } from 'playwright-core'
import { AppPage } from './app-page.ts'

/** "Is this the same person?": asked when someone at the site has the same name and date of birth. */
export class PossibleDuplicatePage extends AppPage {
  readonly heading = 'Is this the same person?'

  matchLink(name: string): Locator {
    return this.page.locator('main table').getByRole('link', { name, exact: true })
  }

  async addAnyway(): Promise<void> {
    await this.page.getByRole('button', { name: 'This is a different person – add them' }).click()
    await this.page.waitForLoadState()
  }

  async changeDetails(): Promise<void> {
    await this.page.getByRole('button', { name: 'Change the details' }).click()
    await this.page.waitForLoadState()
  }
}
