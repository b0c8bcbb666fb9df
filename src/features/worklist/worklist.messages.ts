import type { StaffRole } from '../../platform/http/roles.ts'
/** The worklist's sections, who may see each, and the words staff read. */

export const worklistKinds = [
  'flags',
  'needs',
  'follow-ups',
  'referrals',
  'gp-registrations',
  'screening',
  'releases-due',
  'released-not-seen',
  'ost-gaps',
  'not-engaged',
] as const
export type WorklistKind = (typeof worklistKinds)[number]

export function isWorklistKind(value: string): value is WorklistKind {
  return (worklistKinds as readonly string[]).includes(value)
}

export const worklistScopes = ['mine', 'site'] as const
export type WorklistScope = (typeof worklistScopes)[number]

export function isWorklistScope(value: string): value is WorklistScope {
  return (worklistScopes as readonly string[]).includes(value)
}

/** Who may open the worklist at all. */
export const worklistRoles = [
  'clinician',
  'hub_manager',
  'probation_practitioner',
] as const satisfies readonly StaffRole[]
/** Who may mark a missed-appointment follow-up as done (the service also checks it is theirs, or their site's). */
export const followUpRoles = worklistRoles

/**
 * The sections each role sees. Probation practitioners see no clinical detail: their own follow-ups and GP
 * registrations in progress (whether someone has a GP is not clinical detail) and people released and not yet seen
 * by the hub; never flags, needs, referrals, screening, release plan items, opioid substitution or treatment needs
 * (hazard H-804).
 */
export const kindsForRole: Record<(typeof worklistRoles)[number], readonly WorklistKind[]> = {
  clinician: worklistKinds,
  hub_manager: worklistKinds,
  probation_practitioner: ['follow-ups', 'gp-registrations', 'released-not-seen'],
}

/** The default scope: hub managers look after a site; everyone else starts with their own work. */
export function defaultScope(role: StaffRole): WorklistScope {
  return role === 'hub_manager' ? 'site' : 'mine'
}

/** The JSON key of each section in the API's response. */
export const sectionKeys = {
  flags: 'flags',
  needs: 'needs',
  'follow-ups': 'followUps',
  referrals: 'referrals',
  'gp-registrations': 'gpRegistrations',
  screening: 'screening',
  'releases-due': 'releasesDue',
  'released-not-seen': 'releasedNotSeen',
  'ost-gaps': 'ostGaps',
  'not-engaged': 'notEngaged',
} as const satisfies Record<WorklistKind, string>

export const sectionText: Record<
  WorklistKind,
  { heading: string; filter: string; emptyMine: string; emptySite: string; hint?: string }
