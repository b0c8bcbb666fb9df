import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  addMonths,
  addYears,
  ageOn,
  assessScreening,
  formatLongDate,
  screeningProgrammes,
  screeningStatuses,
  type ProgrammeAssessment,
  type ScreeningEvent,
  type ScreeningInput,
  type ScreeningProgramme,
} from './screening.eligibility.ts'

// Expected dates below are written out by hand from the rule quoted beside them (domain-reference.md §2), never
// computed with the module's own helpers.

function aWoman(dateOfBirth: string, extra: Partial<ScreeningInput> = {}): ScreeningInput {
  return { dateOfBirth, sex: '2', statedGender: '2', genderSameAsBirth: 'yes', smoking: 'never', events: [], ...extra }
}

function aMan(dateOfBirth: string, extra: Partial<ScreeningInput> = {}): ScreeningInput {
  return { dateOfBirth, sex: '1', statedGender: '1', genderSameAsBirth: 'yes', smoking: 'never', events: [], ...extra }
}

function assess(input: ScreeningInput, asOf: string, programme: ScreeningProgramme): ProgrammeAssessment {
  const found = assessScreening(input, asOf).find((a) => a.programme === programme)
  assert.ok(found, `no assessment for ${programme}`)
  return found
}

function expectAssessment(
  actual: ProgrammeAssessment,
  expected: Partial<Pick<ProgrammeAssessment, 'eligible' | 'status' | 'nextDue'>>,
): void {
  const picked = Object.fromEntries(Object.keys(expected).map((k) => [k, actual[k as keyof ProgrammeAssessment]]))
  assert.deepEqual(picked, expected, actual.reason)
}

describe('output shape', () => {
  test('returns the six programmes in the agreed order with the agreed codes', () => {
    const result = assessScreening(aWoman('1970-01-01'), '2026-01-01')
    assert.deepEqual(
      result.map((a) => a.programme),
      ['cervical', 'breast', 'bowel', 'aaa', 'lung', 'prostate-informed-choice'],
    )
    assert.deepEqual(screeningProgrammes, ['cervical', 'breast', 'bowel', 'aaa', 'lung', 'prostate-informed-choice'])
  })

  test('every status is one of the seven allowed, every reason is non-empty, over a sweep of ages and people', () => {
    const people = [
      aWoman('1950-02-28'),
      aMan('1950-02-28', { smoking: 'current' }),
      { dateOfBirth: '1950-02-28', sex: '9', smoking: 'unknown' } satisfies ScreeningInput,
      { dateOfBirth: '1950-02-28', sex: null } satisfies ScreeningInput,
    ]
    for (let year = 1950; year <= 2040; year += 1) {
      for (const person of people) {
        for (const a of assessScreening(person, `${String(year)}-06-30`)) {
          assert.ok((screeningStatuses as readonly string[]).includes(a.status), a.status)
          assert.ok(a.reason.length > 0)
          assert.ok([true, false, 'self-referral', 'check-with-clinician'].includes(a.eligible))
          if (a.nextDue !== null) assert.match(a.nextDue, /^\d{4}-\d{2}-\d{2}$/)
        }
      }
    }
  })
})

describe('dates: exact on birthdays, 29 February and month ends, in UTC', () => {
  test('age goes up on the birthday itself, not the day before', () => {
    assert.equal(ageOn('1975-06-10', '2025-06-09'), 49)
    assert.equal(ageOn('1975-06-10', '2025-06-10'), 50)
  })

  test('a 29 February birthday counts from 1 March in non-leap years and on 29 February in leap years', () => {
    assert.equal(ageOn('2000-02-29', '2001-02-28'), 0)
    assert.equal(ageOn('2000-02-29', '2001-03-01'), 1)
    assert.equal(ageOn('2000-02-29', '2004-02-28'), 3)
    assert.equal(ageOn('2000-02-29', '2004-02-29'), 4)
    assert.equal(addYears('2000-02-29', 50), '2050-03-01')
    assert.equal(addYears('2000-02-29', 4), '2004-02-29')
  })

  test('adding months to a day the target month lacks moves to the 1st of the next month', () => {
    assert.equal(addMonths('2000-08-31', 294), '2025-03-01')
    assert.equal(addMonths('2000-12-31', 294), '2025-07-01')
    assert.equal(addMonths('2000-01-15', 294), '2024-07-15')
    assert.equal(addMonths('2024-12-15', 1), '2025-01-15')
  })

  test('formats dates in the GOV.UK style', () => {
    assert.equal(formatLongDate('2027-03-03'), '3 March 2027')
    assert.equal(formatLongDate('2025-12-31'), '31 December 2025')
  })

  test('does not depend on the process time zone', () => {
    const before = process.env.TZ
    process.env.TZ = 'Pacific/Kiritimati'
    try {
      assert.equal(ageOn('1975-06-10', '2025-06-10'), 50)
      assert.equal(addYears('1976-02-29', 50), '2026-03-01')
    } finally {
      if (before === undefined) delete process.env.TZ
      else process.env.TZ = before
    }
  })
})

