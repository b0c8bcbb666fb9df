import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { DB, StaffRole } from '../../src/platform/db/schema.ts'
import { hashPassword, TEST_PASSWORD_COST } from '../../src/features/auth/passwords.ts'

export const TEST_PASSWORD = 'correct horse battery staple'

let counter = 0
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${randomBytes(2).toString('hex')}`

export async function givenSite(db: Kysely<DB>, overrides: { code?: string; name?: string } = {}) {
  const code = overrides.code ?? `site-${unique()}`
  return db
    .insertInto('site')
    .values({ code, name: overrides.name ?? `Site ${code}`, region: 'Test region' })
    .returning(['id', 'code', 'name'])
    .executeTakeFirstOrThrow()
}

export async function givenOrganisation(db: Kysely<DB>, overrides: { code?: string; name?: string } = {}) {
  const code = overrides.code ?? `org-${unique()}`
  return db
    .insertInto('organisation')
    .values({ code, name: overrides.name ?? `Organisation ${code}` })
    .returning(['id', 'code', 'name'])
    .executeTakeFirstOrThrow()
}

export interface GivenStaff {
  id: string
  email: string
  password: string
  role: StaffRole
}

/** A staff user who can sign in with TEST_PASSWORD, belonging to the given sites. */
export async function givenStaff(
  db: Kysely<DB>,
  role: StaffRole,
  options: { sites?: { id: string }[]; email?: string; name?: string; organisationId?: string; status?: 'active' | 'disabled' } = {},
): Promise<GivenStaff> {
  const email = options.email ?? `${role.replace('_', '-')}-${unique()}@example.nhs.uk`
  let organisationId = options.organisationId ?? null
  if (role === 'partner' && organisationId === null) organisationId = (await givenOrganisation(db)).id
  const user = await db
    .insertInto('staff_user')
    .values({
      email,
      display_name: options.name ?? `Test ${role}`,
      role,
      organisation_id: organisationId,
      password_hash: await hashPassword(TEST_PASSWORD, TEST_PASSWORD_COST),
      status: options.status ?? 'active',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (const site of options.sites ?? []) {
    await db.insertInto('staff_site').values({ staff_user_id: user.id, site_id: site.id }).execute()
  }
  return { id: user.id, email, password: TEST_PASSWORD, role }
}
