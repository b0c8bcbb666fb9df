export const name = '0010-appointment-absence-reason'

/**
 * 0006's check `(outcome = 'AA') = (absence_reason is not null)` is null, so passes, when there is no outcome yet:
 * a booked or cancelled appointment could carry an absence reason. `is not distinct from` treats null as a value.
 */
export const statements: readonly string[] = [
  `
  alter table appointment add constraint appointment_absence_reason_only_with_aa
    check ((outcome is not distinct from 'AA') = (absence_reason is not null))
  `,
]
