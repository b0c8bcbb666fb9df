/**
 * The person header every person page shows above its heading: "Given Family (CRN)", rendered by the
 * `personCaption` macro in partials/person-header.njk; `fullName` is the same name for titles and messages.
 */

export interface NamedPerson {
  givenName: string
  familyName: string
}

/** The name as staff read it: given name, then family name. */
export function fullName(person: NamedPerson): string {
  return `${person.givenName} ${person.familyName}`
}
