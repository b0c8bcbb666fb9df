/**
 * What the custody worklist sections read beyond the feature's own tables, never writing them: people (name, CRN,
 * site), hub appointments attended since release (appointments), confirmed drug and alcohol needs (needs) and
 * treatment referrals (referrals, services).
 */
import { sql } from 'kysely'
import type { Executor } from '../../platform/db/executor.ts'
import { SUPPORT_AFTER_RELEASE_MONTHS } from './custody.window.ts'

/** Outcomes at which the person came to the appointment (attended, whether or not they complied or were sent home). */
const ATTENDED = ['ATTC', 'AFTC', 'ATSH', 'ATSS'] as const
/** Referral statuses at or after the first appointment attended: "engaged" for the continuity of care measure. */
export const ENGAGED = ['first-appointment-attended', 'engaged', 'completed'] as const

function episodesAtSite(executor: Executor, siteId: string) {
  return (
    executor
      .selectFrom('custody_episode')
      .innerJoin('person', 'person.id', 'custody_episode.person_id')
      .select([
        'custody_episode.id',
        'custody_episode.person_id as personId',
        'custody_episode.prison_name as prisonName',
        'custody_episode.expected_release_date as expectedReleaseDate',
        'custody_episode.actual_release_date as actualReleaseDate',
        'custody_episode.recalled_on as recalledOn',
        'person.given_name as givenName',
        'person.family_name as familyName',
        'person.crn',
      ])
      // The episode's own copy of the person's site (migration 0030), so one site's releases come from an index.
      .where('custody_episode.site_id', '=', siteId)
      .where('custody_episode.recalled_on', 'is', null)
  )
}

type EpisodeRow = Awaited<ReturnType<ReturnType<typeof episodesAtSite>['execute']>>[number]

const withPerson = (row: EpisodeRow) => ({
  ...row,
  person: { id: row.personId, givenName: row.givenName, familyName: row.familyName, crn: row.crn },
})

/** Episodes at the site whose release (actual, else expected) falls from `from` to `to`, soonest first. */
export async function episodesReleasing(executor: Executor, siteId: string, from: string, to: string) {
  const release = sql<string>`coalesce(custody_episode.actual_release_date, custody_episode.expected_release_date)`
  const rows = await episodesAtSite(executor, siteId)
    .where(release, '>=', from)
    .where(release, '<=', to)
    .orderBy(release)
    .orderBy('person.family_name')
    .limit(1000)
    .execute()
  return rows.map(withPerson)
}

/** A page of a section read in SQL, and how many rows the whole section has. */
export interface SectionPage<T> {
  total: number
  rows: T[]
}

/**
 * Whether the release's 6 months of support after it still run on `today` (custody.window.ts: 31 August's end on
 * 28 February; PostgreSQL adds months the same way, to the month's last day when the day is missing).
 */
function stillSupported(today: string) {
  return sql<boolean>`(custody_episode.actual_release_date + ${sql.lit(`${String(SUPPORT_AFTER_RELEASE_MONTHS)} months`)}::interval)::date >= ${today}::date`
}

/** Counts the section and reads its page, both in SQL: at national scale a section may hold thousands of people. */
async function sectionPage(
  query: ReturnType<typeof episodesAtSite>,
  page: { limit: number; offset: number },
): Promise<SectionPage<EpisodeRow>> {
  const counted = await query
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  const rows = await query
    .orderBy('custody_episode.actual_release_date')
    .orderBy('custody_episode.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
  return { total: counted.n, rows }
}

/**
 * People released from `from` to `to` and still within the 6 months of support on `today`, with no hub appointment
 * attended on or after the release day: a page of them, soonest released first, and how many there are.
 */
export async function releasedNotSeen(
  executor: Executor,
  siteId: string,
  range: { from: string; to: string; today: string },
  page: { limit: number; offset: number },
) {
  const query = episodesAtSite(executor, siteId)
    .where('custody_episode.actual_release_date', 'is not', null)
    .where('custody_episode.actual_release_date', '>=', range.from)
    .where('custody_episode.actual_release_date', '<=', range.to)
    .where(stillSupported(range.today))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('appointment')
            .select('appointment.id')
            .whereRef('appointment.person_id', '=', 'custody_episode.person_id')
            .where('appointment.outcome', 'in', ATTENDED)
            .where(
              sql<boolean>`appointment.starts_at >= custody_episode.actual_release_date::timestamp at time zone 'Europe/London'`,
            ),
        ),
      ),
    )
  const { total, rows } = await sectionPage(query, page)
  return { total, rows: rows.map((row) => ({ ...withPerson(row), releaseDate: row.actualReleaseDate ?? '' })) }
}

