import fs from 'node:fs'
import path from 'node:path'
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite'
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { DB } from './schema.ts'

export type DatabaseKind = 'pglite' | 'postgres'

export interface Database {
  readonly db: Kysely<DB>
  readonly kind: DatabaseKind
  /** The embedded instance, when there is one (for COPY and for cloning test templates). */
  readonly pglite: PGlite | undefined
  /** The server pool, when there is one (for COPY). */
  readonly pool: pg.Pool | undefined
  close(): Promise<void>
}

export class DatabaseInUseError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `The embedded database in ${dataDir} is in use by another process (pid ${pid}). ` +
        'Stop the running service first, or point DATABASE_URL at a PostgreSQL server. Nothing was changed.',
    )
    this.name = 'DatabaseInUseError'
  }
}

const PG_INT8 = 20
const PG_DATE = 1082

/** Dates of birth and other calendar dates stay ISO strings: turning them into Date objects shifts them by time zone. */
function postgresTypes(): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
      if (oid === PG_INT8) return (value: string) => Number.parseInt(value, 10)
      if (oid === PG_DATE) return (value: string) => value
      return (pg.types.getTypeParser as (oid: number, format?: string) => unknown)(oid, format)
    }) as pg.CustomTypesConfig['getTypeParser'],
  }
}

export const pgliteParsers = {
  [pgliteTypes.DATE]: (value: string) => value,
  [pgliteTypes.INT8]: (value: string) => Number.parseInt(value, 10),
}

export function connectPostgres(url: string, options: { searchPath?: string; max?: number } = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    types: postgresTypes(),
    ...(options.searchPath === undefined ? {} : { options: `-c search_path=${options.searchPath}` }),
  })
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
  return {
    db,
    kind: 'postgres',
    pglite: undefined,
    pool,
    close: () => db.destroy(),
  }
}

export function wrapPglite(pglite: PGlite, onClose: () => void = () => undefined): Database {
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) })
  let closed = false
  return {
    db,
    kind: 'pglite',
    pglite,
    pool: undefined,
    close: async () => {
      if (closed) return
      closed = true
      // Kysely's PGlite driver closes the instance on destroy.
      await db.destroy()
      if (!pglite.closed) await pglite.close()
      onClose()
    },
  }
}

export function createPglite(dataDir?: string): Promise<PGlite> {
  return PGlite.create({ ...(dataDir === undefined ? {} : { dataDir }), parsers: pgliteParsers })
}

/**
 * PGlite runs inside this process, so two processes opening the same folder would corrupt it. A lock file with
 * the owner's pid guards the folder; a lock left by a process that has died is taken over.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true })
  const lockPath = path.join(dataDir, 'hub.lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx')
      fs.writeSync(fd, String(process.pid))
      fs.closeSync(fd)
      return () => {
        try {
          if (fs.readFileSync(lockPath, 'utf8') === String(process.pid)) fs.unlinkSync(lockPath)
        } catch {
          // Already gone: nothing to release.
        }
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const owner = Number.parseInt(fs.readFileSync(lockPath, 'utf8'), 10)
      if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) throw new DatabaseInUseError(dataDir, owner)
      fs.unlinkSync(lockPath)
    }
  }
  throw new Error(`Could not lock ${dataDir}`)
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export async function openDatabase(config: { databaseUrl: string | undefined; dataDir: string }): Promise<Database> {
  if (config.databaseUrl !== undefined) return connectPostgres(config.databaseUrl)
  const release = acquireDataDirLock(config.dataDir)
  try {
    const pglite = await createPglite(path.join(config.dataDir, 'pgdata'))
    return wrapPglite(pglite, release)
  } catch (error) {
    release()
    throw error
  }
}
