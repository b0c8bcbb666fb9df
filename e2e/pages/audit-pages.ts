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

export interface PersonSearch {
  crn?: string
  nhsNumber?: string
  familyName?: string
  dateOfBirth?: { day: string; month: string; year: string }
}

/** The auditor's "Find a person" form on the audit log page, and what it answers with. */
export class FindPersonForm {
  readonly page: Page

  constructor(page: Page) {
    this.page = page
  }

  async search(search: PersonSearch): Promise<void> {
    const form = this.page.locator('#find-person')
    if (search.crn !== undefined) await form.getByLabel('CRN (case reference number)').fill(search.crn)
    if (search.nhsNumber !== undefined) await form.getByLabel('NHS number').fill(search.nhsNumber)
    if (search.familyName !== undefined) await form.getByLabel('Family name').fill(search.familyName)
    if (search.dateOfBirth !== undefined) {
      await this.page.locator('#dateOfBirth-day').fill(search.dateOfBirth.day)
      await this.page.locator('#dateOfBirth-month').fill(search.dateOfBirth.month)
      await this.page.locator('#dateOfBirth-year').fill(search.dateOfBirth.year)
    }
    await form.getByRole('button', { name: 'Find person' }).click()
    await this.page.waitForLoadState()
  }

  /** The heading above the log once it is filtered to one person ("Events about Jo Bloggs"). */
  async chosenPerson(): Promise<string> {
    return ((await this.page.locator('#chosen-person h2').textContent()) ?? '').trim()
  }

  /** The people a search matched, as "Name | CRN | Date of birth | Site". */
  async matches(): Promise<string[]> {
    return this.page
      .locator('#matches tbody tr')
      .evaluateAll((rows) =>
        rows.map((tr) =>
          [...tr.querySelectorAll('td')]
            .map((cell, i) =>
              (i === 0 ? (cell.querySelector('a')?.firstChild?.textContent ?? '') : cell.textContent)
                .replace(/\s+/g, ' ')
                .trim(),
            )
            .join(' | '),
        ),
      )
  }

  async choose(name: string): Promise<void> {
    await this.page
      .locator('#matches')
      .getByRole('link', { name: new RegExp(`^${name} \\(`) })
      .click()
    await this.page.waitForLoadState()
  }
}

/** /people/{id}/views: who has read or changed a person's record, for their clinicians. */
export class WhoHasViewedPage extends AppPage {
  readonly heading = 'Who has viewed this record'

  /** Each row as "When | Who | What". */
  async rows(): Promise<string[]> {
    return this.page.locator('#record-views tbody tr').evaluateAll((rows) =>
      rows.map((tr) =>
        // innerText, so the line break between a name and a role reads as a space.
        [...tr.querySelectorAll('td')].map((cell) => cell.innerText.replace(/\s+/g, ' ').trim()).join(' | '),
      ),
    )
  }
}
