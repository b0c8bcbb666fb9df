import assert from 'node:assert/strict'
import { AxeBuilder } from '@axe-core/playwright'
import type { Page } from 'playwright-core'

/** WCAG 2.2 AA, as the service promises (and the success criteria of the earlier versions it includes). */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

const pagesWithoutJavaScript = new WeakSet<Page>()

/** Pages opened with JavaScript off: axe cannot run inside them (its timers never fire), so it checks a copy. */
export function markJavaScriptDisabled(page: Page): void {
  pagesWithoutJavaScript.add(page)
}

/**
 * For a page with JavaScript off, the same markup served at the same address to a page where axe can run, with
 * the service's scripts removed so the copy stays as a user without JavaScript sees it.
 */
async function scriptFreeCopy(page: Page): Promise<{ copy: Page; close: () => Promise<void> }> {
  const browser = page.context().browser()
  if (browser === null) throw new Error('The page has no browser to open a copy in')
  const html = (await page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '')
  const url = page.url()
  const context = await browser.newContext()
  await context.route(url, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
  )
  const copy = await context.newPage()
  await copy.goto(url)
  return { copy, close: () => context.close() }
}

/** Runs axe on the page as it is now and fails with every violation spelled out. */
export async function assertNoAccessibilityViolations(page: Page): Promise<void> {
  const scripted = !pagesWithoutJavaScript.has(page)
  const target = scripted ? { copy: page, close: async () => undefined } : await scriptFreeCopy(page)
  let violations
  try {
    violations = (await new AxeBuilder({ page: target.copy }).withTags(WCAG_TAGS).analyze()).violations
  } finally {
    await target.close()
  }
  if (violations.length === 0) return
  const report = violations
    .map((violation) => {
      const nodes = violation.nodes
        .map(
          (node) =>
            `      at ${node.target.join(' ')}\n        ${(node.failureSummary ?? '').replaceAll('\n', '\n        ')}`,
        )
        .join('\n')
      return `  - ${violation.id} (${violation.impact ?? 'unknown impact'}): ${violation.help}\n    ${violation.helpUrl}\n${nodes}`
    })
    .join('\n')
  const where = scripted ? page.url() : `${page.url()} (without JavaScript)`
  assert.fail(`${violations.length} accessibility violation(s) on ${where}:\n${report}`)
}
