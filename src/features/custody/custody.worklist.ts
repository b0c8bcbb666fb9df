/**
 * The custody feature's worklist sections, for the worklist feature to show (passed to it in services.ts):
 * releases in the next 14 days with items still to do; people released and not yet seen by the hub; gaps in
 * opioid substitution treatment; people released with a drug or alcohol treatment need and not engaged 21 days
 * after release. Each reads a site's episodes in SQL and works the rules out here, on a bounded set (a site's
 * releases in a window of days or months).
 */
import type { Executor } from '../../platform/db/executor.ts'
import { addDays } from '../../platform/time/uk-time.ts'
import { formatDate } from '../../platform/views/format.ts'
import { custodyPaths } from './custody.paths.ts'
import { releaseWindow, SUPPORT_AFTER_RELEASE_MONTHS, addMonths } from './custody.window.ts'
import * as plans from './release-plan.repository.ts'
import type { PlanItem } from './release-plan.repository.ts'
import * as planRead from './release-plan.read-model.ts'
import { itemDefinitions, itemState, ostGap, TREATMENT_WITHIN_DAYS, type OstGap } from './release-plan.rules.ts'
import { ostGapText } from './release-plan.view-models.ts'
import * as read from './custody.worklist.read-model.ts'

export const custodyWorkKinds = ['releases-due', 'released-not-seen', 'ost-gaps', 'not-engaged'] as const
export type CustodyWorkKind = (typeof custodyWorkKinds)[number]

/** How far ahead releases with items still to do are shown. */
export const RELEASES_AHEAD_DAYS = 14

export interface CustodyWorkItem {
  person: { id: string; givenName: string; familyName: string; crn: string }
  episodeId: string
  releaseDate: string
  /** The date the row is sorted and shown by. */
  due: string
  overdue: boolean
  details: string[]
  href: string
}

export interface CustodyWorkQuery {
  siteId: string
  today: string
  limit: number
  offset: number
}

export type CustodyWorkSource = (
  executor: Executor,
  kind: CustodyWorkKind,
  query: CustodyWorkQuery,
) => Promise<{ total: number; items: CustodyWorkItem[] }>

/**
 * The page asked for of a section's rows, each written out (dates in words, links) only if it is on the page: at
 * national scale a section holds a thousand rows, of which a page shows a few.
 */
const page = <T>(rows: readonly T[], query: CustodyWorkQuery, present: (row: T) => CustodyWorkItem) => ({
  total: rows.length,
  items: rows.slice(query.offset, query.offset + query.limit).map(present),
})

export const custodyWork: CustodyWorkSource = async (executor, kind, query) => {
  const { today, siteId } = query
  // People are followed for the 6 months of support after release: read from a few days earlier than 6 months back
  // (a month-end release's support ends on the last day of a shorter month), then kept by the window itself (in SQL
  // for the sections read a page at a time).
  const supportStart = addDays(addMonths(today, -SUPPORT_AFTER_RELEASE_MONTHS), -3)
  switch (kind) {
    case 'releases-due': {
      // From 28 days back: an expected release that has passed with no release recorded stays here, overdue.
      const episodes = (
        await read.episodesReleasing(executor, siteId, addDays(today, -28), addDays(today, RELEASES_AHEAD_DAYS))
      ).filter((e) => e.actualReleaseDate === null || e.actualReleaseDate >= today)
      const items = await plans.itemsOfEpisodes(
        executor,
        episodes.map((e) => e.id),
      )
      const evidenceOf = await planRead.evidenceForPeople(
        executor,
        episodes.map((e) => e.personId),
      )
      const rows: {
        episode: (typeof episodes)[number]
        release: string
        outstanding: PlanItem[]
        notRecorded: boolean
        overdue: boolean
      }[] = []
      for (const episode of episodes) {
        const evidence = evidenceOf.get(episode.personId)?.evidence
        if (evidence === undefined) continue
        const release = releaseWindow(episode, today).releaseDate
        const states = (items.get(episode.id) ?? []).map((item) => ({
          item,
          state: itemState(item, release, today, evidence),
        }))
        const outstanding = states.filter((s) => s.state.outstanding).map((s) => s.item)
        const notRecorded = episode.actualReleaseDate === null && release < today
        if (outstanding.length === 0 && !notRecorded) continue
        rows.push({
          episode,
          release,
          outstanding,
          notRecorded,
          overdue: notRecorded || states.some((s) => s.state.overdue),
        })
      }
      return page(rows, query, ({ episode, release, outstanding, notRecorded, overdue }) => ({
        person: episode.person,
        episodeId: episode.id,
        releaseDate: release,
        due: release,
        overdue,
        details: [
          notRecorded
            ? `Expected release from ${episode.prisonName} has passed: record the release, or a new expected date`
            : `${episode.actualReleaseDate === null ? 'Expected release' : 'Released'} from ${episode.prisonName}`,
          `${String(outstanding.length)} to do: ${outstanding.map((i) => itemDefinitions[i.kind].title).join('; ')}`,
        ],
        href: custodyPaths.releasePlan(episode.id),
      }))
    }
    case 'released-not-seen': {
      const { total, rows } = await read.releasedNotSeen(
        executor,
        siteId,
        { from: supportStart, to: today, today },
        query,
      )
      return {
        total,
        items: rows.map((episode) => ({
          person: episode.person,
          episodeId: episode.id,
          releaseDate: episode.releaseDate,
          due: episode.releaseDate,
          overdue: false,
          details: [
            `Released from ${episode.prisonName} on ${formatDate(episode.releaseDate)}`,
            'Not seen by the hub since',
          ],
          href: custodyPaths.releasePlan(episode.id),
        })),
      }
    }
    case 'ost-gaps': {
      const medicines = await read.opioidSubstitutionItems(executor, siteId, supportStart)
      const rows: { row: (typeof medicines)[number]; releaseDate: string; gap: OstGap; runsOut: string }[] = []
      for (const row of medicines) {
        const release = releaseWindow(row.episode, today)
        if (release.phase === 'recalled' || release.phase === 'closed') continue
        const gap = ostGap(row.item, release.releaseDate)
        if (gap === undefined) continue
        const runsOut = 'supplyEndsAfter' in gap ? gap.supplyEndsAfter : release.releaseDate
        rows.push({ row, releaseDate: release.releaseDate, gap, runsOut })
      }
      rows.sort((a, b) => a.runsOut.localeCompare(b.runsOut))
      return page(rows, query, ({ row, releaseDate, gap, runsOut }) => ({
        person: row.episode.person,
        episodeId: row.episode.id,
        releaseDate,
        due: runsOut,
        overdue: runsOut < today,
        details: [ostGapText(gap)],
        href: custodyPaths.planItem(row.item.id),
      }))
    }
    case 'not-engaged': {
      const { total, rows } = await read.releasedWithTreatmentNeedNotEngaged(
        executor,
        siteId,
        { from: supportStart, to: addDays(today, -TREATMENT_WITHIN_DAYS), today },
        query,
      )
      return {
        total,
        items: rows.map((episode) => {
          const due = addDays(episode.releaseDate, TREATMENT_WITHIN_DAYS)
          return {
            person: episode.person,
            episodeId: episode.id,
            releaseDate: episode.releaseDate,
            due,
            overdue: due < today,
            details: [
              `Released from ${episode.prisonName} on ${formatDate(episode.releaseDate)}`,
              'Drug or alcohol treatment need; not yet at a first appointment with a treatment service',
            ],
            href: custodyPaths.releasePlan(episode.id),
          }
        }),
      }
    }
  }
}
