/**
 * Reports: the pilot's measures per site and period, every figure through the disclosure control module
 * (src/platform/statistics/disclosure.ts), all sites together included. Only aggregates leave this service; no route returns a person-level
 * row. Who may read: analysts (any site, or all sites) and hub managers (their own sites, or all sites). Every
 * report run is audited with its filters.
 */
import type { Kysely } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import type { DB } from '../../platform/db/schema.ts'
import type { Executor } from '../../platform/db/executor.ts'
import type { ActorContext, AuditService } from '../../platform/audit/audit.service.ts'
import { isRealDate, LATEST_DATE } from '../../platform/forms/forms.ts'
import { assertSiteAccess, hasRole, principalOf, type Channel } from '../../platform/http/auth.ts'
import { ForbiddenError, ValidationError, type FieldError } from '../../platform/http/errors.ts'
import type { StaffRole } from '../../platform/http/roles.ts'
import { controlCount, controlRate, type Level } from '../../platform/statistics/disclosure.ts'
import { addDays, ukToday } from '../../platform/time/uk-time.ts'
import type { ContinuityRow } from '../custody/index.ts'
import type { Site, SitesService } from '../sites/index.ts'

export const reportReaderRoles = ['analyst', 'hub_manager'] as const satisfies readonly StaffRole[]

/** The longest period one report covers. */
export const MAX_PERIOD_DAYS = 3 * 366

export interface ContinuityReport {
  site: Site | null
  from: string
  to: string
  level: Level
  released: number | null
  withTreatmentNeed: number | null
  engagedWithin21Days: number | null
  rate: number | null
  /** A figure was hidden (1 to 7 people). */
  suppressed: boolean
}

export interface ReportQuery {
  site?: string | undefined
  from: string
  to: string
}

export type ContinuitySource = (
  executor: Executor,
  query: { siteId: string | undefined; from: string; to: string },
) => Promise<ContinuityRow[]>

export const reportMessages = {
  notReader: 'Only analysts and hub managers can see reports.',
  siteUnknown: (code: string) => `No site has the code ${code}`,
  fromFormat: 'Enter the start of the period as a real date, like 2026-10-01',
  toFormat: 'Enter the end of the period as a real date, like 2026-12-31',
  toBeforeFrom: 'The end of the period must be the same as or after its start',
  tooLong: 'The period must be 3 years or shorter',
} as const

export type ReportsService = ReturnType<typeof createReportsService>

export function createReportsService(deps: {
  db: Kysely<DB>
  clock: Clock
  audit: AuditService
  sites: Pick<SitesService, 'findByCode' | 'listAll' | 'listByIds'>
  continuity: ContinuitySource
}) {
  const { db, clock, audit, sites } = deps

  function checkPeriod(query: ReportQuery): void {
    const errors: FieldError[] = []
    const fromOk = isRealDate(query.from) && query.from <= LATEST_DATE
    const toOk = isRealDate(query.to) && query.to <= LATEST_DATE
    if (!fromOk) errors.push({ field: 'from', message: reportMessages.fromFormat })
    if (!toOk) errors.push({ field: 'to', message: reportMessages.toFormat })
    if (fromOk && toOk && query.to < query.from) errors.push({ field: 'to', message: reportMessages.toBeforeFrom })
    else if (fromOk && toOk && addDays(query.from, MAX_PERIOD_DAYS) < query.to) {
      errors.push({ field: 'to', message: reportMessages.tooLong })
    }
    if (errors.length > 0) throw new ValidationError(errors)
  }

  /** The sites this reader may choose: every site for an analyst, their own for a hub manager. */
  async function siteChoices(actor: ActorContext): Promise<Site[]> {
    const principal = principalOf(actor)
    if (!hasRole(principal, reportReaderRoles)) throw new ForbiddenError(reportMessages.notReader)
    return principal.role === 'analyst' ? sites.listAll() : sites.listByIds(principal.siteIds)
  }

  /**
   * Continuity of care for a site (or all sites when none is given) and period: of the people released from prison
   * with a drug or alcohol treatment need, how many engaged with community treatment within 21 days.
   */
  async function continuityOfCare(
    actor: ActorContext,
    query: ReportQuery,
    channel: Channel,
  ): Promise<ContinuityReport> {
    const principal = principalOf(actor)
    if (!hasRole(principal, reportReaderRoles)) throw new ForbiddenError(reportMessages.notReader)
    checkPeriod(query)
    let site: Site | undefined
    if (query.site !== undefined && query.site !== '') {
      site = await sites.findByCode(query.site)
      if (site === undefined)
        throw new ValidationError([{ field: 'site', message: reportMessages.siteUnknown(query.site) }])
      if (principal.role === 'hub_manager') assertSiteAccess(principal, site.id)
    }
    // The pilot's sites together are not a national statistic, and an exact total beside controlled site figures
    // would give a suppressed site away by subtraction: every figure here is controlled.
    const level: Level = 'sub-national'
    return db.transaction().execute(async (tx) => {
      const rows = await deps.continuity(tx, { siteId: site?.id, from: query.from, to: query.to })
      const released = controlCount(rows.length, level)
      const needRows = rows.filter((r) => r.withTreatmentNeed)
      const withNeed = controlCount(needRows.length, level)
      const engagedCount = needRows.filter((r) => r.engagedWithin21Days).length
      const engaged = controlCount(engagedCount, level)
      const rate = controlRate(engagedCount, needRows.length, level)
      const report: ContinuityReport = {
        site: site ?? null,
        from: query.from,
        to: query.to,
        level,
        released: released.value,
        withTreatmentNeed: withNeed.value,
        engagedWithin21Days: engaged.value,
        rate: rate.value,
        suppressed: released.suppressed || withNeed.suppressed || engaged.suppressed || rate.suppressed,
      }
      await audit.record(tx, actor, {
        action: 'view',
        entityType: 'report',
        entityId: 'continuity-of-care',
        siteId: site?.id ?? null,
        details: { channel, report: 'continuity-of-care', site: site?.code ?? null, from: query.from, to: query.to },
      })
      return report
    })
  }

  /** The default period: the 3 calendar months before this one. */
  function defaultPeriod(): { from: string; to: string } {
    const today = ukToday(clock)
    const [year = 0, month = 1] = today.split('-').map(Number)
    const start = new Date(Date.UTC(year, month - 4, 1)).toISOString().slice(0, 10)
    const end = new Date(Date.UTC(year, month - 1, 0)).toISOString().slice(0, 10)
    return { from: start, to: end }
  }

  return { siteChoices, continuityOfCare, defaultPeriod }
}
