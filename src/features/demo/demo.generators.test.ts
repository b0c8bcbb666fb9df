import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  copyColumns,
  createRandom,
  csvLine,
  demoCrn,
  demoNhsNumber,
  demoProportions,
  generatePeople,
  nhsCheckDigit,
  personColumns,
  personTable,
  randomUuid,
  type PeopleContext,
} from './demo.generators.ts'
import { createProgressBar } from './demo.progress.ts'

const context: PeopleContext = {
  seed: 'test',
  today: new Date('2026-11-20T10:00:00Z'),
  siteIds: new Map([
    ['cambridge', '00000000-0000-4000-8000-000000000001'],
    ['middlesbrough', '00000000-0000-4000-8000-000000000002'],
    ['ilfracombe', '00000000-0000-4000-8000-000000000003'],
    ['hammersmith', '00000000-0000-4000-8000-000000000004'],
  ]),
  practitioners: new Map([['cambridge', ['00000000-0000-4000-8000-0000000000aa']]]),
}

describe('demo generators', () => {
  test('the same seed and index always give the same person', () => {
    const first = generatePeople(context, 100, 50)
    const again = generatePeople(context, 100, 50)
    const other = generatePeople({ ...context, seed: 'another' }, 100, 50)
    assert.deepEqual(again, first)
    assert.notDeepEqual(
      other.map((p) => p.row.given_name),
      first.map((p) => p.row.given_name),
    )
    // Identifiers depend on the index only, so any seed can top up a database without clashing.
    assert.deepEqual(
      other.map((p) => p.row.crn),
      first.map((p) => p.row.crn),
    )
  })

  test('CRNs and NHS numbers never repeat across a large range of indexes', () => {
    const crns = new Set<string>()
    const nhsNumbers = new Set<string>()
    for (let i = 0; i < 200_000; i++) {
      crns.add(demoCrn(i, 3_141_592))
      const nhs = demoNhsNumber(i, 271_828)
      assert.ok(nhs.startsWith('999') && nhs !== '9999999999')
      nhsNumbers.add(nhs)
    }
    assert.equal(crns.size, 200_000)
    assert.equal(nhsNumbers.size, 200_000)
  })

  test('the check digit follows modulus 11, including the published example and an invalid remainder of 10', () => {
    assert.equal(nhsCheckDigit('943476591'), 9)
    // 9x10 + 9x9 + 9x8 = 243; 243 mod 11 = 1, so the remainder is 10 and no check digit is valid.
    assert.equal(nhsCheckDigit('999000000'), undefined)
    const invalid = Array.from({ length: 1000 }, (_, i) => `999${String(i).padStart(6, '0')}`).filter(
      (nine) => nhsCheckDigit(nine) === undefined,
    )
    assert.ok(invalid.length > 50 && invalid.length < 150)
  })

  test('health traits follow the CMO report: about half smoke, most have poor mental health, many lack a GP', () => {
    const people = generatePeople(context, 0, 4000)
    const share = (predicate: (p: (typeof people)[number]) => boolean) =>
      people.filter(predicate).length / people.length
    assert.ok(Math.abs(share((p) => p.traits.smokes) - demoProportions.smokes) < 0.04)
    assert.ok(share((p) => p.traits.poorMentalHealth) > 0.6)
    const noGp = share((p) => !p.traits.gpRegistered)
    assert.ok(noGp > 0.25 && noGp < 0.5, `many not registered with a GP (${noGp})`)
  })

  test('CSV quotes only what needs quoting and writes null as an empty field', () => {
    assert.equal(csvLine(['a', null, true, false, 3, 'x,y', 'say "hi"', '']), 'a,,t,f,3,"x,y","say ""hi""",""\n')
    const [person] = generatePeople(context, 0, 1)
    assert.ok(person !== undefined)
    const csv = personTable.csv([person], context)
    assert.ok(csv.endsWith('\n'))
    assert.ok(csv.startsWith(`${person.row.id},${person.row.site_id},${person.row.crn},`))
    assert.equal(personColumns[0], 'id')
  })

  test('random UUIDs are version 4 shaped and exactly those earlier seeds gave (pinned)', () => {
    const random = createRandom('uuid-pin')
    // Pinned from the first implementation: a faster one must not change a seed's ids.
    assert.deepEqual(
      [randomUuid(random), randomUuid(random), randomUuid(random)],
      [
        'a9bd3168-a9d8-4476-a65c-4da25d895c44',
        'baa12c68-88cb-4db8-825f-31287af7816f',
        '78a7e7a4-ff10-4350-ac1e-12330a8f37dd',
      ],
    )
    for (let i = 0; i < 2000; i++) {
      assert.match(randomUuid(random), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    }
  })

  test('the random generator is repeatable and spreads its values', () => {
    const a = createRandom('x')
    const b = createRandom('x')
    const values = Array.from({ length: 1000 }, () => a.next())
    assert.deepEqual(
      Array.from({ length: 1000 }, () => b.next()),
      values,
    )
    assert.ok(values.every((v) => v >= 0 && v < 1))
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length
    assert.ok(Math.abs(mean - 0.5) < 0.05)
  })
})

describe('copyColumns', () => {
  test('returns the column list unchanged', () => {
    assert.deepEqual(copyColumns('staff_site', ['site_id', 'staff_user_id']), ['site_id', 'staff_user_id'])
  })

  test('fails the type check for a column the table lacks or a missing required column', () => {
    // Checked by tsc: each expected error must happen, or the unused directive is itself an error.
    // @ts-expect-error site_id is required on insert into staff_site (it is not nullable and has no default)
    copyColumns('staff_site', ['staff_user_id'])
    // @ts-expect-error staff_site has no column site_code
    copyColumns('staff_site', ['staff_user_id', 'site_id', 'site_code'])
    // @ts-expect-error crn is required on insert into person
    copyColumns('person', ['site_id', 'given_name', 'family_name', 'date_of_birth'])
    // Nullable columns and columns with a default (id, version, created_at) may be left out.
    copyColumns('person', ['site_id', 'crn', 'given_name', 'family_name', 'date_of_birth'])
  })
})

describe('progress bar', () => {
  test('draws nothing when the stream is not a terminal or progress is off', () => {
    const written: string[] = []
    const stream = { isTTY: false, write: (text: string) => written.push(text) }
    const bar = createProgressBar({ label: 'Loading', total: 10, enabled: true, stream })
    bar.update(5)
    bar.finish()
    const off = createProgressBar({ label: 'Loading', total: 10, enabled: false, stream: { ...stream, isTTY: true } })
    off.update(5)
    off.finish()
    assert.deepEqual(written, [])
  })

  test('redraws one line in place on a terminal and ends it with a newline', () => {
    const written: string[] = []
    let now = 0
    const bar = createProgressBar({
      label: 'Loading',
      total: 10,
      enabled: true,
      stream: { isTTY: true, write: (text: string) => written.push(text) },
      now: () => now,
    })
    bar.update(5)
    now += 500
    bar.update(10)
    bar.finish()
    assert.ok(written.length >= 3)
    assert.ok(written.slice(0, -1).every((line) => line.startsWith('\r')))
    assert.ok(written.some((line) => line.includes('50%')))
    assert.equal(written.at(-1), '\n')
  })
})
