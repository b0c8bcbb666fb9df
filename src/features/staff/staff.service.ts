import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import type { Clock } from '../../platform/clock.ts'
import { ConflictError, DomainError, NotFoundError, type FieldError } from '../../platform/http/errors.ts'
import type { ActorContext, AuditService } from '../../platform/audit/audit.service.ts'
import type { AuthService } from './auth.service.ts'
import { hashPassword, passwordProblem, type PasswordCost } from './passwords.ts'
import { isStaffRole, messages, siteRoles } from './staff.messages.ts'
import * as repo from './staff.repository.ts'
import { isUuid } from '../../platform/forms/forms.ts'
import type { StaffRole } from '../../platform/http/roles.ts'
import type { SitesService } from '../sites/index.ts'

export type { StaffUser, Organisation } from './staff.repository.ts'
/** Other features name roles the same way the staff pages do. */
export { roleLabel } from './staff.messages.ts'

/** What an administrator (or the command line) gives to create a user. Field errors name these keys. */
export interface NewStaffUser {
  email: string
  fullName: string
  role: string
  siteIds: readonly string[]
  organisationId: string | null
  /** undefined: the service generates a strong password and returns it once. */
  password: string | undefined
}

export interface StaffUserChanges {
  fullName: string
  role: string
  siteIds: readonly string[]
  organisationId: string | null
}

export interface StaffFilter {
  search?: string
  role?: StaffRole
  siteId?: string
  status?: 'active' | 'disabled' | 'locked'
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const ORGANISATION_CODE = /^[a-z0-9][a-z0-9-]{1,59}$/
const LIST_LIMIT = 500
const UNIQUE_VIOLATION = '23505'

/** 144 random bits as 24 URL-safe characters: far beyond the 12-character minimum, and easy to copy. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url')
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === UNIQUE_VIOLATION
}

export type StaffService = ReturnType<typeof createStaffService>

export function createStaffService(deps: {
  db: Kysely<DB>
  clock: Clock
  audit: AuditService
  auth: AuthService
  sites: SitesService
  passwordCost: PasswordCost
}) {
  const { db, clock, audit, auth, sites, passwordCost } = deps

  /** Rules shared by create and edit: role, sites for site-based roles, organisation for partners. */
  async function membershipProblems(role: string, siteIds: readonly string[], organisationId: string | null) {
    const errors: FieldError[] = []
    if (role === '') errors.push({ field: 'role', message: messages.roleMissing })
    else if (!isStaffRole(role)) errors.push({ field: 'role', message: messages.roleMissing })
    const uniqueSites = [...new Set(siteIds)]
    if (
      uniqueSites.some((id) => !isUuid(id)) ||
      (await repo.countExistingSites(db, uniqueSites)) !== uniqueSites.length
    ) {
      errors.push({ field: 'sites', message: messages.siteUnknown })
    } else if (isStaffRole(role) && siteRoles.includes(role) && uniqueSites.length === 0) {
      errors.push({ field: 'sites', message: messages.sitesMissing })
    }
    if (role === 'partner') {
      if (organisationId === null || organisationId === '') {
        errors.push({ field: 'organisationId', message: messages.organisationMissing })
      } else if (!isUuid(organisationId) || (await sites.findOrganisationById(organisationId)) === undefined) {
        errors.push({ field: 'organisationId', message: messages.organisationUnknown })
      }
    }
    return errors
  }

  function nameProblems(fullName: string): FieldError[] {
    if (fullName.trim() === '') return [{ field: 'fullName', message: messages.nameMissing }]
    if (fullName.length > 200) return [{ field: 'fullName', message: messages.nameTooLong }]
    return []
  }

  /** Every problem with a new user at once, so a form can show them all in one error summary. */
  async function checkNewUser(input: NewStaffUser): Promise<FieldError[]> {
    const errors: FieldError[] = []
    const email = input.email.trim().toLowerCase()
    if (email === '') errors.push({ field: 'email', message: messages.emailMissing })
    else if (!EMAIL.test(email) || email.length > 254) errors.push({ field: 'email', message: messages.emailFormat })
    else if ((await repo.findStaffByEmail(db, email)) !== undefined)
      errors.push({ field: 'email', message: messages.emailTaken })
    errors.push(...nameProblems(input.fullName))
    errors.push(...(await membershipProblems(input.role, input.siteIds, input.organisationId)))
    if (input.password !== undefined) {
      const problem = passwordProblem(input.password)
      if (problem !== undefined) errors.push({ field: 'password', message: problem })
    }
    return errors
  }

