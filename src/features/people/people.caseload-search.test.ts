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
