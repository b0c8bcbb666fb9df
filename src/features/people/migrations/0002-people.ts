export const name = '0002-people'

/**
 * Indexes for the caseload at national scale (about 250,000 people): name search is by prefix on lower-cased
 * family or given name within a site (text_pattern_ops serves LIKE 'x%' whatever the collation), and each caseload
 * sort has an index that starts with the site so a page of 25 is read in order without sorting the site. A user
 * with several sites lists them together (API default), so names also have an index without the site in front.
 */
export const statements: readonly string[] = [
  `
  create index person_site_family_prefix_idx on person (site_id, lower(family_name) text_pattern_ops)
  `,
  `
  create index person_site_given_prefix_idx on person (site_id, lower(given_name) text_pattern_ops)
  `,
  `
  create index person_site_name_sort_idx on person (site_id, lower(family_name), lower(given_name), id)
  `,
  `
  create index person_name_sort_idx on person (lower(family_name), lower(given_name), id)
  `,
  `
  create index person_site_crn_idx on person (site_id, crn)
  `,
  `
  create index person_site_dob_idx on person (site_id, date_of_birth, id)
  `,
  `
  create index person_site_release_idx on person (site_id, release_date, id)
  `,
  `
  create index person_site_created_idx on person (site_id, created_at, id)
  `,
]