  async function createUser(
    input: NewStaffUser,
    actor: ActorContext,
  ): Promise<{ user: repo.StaffUser; generatedPassword: string | undefined }> {
    const errors = await checkNewUser(input)
    if (errors.length > 0) throw new DomainError('invalid-user', errors)
    const role = input.role as StaffRole
    const generatedPassword = input.password === undefined ? generatePassword() : undefined
    const passwordHash = await hashPassword(input.password ?? generatedPassword ?? '', passwordCost)
    const siteIds = [...new Set(input.siteIds)]
    const now = clock.now()
    try {
      const id = await db.transaction().execute(async (tx) => {
        const newId = await repo.insertStaff(tx, {
          email: input.email.trim().toLowerCase(),
          displayName: input.fullName.trim(),
          role,
          organisationId: role === 'partner' ? input.organisationId : null,
          passwordHash,
          now,
        })
        await repo.replaceSites(tx, newId, siteIds)
        const changed = ['email', 'fullName', 'role', 'password']
        if (siteIds.length > 0) changed.push('sites')
        if (role === 'partner') changed.push('organisation')
        await audit.record(tx, actor, {
          action: 'user-create',
          entityType: 'staff_user',
          entityId: newId,
          details: { changed },
        })
        return newId
      })
      return { user: await getUser(id), generatedPassword }
    } catch (error) {
      // Two administrators creating the same email at once: the unique index decides, and the loser is told why.
      if (isUniqueViolation(error))
        throw new DomainError('email-taken', [{ field: 'email', message: messages.emailTaken }])
      throw error
    }
  }

  async function getUser(id: string): Promise<repo.StaffUser> {
    const user = isUuid(id) ? await repo.findStaffById(db, id) : undefined
    if (user === undefined) throw new NotFoundError('No staff user has that id')
    return user
  }

  async function findUserByEmail(email: string): Promise<repo.StaffUser | undefined> {
    return repo.findStaffByEmail(db, email.trim())
  }

  async function listUsers(filter: StaffFilter = {}): Promise<repo.StaffUser[]> {
    const siteId = filter.siteId !== undefined && isUuid(filter.siteId) ? filter.siteId : undefined
    if (filter.siteId !== undefined && siteId === undefined) return []
    return repo.listStaff(db, { ...filter, siteId, now: clock.now(), limit: LIST_LIMIT })
  }

  /**
   * Applies a change only if nobody else changed the user since `version` was read, records which fields changed
   * in the same transaction, and ends the user's sessions when their access changed.
   */
  async function applyChange(
    id: string,
    version: number,
    actor: ActorContext,
    build: (current: repo.StaffUser) => Promise<{
      changes: repo.StaffChanges
      siteIds?: string[]
      changed: string[]
      endSessions: boolean
      revokeTokens?: boolean
    }>,
  ): Promise<repo.StaffUser> {
    const current = await getUser(id)
    if (current.version !== version) throw new ConflictError(messages.stale, { currentVersion: current.version })
    const { changes, siteIds, changed, endSessions, revokeTokens = false } = await build(current)
    if (changed.length === 0) return current
    await db.transaction().execute(async (tx) => {
      if (!(await repo.updateStaff(tx, id, version, changes, clock.now()))) {
        throw new ConflictError(messages.stale)
      }
      if (siteIds !== undefined) await repo.replaceSites(tx, id, siteIds)
      await audit.record(tx, actor, {
        action: 'user-update',
        entityType: 'staff_user',
        entityId: id,
        details: { changed },
      })
    })
    if (endSessions) await auth.endAllSessions(id)
    if (revokeTokens) await auth.revokeAllApiTokens(id, actor)
    return getUser(id)
  }

  function isSelf(actor: ActorContext, id: string): boolean {
    return actor.principal?.userId === id
  }

  async function updateUser(
    id: string,
    version: number,
    input: StaffUserChanges,
    actor: ActorContext,
  ): Promise<repo.StaffUser> {
    return applyChange(id, version, actor, async (current) => {
      const errors = [
        ...nameProblems(input.fullName),
        ...(await membershipProblems(input.role, input.siteIds, input.organisationId)),
      ]
      if (isSelf(actor, id) && current.role === 'admin' && input.role !== 'admin') {
        errors.push({ field: 'role', message: messages.ownAdminRole })
      }
      if (errors.length > 0) throw new DomainError('invalid-user', errors)
      const role = input.role as StaffRole
      const organisationId = role === 'partner' ? input.organisationId : null
      const siteIds = [...new Set(input.siteIds)].sort()
      const changes: repo.StaffChanges = {}
      const changed: string[] = []
      if (input.fullName.trim() !== current.displayName) {
        changes.display_name = input.fullName.trim()
        changed.push('fullName')
      }
      if (role !== current.role) {
        changes.role = role
        changed.push('role')
      }
      if (organisationId !== current.organisationId) {
        changes.organisation_id = organisationId
        changed.push('organisation')
      }
      const sitesChanged = siteIds.join() !== [...current.siteIds].sort().join()
      if (sitesChanged) changed.push('sites')
      return {
        changes,
        ...(sitesChanged ? { siteIds } : {}),
        changed,
        endSessions: changed.includes('role') || sitesChanged || changed.includes('organisation'),
      }
    })
  }

