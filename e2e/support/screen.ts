import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'

/** A 375px phone screen with JavaScript off: the hardest way in a journey must still work. */
export const narrowScreen = { javaScriptEnabled: false, viewport: { width: 375, height: 812 } }

/** Nothing wider than the screen: the page never scrolls sideways. */
export async function assertNoSidewaysScroll(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }))
  assert.ok(
    scrollWidth <= innerWidth,
    `${page.url()} is ${String(scrollWidth)}px wide on a ${String(innerWidth)}px screen`,
  )
}

/** The UK date `days` from today, as the day, month and year boxes take it. */
export function ukDateParts(days = 0): { day: string; month: string; year: string } {
  const iso = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(
    new Date(Date.now() + days * 86_400_000),
  )
  const [year = '', month = '', day = ''] = iso.split('-')
  return { day: String(Number(day)), month: String(Number(month)), year }
}
