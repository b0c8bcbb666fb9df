import type { FastifyInstance } from 'fastify'
import { formErrorContext, type FormBody } from '../../platform/forms/forms.ts'
import { actorOf, clinicalRoles, hasRole, personRecordRoles, requirePrincipal } from '../../platform/http/auth.ts'
import { formatDate, formatDateTime } from '../../platform/views/format.ts'
import { ukDateOf } from '../../platform/time/uk-time.ts'
import { govukPagination, pageCount } from '../../platform/views/pagination.ts'
import { appointmentPaths, type AppointmentsService } from '../appointments/index.ts'
import { consentPaths } from '../consent/index.ts'
import { gpRegistrationPaths } from '../gp-registration/index.ts'
import { flagView, healthCheckPaths } from '../health-checks/index.ts'
import { needCategoryLabels, needPaths } from '../needs/index.ts'
import { screeningPaths } from '../screening/index.ts'
import { parseTimelineQuery, timelineKinds, type TimelineKind, type TimelineQuery } from './timeline.forms.ts'
import { timelinePaths, timelineRoutes } from './timeline.paths.ts'
import type { ClinicalTimeline, TimelineService } from './timeline.service.ts'
import {
  consentDecisionLabels,
  consentTopicLabels,
  gpRegistrationStatusLabels,
  referralStatusLabels,
  screeningProgrammeLabels,
  screeningStateLabels,
} from './timeline.view-models.ts'
import { fullName } from '../../platform/views/person-header.ts'

export interface TimelinePagesDeps {
  timeline: TimelineService
  appointments: Pick<AppointmentsService, 'listForPerson'>
  now: () => Date
}

export const TIMELINE_PAGE_SIZE = 50

export const timelineKindLabels: Readonly<Record<TimelineKind, string>> = {
  appointments: 'Appointments',
  'health-checks': 'Health checks',
  'warning-flags': 'Warning signs',
  needs: 'Needs',
  referrals: 'Referrals',
  consent: 'Consent',
  'gp-registration': 'GP registration',
  screening: 'Screening',
}

export interface TimelineEntry {
  at: Date
  /** The UK calendar date the filters compare. */
  date: string
  /** Only a date is known (referral events record the day they happened). */
  dateOnly: boolean
  kind: TimelineKind
  title: string
  detail: string
  href: string | undefined
}

const entryAt = (at: Date): Pick<TimelineEntry, 'at' | 'date' | 'dateOnly'> => ({
  at,
  date: ukDateOf(at),
  dateOnly: false,
})

/** A date-only event sorts at midday of its day; when it was recorded that same day, at the moment of recording. */
function dateOnlyAt(date: string, recordedAt: Date): Pick<TimelineEntry, 'at' | 'date' | 'dateOnly'> {
  if (ukDateOf(recordedAt) === date) return { at: recordedAt, date, dateOnly: true }
  return { at: new Date(`${date}T12:00:00Z`), date, dateOnly: true }
}

/** The clinical events as timeline entries: checks, flags (and responses), need decisions and referral events. */
export function clinicalEntries(timeline: ClinicalTimeline, now: Date): TimelineEntry[] {
  const entries: TimelineEntry[] = []
  for (const c of timeline.checks) {
    entries.push({
      ...entryAt(c.completedAt ?? c.startedAt),
      kind: 'health-checks',
      title: c.status === 'completed' ? 'Health check completed' : 'Health check started',
      detail: `By ${c.clinicianName}`,
      href: healthCheckPaths.summary(c.id),
    })
  }
  for (const f of timeline.flags) {
    const view = flagView(f, now)
    entries.push({
      ...entryAt(f.raisedAt),
      kind: 'warning-flags',
      title: `Warning sign: ${view.tag.text.toLowerCase()}`,
      detail: f.message,
      href: healthCheckPaths.respondToFlag(f.id),
    })
    if (f.respondedAt !== null) {
      entries.push({
        ...entryAt(f.respondedAt),
        kind: 'warning-flags',
        title: 'Response to a warning sign recorded',
        detail: f.respondedByName === null ? '' : `By ${f.respondedByName}`,
        href: healthCheckPaths.respondToFlag(f.id),
      })
    }
  }
  for (const n of timeline.needs) {
    const label = needCategoryLabels[n.category]
    const href = needPaths.need(n.id)
    const events = timeline.needEvents.get(n.id) ?? []
    if (events.length === 0) {
      // A need with no recorded decisions (written before decisions were kept): one entry for where it stands.
      entries.push({
        ...(n.decidedAt === null ? dateOnlyAt(n.identifiedOn, n.createdAt) : entryAt(n.decidedAt)),
        kind: 'needs',
        title: `${label} need ${n.status}`,
        detail: n.status === 'dismissed' ? `Dismissed: ${n.reason ?? ''}` : n.proposedBecause,
        href,
      })
      continue
    }
    for (const e of events) {
      const title =
        e.fromStatus === null
          ? e.toStatus === 'proposed'
            ? `${label} need proposed`
            : `${label} need recorded and confirmed`
          : e.toStatus === 'proposed'
            ? `${label} need reopened`
            : `${label} need ${e.toStatus}`
      entries.push({
        ...entryAt(e.recordedAt),
        kind: 'needs',
        title,
        detail: e.fromStatus === null ? n.proposedBecause : (e.reason ?? ''),
        href,
      })
    }
  }
  for (const r of timeline.referralEvents) {
    entries.push({
      ...dateOnlyAt(r.occurredOn, r.recordedAt),
      kind: 'referrals',
      title: `Referral to ${r.serviceName}: ${referralStatusLabels[r.toStatus]}`,
      detail: '',
      href: undefined,
    })
  }
  const personId = timeline.person.id
  for (const c of timeline.consentEvents) {
    const topic = consentTopicLabels[c.topic] ?? `Consent (${c.topic})`
    entries.push({
      ...dateOnlyAt(c.decidedOn, c.recordedAt),
      kind: 'consent',
      title: `${topic}: ${consentDecisionLabels[c.decision] ?? c.decision}`,
      detail: c.organisationName ?? '',
      href: consentPaths.consent(personId),
    })
  }
  for (const g of timeline.gpRegistrationEvents) {
    entries.push({
      ...dateOnlyAt(g.statusDate, g.recordedAt),
      kind: 'gp-registration',
      title: `GP registration: ${gpRegistrationStatusLabels[g.status] ?? g.status}`,
      detail: g.practiceName ?? '',
      href: gpRegistrationPaths.registration(personId),
    })
  }
  for (const e of timeline.screeningEvents) {
    const programme = screeningProgrammeLabels[e.programme] ?? e.programme
    entries.push({
      ...dateOnlyAt(e.eventDate, e.recordedAt),
      kind: 'screening',
      title: `${programme}: ${screeningStateLabels[e.state] ?? e.state}${e.enteredInError ? ' (entered in error)' : ''}`,
      detail: '',
      href: screeningPaths.screening(personId),
    })
  }
  return entries
}

