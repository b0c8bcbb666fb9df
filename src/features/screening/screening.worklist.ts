/**
 * "Screening due" for a site's worklist (issue 4 item 7): for each person with a booked appointment at the site in
 * a time window, the programmes the clinician can raise at that appointment.
 *
 * A programme is listed when its assessment (screening.eligibility.ts, as of `asOf`) has status 'due' and eligible
 * is not false: true, 'self-referral' or 'check-with-clinician'. 'check-with-clinician' is kept on purpose (the
 * module still works out status for people whose sex or gender or smoking history leaves it unsure, so nobody is
 * silently dropped). Prostate is never listed: the module never makes it eligible or due.
 *
 * Scale: a site may hold 60,000 people, so nothing here holds the whole window at once. People are read in batches
 * of SCREENING_WORKLIST_BATCH (by appointment time, then name and id, reading on after the last one), each batch's
 * events and smoking statuses are read for that batch only, and only the page asked for is kept; the rest is
 * counted. People younger than YOUNGEST_DUE_AGE on `asOf` are left out in SQL: the earliest any programme starts is
 * cervical screening's first invitation at 24 and a half (domain reference §2), so nobody younger can be due.
 * The work is one pass over the people with an appointment in the window (the worklist's window is a week), and
 * `total` stays exact.
 *
 * This reads only; it does not audit. The caller (the worklist feature) records the list view in the same
 * transaction it passes in as `executor`.
 */
import type { ScreeningProgramme } from './screening.eligibility.ts'
import { assessScreening } from './screening.eligibility.ts'
import { programmeLabel } from './screening.messages.ts'
import * as read from './screening.read-model.ts'
import * as repo from './screening.repository.ts'
import { screeningInput } from './screening.service.ts'
import type { Executor } from '../../platform/db/executor.ts'
import { fullName } from '../../platform/views/person-header.ts'

/** People assessed per round trip. */
export const SCREENING_WORKLIST_BATCH = 500
/** Whole years: below this age on `asOf` no programme can be due (cervical starts at 24.5, §2). */
export const YOUNGEST_DUE_AGE = 24

export interface ScreeningDueItem {
  personId: string
  personName: string
  crn: string | null
  programme: ScreeningProgramme
  programmeLabel: string
  nextDue: string | null
  reason: string
  appointmentStartsAt: Date
}

/** The latest date of birth of someone at least `years` old on `asOf` (YYYY-MM-DD); 29 February falls back a day. */
export function bornOnOrBefore(asOf: string, years: number): string {
  const [year = '0', month = '01', day = '01'] = asOf.split('-')
  const shifted = String(Number(year) - years).padStart(4, '0')
  const candidate = `${shifted}-${month}-${day}`
  const parsed = new Date(`${candidate}T00:00:00Z`)
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === candidate
    ? candidate
    : `${shifted}-${month}-28`
}

export async function screeningDueForSite(
  executor: Executor,
  query: { siteId: string; from: Date; to: Date; staffId?: string; asOf: string; limit: number; offset: number },
  options: { batchSize?: number } = {},
): Promise<{ total: number; items: ScreeningDueItem[] }> {
  const batchSize = Math.max(1, options.batchSize ?? SCREENING_WORKLIST_BATCH)
  const offset = Math.max(0, query.offset)
  const end = offset + Math.max(0, query.limit)
  const items: ScreeningDueItem[] = []
  let total = 0
  let after: read.AppointmentCursor | undefined
  for (;;) {
    const people = await read.peopleWithAppointments(executor, {
      siteId: query.siteId,
      from: query.from,
      to: query.to,
      ...(query.staffId === undefined ? {} : { staffId: query.staffId }),
      bornOnOrBefore: bornOnOrBefore(query.asOf, YOUNGEST_DUE_AGE),
      ...(after === undefined ? {} : { after }),
      limit: batchSize,
    })
    const ids = people.map((p) => p.id)
    const events = await repo.eventsForAssessment(executor, ids)
    const smoking = await read.smokingStatuses(executor, ids, query.asOf)
    // People come ordered by appointment time (then name); within a person, the module's programme order.
    for (const person of people) {
      const input = screeningInput(person, smoking.get(person.id), events.get(person.id) ?? [])
      for (const assessment of assessScreening(input, query.asOf)) {
        if (assessment.status !== 'due' || assessment.eligible === false) continue
        if (total >= offset && total < end) {
          items.push({
            personId: person.id,
            personName: fullName(person),
            crn: person.crn,
            programme: assessment.programme,
            programmeLabel: programmeLabel[assessment.programme],
            nextDue: assessment.nextDue,
            reason: assessment.reason,
            appointmentStartsAt: person.startsAt,
          })
        }
        total++
      }
    }
    const last = people.at(-1)
    if (last === undefined || people.length < batchSize) break
    after = { startsAtKey: last.startsAtKey, familyName: last.familyName, givenName: last.givenName, id: last.id }
  }
  return { total, items }
}
