export const name = '0021-health-check-clinician-index'

/** The worklist's "needs to confirm" for one clinician starts from their own health checks (hundreds, not a site's). */
export const statements: readonly string[] = [
  `create index health_check_clinician_idx on health_check (clinician_id, started_at desc)`,
]