describe('asOf handling', () => {
  test('refuses an asOf or date of birth that is not a real YYYY-MM-DD date', () => {
    for (const bad of ['2025-02-29', '2025-13-01', '2025-1-1', '01/02/2025', '', '2025-06-31T00:00:00Z']) {
      assert.throws(() => assessScreening(aWoman('1970-01-01'), bad), RangeError, bad)
      assert.throws(() => assessScreening(aWoman(bad), '2026-01-01'), RangeError, bad)
    }
  })

  test('refuses a date of birth after asOf', () => {
    assert.throws(() => assessScreening(aWoman('2026-01-02'), '2026-01-01'), RangeError)
  })

  test('refuses an event with an impossible date', () => {
    const events: ScreeningEvent[] = [{ programme: 'bowel', state: 'invited', date: '2025-02-30' }]
    assert.throws(() => assessScreening(aWoman('1970-01-01', { events }), '2026-01-01'), RangeError)
  })

  test('ignores events dated after asOf, so a past asOf shows what was known then', () => {
    const events: ScreeningEvent[] = [
      { programme: 'bowel', state: 'result-recorded', date: '2025-05-01', result: 'normal' },
    ]
    const person = aWoman('1970-01-01', { events })
    expectAssessment(assess(person, '2025-04-30', 'bowel'), { status: 'due', nextDue: '2020-01-01' })
    // Normal kit on 1 May 2025, every 2 years: next 1 May 2027.
    expectAssessment(assess(person, '2025-05-01', 'bowel'), { status: 'result-recorded', nextDue: '2027-05-01' })
  })

  test('the same person gets a different answer on a different asOf', () => {
    const person = aWoman('1975-06-10')
    expectAssessment(assess(person, '2025-06-09', 'breast'), { eligible: false })
    expectAssessment(assess(person, '2025-06-10', 'breast'), { eligible: true })
  })
})

