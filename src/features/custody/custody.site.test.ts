/**
 * A custody episode carries its person's site (migration 0030), kept by triggers whoever writes: the worklist reads
 * a site's releases by it, so an episode left at the old site after a move would show the person to the wrong hub.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { emptyFileDatabase } from '../../../test/support/database.ts'
import { givenPerson, givenSite, givenStaff } from '../../../test/support/builders.ts'

test('an episode takes its person’s site when added, whatever it is given, and moves when the person does', async () => {
  const database = await emptyFileDatabase()
  const { db } = database
  const cambridge = await givenSite(db)
  const peterborough = await givenSite(db)
  const staff = await givenStaff(db, 'clinician', { sites: [cambridge, peterborough] })
  const person = await givenPerson(db, cambridge)
  const neighbour = await givenPerson(db, cambridge)
  const episode = (personId: string, siteId?: string) =>
    db
      .insertInto('custody_episode')
      .values({
        person_id: personId,
        ...(siteId === undefined ? {} : { site_id: siteId }),
        prison_name: 'HMP Leeds',
        prison_code: 'LEI',
        prison_number: 'A1234BC',
        expected_release_date: '2026-12-01',
        created_by: staff.id,
        updated_by: staff.id,
      })
      .returning(['id', 'site_id', 'version'])
      .executeTakeFirstOrThrow()
  const first = await episode(person.id)
  assert.equal(first.site_id, cambridge.id)
  const misfiled = await episode(person.id, peterborough.id)
  assert.equal(misfiled.site_id, cambridge.id, 'a site given on insert is the person’s, not the caller’s')
  const theirs = await episode(neighbour.id)

  await db.updateTable('person').set({ site_id: peterborough.id }).where('id', '=', person.id).execute()
  const after = await db
    .selectFrom('custody_episode')
    .select(['id', 'site_id', 'version'])
    .orderBy('created_at')
    .execute()
  const site = new Map(after.map((row) => [row.id, row.site_id]))
  assert.equal(site.get(first.id), peterborough.id)
  assert.equal(site.get(misfiled.id), peterborough.id)
  assert.equal(site.get(theirs.id), cambridge.id, 'another person’s episode stays where they are')
  assert.ok(
    after.every((row) => row.version === 1),
    'the move is not a new version of the episode',
  )

  await db.updateTable('custody_episode').set({ site_id: cambridge.id }).where('id', '=', first.id).execute()
  const forced = await db.selectFrom('custody_episode').select('site_id').where('id', '=', first.id).executeTakeFirst()
  assert.equal(forced?.site_id, peterborough.id, 'an episode cannot be set to a site its person is not at')
})
