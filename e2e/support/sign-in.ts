import type { BrowserContextOptions, Page } from 'playwright-core'
import type { GivenStaff } from '../../test/support/builders.ts'
import { SignInPage } from '../pages/sign-in-page.ts'
import type { Hub } from './hub.ts'

/** A new browser context signed in as the user through the real sign-in page. */
export async function signedInPage(hub: Hub, user: GivenStaff, options: BrowserContextOptions = {}): Promise<Page> {
  const page = await hub.newPage(options)
  const signIn = await SignInPage.open(page)
  await signIn.signIn(user.email, user.password)
  if (new URL(page.url()).pathname === '/sign-in') throw new Error(`Could not sign in as ${user.email}`)
  return page
}