/**
 * Medicines items marked as opioid substitution treatment that may have a gap, on episodes at the site released since
 * `from` or to come.
 */
export async function opioidSubstitutionItems(executor: Executor, siteId: string, from: string) {
  const release = sql<string>`coalesce(custody_episode.actual_release_date, custody_episode.expected_release_date)`
  const rows = await episodesAtSite(executor, siteId)
    .innerJoin('release_plan_item as item', 'item.episode_id', 'custody_episode.id')
    .select([
      'item.id as itemId',
      'item.status as itemStatus',
      'item.days_supplied as daysSupplied',
      'item.prescriber_appointment_on as prescriberAppointmentOn',
    ])
    .where('item.kind', '=', 'medicines')
    .where('item.opioid_substitution', '=', true)
    .where('item.status', '!=', 'not-applicable')
    .where(release, '>=', from)
    // Only items that can have a gap (no supply recorded, no prescriber appointment, or one after the supply runs
    // out: release-plan.rules.ts ostGap, which still decides), soonest to run out first, so the bound below never
    // hides a gap behind items with none (at national scale a site has thousands of opioid substitution items).
    .where(
      sql<boolean>`(item.days_supplied is null or item.prescriber_appointment_on is null
        or item.prescriber_appointment_on > ${release} + item.days_supplied)`,
    )
    .orderBy(sql`${release} + coalesce(item.days_supplied, 0)`)
    .orderBy('item.id')
    .limit(1000)
    .execute()
  return rows.map((row) => ({
    episode: withPerson(row),
    item: {
      id: row.itemId,
      kind: 'medicines' as const,
      status: row.itemStatus,
      daysSupplied: row.daysSupplied,
      opioidSubstitution: true,
      prescriberAppointmentOn: row.prescriberAppointmentOn,
      naloxone: null,
      referralId: null,
    },
  }))
}

/**
 * People released from `from` to `to` (so at least 21 days ago) and still within the 6 months of support on `today`,
 * who have a confirmed drug or alcohol need and no referral to a drug and alcohol service that has reached its first
 * appointment attended or later: a page of them, soonest released first, and how many there are.
 */
export async function releasedWithTreatmentNeedNotEngaged(
  executor: Executor,
  siteId: string,
  range: { from: string; to: string; today: string },
  page: { limit: number; offset: number },
) {
  const query = episodesAtSite(executor, siteId)
    .where('custody_episode.actual_release_date', 'is not', null)
    .where('custody_episode.actual_release_date', '>=', range.from)
    .where('custody_episode.actual_release_date', '<=', range.to)
    .where(stillSupported(range.today))
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('need')
          .select('need.id')
          .whereRef('need.person_id', '=', 'custody_episode.person_id')
          .where('need.status', '=', 'confirmed')
          .where('need.category', 'in', ['drugs', 'alcohol']),
      ),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('referral')
            .innerJoin('service', 'service.id', 'referral.service_id')
            .select('referral.id')
            .whereRef('referral.person_id', '=', 'custody_episode.person_id')
            .where('service.kind', '=', 'drug-alcohol')
            .where('referral.status', 'in', ENGAGED)
            // Treatment before this release (before prison, or inside) is not engagement after it.
            .whereRef('referral.first_attended_on', '>=', 'custody_episode.actual_release_date'),
        ),
      ),
    )
  const { total, rows } = await sectionPage(query, page)
  return { total, rows: rows.map((row) => ({ ...withPerson(row), releaseDate: row.actualReleaseDate ?? '' })) }
}
