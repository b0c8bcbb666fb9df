import assert from 'node:assert/strict'
import type { Locator, Page } from 'playwright-core'
import { assertNoAccessibilityViolations } from '../support/accessibility.ts'

/**
 * A page of the service. `verifyOnPage()` checks that the browser is on it (by its h1) and that it passes axe,
 * so every page a journey visits is checked for accessibility.
 */
export abstract class AppPage {
  readonly page: Page
  abstract readonly heading: string | RegExp

  constructor(page: Page) {
    this.page = page
  }

  async verifyOnPage(): Promise<this> {
    const h1 = (await this.page.locator('h1').first().textContent({ timeout: 5000 }))?.trim() ?? ''
    if (typeof this.heading === 'string') assert.equal(h1, this.heading, `expected the h1 on ${this.page.url()}`)
    else assert.match(h1, this.heading, `expected the h1 on ${this.page.url()}`)
    await assertNoAccessibilityViolations(this.page)
    return this
  }

  get errorSummary(): Locator {
    return this.page.locator('.govuk-error-summary')
  }

  async errorSummaryLinks(): Promise<{ text: string; href: string }[]> {
    const links = this.page.locator('.govuk-error-summary__list a')
    return links.evaluateAll((anchors) =>
      anchors.map((a) => ({ text: a.textContent.trim(), href: a.getAttribute('href') ?? '' })),
    )
  }

  /** The success banner shown after an action (a flash message). */
  get notificationBanner(): Locator {
    return this.page.locator('.govuk-notification-banner')
  }

  navigationLink(name: string): Locator {
    return this.page.locator('.govuk-service-navigation').getByRole('link', { name, exact: true })
  }

  async signOut(): Promise<void> {
    await this.page.locator('.govuk-service-navigation').getByRole('button', { name: 'Sign out' }).click()
  }

  async title(): Promise<string> {
    return this.page.title()
  }
}
