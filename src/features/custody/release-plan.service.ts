/**
 * Release plans: the checklist per custody episode of what must be in place around release, each item with an
 * owner, a due date counted from the release date, a status and notes.
 *
 * Who sees what: the health team (clinicians, hub managers) at the person's site sees and changes everything.
 * Probation practitioners at the site see the items that are not health care (housing, identity documents, meeting
 * at the gate) and change those they own; the health items (GP, drug and alcohol, mental health) only as a status in
 * plain words and only while the person agrees to share a health summary with probation; never medicines or
 * naloxone, never the health items' notes. A partner organisation's caseworkers see and change only the items
 * given to their organisation, while the person agrees to share with it. Every read and write is audited.
 */
import type { Kysely, Transaction } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import type { DB } from '../../platform/db/schema.ts'
import type { ActorContext, AuditService } from '../../platform/audit/audit.service.ts'
import { isRealDate, isUuid } from '../../platform/forms/forms.ts'
import { hasRole, principalOf, type Channel, type Principal } from '../../platform/http/auth.ts'
import { ForbiddenError, NotFoundError, ValidationError, type FieldError } from '../../platform/http/errors.ts'
import type { StaffRole } from '../../platform/http/roles.ts'
import { ukToday } from '../../platform/time/uk-time.ts'
import type { ConsentService } from '../consent/index.ts'
import type { PersonRecord, PersonRecords } from '../people/index.ts'
import * as episodes from './custody.repository.ts'
import { releaseWindow } from './custody.window.ts'
import { planMessages } from './release-plan.messages.ts'
import * as read from './release-plan.read-model.ts'
import * as repo from './release-plan.repository.ts'
import { itemDefinitions, itemState, prescriberDueOn, type ItemState } from './release-plan.rules.ts'
import {
  naloxoneOutcomes,
  planItemOwners,
  planItemStatuses,
  type NaloxoneOutcome,
  type PlanItemKind,
  type PlanItemOwner,
  type PlanItemStatus,
} from './release-plan.tables.ts'

export type { PlanItem } from './release-plan.repository.ts'

export const healthTeamRoles = ['clinician', 'hub_manager'] as const satisfies readonly StaffRole[]
export const releasePlanReaderRoles = [
  'clinician',
  'hub_manager',
  'probation_practitioner',
  'partner',
] as const satisfies readonly StaffRole[]

/** Items that are health care: probation sees them only with consent, in plain words. */
const healthKinds: ReadonlySet<PlanItemKind> = new Set([
  'gp-registration',
  'gp-appointment',
  'drug-alcohol',
  'mental-health',
])
/** Items probation never sees. */
const clinicalOnlyKinds: ReadonlySet<PlanItemKind> = new Set(['medicines', 'naloxone'])

const PROBATION_TOPIC = 'share-summary-with-probation'
const PARTNER_TOPIC = 'share-with-partner'
export const REASON_MAX = 500
export const NOTES_MAX = 2000

export type Viewer = 'health' | 'probation' | 'partner'

export interface ItemView extends repo.PlanItem {
  title: string
  state: ItemState
  organisation: { code: string; name: string } | null
  /** The linked referral, for the health team. */
  referral: read.LinkableReferral | undefined
  prescriberDueOn: string | undefined
  /** Whether this viewer may change it (status and notes only, unless the health team). */
  canEdit: boolean
  /** Probation sees a health item's status only, not its notes. */
  statusOnly: boolean
  etag: string
}

export interface PlanView {
  person: PersonRecord
  episode: episodes.Episode
  releaseDate: string
  releaseExpected: boolean
  viewer: Viewer
  items: ItemView[]
  /** Probation without the person's agreement to share: the health items are left out. */
  healthWithheld: boolean
  today: string
}

/** An item's change as given: blank is null; codes and ids are checked here. */
export interface ItemDraft {
  owner: string
  organisationCode: string | null
  status: string
  notApplicableReason: string | null
  notes: string | null
  daysSupplied: number | null
  bridgingPrescription: boolean | null
  opioidSubstitution: boolean
  prescriberAppointmentOn: string | null
  naloxone: string | null
  referralId: string | null
}

