/** Turns the care plan into what the templates show. */
import { formatDate, formatDateTime, formatTimeRange } from '../../platform/views/format.ts'
import {
  actionStatusText,
  agreementText,
  linkKindText,
  outcomeText,
  ownerText,
  printSectionText,
} from './care-plan.messages.ts'
import { NO_LINK } from './care-plan.forms.ts'
import { carePlanPaths } from './care-plan.paths.ts'
import type {
  ActionView,
  GoalView,
  HistoryEntry,
  LinkOption,
  PlanView,
  PrintedPlan,
  AppointmentOption,
} from './care-plan.service.ts'
import { linkLabel } from './care-plan.service.ts'
import {
  actionOwners,
  actionStatuses,
  agreementDecisions,
  goalOutcomes,
  printSections,
  type ActionOwner,
  type ActionStatus,
  type AgreementDecision,
  type GoalOutcome,
  type PrintSection,
} from './care-plan.tables.ts'

const str = (value: unknown): string => (typeof value === 'string' ? value : '')

function ownerLine(owner: ActionOwner, name: string | null): string {
  return name === null ? ownerText[owner].staff : `${ownerText[owner].staff}: ${name}`
}

function actionRow(personId: string, action: ActionView, canWrite: boolean) {
  const link =
    action.link === null
      ? 'Not linked'
      : (action.link.label ??
        (action.link.id === null
          ? `${linkKindText[action.link.kind]} (details for the health team)`
          : linkKindText[action.link.kind]))
  return {
    id: action.id,
    description: action.description,
    who: ownerLine(action.owner, action.ownerName),
    due: action.dueOn === null ? 'No date set' : formatDate(action.dueOn),
    status: actionStatusText[action.status],
    link,
    editHref: canWrite ? carePlanPaths.action(personId, action.id) : undefined,
  }
}

export function planPageView(view: PlanView) {
  const personId = view.person.id
  const latestReview = view.reviews[0]
  return {
    goals: view.goals.map((g: GoalView, index) => ({
      id: g.id,
      number: index + 1,
      inOwnWords: g.inOwnWords,
      includeInPrint: g.includeInPrint,
      latestOutcome:
        g.latestOutcome === null
          ? undefined
          : { ...outcomeText[g.latestOutcome.outcome], on: formatDate(g.latestOutcome.reviewedOn) },
      actions: g.actions.map((a) => actionRow(personId, a, view.canWrite)),
      editHref: view.canWrite ? carePlanPaths.goal(personId, g.id) : undefined,
      addActionHref: view.canWrite ? carePlanPaths.newAction(personId, g.id) : undefined,
    })),
    agreement:
      view.agreement === null
        ? undefined
        : {
            ...agreementText[view.agreement.decision],
            comments: view.agreement.comments,
            on: formatDate(view.agreement.decidedOn),
            by: view.agreement.recordedByName,
          },
    latestReview:
      latestReview === undefined
        ? undefined
        : {
            on: formatDate(latestReview.reviewedOn),
            notes: latestReview.notes,
            by: latestReview.recordedByName,
            outcomes: latestReview.outcomes.map((o) => ({
              goal: view.goals.find((g) => g.id === o.goalId)?.inOwnWords ?? 'A goal',
              ...outcomeText[o.outcome],
            })),
          },
    printed: printSections.filter((s) => view.plan?.print[s] === true).map((s) => printSectionText[s]),
    history: historyRows(view.history, view.goals),
  }
}

/** Each change in words, newest first: what the record became, and what it was before where it changed. */
export function historyRows(history: readonly HistoryEntry[], goals: readonly GoalView[]) {
  const previous = new Map<string, Record<string, unknown>>()
  const goalText = (id: unknown) => goals.find((g) => g.id === id)?.inOwnWords ?? 'a goal'
  const rows = history.map((h) => {
    const key = `${h.entity}:${h.entityId}`
    const before = previous.get(key)
    previous.set(key, h.snapshot)
    const s = h.snapshot
    let what: string
    switch (h.entity) {
      case 'goal':
        if (before === undefined) what = `Goal added: “${str(s['inOwnWords'])}”`
        else if (before['inOwnWords'] !== s['inOwnWords'])
          what = `Goal changed from “${str(before['inOwnWords'])}” to “${str(s['inOwnWords'])}”`
        else
          what = `Goal “${str(s['inOwnWords'])}” ${s['includeInPrint'] === true ? 'included in' : 'left out of'} the printed plan`
        break
      case 'action': {
        const status = actionStatusText[s['status'] as ActionStatus].text.toLowerCase()
        if (before === undefined)
          what = `Action added to “${goalText(s['goalId'])}”: “${str(s['description'])}” (${status})`
        else {
          const changed = Object.keys(s).filter((k) => before[k] !== s[k])
          what = `Action “${str(s['description'])}” changed (${changed.map((k) => actionFieldText[k] ?? k).join(', ')})${changed.includes('status') ? `: now ${status}` : ''}`
        }
        break
      }
      case 'print-choices':
        what = 'Choices for the printed plan changed'
        break
      case 'review':
        what = `Review recorded for ${formatDate(str(s['reviewedOn']))}`
        break
      case 'agreement':
        what = `Agreement recorded: ${agreementText[s['decision'] as AgreementDecision].text.toLowerCase()} (${formatDate(str(s['decidedOn']))})`
        break
    }
    return { when: formatDateTime(h.recordedAt), who: h.actorName ?? 'Unknown', what }
  })
  return rows.reverse()
}

