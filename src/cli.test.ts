import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { buildApp } from './app.ts'
import { testConfig } from '../test/support/config.ts'
import { fixedClock } from '../test/support/clock.ts'
import { acquireDataDirLock, type Database } from './platform/db/database.ts'
import { emptyFileDatabase } from '../test/support/database.ts'
import { TEST_PASSWORD_COST, verifyPassword } from './features/staff/index.ts'
import { givenSite, givenStaff } from '../test/support/builders.ts'
import { exitCodes, runCli } from './cli.ts'

interface Run {
  code: number
  stdout: string
  stderr: string
  lines: string[]
}

async function setUp() {
  const database = await emptyFileDatabase()
  const clock = fixedClock('2026-11-20T10:00:00Z')
  const hub = async (argv: string[], env: Record<string, string> = { APP_ENV: 'test' }): Promise<Run> => {
    let stdout = ''
    let stderr = ''
    const code = await runCli(argv, {
      env,
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      database,
      passwordCost: TEST_PASSWORD_COST,
      clock,
    })
    return { code, stdout, stderr, lines: stdout.trimEnd().split('\n') }
  }
  return { database, clock, hub }
}

async function appOn(t: TestContext, database: Database) {
  const app = await buildApp(testConfig(), { database, passwordCost: TEST_PASSWORD_COST, logger: false })
  t.after(() => app.close())
  await app.ready()
  return app
}

async function countStaff(database: Database): Promise<number> {
  const row = await database.db
    .selectFrom('staff_user')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return row.n
}

test('creates the first administrator with a generated password, audited as a command-line change', async () => {
  const { database, hub } = await setUp()
  const run = await hub([
    'users',
    'create',
    '--email',
    'First.Admin@example.nhs.uk',
    '--name',
    'First Admin',
    '--role',
    'admin',
  ])
  assert.equal(run.code, 0, run.stderr)
  assert.match(run.stdout, /Created Administrator first\.admin@example\.nhs\.uk/)
  const password = run.lines.at(-1) ?? ''
  assert.ok(password.length >= 20)

  const row = await database.db
    .selectFrom('staff_user')
    .selectAll()
    .where('email', '=', 'first.admin@example.nhs.uk')
    .executeTakeFirstOrThrow()
  assert.equal(row.role, 'admin')
  assert.ok(row.password_hash !== null && (await verifyPassword(password, row.password_hash)))
  const event = await database.db
    .selectFrom('audit_event')
    .selectAll()
    .where('action', '=', 'user-create')
    .executeTakeFirstOrThrow()
  assert.equal(event.actor_id, null)
  assert.match(event.request_id ?? '', /^cli:[0-9a-f-]{36}$/)
  assert.equal(event.entity_id, row.id)
})

test('creates a clinician at two sites and a partner in an organisation, with a typed password', async () => {
  const { database, hub } = await setUp()
  const north = await givenSite(database.db, { code: 'north' })
  const south = await givenSite(database.db, { code: 'south' })
  const clinician = await hub([
    'users',
    'create',
    '--email',
    'c@example.nhs.uk',
    '--name',
    'C',
    '--role',
    'clinician',
    '--site',
    'north,south',
    '--password',
    'a long enough passphrase',
  ])
  assert.equal(clinician.code, 0, clinician.stderr)
  assert.doesNotMatch(clinician.stdout, /passphrase/)
  const user = await database.db
    .selectFrom('staff_user')
    .select('id')
    .where('email', '=', 'c@example.nhs.uk')
    .executeTakeFirstOrThrow()
  const sites = await database.db
    .selectFrom('staff_site')
    .select('site_id')
    .where('staff_user_id', '=', user.id)
    .orderBy('site_id')
    .execute()
  assert.deepEqual(
    sites.map((s) => s.site_id),
    [north.id, south.id].sort(),
  )

  assert.equal((await hub(['organisations', 'create', '--code', 'recovery-works', '--name', 'Recovery Works'])).code, 0)
  const partner = await hub([
    'users',
    'create',
    '--email',
    'p@example.org',
    '--name',
    'P',
    '--role',
    'partner',
    '--organisation',
    'recovery-works',
  ])
  assert.equal(partner.code, 0, partner.stderr)
  const list = await hub(['users', 'list'])
  assert.match(list.stdout, /c@example\.nhs\.uk\tclinician\tactive\tnorth,south/)
  assert.match(list.stdout, /p@example\.org\tpartner\tactive/)
})

