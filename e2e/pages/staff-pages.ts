import type { Page } from 'playwright-core'
import { AppPage } from './app-page.ts'

export class StaffUsersPage extends AppPage {
  readonly heading = 'Staff users'

  static async open(page: Page): Promise<StaffUsersPage> {
    await page.goto('/admin/users')
    return new StaffUsersPage(page).verifyOnPage()
  }

  async addUser(): Promise<void> {
    await this.page.getByRole('button', { name: 'Add a staff user' }).click()
    await this.page.waitForLoadState()
  }

  /** The emails in the users table, in order. */
  async emails(): Promise<string[]> {
    return this.page
      .locator('#staff-users tbody tr td:nth-child(2)')
      .evaluateAll((cells) => cells.map((td) => td.textContent.trim()))
  }
}

export class NewStaffUserPage extends AppPage {
  readonly heading = 'Add a staff user'

  async fill(user: { email?: string; fullName?: string; role?: string; sites?: string[] }): Promise<void> {
    if (user.email !== undefined) await this.page.getByLabel('Email address').fill(user.email)
    if (user.fullName !== undefined) await this.page.getByLabel('Full name').fill(user.fullName)
    if (user.role !== undefined) await this.page.getByRole('radio', { name: user.role, exact: true }).check()
    for (const site of user.sites ?? []) await this.page.getByRole('checkbox', { name: site, exact: true }).check()
  }

  async submit(): Promise<void> {
    await this.page.getByRole('button', { name: 'Add user' }).click()
    await this.page.waitForLoadState()
  }
}

/** Shown once after adding a user without a password: the generated one. */
export class StaffUserAddedPage extends AppPage {
  readonly heading = 'Staff user added'

  async generatedPassword(): Promise<string> {
    return ((await this.page.locator('#generated-password').textContent()) ?? '').trim()
  }
}

export class StaffUserPage extends AppPage {
  readonly heading: string

  constructor(page: Page, name: string) {
    super(page)
    this.heading = name
  }
}

export class AccessRequestsPage extends AppPage {
  readonly heading = 'Access requests'

  static async open(page: Page): Promise<AccessRequestsPage> {
    await page.goto('/access-requests')
    return new AccessRequestsPage(page).verifyOnPage()
  }

  async openRequestFor(staffName: string): Promise<void> {
    await this.page.getByRole('link', { name: staffName }).click()
    await this.page.waitForLoadState()
  }
}

export class AccessRequestPage extends AppPage {
  readonly heading: string

  constructor(page: Page, staffName: string) {
    super(page)
    this.heading = `Access request for ${staffName}`
  }

  async approve(): Promise<void> {
    await this.page.locator('#approve').click()
    await this.page.waitForLoadState()
  }
}
