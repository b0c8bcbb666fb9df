import type { Locator, Page } from 'playwright-core'
import { AppPage } from './app-page.ts'
import { tableRows } from './referral-pages.ts'

export type WorklistKind = 'flags' | 'needs' | 'follow-ups' | 'referrals' | 'gp-registrations' | 'screening'

/** /worklist: the summary of counts, then one section per kind of work, most urgent first. */
export class WorklistPage extends AppPage {
  readonly heading: string | RegExp

  constructor(page: Page, heading: string | RegExp = 'Your worklist') {
    super(page)
    this.heading = heading
  }

  static async open(page: Page, query = ''): Promise<WorklistPage> {
    await page.goto(`/worklist${query}`)
    return new WorklistPage(page).verifyOnPage()
  }

  /** The section headings shown, with their totals, e.g. "Referrals to chase (1)". */
  async sectionHeadings(): Promise<string[]> {
    return this.page
      .locator('main section h2')
      .evaluateAll((headings) => headings.map((h) => h.textContent.replace(/\s+/g, ' ').trim()))
  }

  /** The summary line for a kind, e.g. "Warning signs awaiting a response: 1 (1 overdue)". */
  async summaryLine(kind: WorklistKind): Promise<string> {
    return ((await this.page.locator(`#summary-${kind}`).textContent()) ?? '').replace(/\s+/g, ' ').trim()
  }

  summaryLink(kind: WorklistKind): Locator {
    return this.page.locator(`#summary-${kind} a`)
  }

  section(kind: WorklistKind): Locator {
    return this.page.locator(`#section-${kind}`)
  }

  /** Due, person and details of each row of a section. */
  async rows(kind: WorklistKind): Promise<string[][]> {
    const table = this.page.locator(`#section-${kind}-table`)
    if ((await table.count()) === 0) return []
    return tableRows(table)
  }

  /** The link on a person's name in a section: it goes to where the item is acted on. */
  personLink(kind: WorklistKind, name: string): Locator {
    return this.section(kind).getByRole('link', { name, exact: true })
  }

  /** "Respond" on a warning sign's row (its accessible name ends with the person's name). */
  respondLink(personName: string): Locator {
    return this.section('flags').getByRole('link', {
      name: `Respond to the warning sign for ${personName}`,
      exact: true,
    })
  }

  /** "Mark as done" on a follow-up's row (its accessible name ends with the person's name). */
  markAsDoneLink(personName: string): Locator {
    return this.section('follow-ups').getByRole('link', { name: `Mark as done for ${personName}`, exact: true })
  }
}

/** /follow-ups/{id}/done. */
export class FollowUpDonePage extends AppPage {
  readonly heading = 'Mark a follow-up as done'

  get note(): Locator {
    return this.page.getByLabel('What was done?', { exact: true })
  }

  async markAsDone(note: string): Promise<void> {
    await this.note.fill(note)
    await this.page.getByRole('button', { name: 'Mark as done' }).click()
    await this.page.waitForLoadState()
  }
}
