/** Links to a person's timeline. */
import { personPath } from '../../platform/person-paths.ts'

export const timelinePaths = {
  timeline: (personId: string, query?: URLSearchParams) => {
    const search = query?.toString() ?? ''
    return `${personPath(personId, 'timeline')}${search === '' ? '' : `?${search}`}`
  },
  person: (personId: string) => personPath(personId),
} as const

export const timelineRoutes = {
  timeline: '/people/:id/timeline',
} as const
