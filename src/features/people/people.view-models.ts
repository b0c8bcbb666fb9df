/** Shapes the pages hand to their templates: caseload rows, sort headers, pagination, summary lists. */
import { text } from '../../platform/forms/forms.ts'
import { formatDate, formatDateTime, formatNhsNumber, formatTime } from '../../platform/views/format.ts'
import { longCalendarDate, ukDateOf } from '../../platform/time/uk-time.ts'
import {
  disabilityOptions,
  ethnicCategoryOptions,
  fieldLabels,
  genderSameAsBirthOptions,
  labelFor,
  neurodivergenceOptions,
  sexOptions,
  statedGenderOptions,
  supervisionTypeOptions,
} from './people.messages.ts'
import {
  caseloadSorts,
  peoplePaths,
  type CaseloadLinkQuery,
  type CaseloadSort,
  type SortOrder,
} from './people.paths.ts'
import type { CaseloadResult, Person } from './people.service.ts'
import { changedFields, personDetailKeys, type PersonDetails } from './people.validation.ts'
import { govukPagination } from '../../platform/views/pagination.ts'
import {
  PROBATION_SHARING_TOPIC,
  type AppointmentKind,
  type NeedCategory,
  type PersonOverview,
} from './people.read-model.ts'

export interface CaseloadParams {
  site: string
  q: string
  supervisionType: string | undefined
  custody: boolean
  mine: boolean
  sort: CaseloadSort
  order: SortOrder
  page: number
}

export const defaultOrder = (sort: CaseloadSort): SortOrder => (sort === 'recent' ? 'desc' : 'asc')
/** Offsets beyond this are not worth paging to: the count stops at 10,000 too. */
export const MAX_PAGE = 400

/** Reads the caseload's query string; anything unrecognised falls back to the default rather than failing. */
export function parseCaseloadQuery(query: Record<string, unknown>, defaultSite: string): CaseloadParams {
  const sortRaw = text(query, 'sort')
  const sort = (caseloadSorts as readonly string[]).includes(sortRaw) ? (sortRaw as CaseloadSort) : 'name'
  const orderRaw = text(query, 'order')
  const order: SortOrder = orderRaw === 'asc' || orderRaw === 'desc' ? orderRaw : defaultOrder(sort)
  const pageRaw = Number.parseInt(text(query, 'page'), 10)
  const supervisionType = text(query, 'supervisionType')
  return {
    site: text(query, 'site') || defaultSite,
    q: text(query, 'q').slice(0, 100),
    supervisionType: supervisionTypeOptions.some((o) => o.value === supervisionType) ? supervisionType : undefined,
    custody: text(query, 'custody') === 'yes',
    mine: text(query, 'mine') === 'yes',
    sort,
    order,
    page: Number.isInteger(pageRaw) && pageRaw >= 1 ? Math.min(pageRaw, MAX_PAGE) : 1,
  }
}

function linkQuery(params: CaseloadParams, changes: Partial<CaseloadLinkQuery>): CaseloadLinkQuery {
  return {
    site: params.site,
    q: params.q,
    supervisionType: params.supervisionType,
    custody: params.custody,
    mine: params.mine,
    sort: params.sort,
    order: params.order,
    page: params.page,
    ...changes,
  }
}

const sortColumns: { sort: CaseloadSort; text: string }[] = [
  { sort: 'name', text: 'Name' },
  { sort: 'crn', text: 'CRN' },
  { sort: 'dateOfBirth', text: 'Date of birth' },
  { sort: 'releaseDate', text: 'Release date' },
]

/** Column headers whose links sort the table; aria-sort tells screen readers the current order. */
export function sortHeaders(params: CaseloadParams) {
  return sortColumns.map((column) => {
    const active = params.sort === column.sort
    const nextOrder: SortOrder = active ? (params.order === 'asc' ? 'desc' : 'asc') : defaultOrder(column.sort)
    return {
      text: column.text,
      href: peoplePaths.caseload(linkQuery(params, { sort: column.sort, order: nextOrder, page: 1 })),
      ariaSort: active ? (params.order === 'asc' ? 'ascending' : 'descending') : 'none',
      hint: `sort by ${column.text.toLowerCase()}, ${nextOrder === 'asc' ? 'ascending' : 'descending'}`,
    }
  })
}

