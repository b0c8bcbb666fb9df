import type { Page } from 'playwright-core'
import { AppPage } from './app-page.ts'

export class SignInPage extends AppPage {
  readonly heading = 'Sign in'

  static async open(page: Page, returnTo?: string): Promise<SignInPage> {
    await page.goto(returnTo === undefined ? '/sign-in' : `/sign-in?returnTo=${encodeURIComponent(returnTo)}`)
    return new SignInPage(page).verifyOnPage()
  }

  get email() {
    return this.page.getByLabel('Email address')
  }

  get password() {
    return this.page.getByLabel('Password', { exact: true })
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.email.fill(email)
    await this.password.fill(password)
    await this.page.getByRole('button', { name: 'Sign in' }).click()
    await this.page.waitForLoadState()
  }
}
