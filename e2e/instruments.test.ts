import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { givenStaff, type GivenStaff } from '../test/support/builders.ts'
import { startHub, type Hub } from './support/hub.ts'
import { signedInPage } from './support/sign-in.ts'
import { InstrumentsPage, RecordPermissionPage, RevokePermissionPage } from './pages/instrument-pages.ts'
import { StaffUsersPage } from './pages/staff-pages.ts'

let hub: Hub
let admin: GivenStaff

before(async () => {
  hub = await startHub()
  admin = await givenStaff(hub.database.db, 'admin', { name: 'Ash Administrator' })
})

after(async () => {
  await hub.close()
})

/** Nothing wider than the screen: the page never scrolls sideways. */
async function assertNoSidewaysScroll(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }))
  assert.ok(
    scrollWidth <= innerWidth,
    `${page.url()} is ${String(scrollWidth)}px wide on a ${String(innerWidth)}px screen`,
  )
}

for (const journey of [
  { name: 'with JavaScript', options: {} },
  {
    name: 'without JavaScript, on a 375px screen',
    options: { javaScriptEnabled: false, viewport: { width: 375, height: 812 } },
  },
]) {
  test(`an administrator records permission for DAST-10, sees it enabled, then revokes it (${journey.name})`, async () => {
    const page = await signedInPage(hub, admin, journey.options)
    const narrow = journey.options.viewport !== undefined
    await new StaffUsersPage(page).verifyOnPage()
    await page.locator('.govuk-service-navigation').getByRole('link', { name: 'Screening instruments' }).click()
    const list = await new InstrumentsPage(page).verifyOnPage()
    if (narrow) await assertNoSidewaysScroll(page)
    assert.equal(await list.row('dast-10', 'Can be used'), 'Cannot be used')

    await list.recordPermission('dast-10')
    const form = await new RecordPermissionPage(page).verifyOnPage()
    if (narrow) await assertNoSidewaysScroll(page)
    await form.record('')
    await form.verifyOnPage()
    assert.match(await form.title(), /^Error: /)
    assert.deepEqual(await form.errorSummaryLinks(), [{ text: 'Enter the permission reference', href: '#reference' }])
    await form.record('Letter from Dr Skinner, CAMH, 3 November 2026 (file LIC-0042)')

    const enabled = await new InstrumentsPage(page).verifyOnPage()
    assert.match(
      (await enabled.notificationBanner.textContent()) ?? '',
      /Permission recorded: Drug Abuse Screening Test \(DAST-10\) can now be used in health checks/,
    )
    assert.equal(await enabled.row('dast-10', 'Can be used'), 'Can be used')
    assert.equal(
      await enabled.row('dast-10', 'Permission reference'),
      'Letter from Dr Skinner, CAMH, 3 November 2026 (file LIC-0042)',
    )
    assert.equal(await enabled.row('dast-10', 'Recorded by'), 'Ash Administrator')

    await enabled.revokePermission('dast-10')
    const confirm = await new RevokePermissionPage(page).verifyOnPage()
    if (narrow) await assertNoSidewaysScroll(page)
    assert.match((await confirm.warning.textContent()) ?? '', /Health checks will no longer be able to use/)
    await confirm.confirm()

    const revoked = await new InstrumentsPage(page).verifyOnPage()
    assert.match((await revoked.notificationBanner.textContent()) ?? '', /Permission revoked/)
    assert.equal(await revoked.row('dast-10', 'Can be used'), 'Cannot be used')
    assert.equal(await revoked.row('dast-10', 'Permission reference'), 'None recorded')
  })
}
