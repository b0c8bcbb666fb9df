/**
 * The lifecycle of a treatment requirement: which changes of status are allowed, in plain words, who may record
 * each, and which need a reason. Pure: no database, no clock. The one place these rules live; the service, the
 * pages and the API all ask here.
 *
 * From domain reference §8 (CSTR): a requirement needs assessment and agreement by the treatment provider before
 * the court makes it, so clinical staff record assessments and probation practitioners record what the court and
 * the order do. The reference says nothing of a breached requirement being completed, so a breached requirement
 * can only continue (the court allowed it to); the court's decision is recorded in the reason.
 */
import type { StaffRole } from '../../platform/http/roles.ts'
import { treatmentRequirementStatuses, type TreatmentRequirementStatus } from './treatment-requirements.tables.ts'

export type { TreatmentRequirementStatus }

/** Clinicians and hub managers: the health team, who assess. */
const healthTeam = ['clinician', 'hub_manager'] as const satisfies readonly StaffRole[]
/** Probation practitioners: who record the court's decisions and the order's progress. */
const probation = ['probation_practitioner'] as const satisfies readonly StaffRole[]

export interface Transition {
  readonly from: TreatmentRequirementStatus
  readonly to: TreatmentRequirementStatus
  /** What happened, as a radio label: "Assessed as suitable". */
  readonly label: string
  /** Who may record it. */
  readonly roles: readonly StaffRole[]
  /** Who may record it, in words, for refusals: "clinicians and hub managers". */
  readonly recordedBy: string
  readonly reasonRequired: boolean
  /** The label of the reason box for this change. */
  readonly reasonLabel: string
  /** Refused unless a treatment referral is linked (the treatment provider). */
  readonly needsReferral: boolean
}

const byHealthTeam = { roles: healthTeam, recordedBy: 'clinicians and hub managers' }
const byProbation = { roles: probation, recordedBy: 'probation practitioners' }

export const transitions: readonly Transition[] = [
  {
    from: 'proposed',
    to: 'assessed-suitable',
    label: 'Assessed as suitable',
    ...byHealthTeam,
    reasonRequired: false,
    reasonLabel: 'Note (optional)',
    needsReferral: false,
  },
  {
    from: 'proposed',
    to: 'assessed-unsuitable',
    label: 'Assessed as not suitable',
    ...byHealthTeam,
    reasonRequired: true,
    reasonLabel: 'Why the person was assessed as not suitable',
    needsReferral: false,
  },
  {
    from: 'assessed-suitable',
    to: 'made',
    label: 'Made by the court',
    ...byProbation,
    reasonRequired: false,
    reasonLabel: 'Court and order details (optional)',
    needsReferral: false,
  },
  {
    from: 'assessed-suitable',
    to: 'assessed-unsuitable',
    label: 'Reassessed as not suitable',
    ...byHealthTeam,
    reasonRequired: true,
    reasonLabel: 'Why the person was reassessed as not suitable',
    needsReferral: false,
  },
  {
    from: 'assessed-unsuitable',
    to: 'assessed-suitable',
    label: 'Reassessed as suitable',
    ...byHealthTeam,
    reasonRequired: true,
    reasonLabel: 'Why the person is now suitable',
    needsReferral: false,
  },
  {
    from: 'made',
    to: 'started',
    label: 'Treatment started',
    ...byProbation,
    reasonRequired: false,
    reasonLabel: 'Note (optional)',
    needsReferral: true,
  },
  {
    from: 'started',
    to: 'completed',
    label: 'Completed',
    ...byProbation,
    reasonRequired: false,
    reasonLabel: 'Note (optional)',
    needsReferral: false,
  },
  {
    from: 'started',
    to: 'breached',
    label: 'Breached',
    ...byProbation,
    reasonRequired: true,
    reasonLabel: 'What the breach was',
    needsReferral: false,
  },
  {
    from: 'breached',
    to: 'started',
    label: 'Continued after the breach (the court allowed it to continue)',
    ...byProbation,
    reasonRequired: true,
    reasonLabel: 'The court’s decision',
    needsReferral: true,
  },
]

export function isTreatmentRequirementStatus(value: string): value is TreatmentRequirementStatus {
  return (treatmentRequirementStatuses as readonly string[]).includes(value)
}

/** The transition from one status to another, or undefined when the lifecycle has no such change. */
export function findTransition(
  from: TreatmentRequirementStatus,
  to: TreatmentRequirementStatus,
): Transition | undefined {
  return transitions.find((t) => t.from === from && t.to === to)
}

/** Every change allowed from a status; with a role, only those that role may record. */
export function allowedTransitions(from: TreatmentRequirementStatus, role?: StaffRole): Transition[] {
  return transitions.filter((t) => t.from === from && (role === undefined || t.roles.includes(role)))
}

/** Open requirements count towards "one of each kind at a time"; the database index uses the same list. */
export const openStatuses = [
  'proposed',
  'assessed-suitable',
  'made',
  'started',
] as const satisfies readonly TreatmentRequirementStatus[]

export function isOpen(status: TreatmentRequirementStatus): boolean {
  return (openStatuses as readonly TreatmentRequirementStatus[]).includes(status)
}

export type TransitionCheck =
  | { ok: true; transition: Transition }
  | { ok: false; reason: 'not-allowed'; allowed: Transition[] }
  | { ok: false; reason: 'wrong-role'; transition: Transition }

/** Whether `role` may move a requirement from `from` to `to`. */
export function checkTransition(
  from: TreatmentRequirementStatus,
  to: TreatmentRequirementStatus,
  role: StaffRole,
): TransitionCheck {
  const transition = findTransition(from, to)
  if (transition === undefined) return { ok: false, reason: 'not-allowed', allowed: allowedTransitions(from) }
  if (!transition.roles.includes(role)) return { ok: false, reason: 'wrong-role', transition }
  return { ok: true, transition }
}