const actionFieldText: Record<string, string> = {
  description: 'what will be done',
  owner: 'who',
  ownerName: 'name',
  dueOn: 'due date',
  status: 'status',
  linkKind: 'link',
  linkId: 'link',
}

export function ownerItems(selected: unknown) {
  return actionOwners.map((o) => ({ value: o, text: ownerText[o].staff, checked: selected === o }))
}

export function statusItems(selected: unknown) {
  return actionStatuses.map((s) => ({
    value: s,
    text: actionStatusText[s].text,
    checked: (selected === '' ? 'to-do' : selected) === s,
  }))
}

export function linkItems(options: readonly LinkOption[], selected: unknown) {
  const chosen = selected === '' || selected === undefined ? NO_LINK : selected
  return [
    { value: NO_LINK, text: 'Not linked', checked: chosen === NO_LINK },
    ...options.map((o) => {
      const value = `${o.kind}:${o.id}`
      return { value, text: `${linkKindText[o.kind]}: ${linkLabel(o)}`, checked: chosen === value }
    }),
  ]
}

export function outcomeItems(selected: unknown) {
  return [...goalOutcomes.map((o: GoalOutcome) => ({ value: o, text: outcomeText[o].text, checked: selected === o }))]
}

export function appointmentItems(options: readonly AppointmentOption[], selected: unknown) {
  const chosen = selected === '' || selected === undefined ? 'none' : selected
  return [
    { value: 'none', text: 'Not at an appointment', checked: chosen === 'none' },
    ...options.map((a) => ({ value: a.id, text: formatDateTime(a.startsAt), checked: chosen === a.id })),
  ]
}

export function decisionItems(selected: unknown) {
  const hints: Record<AgreementDecision, string> = {
    agreed: 'They agree to the whole plan',
    'agreed-in-part': 'Say which parts they did not agree to',
    'did-not-agree': 'Record their comments in their words',
  }
  return agreementDecisions.map((d) => ({
    value: d,
    text: agreementText[d].text,
    hint: { text: hints[d] },
    checked: selected === d,
  }))
}

export function printChoiceItems(view: PlanView, values?: { sections: unknown; goals: unknown }) {
  const chosenSections = Array.isArray(values?.sections)
    ? (values.sections as string[])
    : printSections.filter((s) => view.plan?.print[s] === true)
  const chosenGoals = Array.isArray(values?.goals)
    ? (values.goals as string[])
    : view.goals.filter((g) => g.includeInPrint).map((g) => g.id)
  return {
    goals: view.goals.map((g) => ({ value: g.id, text: g.inOwnWords, checked: chosenGoals.includes(g.id) })),
    sections: printSections.map((s: PrintSection) => ({
      value: s,
      text: printSectionText[s],
      checked: chosenSections.includes(s),
    })),
  }
}

/** The printed plan in the person's words. */
export function printView(plan: PrintedPlan) {
  return {
    goals: plan.goals.map((g) => ({
      inOwnWords: g.inOwnWords,
      actions: g.actions.map((a) => ({
        what: a.description,
        who:
          a.owner === 'person'
            ? 'You'
            : a.ownerName === null
              ? ownerText[a.owner].person
              : `${ownerText[a.owner].person} (${a.ownerName})`,
        when: a.dueOn === null ? undefined : formatDate(a.dueOn),
        done: a.status === 'done',
      })),
    })),
    appointments: plan.appointments?.map((a) => ({
      date: formatDate(a.startsAt),
      time: formatTimeRange(a.startsAt, a.endsAt),
      place: a.place,
      withWhom: a.withWhom,
    })),
    referrals: plan.referrals,
    gpRegistration: plan.gpRegistration,
    screening: plan.screening,
    phoneNumbers: plan.phoneNumbers,
    printedOn: formatDate(plan.printedOn),
  }
}