describe('cervical: ages 25 to 64, first invitation at 24 and a half', () => {
  // Born 15 January 2000: 24.5 on 15 July 2024, 25 on 15 January 2025.
  test('not eligible the day before 24 and a half, with the first invitation date as next due', () => {
    expectAssessment(assess(aWoman('2000-01-15'), '2024-07-14', 'cervical'), {
      eligible: false,
      status: 'not-eligible',
      nextDue: '2024-07-15',
    })
  })

  test('due on the day of 24 and a half', () => {
    expectAssessment(assess(aWoman('2000-01-15'), '2024-07-15', 'cervical'), {
      eligible: true,
      status: 'due',
      nextDue: '2024-07-15',
    })
  })

  test('still due, never screened, the day before and on the 25th birthday', () => {
    expectAssessment(assess(aWoman('2000-01-15'), '2025-01-14', 'cervical'), { eligible: true, status: 'due' })
    expectAssessment(assess(aWoman('2000-01-15'), '2025-01-15', 'cervical'), { eligible: true, status: 'due' })
  })

  test('24 and a half from 31 August lands on 1 March (no 31 February)', () => {
    expectAssessment(assess(aWoman('2000-08-31'), '2025-02-28', 'cervical'), { eligible: false, nextDue: '2025-03-01' })
    expectAssessment(assess(aWoman('2000-08-31'), '2025-03-01', 'cervical'), { eligible: true, status: 'due' })
  })

  test('24 and a half from a 29 February birthday is 29 August', () => {
    expectAssessment(assess(aWoman('2000-02-29'), '2024-08-28', 'cervical'), { eligible: false, nextDue: '2024-08-29' })
    expectAssessment(assess(aWoman('2000-02-29'), '2024-08-29', 'cervical'), { eligible: true, status: 'due' })
  })

  // Born 15 January 1961: 65 on 15 January 2026.
  test('eligible aged 64 the day before the 65th birthday, not from the 65th birthday', () => {
    expectAssessment(assess(aWoman('1961-01-15'), '2026-01-14', 'cervical'), { eligible: true, status: 'due' })
    const on = assess(aWoman('1961-01-15'), '2026-01-15', 'cervical')
    expectAssessment(on, { eligible: false, status: 'not-eligible', nextDue: null })
    assert.match(on.reason, /ages 25 to 64/)
  })

  test('HPV negative aged 25 to 49 on 30 June 2025 (before the change): re-invited after 3 years', () => {
    const events: ScreeningEvent[] = [
      { programme: 'cervical', state: 'result-recorded', date: '2025-06-30', result: 'hpv-negative' },
    ]
    const a = assess(aWoman('1990-03-10', { events }), '2025-08-01', 'cervical')
    expectAssessment(a, { eligible: true, status: 'result-recorded', nextDue: '2028-06-30' })
    assert.match(a.reason, /3-year/)
  })

  test('HPV negative aged 25 to 49 on 1 July 2025 (the change): re-invited after 5 years', () => {
    const events: ScreeningEvent[] = [
      { programme: 'cervical', state: 'result-recorded', date: '2025-07-01', result: 'hpv-negative' },
    ]
    const a = assess(aWoman('1990-03-10', { events }), '2025-08-01', 'cervical')
    expectAssessment(a, { eligible: true, status: 'result-recorded', nextDue: '2030-07-01' })
    assert.match(a.reason, /since 1 July 2025 re-invited after 5 years/)
  })

  test('HPV negative aged 50 to 64: every 5 years, also before July 2025', () => {
    const events: ScreeningEvent[] = [
      { programme: 'cervical', state: 'result-recorded', date: '2024-05-01', result: 'hpv-negative' },
    ]
    expectAssessment(assess(aWoman('1970-01-01', { events }), '2025-01-01', 'cervical'), { nextDue: '2029-05-01' })
  })

  test('the age band is the age on the day of the test: 49 the day before the 50th birthday, 50 on it', () => {
    // Born 1 May 1974: 50 on 1 May 2024; both tests before July 2025.
    const dayBefore: ScreeningEvent[] = [
      { programme: 'cervical', state: 'result-recorded', date: '2024-04-30', result: 'hpv-negative' },
    ]
    const onBirthday: ScreeningEvent[] = [
      { programme: 'cervical', state: 'result-recorded', date: '2024-05-01', result: 'hpv-negative' },
    ]
    expectAssessment(assess(aWoman('1974-05-01', { events: dayBefore }), '2025-01-01', 'cervical'), {
      nextDue: '2027-04-30',
    })
    expectAssessment(assess(aWoman('1974-05-01', { events: onBirthday }), '2025-01-01', 'cervical'), {
      nextDue: '2029-05-01',
    })
  })

  test('an HPV-negative self-sample after July 2025 does not give the 5-year interval', () => {
    const events: ScreeningEvent[] = [
      { programme: 'cervical', state: 'result-recorded', date: '2025-09-01', result: 'hpv-negative', selfSample: true },
    ]
    const a = assess(aWoman('1990-03-10', { events }), '2025-10-01', 'cervical')
    assert.notEqual(a.nextDue, '2030-09-01')
    expectAssessment(a, { nextDue: '2028-09-01' })
    assert.match(a.reason, /self-sample result does not move someone to the 5-year interval/)
    assert.match(a.reason, /does not give its interval/)
  })

  test('an HPV-negative self-sample aged 50 to 64 does not get 5 years either', () => {
    const events: ScreeningEvent[] = [
      { programme: 'cervical', state: 'result-recorded', date: '2025-09-01', result: 'hpv-negative', selfSample: true },
    ]
    expectAssessment(assess(aWoman('1970-01-01', { events }), '2025-10-01', 'cervical'), { nextDue: '2028-09-01' })
  })

  test('HPV positive with no cell changes: repeat in 1 year', () => {
    const events: ScreeningEvent[] = [
      { programme: 'cervical', state: 'result-recorded', date: '2025-09-01', result: 'hpv-positive-no-cell-changes' },
    ]
    const person = aWoman('1990-03-10', { events })
    expectAssessment(assess(person, '2026-08-31', 'cervical'), { status: 'result-recorded', nextDue: '2026-09-01' })
    expectAssessment(assess(person, '2026-09-01', 'cervical'), { status: 'due', nextDue: '2026-09-01' })
    assert.match(assess(person, '2026-01-01', 'cervical').reason, /repeat test in 1 year/)
  })

  test('HPV positive with cell changes: colposcopy, no routine recall date', () => {
    const events: ScreeningEvent[] = [
      { programme: 'cervical', state: 'result-recorded', date: '2025-09-01', result: 'hpv-positive-cell-changes' },
    ]
    const a = assess(aWoman('1990-03-10', { events }), '2030-01-01', 'cervical')
    expectAssessment(a, { eligible: true, status: 'result-recorded', nextDue: null })
    assert.match(a.reason, /colposcopy, not routine recall/)
  })

  test('HPV positive with no cell result: the reference is silent, so check with a clinician', () => {
    const events: ScreeningEvent[] = [
      { programme: 'cervical', state: 'result-recorded', date: '2025-09-01', result: 'hpv-positive-cells-not-checked' },
    ]
    const a = assess(aWoman('1990-03-10', { events }), '2025-10-01', 'cervical')
    expectAssessment(a, { eligible: 'check-with-clinician', nextDue: null })
    assert.match(a.reason, /does not say what follows/)
  })

  test('HPV negative at 62: the 5-year recall is after 65, so no next date', () => {
    const events: ScreeningEvent[] = [
      { programme: 'cervical', state: 'result-recorded', date: '2022-01-01', result: 'hpv-negative' },
    ]
    const a = assess(aWoman('1960-01-01', { events }), '2023-01-01', 'cervical')
    expectAssessment(a, { eligible: true, status: 'result-recorded', nextDue: null })
    assert.match(a.reason, /routine invitations stop/)
  })

  test('HPV positive at 64 and a half: the 1-year repeat falls after 65, so check with a clinician', () => {
    // Born 1 January 1961: 65 on 1 January 2026. Repeat due 1 July 2026.
    const events: ScreeningEvent[] = [
      { programme: 'cervical', state: 'result-recorded', date: '2025-07-01', result: 'hpv-positive-no-cell-changes' },
    ]
    const person = aWoman('1961-01-01', { events })
    expectAssessment(assess(person, '2025-08-01', 'cervical'), { eligible: 'check-with-clinician', nextDue: null })
    const after = assess(person, '2026-02-01', 'cervical')
    expectAssessment(after, { eligible: 'check-with-clinician', nextDue: null })
    assert.match(after.reason, /HPV positive/)
  })
})