export const sortOptions = [
  { value: 'name', text: 'Name (A to Z)' },
  { value: 'crn', text: 'CRN' },
  { value: 'dateOfBirth', text: 'Date of birth (oldest first)' },
  { value: 'releaseDate', text: 'Release date (soonest first)' },
  { value: 'recent', text: 'Recently added' },
]

/** GOV.UK pagination: first, last, and the pages either side of the current one, with ellipses between. */
export function pagination(params: CaseloadParams, result: CaseloadResult) {
  const last = Math.min(result.pageCount, MAX_PAGE)
  return govukPagination(
    result.page,
    last,
    (n) => peoplePaths.caseload(linkQuery(params, { page: n })),
    'Caseload pages',
  )
}

export function caseloadRows(people: Person[]) {
  return people.map((p) => ({
    href: peoplePaths.person(p.id),
    name: `${p.familyName}, ${p.givenName}`,
    preferredName: p.preferredName,
    crn: p.crn,
    nhsNumber: formatNhsNumber(p.nhsNumber),
    dateOfBirth: formatDate(p.dateOfBirth),
    supervisionType: labelFor(supervisionTypeOptions, p.supervisionType),
    releaseDate: formatDate(p.releaseDate),
  }))
}

export function resultHeading(result: CaseloadResult): string {
  if (result.capped) return 'More than 10,000 people'
  return result.total === 1 ? '1 person' : `${result.total.toLocaleString('en-GB')} people`
}

const yesNo = (value: boolean) => (value ? 'Yes' : 'No')

/** Each field as a page shows it, with code values turned into their labels. */
export function displayValue(
  key: keyof PersonDetails,
  details: PersonDetails & { probationPractitionerName?: string | null; siteName?: string },
): string {
  switch (key) {
    case 'nhsNumber':
      return formatNhsNumber(details.nhsNumber)
    case 'dateOfBirth':
    case 'supervisionStart':
    case 'supervisionEnd':
    case 'releaseDate':
      return formatDate(details[key])
    case 'sex':
      return labelFor(sexOptions, details.sex)
    case 'statedGender':
      return labelFor(statedGenderOptions, details.statedGender)
    case 'genderSameAsBirth':
      return labelFor(genderSameAsBirthOptions, details.genderSameAsBirth)
    case 'ethnicCategory':
      return labelFor(ethnicCategoryOptions, details.ethnicCategory)
    case 'disability':
      return labelFor(disabilityOptions, details.disability)
    case 'neurodivergence':
      return labelFor(neurodivergenceOptions, details.neurodivergence)
    case 'supervisionType':
      return labelFor(supervisionTypeOptions, details.supervisionType)
    case 'interpreterNeeded':
    case 'readingSupport':
    case 'noFixedAbode':
      return yesNo(details[key])
    case 'probationPractitionerId':
      return (
        details.probationPractitionerName ?? (details.probationPractitionerId === null ? '' : 'Another practitioner')
      )
    case 'siteCode':
      return details.siteName ?? details.siteCode
    case 'crn':
    case 'givenName':
    case 'familyName':
    case 'preferredName':
    case 'language':
    case 'communicationNotes':
    case 'phone':
    case 'email':
    case 'addressLine1':
    case 'addressLine2':
    case 'town':
    case 'postcode':
    case 'prisonNumber':
      return details[key] ?? ''
  }
}

/** The field each Change link goes to: the first input of a date or radio group. */
const changeTarget: Partial<Record<keyof PersonDetails, string>> = {
  dateOfBirth: 'dateOfBirth-day',
  supervisionStart: 'supervisionStart-day',
  supervisionEnd: 'supervisionEnd-day',
  releaseDate: 'releaseDate-day',
}

function row(person: Person, key: keyof PersonDetails, label = fieldLabels[key] ?? key, value?: string) {
  const shown = value ?? displayValue(key, person)
  return {
    key: { text: label },
    value:
      shown === ''
        ? { html: '<span class="govuk-hint govuk-!-margin-0">Not recorded</span>' }
        : // Several lines: the template joins them with <br>, escaping each (autoescape).
          shown.includes('\n')
          ? { lines: shown.split('\n') }
          : { text: shown },
    actions: {
      items: [
        {
          href: peoplePaths.editPerson(person.id, changeTarget[key] ?? key),
          text: 'Change',
          visuallyHiddenText: label.toLowerCase(),
        },
      ],
    },
  }
}

