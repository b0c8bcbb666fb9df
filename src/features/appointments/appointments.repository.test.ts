import { test } from 'node:test'
import assert from 'node:assert/strict'
import { emptyFileDatabase } from '../../../test/support/database.ts'
import { givenAppointment, givenPerson, givenSite, givenStaff } from '../../../test/support/builders.ts'
import { findClashes, MAX_DURATION_MINUTES } from './appointments.repository.ts'

test('the clash check reads only appointments starting within the longest duration before the slot', async () => {
  const database = await emptyFileDatabase()
  const db = database.db
  const site = await givenSite(db)
  const clinician = await givenStaff(db, 'clinician', { sites: [site] })
  const person = await givenPerson(db, site)
  const from = new Date('2026-12-03T10:00:00Z')
  const to = new Date('2026-12-03T10:45:00Z')
  const minutesBefore = (minutes: number) => new Date(from.getTime() - minutes * 60_000).toISOString()

  // The longest appointment the schema allows, starting just late enough to overlap: a clash.
  const longest = await givenAppointment(db, {
    person,
    clinician,
    startsAt: minutesBefore(MAX_DURATION_MINUTES - 1),
    durationMinutes: MAX_DURATION_MINUTES,
  })
  // One starting exactly that long before ends as the slot starts: no clash, and outside the bound.
  await givenAppointment(db, {
    person,
    clinician,
    startsAt: minutesBefore(MAX_DURATION_MINUTES),
    durationMinutes: MAX_DURATION_MINUTES,
  })
  // A row starting earlier still whose stored end reaches into the slot (which no booking can make): proof that the
  // scan stops at the lower bound rather than reading the person's and clinician's whole history.
  const outside = await givenAppointment(db, { person, clinician, startsAt: minutesBefore(MAX_DURATION_MINUTES + 60) })
  await db
    .updateTable('appointment')
    .set({ ends_at: new Date(to.getTime() + 60_000) })
    .where('id', '=', outside.id)
    .execute()

  const clashes = await findClashes(db, { personId: person.id, staffIds: [clinician.id] }, from, to)
  assert.deepEqual(
    clashes.map((c) => c.id),
    [longest.id],
  )
  assert.equal(MAX_DURATION_MINUTES, 480, 'the schema allows appointments of up to 480 minutes')
})
