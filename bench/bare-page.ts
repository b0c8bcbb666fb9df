import path from 'node:path'
import { createRequire } from 'node:module'
import Fastify from 'fastify'
import view from '@fastify/view'
import nunjucks from 'nunjucks'

/*
 * The ceiling for a page: Fastify and @fastify/view rendering govuk/template.njk with nothing else (no session,
 * CSRF, helmet, database or audit), set up the way the app sets up its views. Started as a child by bench/run.ts.
 */
const require = createRequire(import.meta.url)
const govukDist = path.join(path.dirname(require.resolve('govuk-frontend/package.json')), 'dist')

const app = Fastify({ logger: { level: 'warn' } })
await app.register(view, {
  engine: { nunjucks },
  templates: [path.join(import.meta.dirname, 'views'), govukDist],
  options: { autoescape: true, trimBlocks: true, lstripBlocks: true },
})
app.get('/', async (_request, reply) => reply.view('bare.njk', {}))

const shutdown = () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  )
}
process.on('SIGTERM', shutdown)
process.on('SIGINT', shutdown)
await app.listen({ port: Number(process.env['PORT'] ?? 0), host: '127.0.0.1' })
