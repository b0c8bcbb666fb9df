/** What the custody pages show: summary rows, the window in words, the history table, the form's choices. */
import { isoToDateParts } from '../../platform/forms/forms.ts'
import { formatDate, formatDateTime } from '../../platform/views/format.ts'
import { phaseText, releaseTypeText, windowSentence } from './custody.messages.ts'
import { custodyPaths } from './custody.paths.ts'
import type { EpisodeView, HistoryEntry } from './custody.service.ts'
import { releaseTypes, type ReleaseType } from './custody.tables.ts'

const row = (key: string, value: string, id?: string) => ({
  key: { text: key },
  value: { text: value },
  ...(id === undefined ? {} : { attributes: { id } }),
})

const orNot = (value: string | null, otherwise = 'Not recorded') => (value === null ? otherwise : value)

export function releaseTypeLabel(type: string | null | undefined): string {
  if (type === null || type === undefined) return 'Not known yet'
  return (releaseTypes as readonly string[]).includes(type) ? releaseTypeText[type as ReleaseType] : type
}

export function windowView(episode: EpisodeView) {
  const w = episode.window
  return {
    tag: phaseText[w.phase],
    sentence: windowSentence(w),
    rows: [
      row(w.expected ? 'Expected release' : 'Released', formatDate(w.releaseDate)),
      row('Support can start from', formatDate(w.supportFrom)),
      row('Referral open until', formatDate(w.referralUntil)),
      row('Support until', formatDate(w.supportUntil)),
    ],
  }
}

export function detailRows(episode: EpisodeView) {
  const address = episode.noFixedAbode ? 'No fixed abode' : orNot(episode.releaseAddress)
  return [
    row('Prison', `${episode.prisonName} (${episode.prisonCode})`),
    row('Prison number', episode.prisonNumber),
    row(
      'Expected release date',
      episode.expectedReleaseDate === null ? 'Not recorded' : formatDate(episode.expectedReleaseDate),
    ),
    row('Released on', episode.actualReleaseDate === null ? 'Not released yet' : formatDate(episode.actualReleaseDate)),
    row('Release type', releaseTypeLabel(episode.releaseType)),
    row('Address on release', address),
    ...(episode.recalledOn === null ? [] : [row('Recalled to custody on', formatDate(episode.recalledOn))]),
  ]
}

export function episodeCards(episodes: readonly EpisodeView[], canRecord: boolean) {
  return episodes.map((episode) => ({
    id: episode.id,
    title: `${episode.prisonName}, ${episode.actualReleaseDate === null ? 'release expected' : 'released'} ${formatDate(episode.window.releaseDate)}`,
    rows: detailRows(episode),
    window: windowView(episode),
    href: custodyPaths.episode(episode.id),
    planHref: custodyPaths.releasePlan(episode.id),
    editHref: canRecord ? custodyPaths.editEpisode(episode.id) : undefined,
  }))
}

const snapshotText = (snapshot: Record<string, unknown>) => {
  const s = (key: string): string | null => {
    const value = snapshot[key]
    return typeof value === 'string' ? value : null
  }
  const parts = [
    `${s('prisonName') ?? ''} (${s('prisonCode') ?? ''}), ${s('prisonNumber') ?? ''}`,
    s('expectedReleaseDate') === null ? undefined : `expected release ${formatDate(s('expectedReleaseDate'))}`,
    s('actualReleaseDate') === null ? undefined : `released ${formatDate(s('actualReleaseDate'))}`,
    s('releaseType') === null ? undefined : releaseTypeLabel(s('releaseType')).toLowerCase(),
    snapshot['noFixedAbode'] === true
      ? 'no fixed abode'
      : s('releaseAddress') === null
        ? undefined
        : `address ${s('releaseAddress') ?? ''}`,
    s('recalledOn') === null ? undefined : `recalled ${formatDate(s('recalledOn'))}`,
  ]
  return parts.filter((p) => p !== undefined).join('; ')
}

export function historyTable(history: readonly HistoryEntry[]) {
  return {
    head: [{ text: 'Version' }, { text: 'Recorded' }, { text: 'By' }, { text: 'The episode as it then stood' }],
    rows: history.map((h) => [
      { text: String(h.version) },
      { text: formatDateTime(h.recordedAt) },
      { text: h.actorName ?? 'Unknown' },
      { text: snapshotText(h.snapshot) },
    ]),
  }
}

export function releaseTypeItems(selected: unknown) {
  return [
    ...releaseTypes.map((type) => ({ value: type, text: releaseTypeText[type], checked: selected === type })),
    { divider: 'or' },
    { value: '', text: 'Not known yet', checked: selected === '' || selected === null || selected === undefined },
  ]
}

/** The form's values from a saved episode, or blank for a new one. */
export function formValues(episode: EpisodeView | undefined) {
  return {
    prisonName: episode?.prisonName ?? '',
    prisonCode: episode?.prisonCode ?? '',
    prisonNumber: episode?.prisonNumber ?? '',
    releaseType: episode?.releaseType ?? '',
    releaseAddress: episode?.releaseAddress ?? '',
    noFixedAbode: episode?.noFixedAbode ?? false,
    expectedReleaseDate: isoToDateParts(episode?.expectedReleaseDate),
    actualReleaseDate: isoToDateParts(episode?.actualReleaseDate),
    recalledOn: isoToDateParts(episode?.recalledOn),
  }
}
