/** Turns the worklist into what the page shows and what the API returns: due dates, tags and links. */
import { formatDate, formatDateTime } from '../../platform/views/format.ts'
import { ukDueDateOf, urgencyOfDate, urgencyOfDeadline, type Urgency } from './worklist.dates.ts'
import {
  mineMeaning,
  OVERVIEW_LIMIT,
  practitionerFollowUpsNote,
  sectionKeys,
  sectionText,
  type WorklistKind,
} from './worklist.messages.ts'
import { needCategoryLabels as needLabels } from '../needs/index.ts'
import { referralStatusText } from '../referrals/index.ts'
import { worklistPaths, type WorklistQuery } from './worklist.paths.ts'
import type { FollowUp, PersonRef, Section, Worklist } from './worklist.service.ts'
import { ukDateOf } from '../../platform/time/uk-time.ts'
import { govukPagination, pageCount } from '../../platform/views/pagination.ts'
import { fullName } from '../../platform/views/person-header.ts'

export const urgencyTags: Record<Urgency, { text: string; classes: string } | undefined> = {
  overdue: { text: 'Overdue', classes: 'govuk-tag--red' },
  'due-today': { text: 'Due today', classes: 'govuk-tag--orange' },
  upcoming: undefined,
}

/** One row of a section's table: when, who (linking to where it is acted on), what, and an optional action. */
export interface Row {
  due: string
  tag: { text: string; classes: string } | undefined
  person: { name: string; crn: string; href: string }
  details: string[]
  action: { text: string; href: string; label: string } | undefined
}

export interface SectionView {
  kind: WorklistKind
  id: string
  heading: string
  hint: string | undefined
  scopeNote: string | undefined
  head: string[]
  /** Whether the table has a last column of actions ("Respond", "Mark as done"). */
  actionColumn: boolean
  total: number
  /** "3 overdue", or "at least 20 overdue" when every row shown is overdue and more are not shown. */
  overdueText: string | undefined
  rows: Row[]
  empty: string
  showAllHref: string | undefined
  siteNote: { count: number; href: string } | undefined
}

/** What may be asked about each kind of item, for the API and the page alike. */
export function flagDue(respondBy: Date, now: Date) {
  const urgency = urgencyOfDeadline(respondBy, now)
  return { dueDate: ukDueDateOf(respondBy), urgency }
}

function personCell(person: PersonRef, href: string) {
  return { name: fullName(person), crn: person.crn, href }
}

function rowsFor(kind: WorklistKind, worklist: Worklist, userId: string, canCloseAny: boolean): Row[] {
  const { sections, today, generatedAt: now } = worklist
  switch (kind) {
    case 'flags':
      return (sections.flags?.items ?? []).map((f) => {
        const { urgency } = flagDue(f.respondBy, now)
        return {
          due: `${formatDate(ukDueDateOf(f.respondBy))}, by midnight`,
          tag: urgencyTags[urgency],
          person: personCell(f.person, worklistPaths.flag(f.id)),
          details: [f.message, `Raised ${formatDateTime(f.raisedAt)}`],
          action: {
            text: 'Respond',
            href: worklistPaths.flag(f.id),
            label: `to the warning sign for ${fullName(f.person)}`,
          },
        }
      })
    case 'needs':
      return (sections.needs?.items ?? []).map((n) => ({
        due: formatDate(n.identifiedOn),
        tag: undefined,
        person: personCell(n.person, worklistPaths.need(n.id)),
        details: [needLabels[n.category], n.proposedBecause],
        action: undefined,
      }))
    case 'follow-ups':
      return (sections.followUps?.items ?? []).map((f) => ({
        due: formatDate(f.dueDate),
        tag: urgencyTags[urgencyOfDate(f.dueDate, today)],
        person: personCell(
          f.person,
          f.appointmentId === null ? worklistPaths.person(f.person.id) : worklistPaths.appointment(f.appointmentId),
        ),
        details: [f.reason, f.assignedTo.id === userId ? 'Assigned to you' : `Assigned to ${f.assignedTo.name}`],
        action:
          f.assignedTo.id === userId || canCloseAny
            ? {
                text: 'Mark as done',
                href: worklistPaths.followUpDone(f.id),
                label: `for ${fullName(f.person)}`,
              }
            : undefined,
      }))
    case 'referrals':
      return (sections.referrals?.items ?? []).map((r) => ({
        due: formatDate(r.chaseOn),
        tag: urgencyTags[urgencyOfDate(r.chaseOn, today)],
        person: personCell(r.person, worklistPaths.referral(r.id)),
        details: [
          `${r.serviceName}: ${referralStatusText[r.status].label}`,
          ...(r.urgency === 'urgent' ? ['Urgent'] : []),
        ],
        action: undefined,
      }))
    case 'gp-registrations':
      return (sections.gpRegistrations?.items ?? []).map((g) => ({
        due: formatDate(g.statusDate),
        tag: undefined,
        person: personCell(g.person, worklistPaths.gpRegistration(g.person.id)),
        details: g.helpGiven === null ? [] : [`Help given: ${g.helpGiven}`],
        action: undefined,
      }))
    case 'screening':
      return (sections.screening?.items ?? []).map((s) => ({
        due: s.nextDue === null ? 'Now' : formatDate(s.nextDue),
        tag: s.nextDue !== null && s.nextDue < today ? urgencyTags.overdue : undefined,
        person: {
          name: s.personName,
          crn: s.crn ?? '',
          href: worklistPaths.screening(s.personId),
        },
        details: [s.programmeLabel, s.reason, `Appointment ${formatDateTime(new Date(s.appointmentStartsAt))}`],
        action: undefined,
      }))
    case 'releases-due':
    case 'released-not-seen':
    case 'ost-gaps':
    case 'not-engaged': {
      const section = sections[sectionKeys[kind]]
      return (section?.items ?? []).map((item) => ({
        due: formatDate(item.due),
        tag: item.overdue ? urgencyTags.overdue : urgencyTags[urgencyOfDate(item.due, today)],
        person: personCell(item.person, item.href),
        details: item.details,
        action: undefined,
      }))
    }
  }
}