test('refuses an unknown role, site or organisation, a weak password and a taken email with exit 1, creating nothing', async () => {
  const { database, hub } = await setUp()
  await givenSite(database.db, { code: 'north' })
  const existing = await givenStaff(database.db, 'admin')
  const base = ['users', 'create', '--email', 'new@example.nhs.uk', '--name', 'New']
  const cases: [string[], RegExp][] = [
    [[...base, '--role', 'wizard'], /Unknown role "wizard"\. Roles: clinician, probation_practitioner/],
    [[...base, '--role', 'clinician', '--site', 'nowhere'], /Unknown site "nowhere"\. Sites: north/],
    [[...base, '--role', 'clinician'], /--site: Select at least one site for this role/],
    [[...base, '--role', 'partner', '--organisation', 'nobody'], /Unknown organisation "nobody"/],
    [[...base, '--role', 'partner'], /--organisation: Select the partner organisation/],
    [[...base, '--role', 'admin', '--password', 'short'], /--password: Password must be 12 characters or more/],
    [
      ['users', 'create', '--email', existing.email.toUpperCase(), '--name', 'Dup', '--role', 'admin'],
      /--email: A staff user with this email address already exists/,
    ],
    [['organisations', 'create', '--code', 'Bad Code!', '--name', 'X'], /--code: Organisation code must/],
  ]
  for (const [argv, message] of cases) {
    const run = await hub(argv)
    assert.equal(run.code, exitCodes.failed, argv.join(' '))
    assert.match(run.stderr, message)
  }
  assert.equal(await countStaff(database), 1)
})

test('creates a site with its address and phone, lists it, and changes its contact details', async () => {
  const { database, hub } = await setUp()
  const empty = await hub(['sites', 'list'])
  assert.equal(empty.code, 0)
  assert.match(
    empty.stdout,
    /There are no sites\. Add one with: hub sites create --code CODE --name NAME --region REGION/,
  )

  const created = await hub([
    'sites',
    'create',
    '--code',
    'cambridge',
    '--name',
    'Cambridge Health Hub',
    '--region',
    'East of England',
    '--address-line1',
    '12 High Street',
    '--town',
    'Cambridge',
    '--postcode',
    'cb1 1aa',
    '--phone',
    '+44 1223 000000',
  ])
  assert.equal(created.code, 0, created.stderr)
  assert.match(
    created.stdout,
    /^Created site cambridge, Cambridge Health Hub \(id [0-9a-f-]{36}\): address 12 High Street, Cambridge CB1 1AA; phone 01223 000000\n$/,
  )
  const bare = await hub([
    'sites',
    'create',
    '--code',
    'north-tees',
    '--name',
    'North Tees Health Hub',
    '--region',
    'North East',
  ])
  assert.equal(bare.code, 0, bare.stderr)
  assert.match(bare.stdout, /address \(none\); phone \(none\)/)

  const list = await hub(['sites', 'list'])
  assert.deepEqual(list.lines, [
    'cambridge\tCambridge Health Hub\tEast of England\t12 High Street, Cambridge CB1 1AA\t01223 000000',
    'north-tees\tNorth Tees Health Hub\tNorth East\t-\t-',
  ])

  const changed = await hub(['sites', 'set-contact', '--code', 'cambridge', '--address-line2', 'Unit 4', '--phone', ''])
  assert.equal(changed.code, 0, changed.stderr)
  assert.equal(
    changed.stdout,
    'Saved the contact details of cambridge: address 12 High Street, Unit 4, Cambridge CB1 1AA; phone (none)\n',
  )
  const row = await database.db
    .selectFrom('site')
    .select(['address_line2', 'postcode', 'phone'])
    .where('code', '=', 'cambridge')
    .executeTakeFirstOrThrow()
  assert.deepEqual(row, { address_line2: 'Unit 4', postcode: 'CB1 1AA', phone: null })

  const user = await hub([
    'users',
    'create',
    '--email',
    'c@example.nhs.uk',
    '--name',
    'C',
    '--role',
    'clinician',
    '--site',
    'cambridge',
  ])
  assert.equal(user.code, 0, user.stderr)
})

