import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { fixedClock } from '../../../test/support/clock.ts'
import type { Database } from '../../platform/db/database.ts'
import { emptyFileDatabase } from '../../../test/support/database.ts'
import { TEST_PASSWORD_COST, verifyPassword } from '../staff/index.ts'
import {
  countDemoAccounts,
  DEMO_PASSWORD,
  DemoRefusedError,
  isEmptyInstall,
  listDemoAccounts,
  seedDemo,
} from './demo.service.ts'
import { staffRoles } from '../../platform/http/roles.ts'

const TODAY = '2026-11-20'

async function freshDatabase(): Promise<Database> {
  const database = await emptyFileDatabase()
  return database
}

function seed(database: Database, people: number, extra: { seed?: string; lines?: string[] } = {}) {
  return seedDemo(
    {
      database,
      clock: fixedClock(`${TODAY}T10:00:00Z`),
      log: (line) => extra.lines?.push(line),
      progress: false,
      passwordCost: TEST_PASSWORD_COST,
    },
    { people, ...(extra.seed === undefined ? {} : { seed: extra.seed }) },
  )
}

/** Written separately from the generator on purpose: modulus 11 as the NHS Data Dictionary states it. */
function isValidNhsNumber(value: string): boolean {
  if (!/^\d{10}$/.test(value) || /^(\d)\1{9}$/.test(value)) return false
  const digits = value.split('').map(Number)
  const sum = digits.slice(0, 9).reduce((total, digit, i) => total + digit * (10 - i), 0)
  const check = 11 - (sum % 11)
  if (check === 10) return false
  return (check === 11 ? 0 : check) === digits[9]
}

const POSTCODE =
  /^(([A-Z][0-9]{1,2})|(([A-Z][A-HJ-Y][0-9]{1,2})|(([A-Z][0-9][A-Z])|([A-Z][A-HJ-Y][0-9]?[A-Z])))) [0-9][ABD-HJLNP-UW-Z]{2}$/

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000)
}