describe('breast: women from 50 to the 71st birthday, every 3 years', () => {
  // Born 10 June 1975: 50 on 10 June 2025, 53 on 10 June 2028, 71 on 10 June 2046.
  test('not eligible the day before the 50th birthday, eligible and due on it', () => {
    expectAssessment(assess(aWoman('1975-06-10'), '2025-06-09', 'breast'), {
      eligible: false,
      status: 'not-eligible',
      nextDue: '2025-06-10',
    })
    expectAssessment(assess(aWoman('1975-06-10'), '2025-06-10', 'breast'), {
      eligible: true,
      status: 'due',
      nextDue: '2025-06-10',
    })
  })

  test('the first invitation is described as coming before the 53rd birthday', () => {
    const a = assess(aWoman('1975-06-10'), '2028-06-09', 'breast')
    expectAssessment(a, { eligible: true, status: 'due' })
    assert.match(a.reason, /before the 53rd birthday \(10 June 2028\)/)
    expectAssessment(assess(aWoman('1975-06-10'), '2028-06-10', 'breast'), { eligible: true, status: 'due' })
  })

  test('the reason reads as agreed: last screened, next due by', () => {
    const events: ScreeningEvent[] = [
      { programme: 'breast', state: 'result-recorded', date: '2024-03-03', result: 'normal' },
    ]
    const a = assess(aWoman('1970-01-01', { events }), '2025-01-01', 'breast')
    expectAssessment(a, { eligible: true, status: 'result-recorded', nextDue: '2027-03-03' })
    assert.equal(
      a.reason,
      'Aged 50 to 70: breast screening every 3 years. Last screened 3 March 2024, so next due by 3 March 2027.',
    )
  })

  test('becomes due on the 3-year date, not the day before', () => {
    const events: ScreeningEvent[] = [
      { programme: 'breast', state: 'result-recorded', date: '2024-03-03', result: 'normal' },
    ]
    const person = aWoman('1970-01-01', { events })
    expectAssessment(assess(person, '2027-03-02', 'breast'), { status: 'result-recorded' })
    expectAssessment(assess(person, '2027-03-03', 'breast'), { status: 'due', nextDue: '2027-03-03' })
  })

  test('eligible the day before the 71st birthday; from it not invited but can self-refer', () => {
    expectAssessment(assess(aWoman('1975-06-10'), '2046-06-09', 'breast'), { eligible: true })
    const a = assess(aWoman('1975-06-10'), '2046-06-10', 'breast')
    expectAssessment(a, { eligible: 'self-referral', status: 'not-eligible', nextDue: null })
    assert.match(a.reason, /not invited|no longer invited/)
    assert.match(a.reason, /self-refer every 3 years/)
  })

  test('over 71: says from when a self-referral is possible after the last screen', () => {
    const events: ScreeningEvent[] = [
      { programme: 'breast', state: 'result-recorded', date: '2024-05-01', result: 'normal' },
    ]
    const a = assess(aWoman('1950-01-01', { events }), '2025-01-01', 'breast')
    assert.match(a.reason, /can self-refer from 1 May 2027/)
    const later = assess(aWoman('1950-01-01', { events }), '2027-05-01', 'breast')
    assert.match(later.reason, /can self-refer now/)
  })

  test('over 71: a booked self-referral shows as booked', () => {
    const events: ScreeningEvent[] = [{ programme: 'breast', state: 'booked', date: '2025-01-10' }]
    expectAssessment(assess(aWoman('1950-01-01', { events }), '2025-02-01', 'breast'), {
      eligible: 'self-referral',
      status: 'booked',
    })
  })

  test('a 3-year date after the 71st birthday gives no next date', () => {
    // Born 1 January 1955: 71 on 1 January 2026. Screened 1 March 2024: 3 years later is 1 March 2027.
    const events: ScreeningEvent[] = [
      { programme: 'breast', state: 'result-recorded', date: '2024-03-01', result: 'normal' },
    ]
    const a = assess(aWoman('1955-01-01', { events }), '2025-01-01', 'breast')
    expectAssessment(a, { eligible: true, nextDue: null })
    assert.match(a.reason, /71st birthday/)
  })

  test('further tests after screening: no routine recall', () => {
    const events: ScreeningEvent[] = [
      { programme: 'breast', state: 'result-recorded', date: '2024-03-01', result: 'referred' },
    ]
    expectAssessment(assess(aWoman('1970-01-01', { events }), '2025-01-01', 'breast'), {
      status: 'result-recorded',
      nextDue: null,
    })
  })
})