/** The person page: one summary list per section, each row with a Change link. */
export function personSections(person: Person) {
  const address = person.noFixedAbode
    ? 'No fixed abode'
    : [person.addressLine1, person.addressLine2, person.town, person.postcode].filter((v) => v !== null).join('\n')
  const communication = [
    person.interpreterNeeded ? `Interpreter needed: ${person.language ?? ''}` : 'No interpreter needed',
  ]
  if (person.readingSupport) communication.push('Needs support with reading')
  return [
    {
      title: 'Identity',
      rows: [row(person, 'crn'), row(person, 'nhsNumber'), row(person, 'prisonNumber'), row(person, 'releaseDate')],
    },
    {
      title: 'Personal details',
      rows: [
        row(person, 'givenName'),
        row(person, 'familyName'),
        row(person, 'preferredName'),
        row(person, 'dateOfBirth'),
        row(person, 'sex', 'Sex (phenotypic)'),
        row(person, 'statedGender', 'Gender (stated)'),
        row(person, 'genderSameAsBirth', 'Gender same as registered at birth'),
        row(person, 'ethnicCategory'),
        row(person, 'disability'),
        row(person, 'neurodivergence'),
      ],
    },
    {
      title: 'Communication needs',
      rows: [
        row(person, 'interpreterNeeded', 'Interpreter and reading support', communication.join('\n')),
        row(person, 'communicationNotes'),
      ],
    },
    {
      title: 'Contact details',
      rows: [row(person, 'phone'), row(person, 'email'), row(person, 'addressLine1', 'Address', address)],
    },
    {
      title: 'Supervision',
      rows: [
        row(person, 'supervisionType'),
        row(person, 'supervisionStart'),
        row(person, 'supervisionEnd'),
        row(person, 'probationPractitionerId'),
        row(person, 'siteCode'),
      ],
    },
  ]
}

/** For a refused stale edit: each field where what the user entered differs from what is now saved. */
export function conflictRows(
  theirs: PersonDetails,
  saved: Person,
  practitionerNames: Map<string, string>,
  siteNames: Map<string, string>,
) {
  const theirsShown = {
    ...theirs,
    probationPractitionerName:
      theirs.probationPractitionerId === null ? null : (practitionerNames.get(theirs.probationPractitionerId) ?? null),
    siteName: siteNames.get(theirs.siteCode) ?? theirs.siteCode,
  }
  return changedFields(saved, theirs)
    .filter((key) => personDetailKeys.includes(key))
    .map((key) => ({
      label: fieldLabels[key] ?? key,
      yours: displayValue(key, theirsShown) || 'Not recorded',
      saved: displayValue(key, saved) || 'Not recorded',
    }))
}

// ---------------------------------------------------------------------------------------------------------------
// The person page's overview and sub-navigation.

/** A need's kind as the health team's pages name it (the needs feature's labels). */
export const needLabels: Record<NeedCategory, string> = {
  'mental-health': 'Mental health',
  alcohol: 'Alcohol',
  drugs: 'Drugs',
  smoking: 'Smoking',
  neurodivergence: 'Neurodivergence',
  trauma: 'Trauma',
  'physical-health': 'Physical health',
  'gp-registration': 'GP registration',
  screening: 'Screening',
}

/** A confirmed need in the plain words of the health summary probation reads (hazard log H-701). */
export const needProbationText: Record<NeedCategory, string> = {
  'mental-health': 'Mental health support',
  alcohol: 'Alcohol support',
  drugs: 'Drug treatment',
  smoking: 'Stopping smoking',
  neurodivergence: 'Neurodiversity support',
  trauma: 'Support after trauma',
  'physical-health': 'Physical health',
  'gp-registration': 'Registering with a GP',
  screening: 'Health screening',
}

/** The appointment kinds as the appointment pages name them. */
export const appointmentKindText: Record<AppointmentKind, string> = {
  joint: 'Joint appointment (probation practitioner and hub clinician)',
  clinic: 'Health clinic (hub clinician only)',
}

/** The consent topics in the order the consent page lists them, with its titles. */
export const consentTopicTitles: readonly { topic: string; title: string }[] = [
  { topic: PROBATION_SHARING_TOPIC, title: 'Share a health summary with probation' },
  { topic: 'share-with-gp', title: 'Share with their GP' },
  { topic: 'share-with-partner', title: 'Share with a partner organisation' },
  { topic: 'contact-by-sms', title: 'Contact by text message' },
  { topic: 'contact-by-email', title: 'Contact by email' },
  { topic: 'evaluation-use', title: 'Use of information to evaluate the pilot' },
]

