import { performance } from 'node:perf_hooks'
import { sql, type Kysely } from 'kysely'
import type { AppEnv } from '../../config.ts'
import type { Clock } from '../../platform/clock.ts'
import type { Database } from '../../platform/db/database.ts'
import type { DB } from '../../platform/db/schema.ts'
import { hashPassword, PRODUCTION_PASSWORD_COST, type PasswordCost } from '../staff/index.ts'
import { createSitesService } from '../sites/index.ts'
import {
  DEMO_PASSWORD,
  demoAccounts,
  demoOrganisations,
  demoSites,
  practitionerAccounts,
  type DemoAccount,
} from './demo.data.ts'
import { bulkCheckedTables, prepareDemoActivity } from './demo.activity.ts'
import { ensureDemoDirectory } from './demo.directory.ts'
import {
  demoTables,
  generatePeople,
  NHS_NUMBER_CAPACITY,
  type DemoTable,
  type PeopleContext,
} from './demo.generators.ts'
import { createProgressBar, type ProgressStream } from './demo.progress.ts'
import * as repo from './demo.repository.ts'

export { DEMO_PASSWORD } from './demo.data.ts'

export interface SeedDemoDeps {
  database: Database
  clock: Clock
  /** Plain progress lines for a person to read; never personal data. */
  log: (line: string) => void
  /** Draw a progress bar on stderr while loading people (only ever when stderr is a terminal). */
  progress: boolean
  /** Defaults to the production cost: the demo password is hashed once and the hash shared by every account. */
  passwordCost?: PasswordCost
  /** When given, 'production' is refused outright (the CLI and server also check before calling). */
  appEnv?: AppEnv
  progressStream?: ProgressStream
}

export interface SeedDemoOptions {
  /** How many people the database should hold: people are added until it has at least this many. */
  people: number
  /** Seed for the generator; the same seed gives the same people. */
  seed?: string
}

export interface DemoAccountSummary {
  email: string
  role: string
  password: string
}

export interface SeedDemoResult {
  /** The demo sites present. */
  sites: number
  /** People added by this call (0 when the database already held enough). */
  people: number
  /** The sign-in accounts to show a new user. */
  accounts: DemoAccountSummary[]
}

export class DemoRefusedError extends Error {
  constructor() {
    super('Demo data is never loaded when APP_ENV is production.')
    this.name = 'DemoRefusedError'
  }
}

export const DEFAULT_DEMO_SEED = 'probation-health-hub-demo'
/** Rows generated and copied at a time: bounds memory whatever the number of people. */
const CHUNK_SIZE = 10_000
/** From this many people, PostgreSQL loads check the activity tables' foreign keys in one pass at the end. */
const BULK_LOAD_PEOPLE = 20_000

function summarise(accounts: readonly { email: string; role: string }[]): DemoAccountSummary[] {
  return accounts.map((a) => ({ email: a.email, role: a.role, password: DEMO_PASSWORD }))
}

function siteCodesFor(account: DemoAccount): readonly string[] {
  return account.sites === 'all' ? demoSites.map((s) => s.code) : account.sites
}

/**
 * The sites, partner organisations and demo accounts. Safe to run again: nothing is duplicated, and active demo
 * accounts are reset to the demo password; disabled ones are left disabled (demo.repository.ts says why).
 */