test('refuses a taken or malformed site code and contact details that do not check, naming the option, with exit 1', async () => {
  const { database, hub } = await setUp()
  await givenSite(database.db, { code: 'north' })
  const base = ['sites', 'create', '--name', 'New Health Hub', '--region', 'North East']
  const cases: [string[], RegExp][] = [
    [[...base, '--code', 'north'], /^--code: A site with the code north already exists\n$/],
    [[...base, '--code', 'North Tees'], /--code: Site code must be 2 to 40 lowercase letters, numbers and hyphens/],
    [[...base, '--code', 'n'], /--code: Site code must/],
    [
      ['sites', 'create', '--code', 'south', '--name', ' ', '--region', ' '],
      /--name: Enter the site’s name[\s\S]*--region: Enter/,
    ],
    [[...base, '--code', 'south', '--phone', '12345'], /^--phone: Enter a UK phone number/],
    [
      [...base, '--code', 'south', '--postcode', 'SW1A'],
      /--address-line1: Enter the first line[\s\S]*--town: Enter[\s\S]*--postcode: Enter a full UK postcode, like CB1 1AA/,
    ],
    [
      ['sites', 'set-contact', '--code', 'nowhere', '--phone', '01632 960000'],
      /^Unknown site "nowhere"\. Sites: north\n$/,
    ],
    [
      ['sites', 'set-contact', '--code', 'north'],
      /Nothing to change: give at least one of --address-line1, --address-line2, --town, --postcode, --phone/,
    ],
    [
      ['sites', 'set-contact', '--code', 'north', '--town', 'Stockton-on-Tees'],
      /^--address-line1: Enter the first line/,
    ],
  ]
  for (const [argv, message] of cases) {
    const run = await hub(argv)
    assert.equal(run.code, exitCodes.failed, argv.join(' '))
    assert.match(run.stderr, message, argv.join(' '))
    assert.equal(run.stdout, '', argv.join(' '))
  }
  const sites = await database.db.selectFrom('site').select(['code', 'town', 'phone']).execute()
  assert.deepEqual(sites, [{ code: 'north', town: null, phone: null }])
  const missing = await hub(['sites', 'create', '--code', 'south'])
  assert.equal(missing.code, exitCodes.usage)
  assert.match(missing.stderr, /Missing --name, --region/)
})

test('users create on a deployment with no sites says how to add one', async () => {
  const { hub } = await setUp()
  const run = await hub([
    'users',
    'create',
    '--email',
    'c@example.nhs.uk',
    '--name',
    'C',
    '--role',
    'clinician',
    '--site',
    'cambridge',
  ])
  assert.equal(run.code, exitCodes.failed)
  assert.match(
    run.stderr,
    /Unknown site "cambridge"\. There are no sites yet\. Add one with: hub sites create --code CODE --name NAME --region REGION/,
  )
})

test('answers a missing option, an unknown option or an unknown command with usage and exit 64', async () => {
  const { hub } = await setUp()
  const missing = await hub(['users', 'create', '--email', 'x@example.nhs.uk'])
  assert.equal(missing.code, exitCodes.usage)
  assert.match(missing.stderr, /Missing --name, --role/)
  const unknownOption = await hub(['tokens', 'create', '--email', 'x@example.nhs.uk', '--colour', 'red'])
  assert.equal(unknownOption.code, exitCodes.usage)
  assert.match(unknownOption.stderr, /Usage: npm run hub -- tokens create/)
  const unknown = await hub(['frobnicate'])
  assert.equal(unknown.code, 64)
  assert.match(unknown.stderr, /Unknown command: frobnicate/)
  assert.match(unknown.stderr, /Commands:/)
  assert.equal(unknown.stdout, '')
  const nothing = await hub([])
  assert.equal(nothing.code, 64)
  const help = await hub(['--help'])
  assert.equal(help.code, 0)
  for (const command of [
    'migrate',
    'users create',
    'tokens create',
    'tokens revoke',
    'audit verify',
    'sessions purge',
    'seed',
    'organisations create',
    'sites create',
    'sites list',
    'sites set-contact',
  ]) {
    assert.ok(help.stdout.includes(command), command)
  }
})