describe('bowel: ages 50 to 74, home kit every 2 years', () => {
  // Born 20 September 1976: 50 on 20 September 2026, 75 on 20 September 2051.
  test('not eligible the day before the 50th birthday, due on it', () => {
    expectAssessment(assess(aMan('1976-09-20'), '2026-09-19', 'bowel'), {
      eligible: false,
      status: 'not-eligible',
      nextDue: '2026-09-20',
    })
    expectAssessment(assess(aMan('1976-09-20'), '2026-09-20', 'bowel'), {
      eligible: true,
      status: 'due',
      nextDue: '2026-09-20',
    })
  })

  test('eligible aged 74 the day before the 75th birthday; from 75 not invited but can ask for a kit', () => {
    expectAssessment(assess(aMan('1976-09-20'), '2051-09-19', 'bowel'), { eligible: true, status: 'due' })
    const a = assess(aMan('1976-09-20'), '2051-09-20', 'bowel')
    expectAssessment(a, { eligible: 'self-referral', status: 'not-eligible', nextDue: null })
    assert.match(a.reason, /can ask for a home test kit/)
  })

  test('a normal kit is followed 2 years later', () => {
    const events: ScreeningEvent[] = [
      { programme: 'bowel', state: 'result-recorded', date: '2025-04-15', result: 'normal' },
    ]
    const person = aWoman('1960-01-01', { events })
    expectAssessment(assess(person, '2027-04-14', 'bowel'), { status: 'result-recorded', nextDue: '2027-04-15' })
    expectAssessment(assess(person, '2027-04-15', 'bowel'), { status: 'due', nextDue: '2027-04-15' })
  })

  test('a kit that led to referral has no routine recall', () => {
    const events: ScreeningEvent[] = [
      { programme: 'bowel', state: 'result-recorded', date: '2025-04-15', result: 'referred' },
    ]
    expectAssessment(assess(aWoman('1960-01-01', { events }), '2028-01-01', 'bowel'), {
      status: 'result-recorded',
      nextDue: null,
    })
  })

  test('a 2-year date after the 75th birthday gives no next date', () => {
    // Born 1 January 1951: 75 on 1 January 2026. Kit 1 June 2024: 2 years later is 1 June 2026.
    const events: ScreeningEvent[] = [
      { programme: 'bowel', state: 'result-recorded', date: '2024-06-01', result: 'normal' },
    ]
    const a = assess(aWoman('1951-01-01', { events }), '2025-01-01', 'bowel')
    expectAssessment(a, { eligible: true, nextDue: null })
    assert.match(a.reason, /75th birthday/)
  })

  test('mentions that invitations at 50 to 52 were still being phased in during 2025, and not after', () => {
    assert.match(assess(aMan('1974-03-01'), '2025-06-01', 'bowel').reason, /phased in during 2025/)
    assert.doesNotMatch(assess(aMan('1974-03-01'), '2026-06-01', 'bowel').reason, /phased in/)
  })

  test('applies whatever the sex or gender', () => {
    for (const sex of ['1', '2', '9', null] as const) {
      expectAssessment(assess({ dateOfBirth: '1960-01-01', sex, statedGender: '2' }, '2026-01-01', 'bowel'), {
        eligible: true,
        status: 'due',
      })
    }
  })

  test('29 February birthday: eligible from 1 March in a non-leap 50th year', () => {
    expectAssessment(assess(aMan('1976-02-29'), '2026-02-28', 'bowel'), { eligible: false, nextDue: '2026-03-01' })
    expectAssessment(assess(aMan('1976-02-29'), '2026-03-01', 'bowel'), { eligible: true, status: 'due' })
  })
})

describe('AAA: men in the year they turn 65, a single scan', () => {
  // Born 20 July 1961: turns 65 on 20 July 2026, so the invitation year is 2026.
  test('not eligible on 31 December of the year before, with 1 January as next due', () => {
    expectAssessment(assess(aMan('1961-07-20'), '2025-12-31', 'aaa'), {
      eligible: false,
      status: 'not-eligible',
      nextDue: '2026-01-01',
    })
  })

  test('due from 1 January to 31 December of the year they turn 65, either side of the birthday', () => {
    for (const asOf of ['2026-01-01', '2026-07-19', '2026-07-20', '2026-12-31']) {
      expectAssessment(assess(aMan('1961-07-20'), asOf, 'aaa'), {
        eligible: true,
        status: 'due',
        nextDue: '2026-01-01',
      })
    }
  })

  test('from 1 January after that year, never screened: not invited, can self-refer', () => {
    const a = assess(aMan('1961-07-20'), '2027-01-01', 'aaa')
    expectAssessment(a, { eligible: 'self-referral', status: 'not-eligible', nextDue: null })
    assert.match(a.reason, /never screened can self-refer/)
  })

  test('never re-invited after the scan, years later', () => {
    const events: ScreeningEvent[] = [
      { programme: 'aaa', state: 'result-recorded', date: '2026-03-01', result: 'normal' },
    ]
    for (const asOf of ['2026-03-01', '2026-12-31', '2027-01-01', '2040-01-01']) {
      const a = assess(aMan('1961-07-20', { events }), asOf, 'aaa')
      expectAssessment(a, { eligible: false, status: 'result-recorded', nextDue: null })
      assert.match(a.reason, /single scan, so there is no further invitation/)
    }
  })

  test('attended with no result yet is still never re-invited', () => {
    const events: ScreeningEvent[] = [{ programme: 'aaa', state: 'attended', date: '2026-03-01' }]
    expectAssessment(assess(aMan('1961-07-20', { events }), '2030-01-01', 'aaa'), {
      eligible: false,
      status: 'attended',
      nextDue: null,
    })
  })

  test('invited, booked and declined in the year show as such', () => {
    for (const state of ['invited', 'booked', 'declined'] as const) {
      const events: ScreeningEvent[] = [{ programme: 'aaa', state, date: '2026-02-01' }]
      expectAssessment(assess(aMan('1961-07-20', { events }), '2026-03-01', 'aaa'), {
        eligible: true,
        status: state,
      })
    }
  })

  test('declined in the year and never screened: after that year can self-refer', () => {
    const events: ScreeningEvent[] = [{ programme: 'aaa', state: 'declined', date: '2026-02-01' }]
    const a = assess(aMan('1961-07-20', { events }), '2027-06-01', 'aaa')
    expectAssessment(a, { eligible: 'self-referral', status: 'not-eligible' })
    assert.match(a.reason, /Declined on 1 February 2026/)
  })

  test('not offered to women', () => {
    const a = assess(aWoman('1961-07-20'), '2026-07-20', 'aaa')
    expectAssessment(a, { eligible: false, status: 'not-eligible', nextDue: null })
    assert.match(a.reason, /not offered to women/)
  })

  test('29 February birthday: the invitation year is still the calendar year of the 65th birthday', () => {
    // Born 29 February 1960: 65th birthday 1 March 2025, invitation year 2025.
    expectAssessment(assess(aMan('1960-02-29'), '2024-12-31', 'aaa'), { eligible: false, nextDue: '2025-01-01' })
    expectAssessment(assess(aMan('1960-02-29'), '2025-01-01', 'aaa'), { eligible: true, status: 'due' })
    expectAssessment(assess(aMan('1960-02-29'), '2025-12-31', 'aaa'), { eligible: true, status: 'due' })
  })
})

