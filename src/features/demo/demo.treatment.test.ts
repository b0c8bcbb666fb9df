import { test } from 'node:test'
import assert from 'node:assert/strict'
import { eighteenthBirthday } from '../treatment-requirements/index.ts'
import { demoSites } from './demo.data.ts'
import { createRandom, generatePeople, type PeopleContext } from './demo.generators.ts'
import type { DemoNeed } from './demo.health.ts'
import type { DemoReferral } from './demo.referrals.ts'
import { generateTreatment, treatmentColumns } from './demo.treatment.ts'

const NOW_MS = Date.parse('2026-11-20T10:00:00Z')
const context: PeopleContext = {
  seed: 'treatment-test',
  today: new Date(NOW_MS),
  siteIds: new Map(demoSites.map((s, i) => [s.code, `00000000-0000-4000-8000-00000000000${String(i)}`])),
  practitioners: new Map(demoSites.map((s) => [s.code, ['00000000-0000-4000-8000-0000000000aa']])),
}

test('no treatment requirement is proposed before the person’s 18th birthday (a CSTR is for adults)', () => {
  const [person] = generatePeople(context, 0, 1)
  assert.ok(person !== undefined)
  // Turns 18 on 2026-08-01; their drug, alcohol and mental-health needs were found from a year before that.
  person.row.date_of_birth = '2008-08-01'
  person.row.supervision_type = 'community-order'
  const proposedColumn = treatmentColumns.indexOf('proposed_on')
  let proposals = 0
  for (let n = 0; n < 940; n++) {
    const identifiedOn = new Date(Date.parse('2025-08-01T00:00:00Z') + (n % 470) * 86_400_000)
      .toISOString()
      .slice(0, 10)
    const needs: DemoNeed[] = (['drugs', 'alcohol', 'mental-health'] as const).map((category, i) => ({
      id: `need-${String(i)}`,
      category,
      status: 'confirmed',
      identifiedOn,
      confirmedMs: Date.parse(`${identifiedOn}T12:00:00Z`),
      clinicianId: '00000000-0000-4000-8000-0000000000cc',
    }))
    const referrals: DemoReferral[] = []
    const made = generateTreatment(createRandom(`t:${String(n)}`), person, needs, referrals, 'pp', NOW_MS)
    for (const line of made.requirements.split('\n').filter((l) => l !== '')) {
      proposals++
      const proposedOn = line.split(',')[proposedColumn] ?? ''
      assert.ok(proposedOn >= eighteenthBirthday(person.row.date_of_birth), `proposed on ${proposedOn}, aged 17`)
    }
  }
  // Needs found after the birthday still lead to proposals: the rule does not stop them all.
  assert.ok(proposals > 0, 'some needs found after the birthday lead to proposals')
})
