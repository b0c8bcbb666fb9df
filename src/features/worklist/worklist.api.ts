import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FormBody } from '../../platform/forms/forms.ts'
import { actorOf } from '../../platform/http/auth.ts'
import { ValidationError } from '../../platform/http/errors.ts'
import { urgencyOfDate } from './worklist.dates.ts'
import { checkNote, parseApiPaging, parseFilters } from './worklist.forms.ts'
import { followUpRoles, OVERVIEW_LIMIT, worklistRoles } from './worklist.messages.ts'
import { needCategoryLabels as needLabels } from '../needs/index.ts'
import { worklistPaths, worklistRoutes } from './worklist.paths.ts'
import {
  FollowUpDoneSchema,
  FollowUpParamsSchema,
  FollowUpSchema,
  ProblemSchema,
  WorklistQuerySchema,
  WorklistSchema,
  type FollowUpResource,
  type WorklistResource,
} from './worklist.schemas.ts'
import type { FollowUp, PersonRef, Worklist, WorklistService } from './worklist.service.ts'
import { flagDue } from './worklist.view-models.ts'
import { fullName } from '../../platform/views/person-header.ts'

const person = (p: PersonRef) => ({ personId: p.id, personName: fullName(p), crn: p.crn })

function when(urgency: 'overdue' | 'due-today' | 'upcoming') {
  return { overdue: urgency === 'overdue', dueToday: urgency === 'due-today' }
}

export function toResource(worklist: Worklist): WorklistResource {
  const { sections: s, today, generatedAt: now } = worklist
  const sections: WorklistResource['sections'] = {}
  if (s.flags !== undefined) {
    sections.flags = {
      total: s.flags.total,
      ...(s.flags.siteTotal === undefined ? {} : { siteTotal: s.flags.siteTotal }),
      items: s.flags.items.map((f) => {
        const due = flagDue(f.respondBy, now)
        return {
          id: f.id,
          ...person(f.person),
          checkId: f.checkId,
          message: f.message,
          raisedAt: f.raisedAt.toISOString(),
          respondBy: f.respondBy.toISOString(),
          dueDate: due.dueDate,
          ...when(due.urgency),
          href: worklistPaths.flag(f.id),
        }
      }),
    }
  }
  if (s.needs !== undefined) {
    sections.needs = {
      total: s.needs.total,
      items: s.needs.items.map((n) => ({
        id: n.id,
        ...person(n.person),
        checkId: n.checkId,
        category: n.category,
        categoryLabel: needLabels[n.category],
        proposedBecause: n.proposedBecause,
        identifiedOn: n.identifiedOn,
        href: worklistPaths.need(n.id),
      })),
    }
  }
  if (s.followUps !== undefined) {
    sections.followUps = {
      total: s.followUps.total,
      items: s.followUps.items.map((f) => ({
        id: f.id,
        ...person(f.person),
        appointmentId: f.appointmentId,
        kind: f.kind,
        reason: f.reason,
        dueDate: f.dueDate,
        ...when(urgencyOfDate(f.dueDate, today)),
        assignedTo: f.assignedTo,
        href: f.appointmentId === null ? worklistPaths.person(f.person.id) : worklistPaths.appointment(f.appointmentId),
        doneHref: worklistPaths.api.followUpDone(f.id),
      })),
    }
  }
  if (s.referrals !== undefined) {
    sections.referrals = {
      total: s.referrals.total,
      items: s.referrals.items.map((r) => ({
        id: r.id,
        ...person(r.person),
        status: r.status,
        urgency: r.urgency,
        chaseOn: r.chaseOn,
        ...when(urgencyOfDate(r.chaseOn, today)),
        serviceName: r.serviceName,
        href: worklistPaths.referral(r.id),
      })),
    }
  }
  if (s.gpRegistrations !== undefined) {
    sections.gpRegistrations = {
      total: s.gpRegistrations.total,
      items: s.gpRegistrations.items.map((g) => ({
        ...person(g.person),
        inProgressSince: g.statusDate,
        helpGiven: g.helpGiven,
        href: worklistPaths.gpRegistration(g.person.id),
      })),
    }
  }
  if (s.screening !== undefined) {
    sections.screening = {
      total: s.screening.total,
      items: s.screening.items.map((i) => ({
        personId: i.personId,
        personName: i.personName,
        crn: i.crn,
        programme: i.programme,
        programmeLabel: i.programmeLabel,
        nextDue: i.nextDue,
        reason: i.reason,
        appointmentStartsAt: new Date(i.appointmentStartsAt).toISOString(),
        href: worklistPaths.screening(i.personId),
      })),
    }
  }
  for (const key of ['releasesDue', 'releasedNotSeen', 'ostGaps', 'notEngaged'] as const) {
    const section = s[key]
    if (section === undefined) continue
    sections[key] = {
      total: section.total,
      items: section.items.map((item) => ({
        ...person(item.person),
        episodeId: item.episodeId,
        releaseDate: item.releaseDate,
        due: item.due,
        ...when(item.overdue ? 'overdue' : urgencyOfDate(item.due, today)),
        details: item.details,
        href: item.href,
      })),
    }
  }
  return {
    site: { code: worklist.site.code, name: worklist.site.name },
    scope: worklist.scope,
    generatedAt: now.toISOString(),
    today,
    sections,
  }
}

