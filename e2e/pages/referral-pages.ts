import type { Locator, Page } from 'playwright-core'
import { AppPage } from './app-page.ts'

/** A GOV.UK date input's three fields, found by the id the macro gives them (`ID-day`, `ID-month`, `ID-year`). */
export interface DateParts {
  day: string
  month: string
  year: string
}

export async function fillDate(page: Page, id: string, date: DateParts): Promise<void> {
  await page.locator(`#${id}-day`).fill(date.day)
  await page.locator(`#${id}-month`).fill(date.month)
  await page.locator(`#${id}-year`).fill(date.year)
}

const ukDateFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' })

/** The UK calendar date `days` from today as YYYY-MM-DD: the service's "today" is the UK's. */
export function ukIsoDate(days = 0): string {
  return ukDateFormat.format(new Date(Date.now() + days * 86_400_000))
}

/** The parts of the UK date `days` from today, as typed into a date input. */
export function datePartsFromToday(days = 0): DateParts {
  const [year = '', month = '', day = ''] = ukIsoDate(days).split('-')
  return { day: String(Number(day)), month: String(Number(month)), year }
}

/** The UK date `days` from today as the service writes it, e.g. "1 December 2026". */
export function govukDateFromToday(days = 0): string {
  return new Date(`${ukIsoDate(days)}T12:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  })
}

/** The text of each cell of a table's body rows, whitespace squeezed. */
export async function tableRows(table: Locator): Promise<string[][]> {
  return table
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) =>
        Array.from(row.querySelectorAll<HTMLElement>('th, td')).map((cell) =>
          cell.innerText.replace(/\s+/g, ' ').trim(),
        ),
      ),
    )
}

/** The value of a summary-list row by its key, whitespace squeezed. */
export async function summaryListValue(scope: Locator, key: string): Promise<string> {
  const row = scope
    .locator('.govuk-summary-list__row')
    .filter({ has: scope.page().locator('.govuk-summary-list__key', { hasText: key }) })
    .first()
  return (await row.locator('.govuk-summary-list__value').innerText()).replace(/\s+/g, ' ').trim()
}

/** /people/{id}/referrals: the person's referrals with status and chase date, and "Make a referral". */
export class PersonReferralsPage extends AppPage {
  readonly heading = 'Referrals'

  static async open(page: Page, personId: string): Promise<PersonReferralsPage> {
    await page.goto(`/people/${personId}/referrals`)
    return new PersonReferralsPage(page).verifyOnPage()
  }

  async makeReferral(): Promise<void> {
    await this.page.getByRole('button', { name: 'Make a referral' }).click()
    await this.page.waitForLoadState()
  }

  /** Service, need, status, sent and chase date of each referral, newest first. */
  async rows(): Promise<string[][]> {
    return tableRows(this.page.locator('table.hub-referrals'))
  }

  referralLink(serviceName: string): Locator {
    return this.page.locator('table.hub-referrals').getByRole('link', { name: serviceName, exact: true })
  }
}

/** /people/{id}/referrals/new: need, service, urgency and reason, then send or save as a draft. */
export class NewReferralPage extends AppPage {
  readonly heading = 'Make a referral'

  async chooseNeed(label: string): Promise<void> {
    await this.page
      .locator('input[name="needId"]')
      .and(this.page.getByLabel(label, { exact: true }))
      .check()
  }

  async chooseService(name: string): Promise<void> {
    await this.page
      .locator('input[name="serviceId"]')
      .and(this.page.getByLabel(name, { exact: true }))
      .check()
  }

  /** The hint under a service's radio (its kind, partner and consent). */
  async serviceHint(name: string): Promise<string> {
    const id = await this.page
      .locator('input[name="serviceId"]')
      .and(this.page.getByLabel(name, { exact: true }))
      .getAttribute('id')
    return ((await this.page.locator(`#${id ?? ''}-item-hint`).textContent()) ?? '').trim()
  }

  async chooseUrgency(label: 'Routine' | 'Urgent'): Promise<void> {
    await this.page
      .locator('input[name="urgency"]')
      .and(this.page.getByLabel(label, { exact: true }))
      .check()
  }

  get reason(): Locator {
    return this.page.getByLabel('Reason for referral', { exact: true })
  }

  async send(): Promise<void> {
    await this.page.getByRole('button', { name: 'Send referral' }).click()
    await this.page.waitForLoadState()
  }

  async saveAsDraft(): Promise<void> {
    await this.page.getByRole('button', { name: 'Save as draft' }).click()
    await this.page.waitForLoadState()
  }
}

/** The first step when the person has more than one confirmed need: which need (the legend is the h1). */
export class ChooseNeedPage extends AppPage {
  readonly heading = /Which need is this referral for\?$/

