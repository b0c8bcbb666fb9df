import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fixedClock } from '../../../test/support/clock.ts'
import { emptyFileDatabase } from '../../../test/support/database.ts'
import { givenSite } from '../../../test/support/builders.ts'
import { createAuditService, type ActorContext } from '../../platform/audit/audit.service.ts'
import { DomainError, NotFoundError } from '../../platform/http/errors.ts'
import { createSitesService } from './sites.service.ts'
import { normaliseUkPhone, oneLineAddress } from './sites.validation.ts'

const actor: ActorContext = { principal: undefined, requestId: 'cli:test' }

async function setUp() {
  const database = await emptyFileDatabase()
  const audit = createAuditService({ db: database.db, clock: fixedClock('2026-11-20T10:00:00Z') })
  const sites = createSitesService({ db: database.db, audit })
  return { database, sites }
}

/** The fields a refusal names, in order. */
async function refusedFields(promise: Promise<unknown>): Promise<string[]> {
  const error = await promise.then(
    () => assert.fail('expected a refusal'),
    (e: unknown) => e,
  )
  assert.ok(error instanceof DomainError, String(error))
  return error.errors.map((e) => e.field)
}

const cambridge = {
  addressLine1: '12 High Street',
  town: 'Cambridge',
  postcode: 'cb1 1aa',
  phone: '01223 000000',
}

test('sets a site’s address and phone, normalised, and findContact gives the address on one line', async () => {
  const { database, sites } = await setUp()
  const site = await givenSite(database.db, { code: 'cambridge' })

  const saved = await sites.setContact('cambridge', { ...cambridge, addressLine2: '  ', town: '  Cambridge ' }, actor)
  assert.deepEqual(
    {
      addressLine1: saved.addressLine1,
      addressLine2: saved.addressLine2,
      town: saved.town,
      postcode: saved.postcode,
      phone: saved.phone,
    },
    {
      addressLine1: '12 High Street',
      addressLine2: null,
      town: 'Cambridge',
      postcode: 'CB1 1AA',
      phone: '01223 000000',
    },
  )
  assert.deepEqual(await sites.findContact(site.id), {
    address: '12 High Street, Cambridge CB1 1AA',
    phone: '01223 000000',
  })
  // Inside a transaction, on the transaction.
  const inTx = await database.db.transaction().execute((tx) => sites.findContact(site.id, tx))
  assert.equal(inTx?.address, '12 High Street, Cambridge CB1 1AA')

  const event = await database.db
    .selectFrom('audit_event')
    .selectAll()
    .where('entity_type', '=', 'site')
    .executeTakeFirstOrThrow()
  assert.equal(event.action, 'update')
  assert.equal(event.entity_id, site.id)
  assert.deepEqual(event.details, { changed: ['addressLine1', 'town', 'postcode', 'phone'] })
})

test('a part left out keeps its value, a blank one is cleared, and an unchanged save records nothing', async () => {
  const { database, sites } = await setUp()
  const site = await givenSite(database.db, { code: 'cambridge' })
  await sites.setContact('cambridge', { ...cambridge, addressLine2: 'Second floor' }, actor)

  const phoneOnly = await sites.setContact('cambridge', { phone: '+44 (0)1632 960001' }, actor)
  assert.equal(phoneOnly.phone, '01632 960001')
  assert.equal(phoneOnly.address, '12 High Street, Second floor, Cambridge CB1 1AA')

  const cleared = await sites.setContact('cambridge', { addressLine2: '', phone: null }, actor)
  assert.equal(cleared.address, '12 High Street, Cambridge CB1 1AA')
  assert.equal(cleared.phone, null)

  await sites.setContact('cambridge', { town: 'Cambridge' }, actor)
  const events = await database.db.selectFrom('audit_event').select('id').where('entity_id', '=', site.id).execute()
  assert.equal(events.length, 3)

  const none = await sites.setContact(
    'cambridge',
    { addressLine1: null, addressLine2: null, town: null, postcode: null, phone: null },
    actor,
  )
  assert.equal(none.address, null)
  assert.deepEqual(await sites.findContact(site.id), { address: null, phone: null })
})

test('refuses an address without its first line or town, naming each field, and changes nothing', async () => {
  const { database, sites } = await setUp()
  const site = await givenSite(database.db, { code: 'cambridge' })
  assert.deepEqual(await refusedFields(sites.setContact('cambridge', { postcode: 'CB1 1AA' }, actor)), [
    'addressLine1',
    'town',
  ])
  assert.deepEqual(await refusedFields(sites.setContact('cambridge', { addressLine1: '12 High Street' }, actor)), [
    'town',
  ])
  await sites.setContact('cambridge', cambridge, actor)
  // Clearing the first line of a saved address leaves a town with no street.
  assert.deepEqual(await refusedFields(sites.setContact('cambridge', { addressLine1: '' }, actor)), ['addressLine1'])
  assert.equal((await sites.findContact(site.id))?.address, '12 High Street, Cambridge CB1 1AA')
})

test('refuses a postcode or phone number that is not a UK one, with a message saying what to enter', async () => {
  const { database, sites } = await setUp()
  await givenSite(database.db, { code: 'cambridge' })
  for (const postcode of ['CB1', 'CB1 1A', '12345', 'CB1 1AA X']) {
    const fields = await refusedFields(sites.setContact('cambridge', { ...cambridge, postcode }, actor))
    assert.deepEqual(fields, ['postcode'], postcode)
  }
  for (const phone of [
    '01223 0000',
    '012230000000',
    '+33 1 23 45 67 89',
    '1223 000000',
    '01223 000000 ext 4',
    '00000 000000',
  ]) {
    const fields = await refusedFields(sites.setContact('cambridge', { ...cambridge, phone }, actor))
    assert.deepEqual(fields, ['phone'], phone)
  }
  const error = await sites.setContact('cambridge', { phone: 'call us' }, actor).catch((e: unknown) => e)
  assert.ok(error instanceof DomainError)
  assert.match(error.message, /Enter a UK phone number .* like 01632 960000/)
  await assert.rejects(sites.setContact('nowhere', cambridge, actor), NotFoundError)
})