> = {
  flags: {
    heading: 'Warning signs awaiting a response',
    filter: 'Warning signs awaiting a response',
    emptyMine: 'No warning signs from your health checks are waiting for a response.',
    emptySite: 'No warning signs at this site are waiting for a response.',
    hint: 'Each needs a clinician’s documented response by the end of the day it was raised.',
  },
  needs: {
    heading: 'Proposed needs to confirm or dismiss',
    filter: 'Proposed needs',
    emptyMine: 'No needs from your health checks are waiting for your decision.',
    emptySite: 'No proposed needs at this site are waiting for a decision.',
  },
  'follow-ups': {
    heading: 'Missed appointments to follow up',
    filter: 'Missed appointments to follow up',
    emptyMine: 'You have no missed appointments to follow up.',
    emptySite: 'There are no missed appointments to follow up at this site.',
  },
  referrals: {
    heading: 'Referrals to chase',
    filter: 'Referrals to chase',
    emptyMine: 'None of your referrals need chasing in the next 7 days.',
    emptySite: 'No referrals at this site need chasing in the next 7 days.',
    hint: 'Referrals with a chase date in the next 7 days or earlier.',
  },
  'gp-registrations': {
    heading: 'GP registrations in progress',
    filter: 'GP registrations in progress',
    emptyMine: 'No GP registrations you are helping with are in progress.',
    emptySite: 'No GP registrations at this site are in progress.',
  },
  screening: {
    heading: 'Screening due',
    filter: 'Screening due',
    emptyMine: 'Nobody with an appointment with you in the next 7 days is due for screening.',
    emptySite: 'Nobody with an appointment at this site in the next 7 days is due for screening.',
    hint: 'People with an appointment in the next 7 days who are due for an NHS screening programme.',
  },
  'releases-due': {
    heading: 'Releases in the next 14 days with items to do',
    filter: 'Releases in the next 14 days',
    emptyMine: 'Nobody at this site is due for release in the next 14 days with items of their plan to do.',
    emptySite: 'Nobody at this site is due for release in the next 14 days with items of their plan to do.',
    hint: 'What must be in place on the day of release and is not yet.',
  },
  'released-not-seen': {
    heading: 'Released and not yet seen by the hub',
    filter: 'Released and not yet seen',
    emptyMine: 'Everyone released in the last 6 months has been seen by the hub since.',
    emptySite: 'Everyone released in the last 6 months has been seen by the hub since.',
    hint: 'Released in the last 6 months, with no hub appointment attended since release.',
  },
  'ost-gaps': {
    heading: 'Gaps in opioid substitution treatment',
    filter: 'Opioid substitution gaps',
    emptyMine: 'No one’s opioid substitution supply runs out before their community prescriber sees them.',
    emptySite: 'No one’s opioid substitution supply runs out before their community prescriber sees them.',
    hint: 'The medicine given on release runs out before the community prescriber’s first appointment, or it is not known.',
  },
  'not-engaged': {
    heading: 'Released with a treatment need, not engaged after 21 days',
    filter: 'Not engaged in treatment',
    emptyMine: 'Everyone released with a drug or alcohol treatment need is engaged with a treatment service.',
    emptySite: 'Everyone released with a drug or alcohol treatment need is engaged with a treatment service.',
    hint: 'Released at least 21 days ago with a drug or alcohol need, and no treatment referral at first appointment attended or later.',
  },
}

/** What "mine" means in each section, said on the page so nobody assumes more is covered than is. */
export const mineMeaning: Record<WorklistKind, string> = {
  flags: 'From health checks you ran.',
  needs: 'From health checks you ran.',
  'follow-ups': 'Assigned to you.',
  referrals: 'Referrals you made.',
  'gp-registrations': 'People you are the probation practitioner for, or whose latest status you recorded.',
  screening: 'People with an appointment with you.',
  'releases-due': 'Everyone at the site: releases are the whole team’s work.',
  'released-not-seen': 'Everyone at the site: releases are the whole team’s work.',
  'ost-gaps': 'Everyone at the site: releases are the whole team’s work.',
  'not-engaged': 'Everyone at the site: releases are the whole team’s work.',
}

/** Practitioners only ever see follow-ups assigned to them, whatever the scope (the site's may carry health reasons). */
export const practitionerFollowUpsNote = 'Follow-ups assigned to you.'

/** How far ahead referrals to chase are shown. */
export const CHASE_AHEAD_DAYS = 7
/** How far ahead booked appointments bring screening due onto the worklist. */
export const SCREENING_AHEAD_DAYS = 7
/** Items per section on the overview; a section on its own pages through all of them. */
export const OVERVIEW_LIMIT = 20
export const SECTION_PAGE_SIZE = 50
export const API_MAX_LIMIT = 100
export const NOTE_MAX = 500

export const messages = {
  notAllowed: 'You do not have permission to see a worklist.',
  noSites: 'You do not belong to any site, so there is no worklist to show.',
  siteUnknown: (code: string) => `No site has the code ${code}`,
  siteRequired: 'Choose a site: you belong to more than one',
  siteNotYours: 'You do not have access to this site.',
  scopeInvalid: 'Scope must be mine or site',
  kindsInvalid: (kind: string) => `${kind} is not a worklist section: use ${worklistKinds.join(', ')}`,
  limitInvalid: `Limit must be a whole number from 1 to ${String(API_MAX_LIMIT)}`,
  offsetInvalid: 'Offset must be a whole number, 0 or more',
  noteBlank: 'Enter a note of what was done',
  noteTooLong: `Note must be ${String(NOTE_MAX)} characters or fewer`,
  followUpNotFound: 'No follow-up has that id',
  followUpNotYours: 'Only the person it is assigned to, or a hub manager at the site, can mark this follow-up as done.',
  followUpAlreadyDone: 'This follow-up has already been marked as done.',
} as const