describe('seedDemo', () => {
  test('creates the four pilot sites and one demo account per role, all signing in with the demo password', async () => {
    const database = await freshDatabase()
    assert.equal(await isEmptyInstall(database.db), true)

    const result = await seed(database, 0)

    assert.equal(result.sites, 4)
    assert.equal(result.people, 0)
    const sites = await database.db.selectFrom('site').select(['code', 'name']).orderBy('code').execute()
    assert.deepEqual(
      sites.map((s) => s.code),
      ['cambridge', 'hammersmith', 'ilfracombe', 'middlesbrough'],
    )
    assert.ok(sites.every((s) => s.name.endsWith('Health Hub')))
    const contacts = await database.db.selectFrom('site').select(['code', 'town', 'postcode', 'phone']).execute()
    assert.ok(
      contacts.every((s) => s.town !== null && s.postcode !== null && s.phone !== null),
      'every demo site has an address and phone number',
    )

    for (const role of staffRoles)
      assert.ok(
        result.accounts.some((a) => a.role === role),
        `an account for ${role}`,
      )
    assert.ok(result.accounts.every((a) => a.email.endsWith('@demo.hub.invalid') && a.password === DEMO_PASSWORD))
    assert.ok(DEMO_PASSWORD.length >= 12)

    const staff = await database.db
      .selectFrom('staff_user')
      .select(['id', 'email', 'role', 'is_demo', 'password_hash', 'organisation_id'])
      .execute()
    assert.ok(staff.every((s) => s.is_demo))
    const hash = staff.find((s) => s.email === 'clinician@demo.hub.invalid')?.password_hash
    assert.ok(hash !== undefined && hash !== null && (await verifyPassword(DEMO_PASSWORD, hash)))
    assert.notEqual(staff.find((s) => s.role === 'partner')?.organisation_id ?? null, null)

    const siteCount = async (email: string) => {
      const user = staff.find((s) => s.email === email)
      assert.ok(user !== undefined, email)
      return (
        await database.db.selectFrom('staff_site').select('site_id').where('staff_user_id', '=', user.id).execute()
      ).length
    }
    assert.equal(await siteCount('clinician@demo.hub.invalid'), 4)
    assert.equal(await siteCount('clinician-cambridge@demo.hub.invalid'), 1)
    assert.equal(await siteCount('practitioner-middlesbrough-1@demo.hub.invalid'), 1)

    assert.deepEqual(await listDemoAccounts(database.db), result.accounts)
    assert.ok((await countDemoAccounts(database.db)) > result.accounts.length)
    assert.equal(await isEmptyInstall(database.db), false)
  })

  test('loads people with valid, unique CRNs and test-range NHS numbers that satisfy every constraint', async () => {
    const database = await freshDatabase()
    const lines: string[] = []

    const result = await seed(database, 300, { lines })

    assert.equal(result.people, 300)
    assert.ok(lines.some((line) => line.includes('300')))
    const people = await database.db.selectFrom('person').selectAll().execute()
    assert.equal(people.length, 300)
    assert.equal(new Set(people.map((p) => p.crn)).size, 300)
    for (const person of people) {
      assert.match(person.crn, /^[A-Z]\d{6}$/)
      if (person.nhs_number !== null) {
        assert.ok(isValidNhsNumber(person.nhs_number), `${person.nhs_number} passes modulus 11`)
        assert.ok(person.nhs_number.startsWith('999'), 'only the never-issued test range')
      }
      if (person.prison_number !== null) assert.match(person.prison_number, /^[A-Z]\d{4}[A-Z]{2}$/)
      if (person.no_fixed_abode) assert.equal(person.postcode, null)
      else assert.match(person.postcode ?? '', POSTCODE)
      const age = daysBetween(person.date_of_birth, TODAY) / 365.25
      assert.ok(age >= 18 && age < 81, `age ${age}`)
      if (person.interpreter_needed) assert.notEqual(person.language, null)
    }
    const nhsNumbers = people.flatMap((p) => (p.nhs_number === null ? [] : [p.nhs_number]))
    assert.equal(new Set(nhsNumbers).size, nhsNumbers.length)
    assert.ok(nhsNumbers.length < people.length, 'some people have no NHS number')

    const practitioners = new Set(
      (
        await database.db.selectFrom('staff_user').select('id').where('role', '=', 'probation_practitioner').execute()
      ).map((s) => s.id),
    )
    assert.ok(
      people.every((p) => p.probation_practitioner_id === null || practitioners.has(p.probation_practitioner_id)),
    )
  })

  test('running again duplicates no site or account and only tops people up to the number asked for', async () => {
    const database = await freshDatabase()
    await seed(database, 120)
    const countOf = async (table: 'site' | 'staff_user' | 'staff_site' | 'organisation' | 'person') =>
      (
        await database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n
    const before = {
      site: await countOf('site'),
      staff: await countOf('staff_user'),
      memberships: await countOf('staff_site'),
      organisations: await countOf('organisation'),
    }

    // A demo database made before sites had contact details gets them on the next run.
    await database.db
      .updateTable('site')
      .set({ address_line1: null, address_line2: null, town: null, postcode: null, phone: null })
      .where('code', '=', 'cambridge')
      .execute()
    const again = await seed(database, 120)
    const cambridge = await database.db
      .selectFrom('site')
      .select(['address_line1', 'town', 'postcode', 'phone'])
      .where('code', '=', 'cambridge')
      .executeTakeFirstOrThrow()
    assert.deepEqual(cambridge, {
      address_line1: 'Abbey House',
      town: 'Cambridge',
      postcode: 'CB5 8XA',
      phone: '01632 960101',
    })
    const more = await seed(database, 200, { seed: 'a different seed' })

    assert.equal(again.people, 0)
    assert.equal(more.people, 80)
    assert.deepEqual(
      {
        site: await countOf('site'),
        staff: await countOf('staff_user'),
        memberships: await countOf('staff_site'),
        organisations: await countOf('organisation'),
      },
      before,
    )
    assert.equal(await countOf('person'), 200)
    const crns = await database.db.selectFrom('person').select('crn').execute()
    assert.equal(new Set(crns.map((c) => c.crn)).size, 200)
  })

  test('gives a few hundred people roughly the intended mix', async () => {
    const database = await freshDatabase()
    await seed(database, 600)
    const people = await database.db.selectFrom('person').selectAll().execute()
    const share = (predicate: (p: (typeof people)[number]) => boolean) =>
      people.filter(predicate).length / people.length

    const fromCustody = share((p) => p.release_date !== null)
    assert.ok(fromCustody > 0.2 && fromCustody < 0.5, `a minority from custody (${fromCustody})`)
    const withNhs = share((p) => p.nhs_number !== null)
    assert.ok(withNhs > 0.8 && withNhs < 0.95, `most have an NHS number (${withNhs})`)
    const male = share((p) => p.sex === '1')
    assert.ok(male > 0.75 && male < 0.95, `mostly men (${male})`)
    const noFixedAbode = share((p) => p.no_fixed_abode)
    assert.ok(noFixedAbode > 0.03 && noFixedAbode < 0.16, `some with no fixed abode (${noFixedAbode})`)
    const assigned = share((p) => p.probation_practitioner_id !== null)
    assert.ok(assigned > 0.88, `nearly all have a practitioner (${assigned})`)
    const interpreter = share((p) => p.interpreter_needed)
    assert.ok(interpreter > 0 && interpreter < 0.12, `some need an interpreter (${interpreter})`)
    const white = share((p) => ['A', 'B', 'C'].includes(p.ethnic_category ?? ''))
    assert.ok(white > 0.55 && white < 0.85, `ethnic categories in plausible proportions (${white} White)`)
    assert.ok(new Set(people.map((p) => p.ethnic_category)).size >= 10)

    const inReconnectWindow = people.filter((p) => {
      if (p.release_date === null) return false
      const days = daysBetween(TODAY, p.release_date)
      return days <= 84 && days >= -28
    })
    assert.ok(inReconnectWindow.length > 10, `some inside the RECONNECT window (${inReconnectWindow.length})`)

    const siteCounts = await database.db
      .selectFrom('person')
      .innerJoin('site', 'site.id', 'person.site_id')
      .select(['site.code', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('site.code')
      .execute()
    assert.equal(siteCounts.length, 4)
    assert.ok(siteCounts.every((s) => s.n > 40))
  })

  test('refuses to run when the environment is production', async () => {
    const database = await freshDatabase()
    await assert.rejects(
      seedDemo(
        {
          database,
          clock: fixedClock(`${TODAY}T10:00:00Z`),
          log: () => undefined,
          progress: false,
          appEnv: 'production',
        },
        { people: 10 },
      ),
      DemoRefusedError,
    )
    assert.equal(await isEmptyInstall(database.db), true)
  })
})
