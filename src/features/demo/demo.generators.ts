import type { Insertable, NonNullableInsertKeys } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import {
  communicationNotes,
  demoSites,
  femaleGivenNames,
  interpreterLanguages,
  maleGivenNames,
  streetKinds,
  surnameEndings,
  surnameStems,
  type DemoSite,
} from './demo.data.ts'
import type { PersonTable } from '../people/index.ts'

/*
 * Synthetic people, generated deterministically: the same seed and starting index give the same people, so demo
 * databases and benchmarks are repeatable. Every table the demo fills has a generator that turns a chunk of
 * generated people into rows; later tables (appointments, checks, referrals) add a generator to `demoTables` and
 * read what they need (ids, sites, dates, health traits) from `DemoPerson`.
 */

// ---------------------------------------------------------------------------------------------------------------
// Random numbers

export interface Random {
  /** A float in [0, 1). */
  next(): number
  /** An integer from min to max inclusive. */
  int(min: number, max: number): number
  chance(probability: number): boolean
  pick<T>(items: readonly T[]): T
}

/** A 128-bit seed from any text (FNV-1a, four lanes). */
function seedWords(text: string): [number, number, number, number] {
  const words: [number, number, number, number] = [0x811c9dc5, 0x01000193, 0x9e3779b9, 0x85ebca6b]
  for (let lane = 0; lane < 4; lane++) {
    let h = (words[lane] ?? 0) ^ lane
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i)
      h = Math.imul(h, 0x01000193) >>> 0
    }
    words[lane] = h >>> 0
  }
  return words
}

/** sfc32 (Chris Doty-Humphrey's Small Fast Chaotic generator): fast, well distributed, not for secrets. */
export function createRandom(seed: string): Random {
  let [a, b, c, d] = seedWords(seed)
  const next = (): number => {
    a >>>= 0
    b >>>= 0
    c >>>= 0
    d >>>= 0
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  for (let i = 0; i < 12; i++) next()
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability) => next() < probability,
    pick: <T>(items: readonly T[]): T => {
      const item = items[Math.floor(next() * items.length)]
      if (item === undefined) throw new Error('Cannot pick from an empty list')
      return item
    },
  }
}