  async choose(label: string): Promise<void> {
    await this.page.getByLabel(label, { exact: true }).check()
    await this.page.getByRole('button', { name: 'Continue' }).click()
    await this.page.waitForLoadState()
  }
}

export interface Progress {
  /** The radio's label, e.g. "The service accepted the referral". */
  what: string
  /** When it happened. The service requires it (a blank date is refused); left out, the fields are not touched. */
  at?: DateParts
  /** The first appointment's date, when booking. */
  appointmentOn?: DateParts
  reason?: string
}

/** /referrals/{id}: the referral, the person, "Update progress", the chase date and the changelog. */
export class ReferralPage extends AppPage {
  readonly heading: string

  constructor(page: Page, serviceName: string) {
    super(page)
    this.heading = `Referral to ${serviceName}`
  }

  static async open(page: Page, referralId: string, serviceName: string): Promise<ReferralPage> {
    await page.goto(`/referrals/${referralId}`)
    return new ReferralPage(page, serviceName).verifyOnPage()
  }

  /** A value in the referral's summary list ("Status", "Chase date", "First appointment", ...). */
  async value(key: string): Promise<string> {
    return summaryListValue(this.page.locator('#referral-summary'), key)
  }

  get consentState(): Locator {
    return this.page.locator('#consent-state')
  }

  /** The options offered under "What has happened?". */
  async progressOptions(): Promise<string[]> {
    return this.page
      .locator('input[name="to"]')
      .evaluateAll((inputs: HTMLInputElement[]) =>
        inputs.map((input) => (input.labels?.[0]?.textContent ?? '').replace(/\s+/g, ' ').trim()),
      )
  }

  /** What is in a date input's three fields (kept after an error). */
  async dateEntered(id: string): Promise<DateParts> {
    return {
      day: await this.page.locator(`#${id}-day`).inputValue(),
      month: await this.page.locator(`#${id}-month`).inputValue(),
      year: await this.page.locator(`#${id}-year`).inputValue(),
    }
  }

  /** Whether a "What has happened?" option is chosen. */
  async isChosen(what: string): Promise<boolean> {
    return this.page
      .locator('input[name="to"]')
      .and(this.page.getByLabel(what, { exact: true }))
      .isChecked()
  }

  /** The hint under "When did it happen?". */
  async dateHint(): Promise<string> {
    return ((await this.page.locator('#at-hint').textContent()) ?? '').replace(/\s+/g, ' ').trim()
  }

  async fillProgress(progress: Progress): Promise<void> {
    await this.page
      .locator('input[name="to"]')
      .and(this.page.getByLabel(progress.what, { exact: true }))
      .check()
    if (progress.at !== undefined) await fillDate(this.page, 'at', progress.at)
    if (progress.appointmentOn !== undefined) await fillDate(this.page, 'appointmentOn', progress.appointmentOn)
    if (progress.reason !== undefined) await this.page.locator('#reason').fill(progress.reason)
  }

  async saveProgress(): Promise<void> {
    await this.page.getByRole('button', { name: 'Save progress' }).click()
    await this.page.waitForLoadState()
  }

  /** Records a change and waits for the referral page to come back. */
  async recordProgress(progress: Progress): Promise<void> {
    await this.fillProgress(progress)
    await this.saveProgress()
  }

  /** Date, change, reason and who recorded it, newest first. */
  async changelog(): Promise<string[][]> {
    return tableRows(this.page.locator('#changelog'))
  }

  async print(): Promise<void> {
    await this.page.locator('#print-link').click()
    await this.page.waitForLoadState()
  }
}

/** /referrals/{id}/print: the letter for the receiving service. */
export class ReferralPrintPage extends AppPage {
  readonly heading: string

  constructor(page: Page, serviceName: string) {
    super(page)
    this.heading = `Referral to ${serviceName}`
  }

  override async verifyOnPage(): Promise<this> {
    await this.page.locator('#print-hint').waitFor({ state: 'visible', timeout: 5000 })
    return super.verifyOnPage()
  }

  async value(key: string): Promise<string> {
    return summaryListValue(this.page.locator('#referral-letter'), key)
  }
}

/** /referrals: a partner's "Referrals to your organisation", or a site's referrals for the hub. */
export class ReferralListPage extends AppPage {
  readonly heading: string | RegExp

  constructor(page: Page, heading: string | RegExp = 'Referrals to your organisation') {
    super(page)
    this.heading = heading
  }

  /** Person, service, status, sent and chase date of each referral listed. */
  async rows(): Promise<string[][]> {
    const table = this.page.locator('#referrals')
    if ((await table.count()) === 0) return []
    return tableRows(table)
  }

  async resultCount(): Promise<string> {
    return ((await this.page.locator('#result-count').textContent()) ?? '').trim()
  }

  personLink(name: string): Locator {
    return this.page.locator('#referrals').getByRole('link', { name, exact: true })
  }
}
