import { randomBytes } from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import type { Clock } from '../../platform/clock.ts'
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  type FieldError,
} from '../../platform/http/errors.ts'
import type { ActorContext, AuditService } from '../../platform/audit/audit.service.ts'
import { principalOf, principalWithRole } from '../../platform/http/auth.ts'
import type { AuthService } from './auth.service.ts'
import { hashPassword, passwordProblem, type PasswordCost } from './passwords.ts'
import { isStaffRole, messages, siteRoles } from './staff.messages.ts'
import * as repo from './staff.repository.ts'
import * as accessRepo from './access-requests.repository.ts'
import {
  mayView,
  needsApproval,
  newAccountRequest,
  passwordResetRequest,
  planAccessChange,
  whyCannotDecide,
  type AccountAccess,
  type DecisionBar,
  type RequestedAccess,
} from './access-requests.rules.ts'
import type { AccessRequestKind } from './staff.tables.ts'
import { isUuid } from '../../platform/forms/forms.ts'
import type { StaffRole } from '../../platform/http/roles.ts'
import type { SitesService } from '../sites/index.ts'

export type { StaffUser, Organisation } from './staff.repository.ts'
export type { AccessRequest } from './access-requests.repository.ts'
export type { DecisionBar } from './access-requests.rules.ts'
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

/** An approver's answer to an access request, as typed: checked by the service. */
export interface AccessDecision {
  decision: string
  reason: string
}

/** A request as one decider sees it: why they may not decide it, if they may not. */
export interface AccessRequestForDecider {
  request: accessRepo.AccessRequest
  bar: DecisionBar | undefined
}

/** Where an account's access stands, for its page: a pending request, the newest decision, and whether it is usable. */
export interface AccountAccessState {
  pending: accessRepo.AccessRequest | undefined
  latest: accessRepo.AccessRequest | undefined
  /** A new account whose access has not been approved: it cannot be enabled until it is. */
  awaitingFirstApproval: boolean
}

/** A decided request; an approved password reset carries its one-time password, for the approver's eyes only. */
export interface DecidedAccessRequest {
  request: accessRepo.AccessRequest
  oneTimePassword: string | undefined
}

/** How a change was taken: what took effect, and what waits for approval. */
export interface ChangeResult {
  user: repo.StaffUser
  accessRequest: accessRepo.AccessRequest | undefined
}

interface AccessRequestToMake extends RequestedAccess {
  kind: AccessRequestKind
  fromRole: StaffRole | null
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
const REASON_MAX = 1000
const deciderRoles: readonly StaffRole[] = ['admin', 'hub_manager']

const sameSites = (a: readonly string[], b: readonly string[]) => [...a].sort().join() === [...b].sort().join()

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

  /** Records a request for a second person to decide, and audits it, in the caller's transaction. */
  async function insertAccessRequest(
    tx: Transaction<DB>,
    staffUserId: string,
    request: AccessRequestToMake,
    actor: ActorContext,
  ): Promise<string> {
    const requestedBy = principalOf(actor).userId
    const id = await accessRepo.insertRequest(tx, {
      staffUserId,
      kind: request.kind,
      fromRole: request.fromRole,
      role: request.role,
      siteIds: request.siteIds,
      grantsSiteIds: request.grantsSiteIds,
      requestedBy,
      requestedAt: clock.now(),
    })
    await audit.record(tx, actor, {
      action: 'create',
      entityType: 'staff_access_request',
      entityId: id,
      details: {
        staffUserId,
        kind: request.kind,
        role: request.role,
        siteIds: request.siteIds,
        grantsSiteIds: request.grantsSiteIds,
      },
    })
    return id
  }