test('a token made on the command line carries its user’s permissions until it is revoked', async (t) => {
  const { database, hub } = await setUp()
  const admin = await givenStaff(database.db, 'admin')
  const auditor = await givenStaff(database.db, 'auditor')
  const app = await appOn(t, database)

  const adminRun = await hub(['tokens', 'create', '--email', admin.email, '--label', 'reporting'])
  assert.equal(adminRun.code, 0, adminRun.stderr)
  const adminToken = adminRun.lines.at(-1) ?? ''
  assert.match(adminToken, /^hub_[A-Za-z0-9_-]{40,}$/)
  const auditorRun = await hub(['tokens', 'create', '--email', auditor.email])
  const auditorToken = auditorRun.lines.at(-1) ?? ''

  const get = (url: string, token: string) => app.inject({ url, headers: { authorization: `Bearer ${token}` } })
  assert.equal((await get('/api/v1/sites', adminToken)).statusCode, 200)
  assert.equal((await get('/api/v1/audit', adminToken)).statusCode, 403)
  assert.equal((await get('/api/v1/audit', auditorToken)).statusCode, 200)

  const id = /Created API token ([0-9a-f-]{36})/.exec(adminRun.stdout)?.[1] ?? ''
  const revoke = await hub(['tokens', 'revoke', '--id', id])
  assert.equal(revoke.code, 0, revoke.stderr)
  assert.equal((await get('/api/v1/sites', adminToken)).statusCode, 401)
  assert.equal((await get('/api/v1/audit', auditorToken)).statusCode, 200)

  assert.equal((await hub(['tokens', 'create', '--email', 'nobody@example.nhs.uk'])).code, 1)
  assert.equal((await hub(['tokens', 'revoke', '--id', 'not-an-id'])).code, 1)
  const unknown = await hub(['tokens', 'revoke', '--id', '00000000-0000-4000-8000-000000000000'])
  assert.equal(unknown.code, 1)
  assert.match(unknown.stderr, /No API token has that id/)
})

test('verifies the audit chain, and names the first broken event after tampering', async () => {
  const { database, hub } = await setUp()
  await givenStaff(database.db, 'admin', { email: 'a@example.nhs.uk' })
  for (const label of ['one', 'two', 'three'])
    await hub(['tokens', 'create', '--email', 'a@example.nhs.uk', '--label', label])
  const ok = await hub(['audit', 'verify'])
  assert.equal(ok.code, 0)
  assert.equal(ok.stdout, 'The audit chain is intact: 3 events checked.\n')

  const second = await database.db
    .selectFrom('audit_event')
    .select('id')
    .orderBy('id')
    .offset(1)
    .limit(1)
    .executeTakeFirstOrThrow()
  await sql`alter table audit_event disable trigger audit_event_no_update`.execute(database.db)
  await sql`update audit_event set details = '{}' where id = ${second.id}`.execute(database.db)
  await sql`alter table audit_event enable trigger audit_event_no_update`.execute(database.db)
  const broken = await hub(['audit', 'verify'])
  assert.equal(broken.code, 1)
  assert.match(broken.stderr, new RegExp(`broken at event ${second.id}:`))
  assert.match(broken.stderr, /1 events? before it verified/)
})

