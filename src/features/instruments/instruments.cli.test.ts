import { test } from 'node:test'
import assert from 'node:assert/strict'
import { emptyFileDatabase } from '../../../test/support/database.ts'
import { fixedClock } from '../../../test/support/clock.ts'
import { givenStaff } from '../../../test/support/builders.ts'
import { TEST_PASSWORD_COST } from '../staff/index.ts'
import { exitCodes, runCli } from '../../cli.ts'

interface Run {
  code: number
  stdout: string
  stderr: string
  lines: string[]
}

async function setUp() {
  const database = await emptyFileDatabase()
  const hub = async (argv: string[]): Promise<Run> => {
    let stdout = ''
    let stderr = ''
    const code = await runCli(argv, {
      env: { APP_ENV: 'test' },
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      database,
      passwordCost: TEST_PASSWORD_COST,
      clock: fixedClock('2026-11-20T10:00:00Z'),
    })
    return { code, stdout, stderr, lines: stdout.trimEnd().split('\n') }
  }
  const admin = await givenStaff(database.db, 'admin', { name: 'Ada Admin', email: 'ada.admin@example.nhs.uk' })
  const permissions = () =>
    database.db
      .selectFrom('instrument_permission')
      .select(['instrument_code', 'reference', 'granted_by', 'revoked_by', 'revoked_at'])
      .orderBy('granted_at')
      .execute()
  const events = () =>
    database.db
      .selectFrom('audit_event')
      .select(['actor_id', 'entity_id', 'request_id', 'details'])
      .where('entity_type', '=', 'instrument_permission')
      .orderBy('id')
      .execute()
  return { database, hub, admin, permissions, events }
}

const NEEDING_PERMISSION = 'aq-10, asrs-a, dast-10, hsi, pc-ptsd-5'

test('instruments permit records the permission for the named administrator, audited as a command-line change', async () => {
  const { hub, admin, permissions, events } = await setUp()
  const run = await hub([
    'instruments',
    'permit',
    'DAST-10',
    '--reference',
    'CAMH letter 2026-11-03',
    '--by',
    'ada.admin@example.nhs.uk',
  ])
  assert.equal(run.code, exitCodes.ok, run.stderr)
  assert.equal(
    run.stdout,
    'Recorded permission for dast-10: Drug Abuse Screening Test (DAST-10) can now be used in health checks.\n',
  )
  assert.deepEqual(await permissions(), [
    {
      instrument_code: 'dast-10',
      reference: 'CAMH letter 2026-11-03',
      granted_by: admin.id,
      revoked_by: null,
      revoked_at: null,
    },
  ])
  const [event] = await events()
  assert.equal(event?.actor_id, null)
  assert.match(event.request_id ?? '', /^cli:[0-9a-f-]{36}$/)
  assert.deepEqual(event.details, { change: 'granted', replacedEarlier: false, version: '1.0.0', onBehalfOf: admin.id })

  const listed = await hub(['instruments', 'list'])
  assert.equal(listed.code, exitCodes.ok)
  assert.equal(listed.lines.length, 11)
  assert.ok(
    listed.lines.includes(
      'dast-10\t1.0.0\tenabled\tpermission-required\tCAMH letter 2026-11-03\tAda Admin\t2026-11-20T10:00:00.000Z',
    ),
    listed.stdout,
  )
  assert.ok(listed.lines.includes('asrs-a\t1.0.0\tdisabled\tpermission-required\t-'))
  assert.ok(listed.lines.includes('phq-9\t1.1.0\tenabled\tfree\t-'))
})

test('instruments revoke ends the permission: the instrument is disabled again', async () => {
  const { hub, admin, permissions, events } = await setUp()
  await hub(['instruments', 'permit', 'hsi', '--reference', 'Authors’ email', '--by', admin.email])
  const run = await hub(['instruments', 'revoke', 'hsi', '--by', admin.email])
  assert.equal(run.code, exitCodes.ok, run.stderr)
  assert.match(run.stdout, /^Revoked permission for hsi: .*HSI\) can no longer be used in health checks\.$/m)
  const [row] = await permissions()
  assert.equal(row?.revoked_by, admin.id)
  assert.notEqual(row.revoked_at, null)
  assert.deepEqual(
    (await events()).map((e) => e.details),
    [
      { change: 'granted', replacedEarlier: false, version: '1.0.0', onBehalfOf: admin.id },
      { change: 'revoked', onBehalfOf: admin.id },
    ],
  )
  assert.match((await hub(['instruments', 'list'])).stdout, /^hsi\t1\.0\.0\tdisabled\tunverified\t-$/m)

  const again = await hub(['instruments', 'revoke', 'hsi', '--by', admin.email])
  assert.equal(again.code, exitCodes.failed)
  assert.equal(again.stderr, 'No permission is recorded for hsi: health checks already cannot use it.\n')
})

