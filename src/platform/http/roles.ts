/** The staff roles of the security model (product.md): every route names the ones it allows. */
export const staffRoles = [
  'clinician',
  'probation_practitioner',
  'hub_manager',
  'partner',
  'analyst',
  'admin',
  'auditor',
] as const

export type StaffRole = (typeof staffRoles)[number]