async function ensureFoundation(
  db: Kysely<DB>,
  passwordHash: string,
): Promise<{ siteIds: Map<string, string>; practitioners: Map<string, string[]>; disabled: string[] }> {
  return db.transaction().execute(async (tx) => {
    const sites = createSitesService({ db: tx })
    const siteIds = new Map<string, string>()
    for (const site of demoSites) {
      const saved = await sites.ensure({ code: site.code, name: site.name, region: site.region, contact: site.contact })
      siteIds.set(site.code, saved.id)
    }

    const organisationIds = await repo.upsertOrganisations(tx, demoOrganisations)
    const accounts = [...demoAccounts, ...practitionerAccounts()]
    // Read before the upsert, which leaves disabled demo accounts exactly as an administrator left them.
    const disabled = await repo.listDisabledDemoStaff(
      tx,
      accounts.map((a) => a.email),
    )
    const staffIds = await repo.upsertDemoStaff(
      tx,
      accounts.map((account) => ({
        email: account.email,
        displayName: account.displayName,
        role: account.role,
        organisationId:
          account.organisationCode === undefined ? null : (organisationIds.get(account.organisationCode) ?? null),
        passwordHash,
      })),
    )

    const memberships: { staffUserId: string; siteId: string }[] = []
    const practitioners = new Map<string, string[]>(demoSites.map((s) => [s.code, []]))
    for (const account of accounts) {
      const staffUserId = staffIds.get(account.email)
      // An address already used by a real (non-demo) account is left alone.
      if (staffUserId === undefined) continue
      for (const code of siteCodesFor(account)) {
        const siteId = siteIds.get(code)
        if (siteId === undefined) continue
        memberships.push({ staffUserId, siteId })
        if (account.role === 'probation_practitioner') practitioners.get(code)?.push(staffUserId)
      }
    }
    await repo.insertSiteMemberships(tx, memberships)
    return { siteIds, practitioners, disabled }
  })
}

/** Copies every demo table for `count` people from index `start`, all in one transaction: all or nothing. */
async function loadPeople(
  database: Database,
  context: PeopleContext,
  tables: readonly DemoTable[],
  start: number,
  count: number,
  onChunk: (done: number) => void,
): Promise<void> {
  const chunks = function* () {
    for (let offset = 0; offset < count; offset += CHUNK_SIZE) {
      const size = Math.min(CHUNK_SIZE, count - offset)
      const people = generatePeople(context, start + offset, size)
      yield { people, done: offset + size }
    }
  }

  if (database.pool !== undefined) {
    const client = await database.pool.connect()
    try {
      await client.query('BEGIN')
      // A large load checks the activity tables' foreign keys once at the end instead of row by row.
      const restoreKeys =
        count >= BULK_LOAD_PEOPLE
          ? await repo.suspendForeignKeys((text) => client.query(text), bulkCheckedTables)
          : undefined
      for (const { people, done } of chunks()) {
        for (const table of tables) {
          const csv = table.csv(people, context)
          if (csv !== '') await repo.copyIntoPostgres(client, table.table, table.columns, csv)
        }
        onChunk(done)
      }
      await restoreKeys?.()
      await client.query('COMMIT')
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined)
      throw error
    } finally {
      client.release()
    }
    return
  }

  if (database.pglite !== undefined) {
    await database.pglite.transaction(async (tx) => {
      for (const { people, done } of chunks()) {
        for (const table of tables) {
          const csv = table.csv(people, context)
          if (csv !== '') await repo.copyIntoPglite(tx, table.table, table.columns, csv)
        }
        onChunk(done)
      }
    })
    return
  }
  throw new Error('The database has neither a PostgreSQL pool nor a PGlite instance to COPY into')
}

/**
 * Fills the database with a clearly synthetic demo: the four pilot sites, partner organisations, one account per
 * role (plus a one-site clinician and practitioners at every site), and people loaded with COPY.
 */