  /**
   * Adds a user. A role that needs approval (a clinical role, or administrator) makes the account disabled, with an
   * access request for a second person to decide: it cannot sign in until approved. The command line is the
   * operator's bootstrap path (`approval: 'command-line'`): whoever runs it can write the database directly, so a
   * check there would add no second person, only stop the first administrator being made.
   */
  async function createUser(
    input: NewStaffUser,
    actor: ActorContext,
    options: { approval?: 'command-line' } = {},
  ): Promise<{
    user: repo.StaffUser
    generatedPassword: string | undefined
    accessRequest: accessRepo.AccessRequest | undefined
  }> {
    const errors = await checkNewUser(input)
    if (errors.length > 0) throw new DomainError('invalid-user', errors)
    const role = input.role as StaffRole
    const siteIds = [...new Set(input.siteIds)]
    const organisationId = role === 'partner' ? input.organisationId : null
    const request =
      options.approval === 'command-line' ? undefined : newAccountRequest({ role, siteIds, organisationId })
    // Refused before any work if there is nobody to record as having asked.
    if (request !== undefined) principalOf(actor)
    const generatedPassword = input.password === undefined ? generatePassword() : undefined
    const passwordHash = await hashPassword(input.password ?? generatedPassword ?? '', passwordCost)
    const now = clock.now()
    try {
      const created = await db.transaction().execute(async (tx) => {
        const newId = await repo.insertStaff(tx, {
          email: input.email.trim().toLowerCase(),
          displayName: input.fullName.trim(),
          role,
          organisationId,
          passwordHash,
          now,
          status: request === undefined ? 'active' : 'disabled',
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
        const requestId =
          request === undefined
            ? undefined
            : await insertAccessRequest(tx, newId, { ...request, kind: 'new-account', fromRole: null }, actor)
        return { id: newId, requestId }
      })
      return {
        user: await getUser(created.id),
        generatedPassword,
        accessRequest:
          created.requestId === undefined ? undefined : await accessRepo.findRequestById(db, created.requestId),
      }
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

  /** One numbered page (from 1) of the users matching the filter, and how many match in all. */
  async function listUsersPage(
    filter: StaffFilter,
    page: number,
    pageSize: number,
  ): Promise<{ total: number; items: repo.StaffUser[] }> {
    const siteId = filter.siteId !== undefined && isUuid(filter.siteId) ? filter.siteId : undefined
    if (filter.siteId !== undefined && siteId === undefined) return { total: 0, items: [] }
    const query = { ...filter, siteId, now: clock.now() }
    const [total, items] = await Promise.all([
      repo.countStaff(db, query),
      repo.listStaff(db, { ...query, limit: pageSize, offset: (Math.max(1, page) - 1) * pageSize }),
    ])
    return { total, items }
  }

  /**
   * Applies a change only if nobody else changed the user since `version` was read, records which fields changed
   * in the same transaction, and ends the user's sessions when their access changed. What the change asks for that
   * needs approval becomes the account's access request (replacing a pending one); a change of access that takes
   * effect cancels a pending request, which was asked for from the access the account had.
   */
  async function applyChangeAndRequest(
    id: string,
    version: number,
    actor: ActorContext,
    build: (current: repo.StaffUser) => Promise<{
      changes: repo.StaffChanges
      siteIds?: string[]
      changed: string[]
      endSessions: boolean
      revokeTokens?: boolean
      accessRequest?: AccessRequestToMake
      cancelPendingRequest?: boolean
    }>,
  ): Promise<ChangeResult> {
    const current = await getUser(id)
    if (current.version !== version) throw new ConflictError(messages.stale, { currentVersion: current.version })
    const built = await build(current)
    const { changes, siteIds, changed, endSessions, revokeTokens = false, accessRequest } = built
    const cancelPending = built.cancelPendingRequest === true || accessRequest !== undefined
    if (changed.length === 0 && !cancelPending) return { user: current, accessRequest: undefined }
    const now = clock.now()
    const requestId = await db.transaction().execute(async (tx) => {
      if (changed.length > 0) {
        if (!(await repo.updateStaff(tx, id, version, changes, now))) throw new ConflictError(messages.stale)
      } else if ((await repo.lockStaffById(tx, id))?.version !== version) {
        // Only a request: nothing on the account changes, but it must still be the account the page showed.
        throw new ConflictError(messages.stale)
      }
      if (siteIds !== undefined) await repo.replaceSites(tx, id, siteIds)
      if (changed.length > 0) {
        await audit.record(tx, actor, {
          action: 'user-update',
          entityType: 'staff_user',
          entityId: id,
          details: { changed },
        })
      }
      if (cancelPending) {
        const cancelled = await accessRepo.cancelPendingRequest(tx, id, actor.principal?.userId ?? null, now)
        if (cancelled !== undefined) {
          await audit.record(tx, actor, {
            action: 'update',
            entityType: 'staff_access_request',
            entityId: cancelled,
            details: { staffUserId: id, changed: ['status'], status: 'cancelled' },
          })
        }
      }
      return accessRequest === undefined ? undefined : insertAccessRequest(tx, id, accessRequest, actor)
    })
    if (endSessions) await auth.endAllSessions(id)
    if (revokeTokens) await auth.revokeAllApiTokens(id, actor)
    return {
      user: await getUser(id),
      accessRequest: requestId === undefined ? undefined : await accessRepo.findRequestById(db, requestId),
    }
  }

  async function applyChange(
    id: string,
    version: number,
    actor: ActorContext,
    build: Parameters<typeof applyChangeAndRequest>[3],
  ): Promise<repo.StaffUser> {
    return (await applyChangeAndRequest(id, version, actor, build)).user
  }

  function isSelf(actor: ActorContext, id: string): boolean {
    return actor.principal?.userId === id
  }

  /**
   * Changes a user's name, role, sites and organisation. Narrowing access takes effect at once; widening it (a role
   * or a site that needs approval) is recorded as an access request, and the account keeps its current access until
   * a second person approves. A new account still waiting for (or refused) its first approval is disabled, so its
   * details change as typed and the request is made afresh.
   */
  async function updateUser(
    id: string,
    version: number,
    input: StaffUserChanges,
    actor: ActorContext,
  ): Promise<ChangeResult> {
    return applyChangeAndRequest(id, version, actor, async (current) => {
      const errors = [
        ...nameProblems(input.fullName),
        ...(await membershipProblems(input.role, input.siteIds, input.organisationId)),
      ]
      if (isSelf(actor, id) && current.role === 'admin' && input.role !== 'admin') {
        errors.push({ field: 'role', message: messages.ownAdminRole })
      }
      if (errors.length > 0) throw new DomainError('invalid-user', errors)
      const role = input.role as StaffRole
      const wanted: AccountAccess = {
        role,
        siteIds: [...new Set(input.siteIds)].sort(),
        organisationId: role === 'partner' ? input.organisationId : null,
      }
      let now: AccountAccess
      let accessRequest: AccessRequestToMake | undefined
      const state = await accessStateOf(current)
      if (current.status === 'disabled' && state.neverApproved) {
        now = wanted
        const accessChanged =
          wanted.role !== current.role ||
          wanted.organisationId !== current.organisationId ||
          !sameSites(wanted.siteIds, current.siteIds)
        const request = newAccountRequest(wanted)
        // Saving a refused new account unchanged asks again; a pending one is replaced only when its access changes.
        if (request !== undefined && (accessChanged || state.pending === undefined)) {
          accessRequest = { ...request, kind: 'new-account', fromRole: null }
        }
      } else {
        const plan = planAccessChange(current, wanted)
        now = plan.now
        accessRequest =
          plan.request === undefined ? undefined : { ...plan.request, kind: 'change', fromRole: current.role }
      }
      const changes: repo.StaffChanges = {}
      const changed: string[] = []
      if (input.fullName.trim() !== current.displayName) {
        changes.display_name = input.fullName.trim()
        changed.push('fullName')
      }
      if (now.role !== current.role) {
        changes.role = now.role
        changed.push('role')
      }
      if (now.organisationId !== current.organisationId) {
        changes.organisation_id = now.organisationId
        changed.push('organisation')
      }
      const sitesChanged = !sameSites(now.siteIds, current.siteIds)
      if (sitesChanged) changed.push('sites')
      const accessChanged = changed.includes('role') || sitesChanged || changed.includes('organisation')
      return {
        changes,
        ...(sitesChanged ? { siteIds: [...now.siteIds] } : {}),
        changed,
        endSessions: accessChanged,
        ...(accessRequest === undefined ? {} : { accessRequest }),
        cancelPendingRequest: accessChanged,
      }
    })
  }

  async function setStatus(id: string, version: number, status: 'active' | 'disabled', actor: ActorContext) {
    return applyChange(id, version, actor, async (current) => {
      if (status === 'disabled' && isSelf(actor, id)) {
        throw new DomainError('own-account', [{ field: 'status', message: messages.ownAccountDisable }])
      }
      if (current.status === status) return { changes: {}, changed: [], endSessions: false }
      if (status === 'active') {
        const state = await accessStateOf(current)
        if (state.awaitingFirstApproval) {
          const message = state.pending === undefined ? messages.enableRefusedAccess : messages.enableAwaitingApproval
          throw new DomainError('awaiting-approval', [{ field: 'status', message }])
        }
      }
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

  /**
   * Asks for a reset of another account's password. Nothing changes on the account: a second person approves it on
   * the Access requests page and is shown the one-time password (see decideAccessRequest), so the administrator who
   * asked never learns a password that works. Your own password is changed from Your account, never here.
   */
  async function requestPasswordReset(
    id: string,
    version: number,
    actor: ActorContext,
  ): Promise<accessRepo.AccessRequest> {
    if (isSelf(actor, id)) throw new DomainError('own-password', [{ field: 'password', message: messages.ownPasswordReset }])
    principalOf(actor)
    const current = await getUser(id)
    if (current.version !== version) throw new ConflictError(messages.stale, { currentVersion: current.version })
    const refusePending = () =>
      new DomainError('request-pending', [{ field: 'password', message: messages.resetWhilePending }])
    if ((await accessRepo.findLatestRequestFor(db, id))?.status === 'pending') throw refusePending()
    try {
      const requestId = await db.transaction().execute(async (tx) => {
        const locked = await repo.lockStaffById(tx, id)
        if (locked?.version !== version) throw new ConflictError(messages.stale)
        const request = passwordResetRequest(locked)
        return insertAccessRequest(tx, id, { ...request, kind: 'password-reset', fromRole: locked.role }, actor)
      })
      const request = await accessRepo.findRequestById(db, requestId)
      if (request === undefined) throw new NotFoundError('No access request has that id')
      return request
    } catch (error) {
      // Two requests for one account at once: the one-pending-request index decides.
      if (isUniqueViolation(error)) throw refusePending()
      throw error
    }
  }

  /**
   * The operator's break-glass reset (`hub users reset-password`): no second person, as for `hub users create`,
   * because whoever runs the command line can already write to the database. Refused to anyone signed in, so no page
   * or API route can reach it. Sets a generated one-time password (returned once) that its owner must change at
   * their next sign-in, unlocks the account, cancels a pending reset request, and ends every session and API token.
   */
  async function resetPasswordByOperator(
    id: string,
    actor: ActorContext,
  ): Promise<{ user: repo.StaffUser; oneTimePassword: string }> {
    if (actor.principal !== undefined) throw new ForbiddenError('Only the command line resets a password directly')
    const current = await getUser(id)
    const oneTimePassword = generatePassword()
    const passwordHash = await hashPassword(oneTimePassword, passwordCost)
    const now = clock.now()
    await db.transaction().execute(async (tx) => {
      const changes = { password_hash: passwordHash, must_change_password: true, failed_sign_ins: 0, locked_until: null }
      if (!(await repo.updateStaff(tx, id, current.version, changes, now))) throw new ConflictError(messages.stale)
      await audit.record(tx, actor, {
        action: 'user-update',
        entityType: 'staff_user',
        entityId: id,
        details: { changed: ['password'], by: 'command-line' },
      })
      const cancelled = await accessRepo.cancelPendingReset(tx, id, now)
      if (cancelled !== undefined) {
        await audit.record(tx, actor, {
          action: 'update',
          entityType: 'staff_access_request',
          entityId: cancelled,
          details: { staffUserId: id, changed: ['status'], status: 'cancelled' },
        })
      }
    })
    await auth.endAllSessions(id)
    await auth.revokeAllApiTokens(id, actor)
    return { user: await getUser(id), oneTimePassword }
  }

  /** Where the account's access stands. `neverApproved`: it was made by a request that was never approved. */
  async function accessStateOf(user: repo.StaffUser): Promise<AccountAccessState & { neverApproved: boolean }> {
    const [latest, neverApproved] = await Promise.all([
      accessRepo.findLatestRequestFor(db, user.id),
      accessRepo.isNeverApproved(db, user.id),
    ])
    return {
      pending: latest?.status === 'pending' ? latest : undefined,
      latest,
      neverApproved,
      awaitingFirstApproval: neverApproved && user.status === 'disabled' && needsApproval(user.role),
    }
  }

  async function getAccessState(id: string): Promise<AccountAccessState> {
    const { pending, latest, awaitingFirstApproval } = await accessStateOf(await getUser(id))
    return { pending, latest, awaitingFirstApproval }
  }

  /** Pending requests the actor may see: every one for an administrator, a hub manager's within their sites. */
  async function listAccessRequests(actor: ActorContext): Promise<AccessRequestForDecider[]> {
    const principal = principalWithRole(actor, deciderRoles)
    const pending = await accessRepo.listPendingRequests(db)
    return pending
      .filter((request) => mayView(principal, request))
      .map((request) => ({ request, bar: whyCannotDecide(principal, request) }))
  }

  async function countPendingAccessRequests(): Promise<number> {
    return accessRepo.countPendingRequests(db)
  }

  async function getAccessRequest(
    id: string,
    actor: ActorContext,
  ): Promise<AccessRequestForDecider & { user: repo.StaffUser }> {
    const principal = principalWithRole(actor, deciderRoles)
    const request = isUuid(id) ? await accessRepo.findRequestById(db, id) : undefined
    if (request === undefined) throw new NotFoundError('No access request has that id')
    if (!mayView(principal, request)) throw new ForbiddenError(messages.decisionBars['other-sites'])
    const bar = request.status === 'pending' ? whyCannotDecide(principal, request) : undefined
    return { request, bar, user: await getUser(request.staffUserId) }
  }

  function decisionProblems(input: AccessDecision): FieldError[] {
    if (input.decision !== 'approve' && input.decision !== 'refuse') {
      return [{ field: 'decision', message: messages.decisionMissing }]
    }
    if (input.decision === 'refuse') {
      const reason = input.reason.trim()
      if (reason === '') return [{ field: 'reason', message: messages.reasonMissing }]
      if (reason.length > REASON_MAX) return [{ field: 'reason', message: messages.reasonTooLong }]
    }
    return []
  }

  /**
   * Approves or refuses a pending request. Only a second person may: a hub manager of every site it adds (not for
   * the administrator role), or another administrator; never whoever asked, never the account's owner. Approving
   * applies the requested role and sites (and enables a new account); refusing leaves the account as it is. The
   * account's row is locked first, in the same order as every other change to it, and the decision is audited in
   * the same transaction.
   */
  async function decideAccessRequest(
    id: string,
    input: AccessDecision,
    actor: ActorContext,
  ): Promise<DecidedAccessRequest> {
    const principal = principalWithRole(actor, deciderRoles)
    const found = isUuid(id) ? await accessRepo.findRequestById(db, id) : undefined
    if (found === undefined) throw new NotFoundError('No access request has that id')
    if (!mayView(principal, found)) throw new ForbiddenError(messages.decisionBars['other-sites'])
    const errors = decisionProblems(input)
    if (errors.length > 0) throw new DomainError('invalid-decision', errors)
    const approve = input.decision === 'approve'
    // Hashed before the transaction opens: scrypt is slow, and the account's row is locked inside it.
    const oneTimePassword = approve && found.kind === 'password-reset' ? generatePassword() : undefined
    const resetHash = oneTimePassword === undefined ? undefined : await hashPassword(oneTimePassword, passwordCost)
    const now = clock.now()
    const endSessions = await db.transaction().execute(async (tx) => {
      const user = await repo.lockStaffById(tx, found.staffUserId)
      const request = await accessRepo.findRequestById(tx, id)
      if (user === undefined || request?.status !== 'pending') throw new ConflictError(messages.requestDecided)
      const bar = whyCannotDecide(principal, request)
      if (bar !== undefined) throw new ForbiddenError(messages.decisionBars[bar])
      const changed: string[] = []
      if (approve && request.kind === 'password-reset') {
        if (resetHash === undefined) throw new ConflictError(messages.requestDecided)
        // Whoever approved knows this password: the owner must choose their own at their next sign-in.
        const changes = { password_hash: resetHash, must_change_password: true, failed_sign_ins: 0, locked_until: null }
        if (!(await repo.updateStaff(tx, user.id, user.version, changes, now))) throw new ConflictError(messages.stale)
        changed.push('password')
        await audit.record(tx, actor, {
          action: 'user-update',
          entityType: 'staff_user',
          entityId: user.id,
          details: { changed, by: 'password-reset', accessRequestId: id },
        })
      } else if (approve) {
        const changes: repo.StaffChanges = {}
        if (request.role !== user.role) {
          changes.role = request.role
          changed.push('role')
        }
        if (user.organisationId !== null) {
          changes.organisation_id = null
          changed.push('organisation')
        }
        const sitesChanged = !sameSites(request.siteIds, user.siteIds)
        if (sitesChanged) changed.push('sites')
        // A new account was made with the access it asked for: approving it lets it sign in.
        if (request.kind === 'new-account') changes.status = 'active'
        if (!(await repo.updateStaff(tx, user.id, user.version, changes, now))) throw new ConflictError(messages.stale)
        if (sitesChanged) await repo.replaceSites(tx, user.id, request.siteIds)
        if (changed.length > 0) {
          await audit.record(tx, actor, {
            action: 'user-update',
            entityType: 'staff_user',
            entityId: user.id,
            details: { changed },
          })
        }
      }
      const status = approve ? 'approved' : 'refused'
      if (
        !(await accessRepo.decideRequest(tx, id, {
          status,
          decidedBy: principal.userId,
          decidedAt: now,
          refusalReason: approve ? null : input.reason.trim(),
        }))
      ) {
        throw new ConflictError(messages.requestDecided)
      }
      await audit.record(tx, actor, {
        action: 'update',
        entityType: 'staff_access_request',
        entityId: id,
        details: { staffUserId: user.id, changed: ['status'], status },
      })
      return approve && request.kind !== 'new-account' && changed.length > 0
    })
    if (endSessions) await auth.endAllSessions(found.staffUserId)
    // A reset closes whatever the old password opened: API tokens too.
    if (oneTimePassword !== undefined) await auth.revokeAllApiTokens(found.staffUserId, actor)
    const decided = await accessRepo.findRequestById(db, id)
    if (decided === undefined) throw new NotFoundError('No access request has that id')
    return { request: decided, oneTimePassword }
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
    listUsersPage,
    updateUser,
    disableUser,
    enableUser,
    unlockUser,
    requestPasswordReset,
    resetPasswordByOperator,
    getAccessState,
    listAccessRequests,
    countPendingAccessRequests,
    getAccessRequest,
    decideAccessRequest,
    isLocked,
    listOrganisations,
    findOrganisationByCode,
    createOrganisation,
  }
}
