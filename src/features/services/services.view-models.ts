/** Turns directory entries into what the templates show. */
import { formatDateTime } from '../../platform/views/format.ts'
import { kindText, serviceKinds, type ServiceKind } from './services.messages.ts'
import { servicePaths } from './services.paths.ts'
import type { DirectoryService } from './services.service.ts'

export interface DirectoryParams {
  site: string
  kind: ServiceKind | undefined
  inactive: boolean
}

export function parseDirectoryQuery(query: Record<string, unknown>, defaultSite: string): DirectoryParams {
  const site = typeof query['site'] === 'string' && query['site'] !== '' ? query['site'] : defaultSite
  const kind = typeof query['kind'] === 'string' ? query['kind'] : ''
  return {
    site,
    kind: (serviceKinds as readonly string[]).includes(kind) ? (kind as ServiceKind) : undefined,
    inactive: query['inactive'] === 'yes',
  }
}

/** One line of contact details for the list: phone, then email. */
function contactLine(service: DirectoryService): string {
  return [service.phone, service.email].filter((v): v is string => v !== null).join(' · ')
}

/** The list, one group per kind with entries, in the order kinds are listed. */
export function directoryGroups(services: readonly DirectoryService[]) {
  return serviceKinds
    .map((kind) => ({
      kind,
      heading: kindText[kind].group,
      services: services
        .filter((s) => s.kind === kind)
        .map((s) => ({
          name: s.name,
          href: servicePaths.service(s.id),
          odsCode: s.odsCode,
          contact: contactLine(s),
          referralMethod: s.referralMethod,
          active: s.active,
        })),
    }))
    .filter((group) => group.services.length > 0)
}

/** Summary-list rows for one entry; blanks read "Not recorded". */
export function serviceRows(service: DirectoryService) {
  const row = (key: string, value: string | null, options: { lines?: boolean } = {}) => ({
    key: { text: key },
    value:
      value === null || value === ''
        ? { html: '<span class="govuk-hint govuk-!-margin-bottom-0">Not recorded</span>' }
        : options.lines === true
          ? { lines: value.split(/\r?\n/) }
          : { text: value },
  })
  return [
    row('Kind of service', kindText[service.kind].label),
    row('ODS code', service.odsCode),
    row('Partner organisation', service.organisationName),
    row('Address', service.address, { lines: true }),
    row('Phone', service.phone),
    row('Email', service.email),
    row('Website', service.website),
    row('How to refer', service.referralMethod, { lines: true }),
    row('Notes', service.notes, { lines: true }),
    row('Available', service.active ? 'Yes' : 'No, no longer available'),
    row('Last changed', formatDateTime(service.updatedAt)),
  ]
}

export function kindFilterItems(selected: ServiceKind | undefined) {
  return [
    { value: '', text: 'All kinds', selected: selected === undefined },
    ...serviceKinds.map((k) => ({ value: k, text: kindText[k].group, selected: k === selected })),
  ]
}

export function kindRadioItems() {
  return serviceKinds.map((k) => ({ value: k, text: kindText[k].label }))
}