describe('lung: ages 55 to under 75 with a smoking history', () => {
  // Born 5 November 1971: 55 on 5 November 2026, 75 on 5 November 2046.
  test('not eligible the day before the 55th birthday, due on it', () => {
    expectAssessment(assess(aMan('1971-11-05', { smoking: 'current' }), '2026-11-04', 'lung'), {
      eligible: false,
      status: 'not-eligible',
      nextDue: '2026-11-05',
    })
    expectAssessment(assess(aMan('1971-11-05', { smoking: 'current' }), '2026-11-05', 'lung'), {
      eligible: true,
      status: 'due',
      nextDue: '2026-11-05',
    })
  })

  test('eligible aged 74 the day before the 75th birthday, not from it', () => {
    expectAssessment(assess(aMan('1971-11-05', { smoking: 'ex' }), '2046-11-04', 'lung'), { eligible: true })
    expectAssessment(assess(aMan('1971-11-05', { smoking: 'ex' }), '2046-11-05', 'lung'), {
      eligible: false,
      status: 'not-eligible',
      nextDue: null,
    })
  })

  test('current and ex-smokers are eligible; never smoked is not; unknown needs a clinician', () => {
    const at = (smoking: ScreeningInput['smoking']) => assess(aWoman('1960-01-01', { smoking }), '2026-01-01', 'lung')
    expectAssessment(at('current'), { eligible: true, status: 'due' })
    expectAssessment(at('ex'), { eligible: true, status: 'due' })
    expectAssessment(at('never'), { eligible: false, status: 'not-eligible', nextDue: null })
    expectAssessment(at('unknown'), { eligible: 'check-with-clinician', status: 'due' })
    expectAssessment(at(null), { eligible: 'check-with-clinician', status: 'due' })
    assert.match(at('unknown').reason, /smoking history is not recorded/)
  })

  test('high risk with a scan: re-scanned every 24 months', () => {
    const events: ScreeningEvent[] = [
      { programme: 'lung', state: 'result-recorded', date: '2025-03-10', result: 'high-risk-scanned' },
    ]
    const person = aMan('1960-01-01', { smoking: 'current', events })
    expectAssessment(assess(person, '2027-03-09', 'lung'), { status: 'result-recorded', nextDue: '2027-03-10' })
    expectAssessment(assess(person, '2027-03-10', 'lung'), { status: 'due', nextDue: '2027-03-10' })
  })

  test('a scan on 29 February is followed 24 months later on 1 March', () => {
    const events: ScreeningEvent[] = [
      { programme: 'lung', state: 'result-recorded', date: '2028-02-29', result: 'high-risk-scanned' },
    ]
    expectAssessment(assess(aMan('1965-01-01', { smoking: 'ex', events }), '2028-06-01', 'lung'), {
      nextDue: '2030-03-01',
    })
  })

  test('low risk: the reference gives no re-invitation interval, and the reason says so', () => {
    const events: ScreeningEvent[] = [
      { programme: 'lung', state: 'result-recorded', date: '2025-03-10', result: 'low-risk' },
    ]
    const a = assess(aMan('1960-01-01', { smoking: 'current', events }), '2026-01-01', 'lung')
    expectAssessment(a, { eligible: true, status: 'result-recorded', nextDue: null })
    assert.match(a.reason, /does not say when people at low risk are invited again/)
  })

  test('a re-scan that would fall after 75 needs a clinician', () => {
    // Born 1 January 1952: 75 on 1 January 2027. Scan 1 June 2025: 24 months later is 1 June 2027.
    const events: ScreeningEvent[] = [
      { programme: 'lung', state: 'result-recorded', date: '2025-06-01', result: 'high-risk-scanned' },
    ]
    const person = aMan('1952-01-01', { smoking: 'ex', events })
    expectAssessment(assess(person, '2025-07-01', 'lung'), { eligible: 'check-with-clinician', nextDue: null })
    expectAssessment(assess(person, '2027-07-01', 'lung'), { eligible: 'check-with-clinician', nextDue: null })
  })
})