export async function seedDemo(deps: SeedDemoDeps, options: SeedDemoOptions): Promise<SeedDemoResult> {
  const { database, clock, log } = deps
  if (deps.appEnv === 'production') throw new DemoRefusedError()
  if (!Number.isInteger(options.people) || options.people < 0 || options.people > NHS_NUMBER_CAPACITY) {
    throw new RangeError(`people must be a whole number from 0 to ${NHS_NUMBER_CAPACITY}`)
  }

  const passwordHash = await hashPassword(DEMO_PASSWORD, deps.passwordCost ?? PRODUCTION_PASSWORD_COST)
  const { siteIds, practitioners, disabled } = await ensureFoundation(database.db, passwordHash)
  await ensureDemoDirectory(database.db, siteIds)
  log(`Demo: ${siteIds.size} sites, ${demoOrganisations.length} partner organisations and demo accounts are ready`)
  if (disabled.length > 0) {
    log(
      `Demo: ${disabled.length} demo account${disabled.length === 1 ? ' was' : 's were'} disabled by an administrator ` +
        'and stay disabled (their password is not reset)',
    )
  }

  const existing = await repo.countPeople(database.db)
  const toAdd = Math.max(0, options.people - existing)
  if (toAdd === 0) {
    log(`Demo: the database already holds ${existing.toLocaleString('en-GB')} people; none added`)
  } else {
    log(`Demo: adding ${toAdd.toLocaleString('en-GB')} synthetic people`)
    const started = performance.now()
    const bar = createProgressBar({
      label: 'Loading people',
      total: toAdd,
      enabled: deps.progress,
      stream: deps.progressStream ?? process.stderr,
    })
    const context: PeopleContext = {
      seed: options.seed ?? DEFAULT_DEMO_SEED,
      today: clock.now(),
      siteIds,
      practitioners,
    }
    // Hub teams, appointments, follow-ups and consent for the new people, copied with them (staff first).
    const activity = await prepareDemoActivity(database.db, {
      seed: context.seed,
      now: context.today,
      passwordHash,
      siteIds,
    })
    const tables = [...activity.before, ...demoTables, ...activity.after]
    try {
      await loadPeople(database, context, tables, existing, toAdd, (done) => {
        bar.update(done)
      })
    } finally {
      bar.finish()
    }
    // Fresh statistics, so the first queries after a large load get sensible plans, and a vacuum, so the visibility
    // map is set: until autovacuum reaches the new rows, a count over a site's referrals reads the whole table
    // (60 ms at 250,000 people) instead of one index (4 ms).
    await sql`vacuum (analyze) person, staff_user, staff_site`.execute(database.db)
    await sql.raw(`vacuum (analyze) ${bulkCheckedTables.join(', ')}`).execute(database.db)
    const seconds = (performance.now() - started) / 1000
    log(`Demo: added ${toAdd.toLocaleString('en-GB')} people in ${seconds.toFixed(1)} s`)
    const { counts } = activity
    const n = (value: number) => value.toLocaleString('en-GB')
    log(
      `Demo: with ${n(counts.appointment)} appointments, ${n(counts.follow_up)} follow-ups, ` +
        `${n(counts.consent_decision)} consent decisions and ${counts.staff} new team staff`,
    )
    log(
      `Demo: ${n(counts.health_check)} health checks (${n(counts.health_check_response)} instrument results), ` +
        `${n(counts.warning_flag)} warning flags, ${n(counts.need)} needs, ${n(counts.gp_registration)} GP ` +
        `registration records, ${n(counts.referral)} referrals, ${n(counts.screening_event)} screening events and ` +
        `${n(counts.treatment_requirement)} treatment requirements`,
    )
  }

  return { sites: siteIds.size, people: toAdd, accounts: summarise(demoAccounts) }
}

/** The headline demo accounts present in this database (for printing at start); empty when there are none. */
export async function listDemoAccounts(db: Kysely<DB>): Promise<DemoAccountSummary[]> {
  const found = await repo.listDemoStaff(
    db,
    demoAccounts.map((a) => a.email),
  )
  const order = new Map<string, number>(demoAccounts.map((a, i) => [a.email, i]))
  found.sort((a, b) => (order.get(a.email) ?? 0) - (order.get(b.email) ?? 0))
  return summarise(found)
}

/** How many demo accounts exist: production refuses to start while there are any. */
export async function countDemoAccounts(db: Kysely<DB>): Promise<number> {
  return repo.countDemoStaff(db)
}

/** Whether the database has no sites at all: a brand-new install that the demo may fill. */
export async function isEmptyInstall(db: Kysely<DB>): Promise<boolean> {
  return (await repo.countSites(db)) === 0
}
