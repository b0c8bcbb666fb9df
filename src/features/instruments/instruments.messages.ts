import { PERMISSION_REFERENCE_MAX_LENGTH, type Licence } from './instruments.schemas.ts'

/** The words administrators read for each licence category (the definitions hold the codes). */
const licenceLabels: Record<Licence['category'], string> = {
  free: 'Free to use',
  'non-commercial': 'Free for non-commercial use',
  'permission-required': 'Needs the licence holder’s permission',
  unverified: 'Terms not confirmed, so treated as needing the licence holder’s permission',
}

export function licenceLabel(category: Licence['category']): string {
  return licenceLabels[category]
}

export const referenceMessages = {
  blank: 'Enter the permission reference',
  tooLong: `Permission reference must be ${String(PERMISSION_REFERENCE_MAX_LENGTH)} characters or fewer`,
} as const

/**
 * What is wrong with a permission reference as typed, or undefined: the one rule the page, the command line and
 * the service share. Length counts characters as PostgreSQL does (code points), so the table's check never fails.
 */
export function permissionReferenceProblem(reference: string): string | undefined {
  const trimmed = reference.trim()
  if (trimmed === '') return referenceMessages.blank
  if (Array.from(trimmed).length > PERMISSION_REFERENCE_MAX_LENGTH) return referenceMessages.tooLong
  return undefined
}