describe('prostate: informed choice, never screening', () => {
  function assertNeverScreening(a: ProgrammeAssessment): void {
    assert.equal(a.programme, 'prostate-informed-choice')
    assert.equal(a.eligible, false)
    assert.equal(a.status, 'not-eligible')
    assert.equal(a.nextDue, null)
    assert.doesNotMatch(a.reason, /\bdue\b/i)
    assert.doesNotMatch(a.reason, /screen/i)
  }

  test('a man aged 50 or over: informed choice about a PSA test, risk groups as information only', () => {
    const a = assess(aMan('1970-01-01'), '2026-01-01', 'prostate-informed-choice')
    assertNeverScreening(a)
    assert.match(a.reason, /not a routine NHS invitation/)
    assert.match(a.reason, /can choose to ask his GP for a free PSA blood test/)
    assert.match(a.reason, /balanced information about its benefits, limits and risks/)
    assert.match(a.reason, /GPs do not raise it unless asked/)
    assert.match(a.reason, /For information only: .*family history.*Black African or Black Caribbean men/)
  })

  test('the day before and on the 50th birthday', () => {
    const before = assess(aMan('1976-09-20'), '2026-09-19', 'prostate-informed-choice')
    const on = assess(aMan('1976-09-20'), '2026-09-20', 'prostate-informed-choice')
    assertNeverScreening(before)
    assertNeverScreening(on)
    assert.match(before.reason, /Applies from age 50 \(20 September 2026\)/)
    assert.doesNotMatch(on.reason, /Applies from age 50/)
    assert.match(on.reason, /Black African or Black Caribbean/)
  })

  test('never says due or screening for anyone, at any age', () => {
    const people: ScreeningInput[] = [
      aMan('1950-02-28', { smoking: 'current' }),
      aWoman('1950-02-28'),
      aWoman('1950-02-28', { genderSameAsBirth: null }),
      { dateOfBirth: '1950-02-28', sex: '9' },
      { dateOfBirth: '1950-02-28', sex: null },
      { dateOfBirth: '1950-02-28', sex: '2', statedGender: '1' },
    ]
    for (let year = 1950; year <= 2040; year += 2) {
      for (const person of people)
        assertNeverScreening(assess(person, `${String(year)}-03-01`, 'prostate-informed-choice'))
    }
  })

  test('a woman: not applicable', () => {
    assert.match(assess(aWoman('1960-01-01'), '2026-01-01', 'prostate-informed-choice').reason, /Not applicable/)
  })
})

describe('sex and gender', () => {
  test('a man whose gender is confirmed as at birth: not eligible for cervical or breast, without a caveat', () => {
    const cervical = assess(aMan('1980-01-01'), '2026-01-01', 'cervical')
    const breast = assess(aMan('1960-01-01'), '2026-01-01', 'breast')
    expectAssessment(cervical, { eligible: false, status: 'not-eligible', nextDue: null })
    expectAssessment(breast, { eligible: false, status: 'not-eligible', nextDue: null })
    assert.doesNotMatch(cervical.reason, /trans/)
  })

  test('a man whose gender-at-birth answer is missing: not eligible, but the reason says a person with a cervix may need it', () => {
    const a = assess(aMan('1980-01-01', { genderSameAsBirth: null }), '2026-01-01', 'cervical')
    expectAssessment(a, { eligible: false })
    assert.match(a.reason, /who has a cervix may still need cervical screening/)
  })

  test('indeterminate sex: check with a clinician for cervical, breast and AAA; status still worked out', () => {
    const person: ScreeningInput = { dateOfBirth: '1961-05-01', sex: '9' }
    for (const programme of ['cervical', 'breast', 'aaa'] as const) {
      const a = assess(person, '2026-01-01', programme)
      expectAssessment(a, { eligible: 'check-with-clinician', status: 'due' })
      assert.match(a.reason, /^Check with a clinician: sex is recorded as indeterminate/)
    }
  })

  test('sex not recorded: check with a clinician rather than a silent yes or no', () => {
    const person: ScreeningInput = { dateOfBirth: '1961-05-01', sex: null }
    for (const programme of ['cervical', 'breast', 'aaa'] as const) {
      const a = assess(person, '2026-01-01', programme)
      expectAssessment(a, { eligible: 'check-with-clinician' })
      assert.match(a.reason, /sex is recorded as not known/)
    }
  })

  test('stated gender differing from sex: check with a clinician, either way round', () => {
    const transMan: ScreeningInput = { dateOfBirth: '1961-05-01', sex: '2', statedGender: '1' }
    const transWoman: ScreeningInput = { dateOfBirth: '1961-05-01', sex: '1', statedGender: '2' }
    const nonBinary: ScreeningInput = { dateOfBirth: '1961-05-01', sex: '2', statedGender: '9' }
    for (const person of [transMan, transWoman, nonBinary]) {
      for (const programme of ['cervical', 'breast', 'aaa'] as const) {
        expectAssessment(assess(person, '2026-01-01', programme), { eligible: 'check-with-clinician' })
      }
    }
    assert.match(assess(transMan, '2026-01-01', 'cervical').reason, /sex is recorded as female and gender as male/)
  })

  test('gender recorded as not the same as at birth: check with a clinician even when sex and gender match', () => {
    const person: ScreeningInput = { dateOfBirth: '1961-05-01', sex: '2', statedGender: '2', genderSameAsBirth: 'no' }
    const a = assess(person, '2026-01-01', 'breast')
    expectAssessment(a, { eligible: 'check-with-clinician' })
    assert.match(a.reason, /not the same as the sex registered at birth/)
  })

  test('stated gender not known (X) does not by itself raise a question', () => {
    const person: ScreeningInput = { dateOfBirth: '1961-05-01', sex: '2', statedGender: 'X' }
    expectAssessment(assess(person, '2026-01-01', 'breast'), { eligible: true, status: 'due' })
  })

  test('uncertain sex keeps the history-based status and next due date', () => {
    const events: ScreeningEvent[] = [
      { programme: 'cervical', state: 'result-recorded', date: '2025-09-01', result: 'hpv-negative' },
    ]
    const person: ScreeningInput = { dateOfBirth: '1990-01-01', sex: '2', statedGender: '1', events }
    expectAssessment(assess(person, '2026-01-01', 'cervical'), {
      eligible: 'check-with-clinician',
      status: 'result-recorded',
      nextDue: '2030-09-01',
    })
  })

  test('outside the age range the answer is no whatever the sex or gender', () => {
    const person: ScreeningInput = { dateOfBirth: '2000-01-01', sex: '9' }
    expectAssessment(assess(person, '2020-01-01', 'cervical'), { eligible: false, status: 'not-eligible' })
    expectAssessment(assess(person, '2020-01-01', 'breast'), { eligible: false, status: 'not-eligible' })
    expectAssessment(assess(person, '2020-01-01', 'aaa'), { eligible: false, status: 'not-eligible' })
  })

  test('uncertain sex over 71 for breast: a clinician decides, and the self-referral route is explained', () => {
    const a = assess({ dateOfBirth: '1950-01-01', sex: '9' }, '2026-01-01', 'breast')
    expectAssessment(a, { eligible: 'check-with-clinician', status: 'not-eligible', nextDue: null })
    assert.match(a.reason, /self-refer every 3 years/)
  })
})

