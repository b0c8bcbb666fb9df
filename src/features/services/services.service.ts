import type { Kysely, Transaction } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import { createOnceIfKeyed } from '../../platform/db/idempotency.ts'
import type { DB } from '../../platform/db/schema.ts'
import {
  assertSiteAccess,
  hasRole,
  personRecordRoles,
  type Principal,
  principalOf,
  type Channel,
} from '../../platform/http/auth.ts'
import { DomainError, ForbiddenError, NotFoundError, type FieldError } from '../../platform/http/errors.ts'
import type { ActorContext, AuditService } from '../../platform/audit/audit.service.ts'
import type { Site, SitesService } from '../sites/index.ts'
import { messages, type ServiceKind } from './services.messages.ts'
import * as repo from './services.repository.ts'
import type { ServiceInput } from './services.validation.ts'
import { isUuid } from '../../platform/forms/forms.ts'
import type { Executor } from '../../platform/db/executor.ts'
import type { StaffRole } from '../../platform/http/roles.ts'

export type { DirectoryService, Organisation } from './services.repository.ts'

/** Who keeps a site's directory. */
export const directoryKeeperRoles = ['hub_manager'] as const satisfies readonly StaffRole[]
/** Who reads it: the staff who refer people on. */
export const directoryReaderRoles = personRecordRoles

export interface DirectoryQuery {
  siteCode: string
  kind?: ServiceKind | undefined
  includeInactive: boolean
}

export type UpdateResult =
  | { ok: true; service: repo.DirectoryService; changed: string[] }
  | { ok: false; reason: 'stale'; current: repo.DirectoryService }

function assertKeeper(principal: Principal): void {
  if (!hasRole(principal, directoryKeeperRoles)) {
    throw new ForbiddenError('Only hub managers may change the service directory.')
  }
}

const fieldNames = [
  'kind',
  'name',
  'odsCode',
  'organisationId',
  'address',
  'phone',
  'email',
  'website',
  'referralMethod',
  'notes',
  'active',
] as const satisfies readonly (keyof repo.ServiceFields)[]

function changedFields(current: repo.DirectoryService, next: repo.ServiceFields): string[] {
  return fieldNames.filter((f) => current[f] !== next[f])
}

export type ServicesService = ReturnType<typeof createServicesService>