test('unlocks and disables accounts, and purges expired sessions', async () => {
  const { database, hub } = await setUp()
  const user = await givenStaff(database.db, 'analyst')
  await database.db
    .updateTable('staff_user')
    .set({ failed_sign_ins: 5, locked_until: new Date('2026-11-20T10:10:00Z') })
    .execute()
  await database.db
    .insertInto('session')
    .values([
      {
        id_hash: 'old',
        staff_user_id: user.id,
        created_at: '2026-11-19T08:00:00Z',
        last_seen_at: '2026-11-19T08:00:00Z',
        expires_at: '2026-11-19T20:00:00Z',
      },
      {
        id_hash: 'live',
        staff_user_id: user.id,
        created_at: '2026-11-20T09:55:00Z',
        last_seen_at: '2026-11-20T09:55:00Z',
        expires_at: '2026-11-20T21:55:00Z',
      },
    ])
    .execute()

  assert.equal((await hub(['users', 'unlock', '--email', user.email])).code, 0)
  let row = await database.db.selectFrom('staff_user').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow()
  assert.equal(row.locked_until, null)

  const purge = await hub(['sessions', 'purge'])
  assert.equal(purge.code, 0)
  assert.equal(purge.stdout, 'Deleted 1 expired session.\n')

  assert.equal((await hub(['users', 'disable', '--email', user.email])).code, 0)
  row = await database.db.selectFrom('staff_user').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow()
  assert.equal(row.status, 'disabled')
  const sessions = await database.db.selectFrom('session').select('id_hash').execute()
  assert.deepEqual(sessions, [])
  assert.equal((await hub(['users', 'disable', '--email', 'nobody@example.nhs.uk'])).code, 1)
})

test('migrate reports the database is up to date when nothing is left to apply', async () => {
  const { hub } = await setUp()
  const run = await hub(['migrate'])
  assert.equal(run.code, 0)
  assert.equal(run.stdout, 'The database is up to date: no migrations to apply.\n')
})

test('refuses to seed demo data in production, changing nothing', async () => {
  const { database, hub } = await setUp()
  const run = await hub(['seed', '--demo', '--people', '5'], {
    APP_ENV: 'production',
    SESSION_SECRET: 'a-production-secret-that-is-long-enough-0123',
  })
  assert.equal(run.code, 1)
  assert.match(run.stderr, /never loaded when APP_ENV is production/)
  const sites = await database.db.selectFrom('site').select('id').execute()
  assert.equal(sites.length, 0)
  assert.equal((await hub(['seed'])).code, exitCodes.usage)
})

test('reports a configuration problem with exit 78', async () => {
  const { hub } = await setUp()
  const run = await hub(['migrate'], { APP_ENV: 'staging' })
  assert.equal(run.code, 78)
  assert.match(run.stderr, /APP_ENV must be one of/)
})

test('exits 2 and changes nothing when another process holds the embedded database', async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-cli-lock-'))
  const release = acquireDataDirLock(dataDir)
  t.after(() => {
    release()
    fs.rmSync(dataDir, { recursive: true, force: true })
  })
  const snapshot = () =>
    fs
      .readdirSync(dataDir, { recursive: true, withFileTypes: true })
      .map(
        (entry) =>
          `${path.relative(dataDir, path.join(entry.parentPath, entry.name))}:${entry.isFile() ? fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8') : 'dir'}`,
      )
      .sort()
  const before = snapshot()

  const child = spawn(process.execPath, [path.join(import.meta.dirname, 'cli.ts'), 'migrate'], {
    env: { PATH: process.env['PATH'] ?? '', DATA_DIR: dataDir, APP_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  let stdout = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))

  assert.equal(code, 2, stderr)
  assert.match(stderr, /is in use by another process \(pid \d+\)/)
  assert.match(stderr, /Nothing was changed/)
  assert.equal(stdout, '')
  assert.deepEqual(snapshot(), before)
})

test('seeds the demo (sites, accounts and people) outside production and prints the accounts', async () => {
  const { database, hub } = await setUp()
  const run = await hub(['seed', '--demo', '--people', '3'])
  assert.equal(run.code, 0, run.stderr)
  assert.match(run.stdout, /Demo ready: \d+ sites, 3 people added\./)
  assert.match(run.stdout, /Demo accounts:/)
  const people = await database.db
    .selectFrom('person')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  assert.equal(people.n, 3)
})
