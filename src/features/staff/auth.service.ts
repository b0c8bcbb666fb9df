import { createHash, createHmac, randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import type { Principal } from '../../platform/http/auth.ts'
import type { Clock } from '../../platform/clock.ts'
import { NotFoundError } from '../../platform/http/errors.ts'
import type { ActorContext, AuditService } from '../../platform/audit/audit.service.ts'
import * as repo from './auth.repository.ts'
import { dummyPasswordHash, hashPassword, passwordProblem, verifyPassword, type PasswordCost } from './passwords.ts'
import type { FieldError } from '../../platform/http/errors.ts'

export const SESSION_IDLE_MS = 15 * 60 * 1000
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000
/** Sessions are touched at most this often, so reading pages does not write on every request. */
const SESSION_TOUCH_MS = 60 * 1000
export const MAX_FAILED_SIGN_INS = 5
export const LOCKOUT_MS = 15 * 60 * 1000

export type SignInResult =
  { ok: true; sessionToken: string; principal: Principal } | { ok: false; reason: 'invalid' | 'locked' }

export type AuthService = ReturnType<typeof createAuthService>

export function createAuthService(deps: {
  db: Kysely<DB>
  clock: Clock
  audit: AuditService
  sessionSecret: string
  passwordCost: PasswordCost
}) {
  const { db, clock, audit, sessionSecret, passwordCost } = deps

  /** Session ids are stored as an HMAC, so a copy of the table cannot be replayed as cookies. */
  const sessionHash = (token: string) => createHmac('sha256', sessionSecret).update(token).digest('hex')
  /** API tokens outlive secret rotation, so they are stored as a plain SHA-256 of 256 random bits. */
  const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex')

  async function principalFor(userId: string, via: Principal['via']): Promise<Principal | undefined> {
    const user = await repo.findStaffById(db, userId)
    if (user === undefined || user.status !== 'active') return undefined
    return {
      userId: user.id,
      email: user.email,
      displayName: user.displayName,
      role: user.role,
      siteIds: await repo.listSiteIds(db, user.id),
      organisationId: user.organisationId,
      via,
      mustChangePassword: user.mustChangePassword,
    }
  }

  async function signIn(email: string, password: string, actor: ActorContext): Promise<SignInResult> {
    const now = clock.now()
    const user = await repo.findStaffByEmail(db, email.trim())
    if (user?.passwordHash == null || user.status !== 'active') {
      // Same work as a real check, so timing does not reveal whether the account exists.
      await verifyPassword(password, await dummyPasswordHash(passwordCost))
      return { ok: false, reason: 'invalid' }
    }
    // The password is checked even for a locked account, so a locked account answers no faster than any other.
    const passwordMatches = await verifyPassword(password, user.passwordHash)
    if (user.lockedUntil !== null && user.lockedUntil > now) return { ok: false, reason: 'locked' }
    if (!passwordMatches) {
      const lockedUntil = await db.transaction().execute(async (tx) => {
        const until = await repo.registerFailedSignIn(
          tx,
          user.id,
          now,
          MAX_FAILED_SIGN_INS,
          new Date(now.getTime() + LOCKOUT_MS),
        )
        await audit.record(
          tx,
          { principal: undefined, requestId: actor.requestId },
          {
            action: 'sign-in-failed',
            entityType: 'staff_user',
            entityId: user.id,
            details: { locked: until !== null && until > now },
          },
        )
        return until
      })
      return { ok: false, reason: lockedUntil !== null && lockedUntil > now ? 'locked' : 'invalid' }
    }
    const sessionToken = randomBytes(32).toString('base64url')
    const principal = await principalFor(user.id, 'session')
    if (principal === undefined) return { ok: false, reason: 'invalid' }
    await db.transaction().execute(async (tx) => {
      await repo.recordSuccessfulSignIn(tx, user.id, now)
      await repo.insertSession(tx, {
        idHash: sessionHash(sessionToken),
        staffUserId: user.id,
        createdAt: now,
        expiresAt: new Date(now.getTime() + SESSION_ABSOLUTE_MS),
      })
      await audit.record(
        tx,
        { principal, requestId: actor.requestId },
        { action: 'sign-in', entityType: 'staff_user', entityId: user.id },
      )
    })
    return { ok: true, sessionToken, principal }
  }

  /** The principal of an active user, from the identity the session or token lookup read with it. */
  function principalOf(identity: repo.RequestIdentity, via: Principal['via']): Principal | undefined {
    if (identity.status !== 'active') return undefined
    return {
      userId: identity.staffUserId,
      email: identity.email,
      displayName: identity.displayName,
      role: identity.role,
      siteIds: identity.siteIds,
      organisationId: identity.organisationId,
      via,
      mustChangePassword: identity.mustChangePassword,
    }
  }

  /**
   * Every signed-in page asks this: one query reads the session, its user and their sites, so a change to any of
   * them (sign-out, disabling, a role, site or password change) holds from the next request, with no cache to clear.
   */
  async function resolveSession(sessionToken: string): Promise<Principal | undefined> {
    const now = clock.now()
    const idHash = sessionHash(sessionToken)
    const session = await repo.findSessionIdentity(db, idHash)
    if (session === undefined) return undefined
    const idleExpired = now.getTime() - session.last_seen_at.getTime() >= SESSION_IDLE_MS
    const principal = idleExpired || session.expires_at <= now ? undefined : principalOf(session, 'session')
    if (principal === undefined) {
      await repo.deleteSession(db, idHash)
      return undefined
    }
    if (now.getTime() - session.last_seen_at.getTime() >= SESSION_TOUCH_MS) await repo.touchSession(db, idHash, now)
    return principal
  }

  async function signOut(sessionToken: string, actor: ActorContext): Promise<void> {
    await db.transaction().execute(async (tx) => {
      await repo.deleteSession(tx, sessionHash(sessionToken))
      if (actor.principal !== undefined) {
        await audit.record(tx, actor, {
          action: 'sign-out',
          entityType: 'staff_user',
          entityId: actor.principal.userId,
        })
      }
    })
  }

  async function resolveBearer(token: string): Promise<Principal | undefined> {
    const found = await repo.findTokenIdentity(db, tokenHash(token))
    if (found === undefined) return undefined
    const principal = principalOf(found, 'token')
    const now = clock.now()
    // Like sessions, "last used" is kept to the minute rather than written on every request.
    const stale = found.last_used_at === null || now.getTime() - found.last_used_at.getTime() >= SESSION_TOUCH_MS
    if (principal !== undefined && stale) await repo.markApiTokenUsed(db, found.tokenId, now)
    return principal
  }

  /** Returns the token once; only its hash is kept. */
  async function createApiToken(
    email: string,
    label: string,
    actor: ActorContext,
  ): Promise<{ id: string; token: string }> {
    const user = await repo.findStaffByEmail(db, email)
    if (user === undefined) throw new NotFoundError(`No staff user has the email ${email}`)
    const token = `hub_${randomBytes(32).toString('base64url')}`
    const created = await db.transaction().execute(async (tx) => {
      const row = await repo.insertApiToken(tx, { staffUserId: user.id, tokenHash: tokenHash(token), label })
      await audit.record(tx, actor, {
        action: 'token-create',
        entityType: 'api_token',
        entityId: row.id,
        details: { staffUserId: user.id },
      })
      return row
    })
    return { id: created.id, token }
  }

  async function revokeApiToken(id: string, actor: ActorContext): Promise<void> {
    await db.transaction().execute(async (tx) => {
      const token = await repo.findApiToken(tx, id)
      if (token === undefined) throw new NotFoundError('No API token has that id')
      const revoked = await repo.revokeApiToken(tx, id, clock.now())
      if (revoked) {
        await audit.record(tx, actor, {
          action: 'token-revoke',
          entityType: 'api_token',
          entityId: id,
          details: { staffUserId: token.staff_user_id },
        })
      }
    })
  }

  /** When a password is reset, whatever the old credentials opened is closed too: sessions and API tokens. */
  async function revokeAllApiTokens(staffUserId: string, actor: ActorContext): Promise<void> {
    await db.transaction().execute(async (tx) => {
      for (const id of await repo.revokeAllApiTokens(tx, staffUserId, clock.now())) {
        await audit.record(tx, actor, {
          action: 'token-revoke',
          entityType: 'api_token',
          entityId: id,
          details: { staffUserId },
        })
      }
    })
  }

  async function listApiTokens(staffUserId: string) {
    return repo.listApiTokens(db, staffUserId)
  }

  async function endAllSessions(staffUserId: string): Promise<void> {
    await repo.deleteSessionsForUser(db, staffUserId)
  }

  /**
   * The signed-in user chooses a new password: the current one must be typed, the new one must meet the policy and
   * differ from it. Clears the "must change" mark and ends the user's other sessions (whoever else knew the old
   * password is signed out); the session that made the change stays signed in.
   */
  async function changeOwnPassword(
    input: { current: string; next: string; confirm: string; sessionToken: string | undefined },
    actor: ActorContext,
  ): Promise<{ ok: true } | { ok: false; errors: FieldError[] }> {
    const principal = actor.principal
    if (principal === undefined) throw new Error('changeOwnPassword needs a signed-in user')
    const errors: FieldError[] = []
    if (input.current === '') errors.push({ field: 'currentPassword', message: 'Enter your current password' })
    const weak = input.next === '' ? 'Enter a new password' : passwordProblem(input.next)
    if (weak !== undefined) errors.push({ field: 'newPassword', message: weak })
    else if (input.next === input.current) {
      errors.push({ field: 'newPassword', message: 'Your new password must be different from your current one' })
    }
    if (weak === undefined && input.confirm !== input.next) {
      errors.push({ field: 'confirmPassword', message: 'The passwords do not match – type your new password again' })
    }
    if (errors.length > 0) return { ok: false, errors }
    const user = await repo.findStaffById(db, principal.userId)
    if (user?.passwordHash == null || !(await verifyPassword(input.current, user.passwordHash))) {
      return { ok: false, errors: [{ field: 'currentPassword', message: 'Your current password is not correct' }] }
    }
    const passwordHash = await hashPassword(input.next, passwordCost)
    const now = clock.now()
    await db.transaction().execute(async (tx) => {
      await repo.setOwnPassword(tx, principal.userId, passwordHash, now)
      if (input.sessionToken === undefined) await repo.deleteSessionsForUser(tx, principal.userId)
      else await repo.deleteOtherSessions(tx, principal.userId, sessionHash(input.sessionToken))
      await audit.record(tx, actor, {
        action: 'user-update',
        entityType: 'staff_user',
        entityId: principal.userId,
        details: { changed: ['password'], by: 'self', wasRequired: user.mustChangePassword },
      })
    })
    return { ok: true }
  }

  async function purgeExpiredSessions(): Promise<number> {
    const now = clock.now()
    return repo.deleteExpiredSessions(db, now, new Date(now.getTime() - SESSION_IDLE_MS))
  }

  return {
    signIn,
    signOut,
    resolveSession,
    resolveBearer,
    createApiToken,
    revokeApiToken,
    revokeAllApiTokens,
    listApiTokens,
    endAllSessions,
    purgeExpiredSessions,
    principalFor,
    changeOwnPassword,
  }
}