describe('status from events', () => {
  const screened: ScreeningEvent = {
    programme: 'breast',
    state: 'result-recorded',
    date: '2022-02-01',
    result: 'normal',
  }

  test('invited, booked and declined after the last screen show as such, with the recall date kept', () => {
    for (const state of ['invited', 'booked', 'declined'] as const) {
      const events: ScreeningEvent[] = [screened, { programme: 'breast', state, date: '2025-01-10' }]
      expectAssessment(assess(aWoman('1965-01-01', { events }), '2025-02-01', 'breast'), {
        eligible: true,
        status: state,
        nextDue: '2025-02-01',
      })
    }
  })

  test('attended with no result yet: attended, no next date until the result is in', () => {
    const events: ScreeningEvent[] = [{ programme: 'breast', state: 'attended', date: '2025-01-10' }]
    const a = assess(aWoman('1965-01-01', { events }), '2025-02-01', 'breast')
    expectAssessment(a, { eligible: true, status: 'attended', nextDue: null })
    assert.match(a.reason, /result is not recorded yet/)
  })

  test('a result recorded without saying what it was needs a clinician', () => {
    const events: ScreeningEvent[] = [{ programme: 'bowel', state: 'result-recorded', date: '2025-01-10' }]
    expectAssessment(assess(aWoman('1965-01-01', { events }), '2025-02-01', 'bowel'), {
      eligible: 'check-with-clinician',
      status: 'result-recorded',
      nextDue: null,
    })
  })

  test('event order is by date, not by the order given; on the same day a result comes after attending', () => {
    const events: ScreeningEvent[] = [
      { programme: 'bowel', state: 'result-recorded', date: '2025-01-10', result: 'normal' },
      { programme: 'bowel', state: 'invited', date: '2024-12-01' },
      { programme: 'bowel', state: 'attended', date: '2025-01-10' },
    ]
    expectAssessment(assess(aWoman('1965-01-01', { events }), '2025-02-01', 'bowel'), {
      status: 'result-recorded',
      nextDue: '2027-01-10',
    })
  })

  test('events for one programme do not affect another', () => {
    const events: ScreeningEvent[] = [
      { programme: 'bowel', state: 'result-recorded', date: '2025-01-10', result: 'normal' },
    ]
    expectAssessment(assess(aWoman('1965-01-01', { events }), '2025-02-01', 'breast'), { status: 'due' })
  })
})

test('an invitation or decline older than the programme round no longer stands: the person is due again', () => {
  // Born 1960; bowel (every 2 years) declined in 2012 and breast (every 3 years) invited in 2015, nothing since.
  const results = assessScreening(
    {
      dateOfBirth: '1960-05-10',
      sex: '2',
      statedGender: '2',
      genderSameAsBirth: 'yes',
      smoking: 'never',
      events: [
        { programme: 'bowel', date: '2012-06-01', state: 'declined' },
        { programme: 'breast', date: '2015-03-01', state: 'invited' },
      ],
    },
    '2026-11-20',
  )
  const bowel = results.find((r) => r.programme === 'bowel')
  const breast = results.find((r) => r.programme === 'breast')
  assert.ok(bowel && breast)
  assert.equal(bowel.status, 'due')
  assert.match(bowel.reason, /more than 2 years ago/)
  assert.equal(breast.status, 'due')
  assert.ok(bowel.nextDue !== null && bowel.nextDue <= '2026-11-20')
})

test('an invitation within the current round still stands', () => {
  const results = assessScreening(
    {
      dateOfBirth: '1960-05-10',
      sex: '2',
      statedGender: '2',
      genderSameAsBirth: 'yes',
      smoking: 'never',
      events: [{ programme: 'bowel', date: '2026-01-15', state: 'invited' }],
    },
    '2026-11-20',
  )
  assert.equal(results.find((r) => r.programme === 'bowel')?.status, 'invited')
})
