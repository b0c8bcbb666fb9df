import type { FastifyInstance } from 'fastify'
import type { StaffRole } from '../../platform/http/roles.ts'

/** Who the reporting page is for: analysts see only aggregate figures, so it is their landing page. */
export const reportingRoles = ['analyst'] as const satisfies readonly StaffRole[]

/** The reporting page, where an analyst lands: what the role may do, and what of the service exists for it. */
export const REPORTING_PATH = '/reporting'

/**
 * Pages every service must have, linked from the footer (open to everyone, signed in or not), and the analyst's
 * reporting page.
 */
export function registerInfoPages(app: FastifyInstance): void {
  app.get('/accessibility', { config: { access: 'public' } }, async (_request, reply) =>
    reply.view('info/views/accessibility.njk', { pageTitle: 'Accessibility statement' }),
  )
  app.get('/privacy', { config: { access: 'public' } }, async (_request, reply) =>
    reply.view('info/views/privacy.njk', { pageTitle: 'Privacy notice' }),
  )
  app.get(REPORTING_PATH, { config: { access: reportingRoles } }, async (_request, reply) =>
    reply.view('info/views/reporting.njk', {
      pageTitle: 'Reporting',
      links: [
        { text: 'Your account', href: '/account' },
        { text: 'Change your password', href: '/account/password' },
        { text: 'Privacy notice: who can see what', href: '/privacy' },
        { text: 'Accessibility statement', href: '/accessibility' },
      ],
    }),
  )
}
