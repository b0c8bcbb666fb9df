import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { startHub, type Hub } from './support/hub.ts'
import { AppPage } from './pages/app-page.ts'

let hub: Hub

before(async () => {
  hub = await startHub()
})

after(async () => {
  await hub.close()
})

class ApiReferencePage extends AppPage {
  readonly heading = 'API reference'
}

test('the API reference reads as a page, on a 375px screen without JavaScript, and links the JSON', async () => {
  const page = await hub.newPage({ javaScriptEnabled: false, viewport: { width: 375, height: 812 } })
  await page.goto('/api/docs')
  await new ApiReferencePage(page).verifyOnPage()
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }))
  assert.ok(scrollWidth <= innerWidth, `the page is ${String(scrollWidth)}px wide on a ${String(innerWidth)}px screen`)
  const json = await page.request.get('/api/docs/openapi.json')
  assert.equal(json.status(), 200)
  assert.equal(((await json.json()) as { openapi: string }).openapi, '3.1.0')
})
