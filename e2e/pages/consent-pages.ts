import type { Locator, Page } from 'playwright-core'
import { AppPage } from './app-page.ts'
import { fillDate, summaryListValue, type DateParts } from './referral-pages.ts'

/** /people/{id}/consent: the decisions in force, one row per topic (and per partner organisation), and history. */
export class ConsentPage extends AppPage {
  readonly heading = 'Consent'

  static async open(page: Page, personId: string): Promise<ConsentPage> {
    await page.goto(`/people/${personId}/consent`)
    return new ConsentPage(page).verifyOnPage()
  }

  /** The status shown against a topic, e.g. "Share a health summary with probation". */
  async decisionInForce(title: string): Promise<string> {
    return summaryListValue(this.page.locator('main'), title)
  }

  /** "Record a decision" on a topic's row (its link text ends with the topic, visually hidden). */
  recordLink(title: string): Locator {
    return this.page.getByRole('link', { name: `Record a decision (${title.toLowerCase()})`, exact: true })
  }

  get recordPartnerLink(): Locator {
    return this.page.getByRole('link', { name: 'Record a decision about sharing with a partner organisation' })
  }
}

export interface ConsentDecision {
  /** The partner organisation's name, for sharing with a partner. */
  organisation?: string
  /** The radio's label: "Yes, agrees", "No, does not agree" or "Withdraws agreement given before". */
  decision: string
  decidedOn: DateParts
  /** "In person", "By phone" or "In writing". */
  method: string
  note?: string
}

/** /people/{id}/consent/{topic}/record: one decision. */
export class RecordConsentPage extends AppPage {
  readonly heading: string | RegExp

  constructor(page: Page, heading: string | RegExp) {
    super(page)
    this.heading = heading
  }

  async record(decision: ConsentDecision): Promise<void> {
    if (decision.organisation !== undefined) {
      await this.page.getByLabel('Partner organisation', { exact: true }).selectOption({ label: decision.organisation })
    }
    await this.page
      .locator('input[name="decision"]')
      .and(this.page.getByLabel(decision.decision, { exact: true }))
      .check()
    await fillDate(this.page, 'decidedOn', decision.decidedOn)
    await this.page
      .locator('input[name="method"]')
      .and(this.page.getByLabel(decision.method, { exact: true }))
      .check()
    if (decision.note !== undefined) await this.page.getByLabel('Note (optional)').fill(decision.note)
    await this.page.getByRole('button', { name: 'Record decision' }).click()
    await this.page.waitForLoadState()
  }
}
