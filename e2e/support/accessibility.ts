import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { AxeBuilder } from '@axe-core/playwright'
import type { Browser, Page, ViewportSize } from 'playwright-core'

/** WCAG 2.2 AA, as the service promises (and the success criteria of the earlier versions it includes). */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

const pagesWithoutJavaScript = new WeakSet<Page>()

/** Pages opened with JavaScript off: axe cannot run inside them (its timers never fire), so it checks a copy. */
export function markJavaScriptDisabled(page: Page): void {
  pagesWithoutJavaScript.add(page)
}

/** A page where axe can run, kept per browser and window size, with the markup to serve at each address. */
interface Checker {
  page: Page
  markup: Map<string, string>
}

const checkers = new WeakMap<Browser, Map<string, Promise<Checker>>>()

function checkerFor(browser: Browser, viewport: ViewportSize | null): Promise<Checker> {
  let bySize = checkers.get(browser)
  if (bySize === undefined) {
    bySize = new Map()
    checkers.set(browser, bySize)
  }
  const size = viewport === null ? 'default' : `${viewport.width}x${viewport.height}`
  let checker = bySize.get(size)
  if (checker === undefined) {
    checker = (async () => {
      const context = await browser.newContext(viewport === null ? {} : { viewport })
      const markup = new Map<string, string>()
      // The document comes from the copy; its styles, fonts and images from the service, as the user's page had them.
      await context.route('**/*', async (route) => {
        const html = route.request().isNavigationRequest() ? markup.get(route.request().url()) : undefined
        if (html === undefined) await route.continue()
        else await route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html })
      })
      return { page: await context.newPage(), markup }
    })()
    bySize.set(size, checker)
  }
  return checker
}

/**
 * For a page with JavaScript off, the same markup served at the same address, in a window of the same size, to a
 * page where axe can run, with the service's scripts removed so the copy stays as a user without JavaScript sees it.
 */
async function scriptFreeCopy(page: Page): Promise<Page> {
  const browser = page.context().browser()
  if (browser === null) throw new Error('The page has no browser to open a copy in')
  const html = (await page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '')
  const url = page.url().split('#')[0] ?? page.url()
  const checker = await checkerFor(browser, page.viewportSize())
  checker.markup.set(url, html)
  try {
    await checker.page.goto(url)
  } finally {
    checker.markup.delete(url)
  }
  return checker.page
}

/**
 * Markup already found free of violations in this test file, as seen at one window size with or without JavaScript.
 * axe's findings depend only on the document and the window it is laid out in, so a page shown again exactly as it
 * was (a sign-in page, a list revisited unchanged) need not be checked twice; any change to it is checked afresh.
 */
const passedMarkup = new Set<string>()

/** The document as axe would see it, less the one part that changes on every visit (the CSRF token). */
async function markupKey(page: Page, scripted: boolean): Promise<string> {
  const html = (await page.content()).replace(/(name="_csrf"[^>]*value=")[^"]*"/g, '$1"')
  const size = page.viewportSize()
  const window = size === null ? 'default' : `${size.width}x${size.height}`
  return createHash('sha256')
    .update(`${window} ${scripted ? 'js' : 'no-js'}\n${html}`)
    .digest('hex')
}

/** Runs axe on the page as it is now and fails with every violation spelled out. */
export async function assertNoAccessibilityViolations(page: Page): Promise<void> {
  const scripted = !pagesWithoutJavaScript.has(page)
  const key = await markupKey(page, scripted)
  if (passedMarkup.has(key)) return
  const target = scripted ? page : await scriptFreeCopy(page)
  // Legacy mode runs axe in the page itself; the default opens a blank page to combine the results of each frame,
  // which costs as much again and is not needed: the service's pages have no frames.
  const { violations } = await new AxeBuilder({ page: target }).withTags(WCAG_TAGS).setLegacyMode().analyze()
  if (violations.length === 0) {
    passedMarkup.add(key)
    return
  }
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