/** Newest first; entries at the same moment keep the order they were built in. */
export function filterAndSort(entries: readonly TimelineEntry[], query: Pick<TimelineQuery, 'kinds' | 'from' | 'to'>) {
  return entries
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => query.kinds.has(e.kind))
    .filter(({ e }) => (query.from === null || e.date >= query.from) && (query.to === null || e.date <= query.to))
    .sort((a, b) => b.e.at.getTime() - a.e.at.getTime() || a.i - b.i)
    .map(({ e }) => e)
}

function searchFor(query: TimelineQuery, page: number): URLSearchParams {
  const search = new URLSearchParams()
  for (const kind of query.values.show) search.append('show', kind)
  for (const which of ['from', 'to'] as const) {
    const parts = query.values[which]
    if (parts.day === '' && parts.month === '' && parts.year === '') continue
    search.set(`${which}-day`, parts.day)
    search.set(`${which}-month`, parts.month)
    search.set(`${which}-year`, parts.year)
  }
  if (page > 1) search.set('page', String(page))
  return search
}

export function registerTimelinePages(app: FastifyInstance, deps: TimelinePagesDeps): void {
  const { timeline: timelines, appointments, now } = deps

  // Every person-record role may see the timeline; clinical events only for clinical roles (H-312).
  app.get(timelineRoutes.timeline, { config: { access: personRecordRoles } }, async (request, reply) => {
    const principal = requirePrincipal(request)
    const personId = (request.params as { id: string }).id
    const clinical = hasRole(principal, clinicalRoles)
    const allowed: readonly TimelineKind[] = clinical ? timelineKinds : ['appointments']
    const query = parseTimelineQuery(request.query as FormBody | undefined, allowed)
    const entries: TimelineEntry[] = []
    let person: { id: string; givenName: string; familyName: string } | undefined
    if (query.kinds.has('appointments') || !clinical) {
      const listed = await appointments.listForPerson(personId, actorOf(request), 'page')
      person = listed.person
      for (const a of listed.appointments) {
        entries.push({
          ...entryAt(a.startsAt),
          kind: 'appointments',
          title: `${a.kind === 'joint' ? 'Joint appointment' : 'Health appointment'} (${a.status})`,
          detail: a.location ?? '',
          href: appointmentPaths.appointment(a.id),
        })
      }
    }
    if (clinical) {
      const timeline = await timelines.clinicalTimeline(personId, actorOf(request), {
        'health-checks': query.kinds.has('health-checks'),
        'warning-flags': query.kinds.has('warning-flags'),
        needs: query.kinds.has('needs'),
        referrals: query.kinds.has('referrals'),
        consent: query.kinds.has('consent'),
        'gp-registration': query.kinds.has('gp-registration'),
        screening: query.kinds.has('screening'),
      })
      person = timeline.person
      entries.push(...clinicalEntries(timeline, now()))
    }
    if (person === undefined) throw new Error('The timeline’s person was not read')
    const shown = filterAndSort(entries, query)
    const last = pageCount(shown.length, TIMELINE_PAGE_SIZE)
    const page = Math.min(query.page, last)
    const slice = shown.slice((page - 1) * TIMELINE_PAGE_SIZE, page * TIMELINE_PAGE_SIZE)
    const id = person.id
    const hrefFor = (p: number) => timelinePaths.timeline(id, searchFor(query, p))
    const filtered = query.values.show.length > 0 || query.from !== null || query.to !== null
    return reply.code(query.errors.length > 0 ? 400 : 200).view('timeline/views/timeline.njk', {
      pageTitle: 'Timeline',
      person,
      personName: fullName(person),
      clinical,
      backHref: timelinePaths.person(id),
      action: timelinePaths.timeline(id),
      kindItems: allowed.map((k) => ({
        value: k,
        text: timelineKindLabels[k],
        checked: query.values.show.includes(k),
      })),
      filtered,
      total: shown.length,
      firstShown: shown.length === 0 ? 0 : (page - 1) * TIMELINE_PAGE_SIZE + 1,
      lastShown: (page - 1) * TIMELINE_PAGE_SIZE + slice.length,
      pagination: govukPagination(page, last, hrefFor),
      entries: slice.map((e) => ({
        ...e,
        kindLabel: timelineKindLabels[e.kind],
        when: e.dateOnly ? formatDate(e.date) : formatDateTime(e.at),
        datetime: e.dateOnly ? e.date : e.at.toISOString(),
      })),
      ...formErrorContext(query.errors, query.values),
    })
  })
}
