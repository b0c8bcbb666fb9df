/**
 * A person's URLs: the record at /people/{id}, and the sections each feature hangs under it
 * (/people/{id}/appointments, /people/{id}/needs, ...). Every feature builds them here, so the record's address
 * changes in one place.
 */
const segment = (value: string) => encodeURIComponent(value)

/** `/people/{id}`, or a section under it: personPath(id, 'needs', 'new') is /people/{id}/needs/new. */
export function personPath(personId: string, ...section: string[]): string {
  return ['/people', segment(personId), ...section.map(segment)].join('/')
}

/** The same under the JSON API: `/api/v1/people/{id}/...`. */
export function personApiPath(personId: string, ...section: string[]): string {
  return `/api/v1${personPath(personId, ...section)}`
}
