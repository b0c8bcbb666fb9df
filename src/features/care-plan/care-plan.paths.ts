/** Every link to the care plan pages and API is built here, so URLs change in one place. */
import { personApiPath, personPath } from '../../platform/person-paths.ts'

export const carePlanPaths = {
  person: (personId: string) => personPath(personId),
  plan: (personId: string) => personPath(personId, 'care-plan'),
  newGoal: (personId: string) => personPath(personId, 'care-plan', 'goals', 'new'),
  goal: (personId: string, goalId: string) => personPath(personId, 'care-plan', 'goals', goalId),
  newAction: (personId: string, goalId: string) => personPath(personId, 'care-plan', 'goals', goalId, 'actions', 'new'),
  action: (personId: string, actionId: string) => personPath(personId, 'care-plan', 'actions', actionId),
  newReview: (personId: string) => personPath(personId, 'care-plan', 'reviews', 'new'),
  agreement: (personId: string) => personPath(personId, 'care-plan', 'agreement'),
  printChoices: (personId: string) => personPath(personId, 'care-plan', 'print-choices'),
  print: (personId: string) => personPath(personId, 'care-plan', 'print'),
  api: {
    plan: (personId: string) => personApiPath(personId, 'care-plan'),
    goals: (personId: string) => personApiPath(personId, 'care-plan', 'goals'),
    goal: (personId: string, goalId: string) => personApiPath(personId, 'care-plan', 'goals', goalId),
    actions: (personId: string, goalId: string) => personApiPath(personId, 'care-plan', 'goals', goalId, 'actions'),
    action: (personId: string, actionId: string) => personApiPath(personId, 'care-plan', 'actions', actionId),
    reviews: (personId: string) => personApiPath(personId, 'care-plan', 'reviews'),
    agreements: (personId: string) => personApiPath(personId, 'care-plan', 'agreements'),
    printChoices: (personId: string) => personApiPath(personId, 'care-plan', 'print-choices'),
  },
} as const

/** Route patterns for Fastify, kept beside the link builders they mirror. */
export const carePlanRoutes = {
  plan: '/people/:id/care-plan',
  newGoal: '/people/:id/care-plan/goals/new',
  goal: '/people/:id/care-plan/goals/:goalId',
  newAction: '/people/:id/care-plan/goals/:goalId/actions/new',
  action: '/people/:id/care-plan/actions/:actionId',
  newReview: '/people/:id/care-plan/reviews/new',
  agreement: '/people/:id/care-plan/agreement',
  printChoices: '/people/:id/care-plan/print-choices',
  print: '/people/:id/care-plan/print',
  apiPlan: '/api/v1/people/:id/care-plan',
  apiGoals: '/api/v1/people/:id/care-plan/goals',
  apiGoal: '/api/v1/people/:id/care-plan/goals/:goalId',
  apiActions: '/api/v1/people/:id/care-plan/goals/:goalId/actions',
  apiAction: '/api/v1/people/:id/care-plan/actions/:actionId',
  apiReviews: '/api/v1/people/:id/care-plan/reviews',
  apiAgreements: '/api/v1/people/:id/care-plan/agreements',
  apiPrintChoices: '/api/v1/people/:id/care-plan/print-choices',
} as const
