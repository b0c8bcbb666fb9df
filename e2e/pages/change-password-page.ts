import { AppPage } from './app-page.ts'

export class ChangePasswordPage extends AppPage {
  readonly heading = 'Change your password'

  async change(current: string, next: string, confirm: string = next): Promise<void> {
    await this.page.getByLabel('Current password').fill(current)
    await this.page.getByLabel('New password', { exact: true }).fill(next)
    await this.page.getByLabel('Confirm new password').fill(confirm)
    await this.page.getByRole('button', { name: 'Change password' }).click()
    await this.page.waitForLoadState()
  }
}
