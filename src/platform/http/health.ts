import type { FastifyInstance } from 'fastify'
import { sql, type Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

export function registerHealthRoutes(app: FastifyInstance, deps: { db: Kysely<DB> }): void {
  app.get('/health/live', { config: { access: 'public' }, logLevel: 'warn' }, async () => ({ status: 'UP' }))

  app.get('/health/ready', { config: { access: 'public' }, logLevel: 'warn' }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(deps.db)
      return { status: 'UP', checks: { database: 'UP' } }
    } catch {
      return reply.code(503).send({ status: 'DOWN', checks: { database: 'DOWN' } })
    }
  })
}