test('an unknown code is refused with the codes that need permission', async () => {
  const { hub, admin, permissions } = await setUp()
  for (const argv of [
    ['instruments', 'permit', 'dast-11', '--reference', 'x', '--by', admin.email],
    ['instruments', 'revoke', 'dast-11', '--by', admin.email],
  ]) {
    const run = await hub(argv)
    assert.equal(run.code, exitCodes.failed, argv.join(' '))
    assert.equal(run.stderr, `Unknown instrument "dast-11". Instruments that need permission: ${NEEDING_PERMISSION}\n`)
  }
  assert.deepEqual(await permissions(), [])
})

test('an instrument that needs no permission is refused, saying why', async () => {
  const { hub, admin, permissions } = await setUp()
  const run = await hub(['instruments', 'permit', 'phq-9', '--reference', 'not needed', '--by', admin.email])
  assert.equal(run.code, exitCodes.failed)
  assert.match(
    run.stderr,
    /^Patient Health Questionnaire \(PHQ-9\) needs no permission: it is free to use, so health checks can always use it\./,
  )
  assert.match(run.stderr, new RegExp(`Instruments that need permission: ${NEEDING_PERMISSION}\n$`))
  const revoke = await hub(['instruments', 'revoke', 'audit', '--by', admin.email])
  assert.equal(revoke.code, exitCodes.failed)
  assert.match(revoke.stderr, /needs no permission: it is free for non-commercial use/)
  assert.deepEqual(await permissions(), [])
})

test('a missing or blank reference, a missing code and a missing --by are usage errors', async () => {
  const { hub, admin, permissions } = await setUp()
  const noReference = await hub(['instruments', 'permit', 'dast-10', '--by', admin.email])
  assert.equal(noReference.code, exitCodes.usage)
  assert.equal(
    noReference.stderr,
    'Missing --reference\nUsage: npm run hub -- instruments permit CODE --reference TEXT --by EMAIL\n',
  )
  const blank = await hub(['instruments', 'permit', 'dast-10', '--reference', '  ', '--by', admin.email])
  assert.equal(blank.code, exitCodes.failed)
  assert.equal(blank.stderr, '--reference: Enter the permission reference\n')
  const long = await hub(['instruments', 'permit', 'dast-10', '--reference', 'x'.repeat(501), '--by', admin.email])
  assert.equal(long.code, exitCodes.failed)
  assert.equal(long.stderr, '--reference: Permission reference must be 500 characters or fewer\n')
  const noCode = await hub(['instruments', 'permit', '--reference', 'x'])
  assert.equal(noCode.code, exitCodes.usage)
  assert.match(noCode.stderr, /^Missing CODE, --by\n/)
  const noBy = await hub(['instruments', 'revoke', 'dast-10'])
  assert.equal(noBy.code, exitCodes.usage)
  assert.match(noBy.stderr, /^Missing --by\nUsage: npm run hub -- instruments revoke CODE --by EMAIL\n$/)
  const two = await hub(['instruments', 'revoke', 'dast-10', 'hsi', '--by', admin.email])
  assert.equal(two.code, exitCodes.usage)
  assert.match(two.stderr, /^Unexpected argument: hsi\n/)
  const positionalElsewhere = await hub(['users', 'list', 'extra'])
  assert.equal(positionalElsewhere.code, exitCodes.usage, 'other commands still take no bare arguments')
  assert.deepEqual(await permissions(), [])
})

test('--by must name an active administrator', async () => {
  const { database, hub, permissions } = await setUp()
  const clinician = await givenStaff(database.db, 'clinician')
  const retired = await givenStaff(database.db, 'admin', { status: 'disabled' })
  const permit = (by: string) => hub(['instruments', 'permit', 'aq-10', '--reference', 'ARC email', '--by', by])
  const unknown = await permit('nobody@example.nhs.uk')
  assert.equal(unknown.code, exitCodes.failed)
  assert.equal(unknown.stderr, 'No staff user has the email address nobody@example.nhs.uk\n')
  const notAdmin = await permit(clinician.email)
  assert.equal(notAdmin.stderr, `${clinician.email} is not an administrator: --by must name one\n`)
  const disabled = await permit(retired.email)
  assert.equal(disabled.stderr, `${retired.email}’s account is disabled: --by must name an active one\n`)
  assert.deepEqual(await permissions(), [])
})

test('help lists the instrument commands', async () => {
  const { hub } = await setUp()
  const help = await hub(['help'])
  assert.match(help.stdout, /^ {2}instruments permit CODE +Record the licence holder’s permission/m)
  assert.match(help.stdout, /^ {2}instruments permit CODE --reference TEXT --by EMAIL$/m)
  assert.match(help.stdout, /^ {2}instruments revoke CODE --by EMAIL$/m)
  assert.match(help.stdout, /^ {2}instruments list +List the screening instruments/m)
})