export type ItemUpdateResult =
  { ok: true; changed: boolean; plan: PlanView; item: ItemView } | { ok: false; plan: PlanView; item: ItemView }

export const itemEtag = (version: number) => `W/"${version}"`

export type ReleasePlanService = ReturnType<typeof createReleasePlanService>

export function createReleasePlanService(deps: {
  db: Kysely<DB>
  clock: Clock
  audit: AuditService
  people: PersonRecords
  consent: Pick<ConsentService, 'allows'>
}) {
  const { db, clock, audit, people, consent } = deps
  const today = () => ukToday(clock)

  function viewerOf(principal: Principal): Viewer {
    if (hasRole(principal, healthTeamRoles)) return 'health'
    if (principal.role === 'probation_practitioner') return 'probation'
    if (principal.role === 'partner' && principal.organisationId !== null) return 'partner'
    throw new ForbiddenError(planMessages.notReader)
  }

  /** The person, if this viewer may see their plan: staff at their site; a partner through consent, per item. */
  async function loadPerson(tx: Transaction<DB>, personId: string, principal: Principal, viewer: Viewer) {
    if (viewer !== 'partner') return people.loadRecord(tx, personId, principal)
    const person = await people.findRecord(tx, personId)
    if (person === undefined) throw new NotFoundError(planMessages.notFound)
    return person
  }

  async function buildPlan(
    tx: Transaction<DB>,
    person: PersonRecord,
    episode: episodes.Episode,
    principal: Principal,
    viewer: Viewer,
    { evidence, referrals }: read.PersonEvidence,
  ): Promise<PlanView> {
    const on = today()
    const window = releaseWindow(episode, on)
    const all = await repo.itemsOf(tx, episode.id)
    const organisations = await read.organisationsByIds(
      tx,
      all.flatMap((i) => (i.organisationId === null ? [] : [i.organisationId])),
    )
    const probationShared = viewer === 'probation' && (await consent.allows(tx, person.id, PROBATION_TOPIC))
    const partnerShared =
      viewer === 'partner' && principal.organisationId !== null
        ? await consent.allows(tx, person.id, PARTNER_TOPIC, principal.organisationId)
        : false
    const visible = all.filter((item) => {
      if (viewer === 'health') return true
      if (viewer === 'partner') return partnerShared && item.organisationId === principal.organisationId
      if (clinicalOnlyKinds.has(item.kind)) return false
      return !healthKinds.has(item.kind) || probationShared
    })
    const items = visible.map((item): ItemView => {
      const organisation = item.organisationId === null ? undefined : organisations.get(item.organisationId)
      const statusOnly = viewer === 'probation' && healthKinds.has(item.kind)
      const canEdit =
        viewer === 'health' ||
        (viewer === 'probation' && !statusOnly && item.owner === 'probation-practitioner') ||
        viewer === 'partner'
      const linked = item.referralId === null ? undefined : referrals.find((r) => r.id === item.referralId)
      return {
        ...item,
        // Probation reads a health item's status only: no notes, no reason it does not apply, no referral.
        notes: statusOnly ? null : item.notes,
        notApplicableReason: statusOnly ? null : item.notApplicableReason,
        referralId: statusOnly ? null : item.referralId,
        title: itemDefinitions[item.kind].title,
        state: itemState(item, window.releaseDate, on, evidence),
        organisation: organisation === undefined ? null : { code: organisation.code, name: organisation.name },
        referral: viewer === 'health' ? linked : undefined,
        prescriberDueOn: prescriberDueOn(item.daysSupplied, window.releaseDate),
        canEdit,
        statusOnly,
        etag: itemEtag(item.version),
      }
    })
    return {
      person,
      episode,
      releaseDate: window.releaseDate,
      releaseExpected: window.expected,
      viewer,
      items,
      healthWithheld: viewer === 'probation' && !probationShared,
      today: on,
    }
  }

  async function auditPlan(
    tx: Transaction<DB>,
    actor: ActorContext,
    action: 'view' | 'update',
    person: PersonRecord,
    entityId: string,
    details: Record<string, unknown>,
  ) {
    await audit.record(tx, actor, {
      action,
      entityType: 'release_plan_item',
      entityId,
      personId: person.id,
      siteId: person.siteId,
      details,
    })
  }

  async function loadEpisode(tx: Transaction<DB>, episodeId: string) {
    const episode = isUuid(episodeId) ? await episodes.find(tx, episodeId) : undefined
    if (episode === undefined) throw new NotFoundError(planMessages.episodeNotFound)
    return episode
  }

  /** An episode's release plan as this viewer may see it. */
  async function viewPlan(episodeId: string, actor: ActorContext, channel: Channel): Promise<PlanView> {
    const principal = principalOf(actor)
    const viewer = viewerOf(principal)
    return db.transaction().execute(async (tx) => {
      const episode = await loadEpisode(tx, episodeId)
      const person = await loadPerson(tx, episode.personId, principal, viewer)
      const plan = await buildPlan(tx, person, episode, principal, viewer, await read.evidenceFor(tx, person.id))
      if (viewer === 'partner' && plan.items.length === 0) throw new NotFoundError(planMessages.episodeNotFound)
      await auditPlan(tx, actor, 'view', person, episode.id, {
        channel,
        purpose: 'plan',
        viewer,
        items: plan.items.length,
        ...(plan.healthWithheld ? { withheld: 'no-probation-consent' } : {}),
      })
      return plan
    })
  }

  /** One item (for its form or the API) with the plan around it and its history. */
  async function viewItem(itemId: string, actor: ActorContext, channel: Channel) {
    const principal = principalOf(actor)
    const viewer = viewerOf(principal)
    return db.transaction().execute(async (tx) => {
      const found = isUuid(itemId) ? await repo.find(tx, itemId) : undefined
      if (found === undefined) throw new NotFoundError(planMessages.notFound)
      const episode = await loadEpisode(tx, found.episodeId)
      const person = await loadPerson(tx, episode.personId, principal, viewer)
      const evidence = await read.evidenceFor(tx, person.id)
      const { referrals } = evidence
      const plan = await buildPlan(tx, person, episode, principal, viewer, evidence)
      const item = plan.items.find((i) => i.id === found.id)
      // An item this viewer may not see is answered as if it did not exist.
      if (item === undefined) throw new NotFoundError(planMessages.notFound)
      const kinds =
        item.kind === 'drug-alcohol' || item.kind === 'mental-health' ? read.referralKindsFor[item.kind] : []
      await auditPlan(tx, actor, 'view', person, item.id, { channel, purpose: 'item', viewer })
      return {
        plan,
        item,
        history: viewer === 'health' ? await repo.historyOf(tx, item.id) : [],
        referralOptions:
          viewer === 'health' ? referrals.filter((r) => (kinds as readonly string[]).includes(r.serviceKind)) : [],
        organisations: viewer === 'health' ? await read.allOrganisations(tx) : [],
      }
    })
  }

  /** Checks a change against the item's rules; throws a ValidationError naming each field to fix. */
  async function checkDraft(
    tx: Transaction<DB>,
    item: repo.PlanItem,
    draft: ItemDraft,
    personReferrals: readonly read.LinkableReferral[],
  ): Promise<repo.PlanItemChange> {
    const errors: FieldError[] = []
    const fail = (field: string, message: string) => errors.push({ field, message })
    const owner = draft.owner as PlanItemOwner
    if (!(planItemOwners as readonly string[]).includes(draft.owner)) fail('owner', planMessages.ownerUnknown)
    let organisationId: string | null = null
    if (owner === 'partner' && draft.organisationCode !== null && draft.organisationCode.trim() !== '') {
      const organisation = await read.organisationByCode(tx, draft.organisationCode.trim())
      if (organisation === undefined) fail('organisationCode', planMessages.organisationUnknown)
      else organisationId = organisation.id
    }
    const status = draft.status as PlanItemStatus
    if (!(planItemStatuses as readonly string[]).includes(draft.status)) fail('status', planMessages.statusUnknown)
    const reason = blank(draft.notApplicableReason)
    if (status === 'not-applicable' && reason === null) fail('notApplicableReason', planMessages.reasonBlank)
    if (reason !== null && reason.length > REASON_MAX) fail('notApplicableReason', planMessages.reasonLong)
    const notes = blank(draft.notes)
    if (notes !== null && notes.length > NOTES_MAX) fail('notes', planMessages.notesLong)
    const medicines = item.kind === 'medicines'
    const only = (field: string, given: boolean, allowed: boolean, message: string) => {
      if (given && !allowed) fail(field, message)
    }
    only('daysSupplied', draft.daysSupplied !== null, medicines, planMessages.medicinesOnly)
    only('bridgingPrescription', draft.bridgingPrescription !== null, medicines, planMessages.medicinesOnly)
    only('opioidSubstitution', draft.opioidSubstitution, medicines, planMessages.medicinesOnly)
    only('prescriberAppointmentOn', draft.prescriberAppointmentOn !== null, medicines, planMessages.medicinesOnly)
    if (
      draft.daysSupplied !== null &&
      (!Number.isInteger(draft.daysSupplied) || draft.daysSupplied < 0 || draft.daysSupplied > 365)
    ) {
      fail('daysSupplied', planMessages.daysSupplied)
    }
    const appointmentOn = blank(draft.prescriberAppointmentOn)
    if (appointmentOn !== null && !isRealDate(appointmentOn)) fail('prescriberAppointmentOn', planMessages.dateFormat)
    const naloxone = blank(draft.naloxone)
    only('naloxone', naloxone !== null, item.kind === 'naloxone', planMessages.naloxoneOnly)
    if (naloxone !== null && !(naloxoneOutcomes as readonly string[]).includes(naloxone))
      fail('naloxone', planMessages.naloxoneUnknown)
    const referralId = blank(draft.referralId)
    if (referralId !== null) {
      if (item.kind !== 'drug-alcohol' && item.kind !== 'mental-health') fail('referralId', planMessages.referralOnly)
      else {
        const kinds: readonly string[] = read.referralKindsFor[item.kind]
        const referral = personReferrals.find((r) => r.id === referralId)
        if (referral === undefined || !kinds.includes(referral.serviceKind))
          fail('referralId', planMessages.referralUnknown)
      }
    }
    if (errors.length > 0) throw new ValidationError(errors)
    return {
      owner,
      organisationId: owner === 'partner' ? organisationId : null,
      status,
      notApplicableReason: status === 'not-applicable' ? reason : null,
      notes,
      daysSupplied: draft.daysSupplied,
      bridgingPrescription: draft.bridgingPrescription,
      opioidSubstitution: draft.opioidSubstitution,
      prescriberAppointmentOn: appointmentOn,
      naloxone: naloxone as NaloxoneOutcome | null,
      referralId,
    }
  }

  /**
   * Changes an item if it is still at `expectedVersion`. `change` turns the item as saved into the draft to check.
   * Probation practitioners and partners may change only the status, its reason and the notes of items they may
   * edit; anything else is refused.
   */
  async function updateItem(
    itemId: string,
    expectedVersion: number,
    change: (current: repo.PlanItem, organisationCode: string | null) => ItemDraft,
    actor: ActorContext,
    channel: Channel,
  ): Promise<ItemUpdateResult> {
    const principal = principalOf(actor)
    const viewer = viewerOf(principal)
    return db.transaction().execute(async (tx): Promise<ItemUpdateResult> => {
      const found = isUuid(itemId) ? await repo.find(tx, itemId) : undefined
      if (found === undefined) throw new NotFoundError(planMessages.notFound)
      const episode = await loadEpisode(tx, found.episodeId)
      const person = await loadPerson(tx, episode.personId, principal, viewer)
      // Consent is read under the person's share lock, so a withdrawal being recorded is honoured.
      await people.lockRecord(tx, person.id, 'share')
      const current = await repo.find(tx, found.id, { lock: true })
      if (current === undefined) throw new NotFoundError(planMessages.notFound)
      // Changing an item changes neither the GP registration nor the referrals: read once for before and after.
      const evidence = await read.evidenceFor(tx, person.id)
      const before = await buildPlan(tx, person, episode, principal, viewer, evidence)
      const shown = before.items.find((i) => i.id === current.id)
      if (shown === undefined) throw new NotFoundError(planMessages.notFound)
      if (!shown.canEdit) throw new ForbiddenError(planMessages.notEditor)
      if (current.version !== expectedVersion) {
        await auditPlan(tx, actor, 'view', person, current.id, { channel, purpose: 'update-conflict' })
        return { ok: false, plan: before, item: shown }
      }
      const organisationCode = shown.organisation?.code ?? null
      const draft = change(current, organisationCode)
      const next = await checkDraft(tx, current, draft, evidence.referrals)
      const fields = (Object.keys(next) as (keyof repo.PlanItemChange)[]).filter((k) => next[k] !== current[k])
      if (viewer !== 'health') {
        const allowed = new Set<string>(['status', 'notApplicableReason', 'notes'])
        const other = fields.filter((f) => !allowed.has(f))
        if (other.length > 0) throw new ForbiddenError(planMessages.statusAndNotesOnly)
      }
      if (fields.length === 0) {
        await auditPlan(tx, actor, 'view', person, current.id, { channel, purpose: 'update-no-change' })
        return { ok: true, changed: false, plan: before, item: shown }
      }
      const now = clock.now()
      const updated = await repo.update(tx, current.id, current.version, next, principal.userId, now)
      if (updated === undefined) throw new Error('A release plan item changed while locked')
      await repo.addHistory(tx, updated, principal.userId, now)
      await auditPlan(tx, actor, 'update', person, current.id, {
        channel,
        kind: current.kind,
        fields,
        status: next.status,
        version: updated.version,
      })
      const plan = await buildPlan(tx, person, episode, principal, viewer, evidence)
      const item = plan.items.find((i) => i.id === current.id)
      if (item === undefined) throw new Error('A release plan item just changed could not be read back')
      return { ok: true, changed: true, plan, item }
    })
  }

  /** A partner's items: those given to their organisation, on plans of people who agree to share with it. */
  async function partnerItems(actor: ActorContext, channel: Channel) {
    const principal = principalOf(actor)
    if (principal.role !== 'partner' || principal.organisationId === null)
      throw new ForbiddenError(planMessages.notReader)
    const organisationId = principal.organisationId
    return db.transaction().execute(async (tx) => {
      const on = today()
      const rows: { person: PersonRecord; episode: episodes.Episode; item: repo.PlanItem; state: ItemState }[] = []
      const shared: repo.PlanItem[] = []
      for (const item of await repo.itemsForOrganisation(tx, organisationId)) {
        if (await consent.allows(tx, item.personId, PARTNER_TOPIC, organisationId)) shared.push(item)
      }
      const evidenceOf = await read.evidenceForPeople(
        tx,
        shared.map((i) => i.personId),
      )
      for (const item of shared) {
        const person = await people.findRecord(tx, item.personId)
        const episode = await episodes.find(tx, item.episodeId)
        const evidence = evidenceOf.get(item.personId)?.evidence
        if (person === undefined || episode === undefined || evidence === undefined) continue
        rows.push({
          person,
          episode,
          item,
          state: itemState(item, releaseWindow(episode, on).releaseDate, on, evidence),
        })
      }
      await audit.record(tx, actor, {
        action: 'view',
        entityType: 'release_plan_item',
        entityId: null,
        details: { channel, purpose: 'partner-list', items: rows.length, people: rows.map((r) => r.person.id) },
      })
      return { rows, today: on }
    })
  }

  return { today, viewPlan, viewItem, updateItem, partnerItems }
}

function blank(value: string | null): string | null {
  return value === null || value.trim() === '' ? null : value.trim()
}
