import type { FastifyInstance } from 'fastify'

/** Pages every service must have, linked from the footer: open to everyone, signed in or not. */
export function registerInfoPages(app: FastifyInstance): void {
  app.get('/accessibility', { config: { access: 'public' } }, async (_request, reply) =>
    reply.view('info/views/accessibility.njk', { pageTitle: 'Accessibility statement' }),
  )
  app.get('/privacy', { config: { access: 'public' } }, async (_request, reply) =>
    reply.view('info/views/privacy.njk', { pageTitle: 'Privacy notice' }),
  )
}
