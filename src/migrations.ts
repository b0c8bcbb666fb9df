/**
 * Every migration of the service, assembled from the platform's and each feature's, in the order of their numbers.
 * This is where a new feature's migrations join the list.
 */
import type { Kysely } from 'kysely'
import type { DB } from './platform/db/schema.ts'
import { migrateToLatest, orderMigrations, platformMigrations, type Migration } from './platform/db/migrate.ts'
import * as people from './features/people/migrations/0002-people.ts'
import * as peopleIndexes from './features/people/migrations/0004-people-indexes.ts'
import * as instruments from './features/instruments/migrations/0005-instruments.ts'
import * as appointments from './features/appointments/migrations/0006-appointments.ts'
import * as consent from './features/consent/migrations/0007-consent.ts'
import * as healthChecks from './features/health-checks/migrations/0008-health-checks.ts'
import * as directoryAndGp from './features/services/migrations/0009-directory-and-gp.ts'
import * as absenceReason from './features/appointments/migrations/0010-appointment-absence-reason.ts'
import * as referrals from './features/referrals/migrations/0011-referrals.ts'
import * as screening from './features/screening/migrations/0012-screening.ts'
import * as needHistory from './features/needs/migrations/0013-need-history.ts'
import * as treatmentRequirements from './features/treatment-requirements/migrations/0014-treatment-requirements.ts'
import * as passwordChange from './features/staff/migrations/0015-password-change.ts'
import * as worklistIndexes from './features/gp-registration/migrations/0016-worklist-indexes.ts'

export const migrations: readonly Migration[] = orderMigrations(platformMigrations, [
  people,
  peopleIndexes,
  instruments,
  appointments,
  consent,
  healthChecks,
  directoryAndGp,
  absenceReason,
  referrals,
  screening,
  needHistory,
  treatmentRequirements,
  passwordChange,
  worklistIndexes,
])

/** Applies every migration not yet applied; returns the names applied. */
export function migrate(db: Kysely<DB>): Promise<string[]> {
  return migrateToLatest(db, migrations)
}
