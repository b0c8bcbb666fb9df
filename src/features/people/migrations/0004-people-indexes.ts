export const name = '0004-people-indexes'

/**
 * The release-date sort puts people with no release date last in both directions. Ascending, the (site_id,
 * release_date, id) index already reads that way (btree keeps nulls last); descending needs its own order, or the
 * whole site is sorted for each page. The plain family-name index from 0001 is never used: every name search and
 * sort goes through lower(), served by the indexes of 0002.
 */
export const statements: readonly string[] = [
  `create index person_site_release_desc_idx on person (site_id, release_date desc nulls last, id desc)`,
  `drop index if exists person_site_family_idx`,
]
