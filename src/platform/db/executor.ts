import type { Kysely, Transaction } from 'kysely'
import type { DB } from './schema.ts'

/**
 * What a repository function runs on: the root handle for a lone read, or the transaction it is part of. Inside a
 * transaction, pass the transaction: the root handle is refused there (see `RootHandleInTransactionError`).
 */
export type Executor = Kysely<DB> | Transaction<DB>