/** Picks from weighted choices in O(log n), with the cumulative weights worked out once. */
export function weighted<T>(choices: readonly (readonly [T, number])[]): (random: Random) => T {
  const values = choices.map(([value]) => value)
  const cumulative: number[] = []
  let total = 0
  for (const [, weight] of choices) {
    total += weight
    cumulative.push(total)
  }
  return (random) => {
    const target = random.next() * total
    let lo = 0
    let hi = cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((cumulative[mid] ?? 0) > target) hi = mid
      else lo = mid + 1
    }
    const value = values[lo]
    if (value === undefined) throw new Error('Cannot pick from an empty list')
    return value
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/** A version-4-shaped UUID from the generator, so ids are known before the rows are written. */
export function randomUuid(random: Random): string {
  // Four 32-bit words, written byte by byte as hex without building arrays: the loader makes millions of these.
  const a = Math.floor(random.next() * 4294967296)
  const b = Math.floor(random.next() * 4294967296)
  const c = Math.floor(random.next() * 4294967296)
  const d = Math.floor(random.next() * 4294967296)
  const hex = (byte: number) => HEX[byte] ?? '00'
  const word = (w: number) => hex(w >>> 24) + hex((w >>> 16) & 0xff) + hex((w >>> 8) & 0xff) + hex(w & 0xff)
  const version = hex(((b >>> 8) & 0x0f) | 0x40)
  const variant = hex(((c >>> 24) & 0x3f) | 0x80)
  return (
    `${word(a)}-${hex(b >>> 24)}${hex((b >>> 16) & 0xff)}-${version}${hex(b & 0xff)}-` +
    `${variant}${hex((c >>> 16) & 0xff)}-${hex((c >>> 8) & 0xff)}${hex(c & 0xff)}${word(d)}`
  )
}

// ---------------------------------------------------------------------------------------------------------------
// Identifiers: unique by construction (a bijection from the person's index), so no retries and no collisions.

/** Person index -> a distinct slot: multiplying by a number coprime to the modulus permutes 0..modulus-1. */
function permute(index: number, modulus: number, multiplier: number, offset: number): number {
  return ((((index % modulus) * multiplier) % modulus) + offset) % modulus
}

const CRN_SPACE = 26 * 1_000_000
const CRN_MULTIPLIER = 7_919_031 // coprime to 2, 5 and 13, the prime factors of 26,000,000
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
const LETTER_LIST = LETTERS.split('')

export function demoCrn(index: number, offset: number): string {
  const slot = permute(index, CRN_SPACE, CRN_MULTIPLIER, offset % CRN_SPACE)
  return `${LETTERS[Math.floor(slot / 1_000_000)] ?? 'X'}${String(slot % 1_000_000).padStart(6, '0')}`
}

/** NHS number check digit (modulus 11) for the first nine digits; undefined when no check digit makes it valid. */
export function nhsCheckDigit(nineDigits: string): number | undefined {
  let sum = 0
  for (let i = 0; i < 9; i++) sum += (nineDigits.charCodeAt(i) - 48) * (10 - i)
  const remainder = 11 - (sum % 11)
  if (remainder === 11) return 0
  if (remainder === 10) return undefined
  return remainder
}

/**
 * NHS numbers come only from the test range 999 000 0000-999 999 9999, which passes the checksum and is never
 * issued. Digits 4-8 give 99,999 blocks (99999 is left out, so 999 999 9999 never appears), and in each block at
 * least nine of the ten ninth digits have a valid check digit: 899,991 numbers in all.
 */
export const NHS_NUMBER_CAPACITY = 99_999 * 9
const NHS_MULTIPLIER = 524_287 // prime, and not a factor of 899,991 = 3^4 x 41 x 271

export function demoNhsNumber(index: number, offset: number): string {
  const slot = permute(index, NHS_NUMBER_CAPACITY, NHS_MULTIPLIER, offset % NHS_NUMBER_CAPACITY)
  const block = `999${String(Math.floor(slot / 9)).padStart(5, '0')}`
  let wanted = slot % 9
  for (let ninth = 0; ninth <= 9; ninth++) {
    const check = nhsCheckDigit(`${block}${ninth}`)
    if (check === undefined) continue
    if (wanted === 0) return `${block}${ninth}${check}`
    wanted--
  }
  throw new Error('unreachable: every block has nine valid numbers')
}

/** Prison numbers have no check character and need not be unique here. */
function prisonNumber(random: Random): string {
  return `${random.pick(LETTER_LIST)}${String(random.int(0, 9999)).padStart(4, '0')}${random.pick(LETTER_LIST)}${random.pick(LETTER_LIST)}`
}

const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ'.split('')

function postcode(random: Random, outward: string): string {
  return `${outward} ${random.int(0, 9)}${random.pick(INWARD_LETTERS)}${random.pick(INWARD_LETTERS)}`
}

// ---------------------------------------------------------------------------------------------------------------
// Dates

const DAY_MS = 24 * 60 * 60 * 1000

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

// ---------------------------------------------------------------------------------------------------------------
// People

/** Shares used by the generator; tests check the output against them. */
export const demoProportions = {
  withNhsNumber: 0.88,
  noFixedAbode: 0.09,
  fromCustody: 0.35,
  assignedPractitioner: 0.95,
  /** Health profile for later generators (CMO report 2023): about half smoke, most have poor mental health. */
  smokes: 0.5,
  poorMentalHealth: 0.7,
  substanceMisuse: 0.4,
  gpRegistered: 0.62,
} as const

const pickSex = weighted<'1' | '2' | '9'>([
  ['1', 86],
  ['2', 13.5],
  ['9', 0.5],
])

/** NHS ethnic categories, in proportions like the probation caseload in England and in London. */
const ethnicCategory = {
  england: weighted([
    ['A', 76],
    ['B', 1],
    ['C', 4],
    ['D', 1.5],
    ['E', 0.5],
    ['F', 0.5],
    ['G', 1],
    ['H', 1],
    ['J', 2],
    ['K', 0.5],
    ['L', 1],
    ['M', 2],
    ['N', 1.5],
    ['P', 1],
    ['R', 0.3],
    ['S', 1.2],
    ['Z', 3],
    ['99', 2],
  ]),
  london: weighted([
    ['A', 38],
    ['B', 2],
    ['C', 10],
    ['D', 3],
    ['E', 1.5],
    ['F', 1],
    ['G', 2.5],
    ['H', 3],
    ['J', 3],
    ['K', 2],
    ['L', 3],
    ['M', 9],
    ['N', 8],
    ['P', 4],
    ['R', 0.5],
    ['S', 4.5],
    ['Z', 3],
    ['99', 2],
  ]),
} satisfies Record<DemoSite['ethnicity'], unknown>

const pickAgeBand = weighted<readonly [number, number]>([
  [[18, 24], 17],
  [[25, 34], 33],
  [[35, 44], 27],
  [[45, 54], 14],
  [[55, 64], 7],
  [[65, 79], 2],
])

const pickDisability = weighted([
  ['yes', 35],
  ['no', 50],
  ['prefer-not-to-say', 5],
  [null, 10],
])

const pickNeurodivergence = weighted([
  ['diagnosed', 10],
  ['suspected', 15],
  ['no', 55],
  ['prefer-not-to-say', 5],
  [null, 15],
])

type SupervisionType =
  'community-order' | 'suspended-sentence-order' | 'licence' | 'post-sentence-supervision' | 'pre-release'

const pickSupervision = weighted<SupervisionType>([
  ['community-order', 42],
  ['suspended-sentence-order', 23],
  ['licence', 23],
  ['post-sentence-supervision', 6],
  ['pre-release', 6],
])

const pickLanguage = weighted(interpreterLanguages)
const pickSite = weighted(demoSites.map((site, i) => [i, site.weight] as const))
const ORDER_LENGTHS_DAYS = [183, 365, 548, 730, 1095]

/** The person columns the demo writes, in COPY order (created_at, updated_at and version take their defaults). */
export const personColumns = copyColumns('person', [
  'id',
  'site_id',
  'crn',
  'nhs_number',
  'given_name',
  'family_name',
  'preferred_name',
  'date_of_birth',
  'sex',
  'stated_gender',
  'gender_same_as_birth',
  'ethnic_category',
  'disability',
  'neurodivergence',
  'interpreter_needed',
  'language',
  'reading_support',
  'communication_notes',
  'phone',
  'email',
  'no_fixed_abode',
  'address_line1',
  'address_line2',
  'town',
  'postcode',
  'supervision_type',
  'supervision_start',
  'supervision_end',
  'probation_practitioner_id',
  'prison_number',
  'release_date',
])

export type PersonColumn = (typeof personColumns)[number]
export type PersonSeedRow = { [K in PersonColumn]-?: Exclude<Insertable<PersonTable>[K], undefined> }

/** Not stored on the person: what later generators (health checks, referrals) use to give each person a story. */
export interface HealthTraits {
  smokes: boolean
  poorMentalHealth: boolean
  substanceMisuse: boolean
  gpRegistered: boolean
}

export interface DemoPerson {
  row: PersonSeedRow
  siteCode: string
  traits: HealthTraits
}

export interface PeopleContext {
  seed: string
  /** Today, in UTC: dates are placed around it. */
  today: Date
  siteIds: ReadonlyMap<string, string>
  /** Probation practitioner ids by site code. */
  practitioners: ReadonlyMap<string, readonly string[]>
}

/**
 * Identifier slots depend on the index alone, not the seed, so topping up a database seeded earlier (with any seed)
 * continues where it stopped and never repeats a CRN or NHS number.
 */
const IDENTIFIER_OFFSETS = { crn: 3_141_592, nhs: 271_828 } as const

/** The people with indexes start..start+count-1. Index i is always the same person for the same seed. */
export function generatePeople(context: PeopleContext, start: number, count: number): DemoPerson[] {
  if (start + count > NHS_NUMBER_CAPACITY) {
    throw new Error(`The demo can hold at most ${NHS_NUMBER_CAPACITY.toLocaleString('en-GB')} people`)
  }
  const random = createRandom(`people:${context.seed}:${start}`)
  const offsets = IDENTIFIER_OFFSETS
  const todayMs = Date.UTC(context.today.getUTCFullYear(), context.today.getUTCMonth(), context.today.getUTCDate())
  const daysFromToday = (days: number) => isoDate(todayMs + days * DAY_MS)
  const people: DemoPerson[] = []

  for (let index = start; index < start + count; index++) {
    const site = demoSites[pickSite(random)] ?? demoSites[0]
    if (site === undefined) throw new Error('No demo sites')
    const siteId = context.siteIds.get(site.code)
    if (siteId === undefined) throw new Error(`Site ${site.code} is missing`)

    const sex = pickSex(random)
    const names = sex === '2' || (sex === '9' && random.chance(0.5)) ? femaleGivenNames : maleGivenNames
    const givenName = random.pick(names)
    const familyName = `${random.pick(surnameStems)}${random.pick(surnameEndings)}`

    let statedGender: PersonSeedRow['stated_gender'] = sex
    let genderSameAsBirth: PersonSeedRow['gender_same_as_birth'] = random.chance(0.9)
      ? 'yes'
      : random.chance(0.5)
        ? 'prefer-not-to-say'
        : null
    const genderRoll = random.next()
    if (genderRoll < 0.015 && sex !== '9') {
      statedGender = sex === '1' ? '2' : '1'
      genderSameAsBirth = 'no'
    } else if (genderRoll < 0.08) {
      statedGender = 'X'
      genderSameAsBirth = random.chance(0.7) ? null : 'prefer-not-to-say'
    }

    const [minAge, maxAge] = pickAgeBand(random)
    const ageDays = random.int(minAge * 365 + 5, (maxAge + 1) * 365 - 5)

    const interpreterNeeded = random.chance(site.interpreterRate)
    const noFixedAbode = random.chance(demoProportions.noFixedAbode)
    const [outward, town] = random.pick(site.districts)

    const supervisionType = pickSupervision(random)
    let supervisionStart: number
    let supervisionEnd: number | null
    let releaseOffset: number | null = null
    switch (supervisionType) {
      case 'community-order':
      case 'suspended-sentence-order': {
        const length = random.pick(
          supervisionType === 'community-order' ? ORDER_LENGTHS_DAYS : ORDER_LENGTHS_DAYS.slice(0, 4),
        )
        supervisionStart = -random.int(0, length - 30)
        supervisionEnd = supervisionStart + length
        break
      }
      case 'licence':
        // A quarter released in the last 28 days: inside the RECONNECT window.
        releaseOffset = random.chance(0.25) ? -random.int(0, 28) : -random.int(29, 720)
        supervisionStart = releaseOffset
        supervisionEnd = releaseOffset + random.int(180, 1460)
        break
      case 'post-sentence-supervision':
        supervisionStart = -random.int(0, 300)
        supervisionEnd = supervisionStart + 365
        releaseOffset = supervisionStart - random.int(90, 720)
        break
      case 'pre-release':
        // Up to 16 weeks before release: most inside RECONNECT's 12 weeks.
        releaseOffset = random.int(1, 112)
        supervisionStart = -random.int(0, 84)
        supervisionEnd = null
        break
    }
    const fromCustody = releaseOffset !== null

    const phone = random.chance(0.8) ? `07700 900${String(random.int(0, 999)).padStart(3, '0')}` : null
    const email = random.chance(0.35)
      ? `${givenName}.${familyName}${random.int(1, 99)}@example.com`.toLowerCase()
      : null

    const row: PersonSeedRow = {
      id: randomUuid(random),
      site_id: siteId,
      crn: demoCrn(index, offsets.crn),
      nhs_number: random.chance(demoProportions.withNhsNumber) ? demoNhsNumber(index, offsets.nhs) : null,
      given_name: givenName,
      family_name: familyName,
      preferred_name: random.chance(0.04) ? random.pick(names) : null,
      date_of_birth: daysFromToday(-ageDays),
      sex,
      stated_gender: statedGender,
      gender_same_as_birth: genderSameAsBirth,
      ethnic_category: ethnicCategory[site.ethnicity](random),
      disability: pickDisability(random),
      neurodivergence: pickNeurodivergence(random),
      interpreter_needed: interpreterNeeded,
      language: interpreterNeeded ? pickLanguage(random) : null,
      reading_support: random.chance(0.2),
      communication_notes: random.chance(0.05) ? random.pick(communicationNotes) : null,
      phone,
      email,
      no_fixed_abode: noFixedAbode,
      address_line1: noFixedAbode
        ? null
        : `${random.int(1, 240)} ${random.pick(surnameStems)}${random.pick(surnameEndings)} ${random.pick(streetKinds)}`,
      address_line2: !noFixedAbode && random.chance(0.12) ? `Flat ${random.int(1, 40)}` : null,
      town,
      postcode: noFixedAbode ? null : postcode(random, outward),
      supervision_type: supervisionType,
      supervision_start: daysFromToday(supervisionStart),
      supervision_end: supervisionEnd === null ? null : daysFromToday(supervisionEnd),
      probation_practitioner_id: random.chance(demoProportions.assignedPractitioner)
        ? random.pick(context.practitioners.get(site.code) ?? [null])
        : null,
      prison_number: fromCustody && random.chance(0.95) ? prisonNumber(random) : null,
      release_date: releaseOffset === null ? null : daysFromToday(releaseOffset),
    }

    const poorMentalHealth = random.chance(demoProportions.poorMentalHealth)
    const traits: HealthTraits = {
      smokes: random.chance(demoProportions.smokes),
      poorMentalHealth,
      substanceMisuse: random.chance(poorMentalHealth ? 0.45 : 0.28),
      // People with no fixed abode are much less often registered with a GP.
      gpRegistered: random.chance(noFixedAbode ? 0.35 : 0.65),
    }
    people.push({ row, siteCode: site.code, traits })
  }
  return people
}

// ---------------------------------------------------------------------------------------------------------------
// Tables and CSV

/** A column of table T that an insert may write (Kysely's `Insertable`: every column but those it can never set). */
export type CopyColumn<T extends keyof DB> = keyof Insertable<DB[T]> & string

/** Columns an insert into T must give (Kysely's non-optional insert keys: not nullable, no default) missing from C. */
type MissingColumns<T extends keyof DB, C extends readonly string[]> = Exclude<NonNullableInsertKeys<DB[T]>, C[number]>

/**
 * The columns a generator COPYs into `table`, in CSV order, checked against the table's type when compiling: every
 * entry must be a column of the table, and every column an insert must give must be there, so a column added to a
 * table breaks the type check here, not the demo load at run time. A missing column shows in the error as
 * `missingRequiredColumns: '<name>'`. Returns the list unchanged, as a readonly tuple of its names.
 */
export function copyColumns<T extends keyof DB, const C extends readonly CopyColumn<T>[]>(
  _table: T,
  columns: C & ([MissingColumns<T, C>] extends [never] ? unknown : { missingRequiredColumns: MissingColumns<T, C> }),
): C {
  return columns
}

/** Fixed texts a generator writes, by the table and column each is written to: tests check them against its limits. */
export type FixedTexts = { readonly [T in keyof DB]?: { readonly [C in CopyColumn<T>]?: readonly string[] } }

export type CsvValue = string | number | boolean | null

/** One CSV line for COPY ... WITH (FORMAT csv): null is an unquoted empty field, '' a quoted one. */
export function csvLine(values: readonly CsvValue[]): string {
  let line = ''
  for (let i = 0; i < values.length; i++) {
    if (i > 0) line += ','
    const value = values[i]
    if (value === null || value === undefined) continue
    if (typeof value === 'boolean') line += value ? 't' : 'f'
    else if (typeof value === 'number') line += String(value)
    else if (value === '' || /[",\r\n]/.test(value)) line += `"${value.replaceAll('"', '""')}"`
    else line += value
  }
  return `${line}\n`
}

export interface DemoTable {
  readonly table: string
  readonly columns: readonly string[]
  /** CSV for this table's rows that belong to a chunk of people. */
  csv(people: readonly DemoPerson[], context: PeopleContext): string
}

export const personTable: DemoTable = {
  table: 'person',
  columns: personColumns,
  csv: (people) => {
    let csv = ''
    for (const person of people) csv += csvLine(personColumns.map((column) => person.row[column]))
    return csv
  },
}

/**
 * Filled in this order for each chunk of people (foreign keys first). Add checks and referrals here. The hub teams,
 * appointments, follow-ups and consent decisions come from demo.activity.ts, copied around these by the service.
 */
export const demoTables: readonly DemoTable[] = [personTable]
