/**
 * A name search reads the same page whichever way the repository reads it: through the prefix indexes then sorted
 * (few matches), or by walking the name-sorted index (many).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { emptyFileDatabase } from '../../../test/support/database.ts'
import { givenPerson, givenSite } from '../../../test/support/builders.ts'
import { listCaseload, SORT_MATCHES_UP_TO, type CaseloadFilter } from './people.repository.ts'

test('a name search gives the same rows in the same order read either way, in both directions and pages', async () => {
  const database = await emptyFileDatabase()
  const site = await givenSite(database.db)
  const other = await givenSite(database.db)
  const names: [string, string][] = [
    ['Kestrel', 'Adams'],
    ['Ann', 'Kestwell'],
    ['Bea', 'kestwell'],
    ['Cal', 'Kesteven'],
    ['Dee', 'Kent'],
    ['Kes', 'Zeal'],
    ['Eve', 'Kestwell'],
  ]
  for (const [given, family] of names) await givenPerson(database.db, site, { given_name: given, family_name: family })
  await givenPerson(database.db, other, { given_name: 'Fay', family_name: 'Kestwell' })
  for (const order of ['asc', 'desc'] as const) {
    for (const offset of [0, 2]) {
      const filter: CaseloadFilter = {
        siteIds: [site.id],
        search: { kind: 'name', terms: ['kest'] },
        supervisionType: undefined,
        fromCustody: false,
        practitionerId: undefined,
        sort: 'name',
        order,
        limit: 3,
        offset,
      }
      const walked = (await listCaseload(database.db, filter, SORT_MATCHES_UP_TO + 1)).map((p) => p.givenName)
      const fenced = (await listCaseload(database.db, filter, 5)).map((p) => p.givenName)
      // By family name then given name, case ignored: Adams, Kesteven, then the three Kestwells (Kes Zeal and the
      // other site's Fay do not match).
      const inOrder = ['Kestrel', 'Cal', 'Ann', 'Bea', 'Eve']
      const expected = (order === 'asc' ? inOrder : [...inOrder].reverse()).slice(offset, offset + 3)
      assert.deepEqual(walked, expected)
      assert.deepEqual(fenced, expected)
    }
  }
})

test('a name search with few matches pages the same rows as the walk in every order, release dates unknown last', async () => {
  const database = await emptyFileDatabase()
  const site = await givenSite(database.db)
  const people: [string, string, string | null][] = [
    ['Kestrel', '1980-05-01', '2026-01-10'],
    ['Ann', '1975-02-03', null],
    ['Bea', '1990-07-09', '2025-11-30'],
    ['Cal', '1985-12-12', null],
    ['Eve', '1979-03-03', '2026-06-01'],
  ]
  for (const [given, born, released] of people) {
    await givenPerson(database.db, site, {
      given_name: given,
      family_name: 'Kestwell',
      date_of_birth: born,
      release_date: released,
    })
  }
  for (const sort of ['name', 'crn', 'dateOfBirth', 'releaseDate', 'recent'] as const) {
    for (const order of ['asc', 'desc'] as const) {
      for (const offset of [0, 2, 4]) {
        const filter: CaseloadFilter = {
          siteIds: [site.id],
          search: { kind: 'name', terms: ['kest'] },
          supervisionType: undefined,
          fromCustody: false,
          practitionerId: undefined,
          sort,
          order,
          limit: 2,
          offset,
        }
        const walked = (await listCaseload(database.db, filter, SORT_MATCHES_UP_TO + 1)).map((p) => p.givenName)
        const fenced = (await listCaseload(database.db, filter, 5)).map((p) => p.givenName)
        assert.equal(walked.length, offset === 4 ? 1 : 2, `${sort} ${order} ${String(offset)}`)
        assert.deepEqual(fenced, walked, `${sort} ${order} ${String(offset)}`)
      }
    }
    if (sort === 'releaseDate') {
      const all = (order: 'asc' | 'desc') =>
        listCaseload(
          database.db,
          {
            siteIds: [site.id],
            search: { kind: 'name', terms: ['kest'] },
            supervisionType: undefined,
            fromCustody: false,
            practitionerId: undefined,
            sort,
            order,
            limit: 10,
            offset: 0,
          },
          5,
        )
      assert.deepEqual((await all('asc')).map((p) => p.givenName).slice(0, 3), ['Bea', 'Kestrel', 'Eve'])
      assert.deepEqual((await all('desc')).map((p) => p.givenName).slice(0, 3), ['Eve', 'Kestrel', 'Bea'])
    }
  }
})
