import type { Locator, Page } from 'playwright-core'
import { AppPage } from './app-page.ts'

export class CaseloadPage extends AppPage {
  readonly heading = 'Caseload'

  static async open(page: Page, siteCode?: string): Promise<CaseloadPage> {
    await page.goto(siteCode === undefined ? '/caseload' : `/caseload?site=${encodeURIComponent(siteCode)}`)
    return new CaseloadPage(page).verifyOnPage()
  }

  async search(text: string): Promise<void> {
    await this.page.getByLabel('Search by name, CRN or NHS number').fill(text)
    await this.page.getByRole('button', { name: 'Search', exact: true }).click()
    await this.page.waitForLoadState()
  }

  async addPerson(): Promise<void> {
    await this.page.getByRole('button', { name: 'Add a person' }).first().click()
    await this.page.waitForLoadState()
  }

  /** The names in the results table, in order. */
  async resultNames(): Promise<string[]> {
    const cells = this.page.locator('table.govuk-table tbody tr td:first-child a')
    return cells.evaluateAll((links) => links.map((a) => a.textContent.trim()))
  }

  personLink(name: string): Locator {
    return this.page.locator('table.govuk-table tbody').getByRole('link', { name, exact: true })
  }
}

export interface PersonDetails {
  crn: string
  givenName: string
  familyName: string
  preferredName?: string
  dateOfBirth: { day: string; month: string; year: string }
}

/** "Add a person" and "Change NAME’s details" share one form. */
export class PersonFormPage extends AppPage {
  readonly heading: string | RegExp

  constructor(page: Page, heading: string | RegExp = 'Add a person') {
    super(page)
    this.heading = heading
  }

  field(label: string): Locator {
    return this.page.getByLabel(label, { exact: true })
  }

  async fill(details: Partial<PersonDetails>): Promise<void> {
    if (details.crn !== undefined) await this.field('CRN (case reference number)').fill(details.crn)
    if (details.givenName !== undefined) await this.field('Given name').fill(details.givenName)
    if (details.familyName !== undefined) await this.field('Family name').fill(details.familyName)
    if (details.preferredName !== undefined) await this.field('Preferred name (optional)').fill(details.preferredName)
    if (details.dateOfBirth !== undefined) {
      await this.page.locator('#dateOfBirth-day').fill(details.dateOfBirth.day)
      await this.page.locator('#dateOfBirth-month').fill(details.dateOfBirth.month)
      await this.page.locator('#dateOfBirth-year').fill(details.dateOfBirth.year)
    }
  }

  async submit(): Promise<void> {
    await this.page.locator('form[method="post"] button[type="submit"]').last().click()
    await this.page.waitForLoadState()
  }
}

export class PersonPage extends AppPage {
  readonly heading: string

  constructor(page: Page, name: string) {
    super(page)
    this.heading = name
  }

  /** The value shown against a key in the person's summary lists, e.g. "Preferred name". */
  async summaryValue(key: string): Promise<string> {
    const row = this.page
      .locator('.govuk-summary-list__row')
      .filter({ has: this.page.locator('.govuk-summary-list__key', { hasText: key }) })
      .first()
    return ((await row.locator('.govuk-summary-list__value').textContent()) ?? '').replace(/\s+/g, ' ').trim()
  }

  /** The MoJ sub-navigation of the record's sections: each link's text, and the one marked current. */
  async sections(): Promise<{ names: string[]; current: string[] }> {
    const nav = this.page.locator('nav.moj-sub-navigation[aria-label="Sections of this record"]')
    const names = (await nav.locator('a').allTextContents()).map((t) => t.trim())
    const current = (await nav.locator('a[aria-current="page"]').allTextContents()).map((t) => t.trim())
    return { names, current }
  }

  /** The text of one part of the overview ("flags", "needs", "appointment", "consent"), white space made single. */
  async overview(part: 'flags' | 'needs' | 'appointment' | 'consent'): Promise<string> {
    const text = await this.page.locator(`#overview-${part}`).textContent()
    return (text ?? '').replace(/\s+/g, ' ').trim()
  }

  async hasOverview(part: 'flags' | 'needs' | 'appointment' | 'consent'): Promise<boolean> {
    return (await this.page.locator(`#overview-${part}`).count()) > 0
  }

  /** The Change link on the row for the key. */
  changeLink(key: string): Locator {
    return this.page
      .locator('.govuk-summary-list__row')
      .filter({ has: this.page.locator('.govuk-summary-list__key', { hasText: key }) })
      .first()
      .getByRole('link', { name: /^Change/ })
  }
}
