/**
 * "Screening due" for a site's worklist (issue 4 item 7): for each person with a booked appointment at the site in
 * a time window, the programmes the clinician can raise at that appointment.
 *
 * A programme is listed when its assessment (screening.eligibility.ts, as of `asOf`) has status 'due' and eligible
 * is not false: true, 'self-referral' or 'check-with-clinician'. 'check-with-clinician' is kept on purpose (the
 * module still works out status for people whose sex or gender or smoking history leaves it unsure, so nobody is
 * silently dropped). Prostate is never listed: the module never makes it eligible or due.
 *
 * This reads only; it does not audit. The caller (the worklist feature) records the list view in the same
 * transaction it passes in as `executor`.
 */
import type { ScreeningProgramme } from './screening.eligibility.ts'
import { assessScreening, screeningProgrammes } from './screening.eligibility.ts'
import { programmeLabel } from './screening.messages.ts'
import * as repo from './screening.repository.ts'
import { screeningInput } from './screening.service.ts'

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

export async function screeningDueForSite(
  executor: repo.Executor,
  query: { siteId: string; from: Date; to: Date; staffId?: string; asOf: string; limit: number; offset: number },
): Promise<{ total: number; items: ScreeningDueItem[] }> {
  const people = await repo.peopleWithAppointments(executor, query)
  const ids = people.map((p) => p.id)
  const events = await repo.eventsForAssessment(executor, ids)
  const smoking = await repo.smokingStatuses(executor, ids, query.asOf)
  const items: ScreeningDueItem[] = []
  for (const person of people) {
    // Someone born after asOf has no assessment as of then (a typing slip in the date of birth, or a future asOf).
    if (person.dateOfBirth > query.asOf) continue
    const input = screeningInput(person, smoking.get(person.id), events.get(person.id) ?? [])
    for (const assessment of assessScreening(input, query.asOf)) {
      if (assessment.status !== 'due' || assessment.eligible === false) continue
      items.push({
        personId: person.id,
        personName: `${person.givenName} ${person.familyName}`,
        crn: person.crn,
        programme: assessment.programme,
        programmeLabel: programmeLabel[assessment.programme],
        nextDue: assessment.nextDue,
        reason: assessment.reason,
        appointmentStartsAt: person.startsAt,
      })
    }
  }
  // People come ordered by appointment time; within a person, the module's programme order.
  const order = (p: ScreeningProgramme) => screeningProgrammes.indexOf(p)
  items.sort(
    (a, b) =>
      a.appointmentStartsAt.getTime() - b.appointmentStartsAt.getTime() ||
      (a.personId === b.personId ? order(a.programme) - order(b.programme) : 0),
  )
  const offset = Math.max(0, query.offset)
  const limit = Math.max(0, query.limit)
  return { total: items.length, items: items.slice(offset, offset + limit) }
}