export function toFollowUpResource(f: FollowUp): FollowUpResource {
  return {
    id: f.id,
    ...person(f.person),
    appointmentId: f.appointmentId,
    kind: f.kind,
    reason: f.reason,
    dueDate: f.dueDate,
    status: f.status,
    assignedTo: f.assignedTo,
    doneAt: f.doneAt === null ? null : f.doneAt.toISOString(),
    doneBy: f.doneBy,
    note: f.note,
  }
}

const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema }

export function registerWorklistApi(app: FastifyInstance, deps: { worklist: WorklistService }): void {
  const { worklist } = deps
  const api = app.withTypeProvider<TypeBoxTypeProvider>()

  api.get(
    worklistRoutes.apiWorklist,
    {
      config: { access: worklistRoles },
      schema: {
        tags: ['worklist'],
        summary: 'Outstanding work for you or a site: flags, needs, follow-ups, referrals, GP registrations, screening',
        description:
          'Each section is most urgent first, with its total. Clinicians and hub managers see every section; ' +
          'probation practitioners see only follow-ups assigned to them and GP registrations in progress. ' +
          'Overdue and due today are judged on the UK calendar. Each call is audited as one list event.',
        querystring: WorklistQuerySchema,
        response: { 200: WorklistSchema, ...problems },
      },
    },
    async (request) => {
      const query = request.query as FormBody
      const filters = parseFilters(query)
      const paging = parseApiPaging(query, OVERVIEW_LIMIT)
      const errors = [...(filters.ok ? [] : filters.errors), ...(paging.ok ? [] : paging.errors)]
      if (!filters.ok || !paging.ok) throw new ValidationError(errors)
      const result = await worklist.viewWorklist(
        actorOf(request),
        {
          ...(filters.value.site === undefined ? {} : { site: filters.value.site }),
          ...(filters.value.scope === undefined ? {} : { scope: filters.value.scope }),
          kinds: filters.value.kinds,
          ...paging.value,
        },
        'api',
      )
      return toResource(result)
    },
  )

  api.post(
    worklistRoutes.apiFollowUpDone,
    {
      config: { access: followUpRoles },
      schema: {
        tags: ['worklist'],
        summary: 'Mark a missed-appointment follow-up as done, with a note of what was done',
        description:
          'For the person it is assigned to, or a hub manager at its site. Done is final: a follow-up already done ' +
          'is a 409 and nothing changes.',
        params: FollowUpParamsSchema,
        body: FollowUpDoneSchema,
        response: { 200: FollowUpSchema, ...problems, 404: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (request) => {
      const checked = checkNote(request.body.note)
      if (!checked.ok) throw new ValidationError([checked.error])
      const done = await worklist.markFollowUpDone(request.params.id, checked.note, actorOf(request), 'api')
      return toFollowUpResource(done)
    },
  )
}
