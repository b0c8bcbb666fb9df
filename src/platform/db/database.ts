import { AsyncLocalStorage } from 'node:async_hooks'
import fs from 'node:fs'
import path from 'node:path'
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite'
import {
  Kysely,
  PGliteDialect,
  PostgresDialect,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type TransactionBuilder,
  type TransactionSettings,
} from 'kysely'
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

/**
 * A query on the root handle (`db`) made inside `db.transaction().execute(...)`. On PGlite, which has one
 * connection, such a query waits for the transaction that is waiting for it: the whole service freezes. On
 * PostgreSQL it runs outside the transaction, unseen by its locks. Either way it is a bug, so it fails at once,
 * with the stack naming the call.
 */
export class RootHandleInTransactionError extends Error {
  constructor() {
    super(
      'A query used the root database handle inside a transaction: use the transaction handle (tx) passed to ' +
        'db.transaction().execute(...) for every query in it. The stack below names the call.',
    )
    this.name = 'RootHandleInTransactionError'
  }
}

/** Set while a transaction's callback runs, for every async call made from it. */
const openTransaction = new AsyncLocalStorage<{ open: boolean }>()

/** Whether the calling code runs inside a transaction's callback (for guards elsewhere, such as job enqueueing). */
export function insideTransaction(): boolean {
  return openTransaction.getStore()?.open === true
}

/**
 * A driver that refuses a new connection for a query made from inside a transaction's callback. For a dialect with
 * one connection (PGlite) it also keeps the queue for that connection, which Kysely would otherwise keep in front
 * of the driver, where a refused query would wait in line before it could be refused.
 */
class GuardedDriver implements Driver {
  readonly #inner: Driver
  readonly #single: boolean
  #queue: Promise<void> = Promise.resolve()
  #release: (() => void) | undefined
  constructor(inner: Driver, single: boolean) {
    this.#inner = inner
    this.#single = single
  }
  init(): Promise<void> {
    return this.#inner.init()
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    if (insideTransaction()) throw new RootHandleInTransactionError()
    if (this.#single) {
      const previous = this.#queue
      let release = () => {}
      this.#queue = new Promise<void>((resolve) => {
        release = resolve
      })
      await previous
      this.#release = release
    }
    return this.#inner.acquireConnection()
  }
  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.#inner.beginTransaction(connection, settings)
  }
  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.commitTransaction(connection)
  }
  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.rollbackTransaction(connection)
  }
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    try {
      await this.#inner.releaseConnection(connection)
    } finally {
      const release = this.#release
      this.#release = undefined
      release?.()
    }
  }
  destroy(): Promise<void> {
    return this.#inner.destroy()
  }
}

function guarded(dialect: Dialect): Dialect {
  const single = !dialect.createAdapter().supportsMultipleConnections
  return {
    // The guarded driver queues for a single connection itself (see above), so Kysely need not.
    createAdapter: () => {
      const adapter = dialect.createAdapter()
      return new Proxy(adapter, {
        get: (target, property) => {
          if (property === 'supportsMultipleConnections') return true
          const value = Reflect.get(target, property, target) as unknown
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
        },
      })
    },
    createDriver: () => new GuardedDriver(dialect.createDriver(), single),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  }
}

/** Runs a transaction's callback marked as inside it, and unmarks it when the callback settles. */
function markedBuilder<T>(builder: TransactionBuilder<T>): TransactionBuilder<T> {
  return new Proxy(builder, {
    get(target, property) {
      if (property === 'execute') {
        const execute: TransactionBuilder<T>['execute'] = (callback) =>
          target.execute((trx) => {
            const scope = { open: true }
            return openTransaction.run(scope, async () => {
              try {
                return await callback(trx)
              } finally {
                scope.open = false
              }
            })
          })
        return execute
      }
      if (property === 'setAccessMode' || property === 'setIsolationLevel') {
        return (value: never) => markedBuilder(target[property](value))
      }
      return Reflect.get(target, property, target) as unknown
    },
  })
}

/** Kysely whose transactions mark their callbacks, so the guarded driver can refuse the root handle inside them. */
class GuardedKysely extends Kysely<DB> {
  override transaction(): TransactionBuilder<DB> {
    return markedBuilder(super.transaction())
  }
}

export function connectPostgres(url: string, options: { searchPath?: string; max?: number } = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    types: postgresTypes(),
    ...(options.searchPath === undefined ? {} : { options: `-c search_path=${options.searchPath}` }),
  })
  const db = new GuardedKysely({ dialect: guarded(new PostgresDialect({ pool })) })
  return {
    db,
    kind: 'postgres',
    pglite: undefined,
    pool,
    close: () => db.destroy(),
  }
}

export function wrapPglite(pglite: PGlite, onClose: () => void = () => undefined): Database {
  const db = new GuardedKysely({ dialect: guarded(new PGliteDialect({ pglite })) })
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