const decisionTags: Record<string, { text: string; classes: string }> = {
  given: { text: 'Agreed', classes: 'govuk-tag--green' },
  refused: { text: 'Does not agree', classes: 'govuk-tag--red' },
  withdrawn: { text: 'Agreement withdrawn', classes: 'govuk-tag--orange' },
}
const notAsked = { text: 'Not asked', classes: 'govuk-tag--grey' }

/** The sections of the record the principal may open, the overview first; `current` is marked aria-current. */
export function recordNavigation(personId: string, clinical: boolean, isProbation: boolean) {
  const record = peoplePaths.record
  const items: { text: string; href: string }[] = [
    { text: 'Overview', href: peoplePaths.person(personId) },
    ...(clinical
      ? [
          { text: 'Health checks', href: record.healthChecks(personId) },
          { text: 'Needs', href: record.needs(personId) },
          { text: 'Referrals', href: record.referrals(personId) },
        ]
      : []),
    { text: 'Appointments', href: record.appointments(personId) },
    ...(clinical ? [{ text: 'Screening', href: record.screening(personId) }] : []),
    { text: 'GP registration', href: record.gpRegistration(personId) },
    { text: 'Treatment requirements', href: record.treatmentRequirements(personId) },
    { text: 'Care plan', href: record.carePlan(personId) },
    { text: 'Custody and release', href: record.custody(personId) },
    { text: 'Consent decisions', href: record.consent(personId) },
    ...(clinical ? [{ text: 'Messages', href: record.messages(personId) }] : []),
    { text: 'Timeline', href: record.timeline(personId) },
    { text: isProbation ? 'Health summary' : 'What probation sees', href: record.summary(personId) },
  ]
  return items.map((item) => ({ ...item, active: item.href === peoplePaths.person(personId) }))
}

interface ConsentLine {
  key: string
  tag: { text: string; classes: string }
  since: string | undefined
}

/** The overview as the page shows it: only the parts the read model read for this viewer. */
export function overviewView(personId: string, overview: PersonOverview, now: Date) {
  const probation = overview.viewer === 'probation'
  const flags = overview.flags?.map((f) => {
    const overdue = now >= f.respondBy
    return {
      message: f.message,
      raised: formatDateTime(f.raisedAt),
      respondBy: formatDateTime(f.respondBy),
      tag: overdue
        ? { text: 'Response overdue', classes: 'govuk-tag--red' }
        : { text: 'Needs a response', classes: 'govuk-tag--orange' },
      href: peoplePaths.record.respondToFlag(f.id),
    }
  })
  const needs = overview.needs?.map((n) => ({
    label: probation ? needProbationText[n.category] : needLabels[n.category],
    status:
      n.status === 'proposed'
        ? { text: 'To review', classes: 'govuk-tag--blue' }
        : { text: 'Confirmed', classes: 'govuk-tag--green' },
    identifiedOn: formatDate(n.identifiedOn),
    // Probation reads a need only as the summary shows it; the need's own page is the health team's.
    href: probation ? undefined : peoplePaths.record.need(n.id),
  }))
  const consent = consentTopicTitles.flatMap(({ topic, title }): ConsentLine[] => {
    const decisions = overview.consent.filter((c) => c.topic === topic)
    if (decisions.length === 0) return [{ key: title, tag: notAsked, since: undefined }]
    return decisions.map((c) => ({
      key: c.organisationName === null ? title : `${title}: ${c.organisationName}`,
      tag: decisionTags[c.decision] ?? { text: c.decision, classes: 'govuk-tag--grey' },
      since: formatDate(c.decidedOn),
    }))
  })
  const next = overview.nextAppointment
  return {
    probation,
    shared: overview.sharedWithProbation,
    flags,
    needs,
    needsShown: needs !== undefined,
    consent,
    nextAppointment:
      next === undefined
        ? undefined
        : {
            date: longCalendarDate(ukDateOf(next.startsAt)),
            time: formatTime(next.startsAt),
            kind: appointmentKindText[next.kind],
            place: next.location === null || next.location === '' ? next.siteName : `${next.location}, ${next.siteName}`,
            href: peoplePaths.record.appointment(next.id),
          },
    consentHref: peoplePaths.record.consent(personId),
    appointmentsHref: peoplePaths.record.appointments(personId),
    needsHref: peoplePaths.record.needs(personId),
    summaryHref: peoplePaths.record.summary(personId),
  }
}