test('normalises UK phone numbers, keeping the grouping given and grouping bare digits the usual way', () => {
  const cases: [string, string][] = [
    ['01223 000000', '01223 000000'],
    ['01223-000-000', '01223 000 000'],
    ['(01223) 000000', '01223 000000'],
    ['+44 1223 000000', '01223 000000'],
    ['+44 (0)1223 000000', '01223 000000'],
    ['0044 20 7946 0000', '020 7946 0000'],
    ['+447700900123', '07700 900123'],
    ['02079460123', '020 7946 0123'],
    ['01134960123', '0113 496 0123'],
    ['01632960123', '01632 960123'],
    ['0169770123', '01697 70123'],
  ]
  for (const [raw, expected] of cases) assert.equal(normaliseUkPhone(raw), expected, raw)
})

test('writes the address on one line, skipping blank parts', () => {
  const parts = { addressLine1: '12 High Street', addressLine2: null, town: 'Cambridge', postcode: 'CB1 1AA' }
  assert.equal(oneLineAddress(parts), '12 High Street, Cambridge CB1 1AA')
  assert.equal(oneLineAddress({ ...parts, addressLine2: 'Unit 4' }), '12 High Street, Unit 4, Cambridge CB1 1AA')
  assert.equal(oneLineAddress({ ...parts, postcode: null }), '12 High Street, Cambridge')
  assert.equal(oneLineAddress({ ...parts, addressLine2: ' ' }), '12 High Street, Cambridge CB1 1AA')
  assert.equal(oneLineAddress({ addressLine1: null, addressLine2: null, town: null, postcode: null }), null)
})

test('creates a site with its contact details, audited, and refuses a taken or malformed code', async () => {
  const { database, sites } = await setUp()
  const created = await sites.create(
    { code: 'north-tees', name: 'North Tees Health Hub', region: 'North East', ...cambridge },
    actor,
  )
  assert.equal(created.code, 'north-tees')
  assert.equal(created.address, '12 High Street, Cambridge CB1 1AA')
  assert.deepEqual(await sites.findByCode('north-tees'), {
    id: created.id,
    code: 'north-tees',
    name: 'North Tees Health Hub',
    region: 'North East',
  })
  const event = await database.db
    .selectFrom('audit_event')
    .selectAll()
    .where('entity_id', '=', created.id)
    .executeTakeFirstOrThrow()
  assert.equal(event.action, 'create')
  assert.equal(event.entity_type, 'site')

  const taken = await sites
    .create({ code: 'north-tees', name: 'Again', region: 'North East' }, actor)
    .catch((e: unknown) => e)
  assert.ok(taken instanceof DomainError)
  assert.deepEqual(taken.errors, [{ field: 'code', message: 'A site with the code north-tees already exists' }])

  for (const code of ['N', 'North', '1north', 'north tees', 'a'.repeat(41)]) {
    const fields = await refusedFields(sites.create({ code, name: 'X', region: 'Y' }, actor))
    assert.deepEqual(fields, ['code'], code)
  }
  assert.deepEqual(
    await refusedFields(
      sites.create({ code: 'south', name: ' ', region: '', phone: '123', postcode: 'CB1 1AA' }, actor),
    ),
    ['name', 'region', 'addressLine1', 'town', 'phone'],
  )
  assert.equal((await sites.listAll()).length, 1)
})

test('ensure adds a site once and brings its contact details up to date on every run', async () => {
  const { database, sites } = await setUp()
  const first = await sites.ensure({ code: 'cambridge', name: 'Cambridge Health Hub', region: 'East of England' })
  assert.deepEqual(await sites.findContact(first.id), { address: null, phone: null })
  const again = await sites.ensure({
    code: 'cambridge',
    name: 'Cambridge Health Hub',
    region: 'East of England',
    contact: cambridge,
  })
  assert.equal(again.id, first.id)
  await sites.ensure({ code: 'cambridge', name: 'Cambridge Health Hub', region: 'East of England', contact: cambridge })
  assert.deepEqual(await sites.findContact(first.id), {
    address: '12 High Street, Cambridge CB1 1AA',
    phone: '01223 000000',
  })
  const listed = await sites.listAllWithContact()
  assert.deepEqual(
    listed.map((s) => [s.code, s.address, s.phone]),
    [['cambridge', '12 High Street, Cambridge CB1 1AA', '01223 000000']],
  )
  const rows = await database.db.selectFrom('site').select('id').execute()
  assert.equal(rows.length, 1)
})

test('the database refuses contact details the service would not store', async () => {
  const { database } = await setUp()
  const site = await givenSite(database.db)
  const attempts = [
    { postcode: 'cb1 1aa', address_line1: '1 A St', town: 'Cambridge' },
    { phone: '+44 1223 000000' },
    { address_line1: '12 High Street' },
    { address_line1: ' 12 High Street', town: 'Cambridge' },
  ]
  for (const values of attempts) {
    await assert.rejects(
      database.db.updateTable('site').set(values).where('id', '=', site.id).execute(),
      JSON.stringify(values),
    )
  }
})
