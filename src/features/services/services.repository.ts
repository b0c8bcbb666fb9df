import type { ServiceKind } from './services.messages.ts'
import type { Executor } from '../../platform/db/executor.ts'
import type { Organisation as SitesOrganisation } from '../sites/index.ts'

/** A directory entry as the feature uses it. */
export interface DirectoryService {
  id: string
  siteId: string
  siteCode: string
  siteName: string
  kind: ServiceKind
  name: string
  odsCode: string | null
  organisationId: string | null
  organisationCode: string | null
  organisationName: string | null
  address: string | null
  phone: string | null
  email: string | null
  website: string | null
  referralMethod: string | null
  notes: string | null
  active: boolean
  version: number
  createdAt: Date
  updatedAt: Date
}

/** What a hub manager enters; the organisation is already resolved to its id. */
export interface ServiceFields {
  kind: ServiceKind
  name: string
  odsCode: string | null
  organisationId: string | null
  address: string | null
  phone: string | null
  email: string | null
  website: string | null
  referralMethod: string | null
  notes: string | null
  active: boolean
}

/** A partner organisation, as the sites feature gives it. */
export type Organisation = SitesOrganisation

function selectServices(db: Executor) {
  return db
    .selectFrom('service')
    .innerJoin('site', 'site.id', 'service.site_id')
    .leftJoin('organisation', 'organisation.id', 'service.organisation_id')
    .selectAll('service')
    .select([
      'site.code as site_code',
      'site.name as site_name',
      'organisation.code as organisation_code',
      'organisation.name as organisation_name',
    ])
}

type ServiceRow = Awaited<ReturnType<ReturnType<typeof selectServices>['executeTakeFirstOrThrow']>>

/** The one mapping from a service row to the domain type. */
function toService(row: ServiceRow): DirectoryService {
  return {
    id: row.id,
    siteId: row.site_id,
    siteCode: row.site_code,
    siteName: row.site_name,
    kind: row.kind,
    name: row.name,
    odsCode: row.ods_code,
    organisationId: row.organisation_id,
    organisationCode: row.organisation_code,
    organisationName: row.organisation_name,
    address: row.address,
    phone: row.phone,
    email: row.email,
    website: row.website,
    referralMethod: row.referral_method,
    notes: row.notes,
    active: row.active,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

function toColumns(fields: ServiceFields) {
  return {
    kind: fields.kind,
    name: fields.name,
    ods_code: fields.odsCode,
    organisation_id: fields.organisationId,
    address: fields.address,
    phone: fields.phone,
    email: fields.email,
    website: fields.website,
    referral_method: fields.referralMethod,
    notes: fields.notes,
    active: fields.active,
  }
}

export async function findById(db: Executor, id: string): Promise<DirectoryService | undefined> {
  const row = await selectServices(db).where('service.id', '=', id).executeTakeFirst()
  return row === undefined ? undefined : toService(row)
}

/** A site's directory, by kind then name; inactive entries only when asked. */
export async function listForSite(
  db: Executor,
  siteId: string,
  filter: { kind?: ServiceKind | undefined; includeInactive: boolean },
): Promise<DirectoryService[]> {
  let query = selectServices(db).where('service.site_id', '=', siteId)
  if (filter.kind !== undefined) query = query.where('service.kind', '=', filter.kind)
  if (!filter.includeInactive) query = query.where('service.active', '=', true)
  const rows = await query.orderBy('service.kind').orderBy('service.name').orderBy('service.id').execute()
  return rows.map(toService)
}

/** The active entries in a site's directory, by name (the referral form lists them so). */
export async function listActiveByName(db: Executor, siteId: string): Promise<DirectoryService[]> {
  const rows = await selectServices(db)
    .where('service.site_id', '=', siteId)
    .where('service.active', '=', true)
    .orderBy('service.name')
    .orderBy('service.id')
    .execute()
  return rows.map(toService)
}

/** Whether another active entry at the site already has this ODS code. */
export async function odsCodeInUse(db: Executor, siteId: string, odsCode: string, exceptId?: string): Promise<boolean> {
  let query = db
    .selectFrom('service')
    .select('id')
    .where('site_id', '=', siteId)
    .where('ods_code', '=', odsCode)
    .where('active', '=', true)
  if (exceptId !== undefined) query = query.where('id', '<>', exceptId)
  return (await query.executeTakeFirst()) !== undefined
}

export async function insert(db: Executor, siteId: string, fields: ServiceFields, now: Date): Promise<string> {
  const row = await db
    .insertInto('service')
    .values({ ...toColumns(fields), site_id: siteId, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Writes only if the row is still at `version`; false when someone else changed it first. */
export async function updateIfVersion(
  db: Executor,
  id: string,
  version: number,
  fields: ServiceFields,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('service')
    .set({ ...toColumns(fields), version: version + 1, updated_at: now })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}
