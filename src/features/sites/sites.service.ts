import type { Kysely } from 'kysely'
import type { Executor } from '../../platform/db/executor.ts'
import type { DB } from '../../platform/db/schema.ts'

export interface Site {
  id: string
  code: string
  name: string
  region: string
}

/** A partner organisation (a treatment or support provider whose caseworkers see the referrals sent to it). */
export interface Organisation {
  id: string
  code: string
  name: string
}

export type SitesService = ReturnType<typeof createSitesService>

export function createSitesService(deps: { db: Kysely<DB> }) {
  const { db } = deps

  async function listAll(): Promise<Site[]> {
    return db.selectFrom('site').select(['id', 'code', 'name', 'region']).orderBy('name').execute()
  }

  /** Inside a transaction, pass it as `executor`. */
  async function findByCode(code: string, executor: Executor = db): Promise<Site | undefined> {
    return executor.selectFrom('site').select(['id', 'code', 'name', 'region']).where('code', '=', code).executeTakeFirst()
  }

  /** Inside a transaction, pass it as `executor`. */
  async function listByIds(ids: readonly string[], executor: Executor = db): Promise<Site[]> {
    if (ids.length === 0) return []
    return executor.selectFrom('site').select(['id', 'code', 'name', 'region']).where('id', 'in', ids).orderBy('name').execute()
  }

  async function ensure(site: Omit<Site, 'id'>): Promise<Site> {
    await db
      .insertInto('site')
      .values(site)
      .onConflict((oc) => oc.column('code').doNothing())
      .execute()
    const found = await findByCode(site.code)
    if (found === undefined) throw new Error(`Site ${site.code} could not be created`)
    return found
  }

  /** Every partner organisation, by name. */
  async function listOrganisations(executor: Executor = db): Promise<Organisation[]> {
    return executor.selectFrom('organisation').select(['id', 'code', 'name']).orderBy('name').orderBy('code').execute()
  }

  async function findOrganisationByCode(code: string, executor: Executor = db): Promise<Organisation | undefined> {
    return executor
      .selectFrom('organisation')
      .select(['id', 'code', 'name'])
      .where('code', '=', code)
      .executeTakeFirst()
  }

  async function findOrganisationById(id: string, executor: Executor = db): Promise<Organisation | undefined> {
    return executor.selectFrom('organisation').select(['id', 'code', 'name']).where('id', '=', id).executeTakeFirst()
  }

  /** Adds a partner organisation inside the caller's transaction (who may, and the audit, are the caller's). */
  async function insertOrganisation(executor: Executor, organisation: { code: string; name: string }): Promise<Organisation> {
    return executor.insertInto('organisation').values(organisation).returning(['id', 'code', 'name']).executeTakeFirstOrThrow()
  }

  return {
    listAll,
    findByCode,
    listByIds,
    ensure,
    listOrganisations,
    findOrganisationByCode,
    findOrganisationById,
    insertOrganisation,
  }
}
