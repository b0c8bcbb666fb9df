import type { FastifyPluginAsync, FastifyPluginOptions } from 'fastify'
import type { Migration } from './db/migrate.ts'

/**
 * A feature as the composition root sees it: its name, its migrations and its Fastify plugin (an encapsulated
 * plugin: its hooks, parsers and decorators stay inside it). The plugin's options say exactly which services it
 * needs; the root hands every feature the same `{ services, web }`, and a plugin reads only what its type names.
 */
export interface Feature<Options extends FastifyPluginOptions> {
  readonly name: string
  readonly migrations: readonly Migration[]
  readonly plugin?: FastifyPluginAsync<Options>
}

/** What every page-serving plugin may be given besides services: cookie names and the clock's reading. */
export interface WebOptions {
  /** The signed cookie that carries a one-time success message to the next page. */
  readonly flashCookie: string
  readonly cookies: { readonly session: string; readonly flash: string; readonly secure: boolean }
  /** Now, by the service's clock (tests fix it). */
  readonly now: () => Date
}
