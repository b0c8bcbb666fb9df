export const name = '0016-worklist-indexes'

/**
 * The worklist's "GP registrations in progress" starts from the in-progress rows, which are few, instead of looking
 * up the latest row of every person at the site (tens of thousands at national scale).
 */
export const statements: readonly string[] = [
  `create index gp_registration_in_progress_idx on gp_registration (person_id) where status = 'in-progress'`,
]
