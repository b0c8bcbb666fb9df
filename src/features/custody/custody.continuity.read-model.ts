/**
 * The continuity of care measure's cohort (OHID and HMPPS): people released from prison in a period, whether they
 * left with a drug or alcohol treatment need, and whether they engaged with community treatment within 21 days.
 * Reads people, needs, referrals and services; writes nothing. Each release is one row (someone released twice in
 * the period counts twice, as each release is a handover).
 *
 * - Released: the episode's actual release date is in the period (both days included); a release not yet recorded
 *   is not counted.
 * - With a treatment need: a confirmed drug or alcohol need identified on or before the day of release.
 * - Engaged within 21 days: a referral to a drug and alcohol service reached "first appointment attended" (or later)
 *   with the first appointment attended from the day of release to 21 days after it.
 */
import { sql } from 'kysely'
import type { Executor } from '../../platform/db/executor.ts'
import { TREATMENT_WITHIN_DAYS } from './release-plan.rules.ts'

export interface ContinuityRow {
  episodeId: string
  personId: string
  releaseDate: string
  withTreatmentNeed: boolean
  engagedWithin21Days: boolean
}

export async function continuityCohort(
  executor: Executor,
  query: { siteId: string | undefined; from: string; to: string },
): Promise<ContinuityRow[]> {
  let select = executor
    .selectFrom('custody_episode')
    .innerJoin('person', 'person.id', 'custody_episode.person_id')
    .select((eb) => [
      'custody_episode.id as episodeId',
      'custody_episode.person_id as personId',
      'custody_episode.actual_release_date as releaseDate',
      eb
        .exists(
          eb
            .selectFrom('need')
            .select('need.id')
            .whereRef('need.person_id', '=', 'custody_episode.person_id')
            .where('need.status', '=', 'confirmed')
            .where('need.category', 'in', ['drugs', 'alcohol'])
            .whereRef('need.identified_on', '<=', 'custody_episode.actual_release_date'),
        )
        .as('withTreatmentNeed'),
      eb
        .exists(
          eb
            .selectFrom('referral')
            .innerJoin('service', 'service.id', 'referral.service_id')
            .select('referral.id')
            .whereRef('referral.person_id', '=', 'custody_episode.person_id')
            .where('service.kind', '=', 'drug-alcohol')
            .where('referral.first_attended_on', 'is not', null)
            .whereRef('referral.first_attended_on', '>=', 'custody_episode.actual_release_date')
            .where(
              sql<boolean>`referral.first_attended_on <= custody_episode.actual_release_date + ${sql.lit(TREATMENT_WITHIN_DAYS)}`,
            ),
        )
        .as('engaged'),
    ])
    .where('custody_episode.actual_release_date', '>=', query.from)
    .where('custody_episode.actual_release_date', '<=', query.to)
  if (query.siteId !== undefined) select = select.where('person.site_id', '=', query.siteId)
  const rows = await select.execute()
  return rows.map((row) => {
    const withTreatmentNeed = row.withTreatmentNeed === true
    return {
      episodeId: row.episodeId,
      personId: row.personId,
      releaseDate: row.releaseDate ?? '',
      withTreatmentNeed,
      // Engagement counts only for those in the measure's denominator.
      engagedWithin21Days: withTreatmentNeed && row.engaged === true,
    }
  })
}