const heads: Record<WorklistKind, string[]> = {
  flags: ['Respond by', 'Person', 'Warning sign'],
  needs: ['Identified', 'Person', 'Proposed need'],
  'follow-ups': ['Due', 'Person', 'Follow-up'],
  referrals: ['Chase on', 'Person', 'Referral'],
  'gp-registrations': ['In progress since', 'Person', 'Details'],
  screening: ['Next due', 'Person', 'Programme'],
  'releases-due': ['Release', 'Person', 'To do'],
  'released-not-seen': ['Released', 'Person', 'Details'],
  'ost-gaps': ['Supply runs out', 'Person', 'Gap'],
  'not-engaged': ['21 days after release', 'Person', 'Details'],
}

/** The sections whose rows can carry an action, so their tables have a column for it. */
const actionKinds: readonly WorklistKind[] = ['flags', 'follow-ups']

/** Overdue items, counted among those shown: sections are sorted most urgent first, so these lead each table. */
function overdueText(rows: Row[], total: number): string | undefined {
  const overdue = rows.filter((r) => r.tag === urgencyTags.overdue).length
  if (overdue === 0) return undefined
  const exact = overdue < rows.length || rows.length === total
  return exact ? `${String(overdue)} overdue` : `at least ${String(overdue)} overdue`
}

export function sectionViews(
  worklist: Worklist,
  user: { id: string; role: string },
  query: WorklistQuery,
  options: { single: boolean },
): SectionView[] {
  const canCloseAny = user.role === 'hub_manager'
  return worklist.kinds.map((kind) => {
    const section = (worklist.sections as Record<string, Section<unknown> | undefined>)[sectionKeys[kind]]
    const total = section?.total ?? 0
    const rows = rowsFor(kind, worklist, user.id, canCloseAny)
    const text = sectionText[kind]
    const practitionerFollowUps = kind === 'follow-ups' && user.role === 'probation_practitioner'
    const siteTotal = kind === 'flags' ? worklist.sections.flags?.siteTotal : undefined
    return {
      kind,
      id: `section-${kind}`,
      heading: text.heading,
      hint: text.hint,
      scopeNote: practitionerFollowUps
        ? practitionerFollowUpsNote
        : worklist.scope === 'mine'
          ? mineMeaning[kind]
          : undefined,
      head: heads[kind],
      actionColumn: actionKinds.includes(kind),
      total,
      overdueText: overdueText(rows, total),
      rows,
      empty: worklist.scope === 'mine' || practitionerFollowUps ? text.emptyMine : text.emptySite,
      showAllHref:
        !options.single && total > OVERVIEW_LIMIT ? worklistPaths.worklist({ ...query, section: kind }) : undefined,
      siteNote:
        siteTotal !== undefined && siteTotal > total
          ? { count: siteTotal - total, href: worklistPaths.worklist({ ...query, scope: 'site', kinds: ['flags'] }) }
          : undefined,
    }
  })
}

/** GOV.UK pagination for a section on its own. */
export function pagination(query: WorklistQuery, page: number, total: number, pageSize: number) {
  return govukPagination(page, pageCount(total, pageSize), (n) => worklistPaths.worklist({ ...query, page: n }))
}

/** The summary of a follow-up on the "mark as done" page. */
export function followUpRows(followUp: FollowUp) {
  return [
    { key: { text: 'Person' }, value: { text: `${fullName(followUp.person)} (${followUp.person.crn})` } },
    { key: { text: 'Follow-up' }, value: { text: followUp.reason } },
    { key: { text: 'Due' }, value: { text: formatDate(followUp.dueDate) } },
    { key: { text: 'Assigned to' }, value: { text: followUp.assignedTo.name } },
  ]
}

export function doneText(followUp: FollowUp): string | undefined {
  if (followUp.status !== 'done' || followUp.doneAt === null) return undefined
  return `Marked as done on ${formatDateTime(followUp.doneAt)} by ${followUp.doneBy?.name ?? 'a former member of staff'}.`
}

/** Today in words, for the caption. */
export function todayText(now: Date): string {
  return formatDate(ukDateOf(now))
}