export function createServicesService(deps: {
  db: Kysely<DB>
  clock: Clock
  audit: AuditService
  sites: SitesService
}) {
  const { db, clock, audit, sites } = deps

  async function sitesFor(principal: Principal): Promise<Site[]> {
    return sites.listByIds(principal.siteIds)
  }

  /** A site the principal belongs to, by code. Unknown codes are refused like other sites', revealing nothing. */
  async function siteFor(principal: Principal, siteCode: string): Promise<Site> {
    const site = await sites.findByCode(siteCode)
    if (site === undefined) throw new ForbiddenError('You do not have access to this site.')
    assertSiteAccess(principal, site.id)
    return site
  }

  /** A site's directory. It holds no personal data, so reading it is not audited. */
  async function listDirectory(
    query: DirectoryQuery,
    actor: ActorContext,
  ): Promise<{ site: Site; services: repo.DirectoryService[] }> {
    const principal = principalOf(actor)
    const site = await siteFor(principal, query.siteCode)
    const services = await repo.listForSite(db, site.id, { kind: query.kind, includeInactive: query.includeInactive })
    return { site, services }
  }

  async function viewService(id: string, actor: ActorContext): Promise<repo.DirectoryService> {
    const principal = principalOf(actor)
    const service = isUuid(id) ? await repo.findById(db, id) : undefined
    if (service === undefined) throw new NotFoundError('No service has that id')
    assertSiteAccess(principal, service.siteId)
    return service
  }

  async function organisations(): Promise<repo.Organisation[]> {
    return sites.listOrganisations()
  }

  /** The organisation id and the checks needing data; every broken rule is reported at once. */
  async function resolveFields(
    tx: Transaction<DB>,
    input: ServiceInput,
    siteId: string,
    exceptId?: string,
  ): Promise<repo.ServiceFields> {
    const errors: FieldError[] = []
    let organisationId: string | null = null
    if (input.organisationCode !== null) {
      const organisation = await sites.findOrganisationByCode(input.organisationCode, tx)
      if (organisation === undefined) errors.push({ field: 'organisationCode', message: messages.organisationUnknown })
      else organisationId = organisation.id
    }
    if (input.odsCode !== null && input.active && (await repo.odsCodeInUse(tx, siteId, input.odsCode, exceptId))) {
      errors.push({ field: 'odsCode', message: messages.odsTaken(input.odsCode) })
    }
    const first = errors[0]
    if (first !== undefined) {
      throw new DomainError(first.field === 'odsCode' ? 'ods-code-taken' : 'unknown-organisation', errors)
    }
    return {
      kind: input.kind,
      name: input.name,
      odsCode: input.odsCode,
      organisationId,
      address: input.address,
      phone: input.phone,
      email: input.email,
      website: input.website,
      referralMethod: input.referralMethod,
      notes: input.notes,
      active: input.active,
    }
  }

  /** The unique index can still refuse a write that raced past the check. */
  function clashFromDatabase(error: unknown, input: ServiceInput): DomainError | undefined {
    const code = (error as { code?: unknown }).code
    if (code !== '23505' || input.odsCode === null) return undefined
    return new DomainError('ods-code-taken', [{ field: 'odsCode', message: messages.odsTaken(input.odsCode) }])
  }

  /**
   * Adds an entry to a site's directory. With an idempotency key (the form's one-time id or the API's
   * Idempotency-Key) a repeat adds nothing and answers with the entry the first one added.
   */
  async function createService(
    input: ServiceInput,
    actor: ActorContext,
    channel: Channel,
    idempotencyKey?: string,
  ): Promise<{ service: repo.DirectoryService; replayed: boolean }> {
    const principal = principalOf(actor)
    assertKeeper(principal)
    const site = await sites.findByCode(input.siteCode)
    if (site === undefined) throw new DomainError('unknown-site', [{ field: 'siteCode', message: messages.siteBlank }])
    assertSiteAccess(principal, site.id)
    try {
      return await db.transaction().execute(async (tx) => {
        const create = async (): Promise<string> => {
          const fields = await resolveFields(tx, { ...input, active: true }, site.id)
          const id = await repo.insert(tx, site.id, fields, clock.now())
          await audit.record(tx, actor, {
            action: 'create',
            entityType: 'service',
            entityId: id,
            siteId: site.id,
            details: { channel, kind: fields.kind },
          })
          return id
        }
        const outcome = await createOnceIfKeyed(
          tx,
          idempotencyKey,
          { staffUserId: principal.userId, scope: 'service.create', request: input },
          create,
        )
        const service = await repo.findById(tx, outcome.id)
        if (service === undefined) throw new Error('A service just added could not be read back')
        return { service, replayed: outcome.replayed }
      })
    } catch (error) {
      throw clashFromDatabase(error, input) ?? error
    }
  }

  /** Changes an entry (including making it inactive) if nobody else has since `expectedVersion`. */
  async function updateService(
    id: string,
    expectedVersion: number,
    input: ServiceInput,
    actor: ActorContext,
    channel: Channel,
  ): Promise<UpdateResult> {
    const principal = principalOf(actor)
    assertKeeper(principal)
    try {
      return await db.transaction().execute(async (tx): Promise<UpdateResult> => {
        const current = isUuid(id) ? await repo.findById(tx, id) : undefined
        if (current === undefined) throw new NotFoundError('No service has that id')
        assertSiteAccess(principal, current.siteId)
        if (current.version !== expectedVersion) return { ok: false, reason: 'stale', current }
        const fields = await resolveFields(tx, input, current.siteId, current.id)
        const changed = changedFields(current, fields)
        if (changed.length === 0) return { ok: true, service: current, changed }
        if (!(await repo.updateIfVersion(tx, id, current.version, fields, clock.now()))) {
          return { ok: false, reason: 'stale', current: (await repo.findById(tx, id)) ?? current }
        }
        await audit.record(tx, actor, {
          action: 'update',
          entityType: 'service',
          entityId: id,
          siteId: current.siteId,
          details: { channel, changedFields: changed },
        })
        const service = await repo.findById(tx, id)
        if (service === undefined) throw new Error('A service just changed could not be read back')
        return { ok: true, service, changed }
      })
    } catch (error) {
      throw clashFromDatabase(error, input) ?? error
    }
  }

  /**
   * For other features, inside their own transaction: the active GP practices in a site's directory (the
   * practice select on GP registration). Not access-checked: the caller has checked the person's site.
   */
  async function gpPracticesAt(executor: Executor, siteId: string): Promise<repo.DirectoryService[]> {
    return repo.listForSite(executor, siteId, { kind: 'gp-practice', includeInactive: false })
  }

  /** For other features, inside their own transaction: a site's active entries by name (the referral form). */
  async function activeServicesAt(executor: Executor, siteId: string): Promise<repo.DirectoryService[]> {
    return repo.listActiveByName(executor, siteId)
  }

  /** For other features: one directory entry by id (any site, active or not), or undefined. */
  async function findService(executor: Executor, id: string): Promise<repo.DirectoryService | undefined> {
    return isUuid(id) ? repo.findById(executor, id) : undefined
  }

  return {
    activeServicesAt,
    sitesFor,
    listDirectory,
    viewService,
    organisations,
    createService,
    updateService,
    gpPracticesAt,
    findService,
  }
}
