/** Shapes the pages hand to their templates: caseload rows, sort headers, pagination, summary lists. */
import { text } from '../../platform/forms/forms.ts'
import { formatDate, formatNhsNumber } from '../../platform/views/format.ts'
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