  async function setStatus(id: string, version: number, status: 'active' | 'disabled', actor: ActorContext) {
    return applyChange(id, version, actor, async (current) => {
      if (status === 'disabled' && isSelf(actor, id)) {
        throw new DomainError('own-account', [{ field: 'status', message: messages.ownAccountDisable }])
      }
      if (current.status === status) return { changes: {}, changed: [], endSessions: false }
      return { changes: { status }, changed: ['status'], endSessions: status === 'disabled' }
    })
  }

  const disableUser = (id: string, version: number, actor: ActorContext) => setStatus(id, version, 'disabled', actor)
  const enableUser = (id: string, version: number, actor: ActorContext) => setStatus(id, version, 'active', actor)

  async function unlockUser(id: string, version: number, actor: ActorContext) {
    return applyChange(id, version, actor, async (current) => {
      if (current.lockedUntil === null && current.failedSignIns === 0)
        return { changes: {}, changed: [], endSessions: false }
      return { changes: { locked_until: null, failed_sign_ins: 0 }, changed: ['lock'], endSessions: false }
    })
  }

  /** Sets a typed password, or generates one (returned once). Ends the user's sessions: whoever had them must sign in again. */
  async function setPassword(
    id: string,
    version: number,
    password: string | undefined,
    actor: ActorContext,
  ): Promise<{ user: repo.StaffUser; generatedPassword: string | undefined }> {
    if (password !== undefined) {
      const problem = passwordProblem(password)
      if (problem !== undefined) throw new DomainError('weak-password', [{ field: 'password', message: problem }])
    }
    const generatedPassword = password === undefined ? generatePassword() : undefined
    const passwordHash = await hashPassword(password ?? generatedPassword ?? '', passwordCost)
    const user = await applyChange(id, version, actor, async () => ({
      changes: { password_hash: passwordHash, must_change_password: true, failed_sign_ins: 0, locked_until: null },
      changed: ['password'],
      endSessions: true,
      revokeTokens: true,
    }))
    return { user, generatedPassword }
  }

  function isLocked(user: repo.StaffUser): boolean {
    return user.lockedUntil !== null && user.lockedUntil > clock.now()
  }

  async function listOrganisations(): Promise<repo.Organisation[]> {
    return sites.listOrganisations()
  }

  async function findOrganisationByCode(code: string): Promise<repo.Organisation | undefined> {
    return sites.findOrganisationByCode(code)
  }

  async function createOrganisation(
    input: { code: string; name: string },
    actor: ActorContext,
  ): Promise<repo.Organisation> {
    const code = input.code.trim()
    const name = input.name.trim()
    const errors: FieldError[] = []
    if (!ORGANISATION_CODE.test(code)) errors.push({ field: 'code', message: messages.organisationCodeFormat })
    else if ((await sites.findOrganisationByCode(code)) !== undefined) {
      errors.push({ field: 'code', message: messages.organisationCodeTaken })
    }
    if (name === '') errors.push({ field: 'name', message: messages.organisationNameMissing })
    if (errors.length > 0) throw new DomainError('invalid-organisation', errors)
    try {
      return await db.transaction().execute(async (tx) => {
        const organisation = await sites.insertOrganisation(tx, { code, name })
        await audit.record(tx, actor, {
          action: 'create',
          entityType: 'organisation',
          entityId: organisation.id,
          details: { changed: ['code', 'name'] },
        })
        return organisation
      })
    } catch (error) {
      if (isUniqueViolation(error))
        throw new DomainError('code-taken', [{ field: 'code', message: messages.organisationCodeTaken }])
      throw error
    }
  }

  return {
    checkNewUser,
    createUser,
    getUser,
    findUserByEmail,
    listUsers,
    updateUser,
    disableUser,
    enableUser,
    unlockUser,
    setPassword,
    isLocked,
    listOrganisations,
    findOrganisationByCode,
    createOrganisation,
  }
}
