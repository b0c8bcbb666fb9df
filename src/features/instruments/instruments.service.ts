import { sql, type Kysely } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import type { DB } from '../../platform/db/schema.ts'
import { ConflictError, NotFoundError, ValidationError } from '../../platform/http/errors.ts'
import type { ActorContext, AuditService } from '../../platform/audit/audit.service.ts'
import type { InstrumentLibrary } from './instruments.library.ts'
import { createInstrumentsRepository, type InstrumentPermission } from './instruments.repository.ts'
import type { InstrumentDefinition, ScoreResult } from './instruments.schemas.ts'
import { AnswerCodeError, score, type Answers } from './instruments.scoring.ts'
import { permissionReferenceProblem } from './instruments.messages.ts'

export interface InstrumentSummary {
  definition: InstrumentDefinition
  enabled: boolean
  permission: InstrumentPermission | null
}

/** A staff user a permission change is recorded against. */
export interface StaffMember {
  userId: string
  displayName: string
}

export type InstrumentsService = ReturnType<typeof createInstrumentsService>

/** An arbitrary constant: serialises permission changes so one is in force at a time. */
const PERMISSION_LOCK_KEY = 7_214_005

export function createInstrumentsService(deps: {
  db: Kysely<DB>
  clock: Clock
  audit: AuditService
  library: InstrumentLibrary
}) {
  const { db, clock, audit, library } = deps
  const repository = createInstrumentsRepository()

  function definitionOrThrow(code: string): InstrumentDefinition {
    const definition = library.find(code)
    if (definition === undefined) throw new NotFoundError(`There is no instrument with the code ${code}.`)
    return definition
  }

  function summarise(
    definition: InstrumentDefinition,
    permission: InstrumentPermission | undefined,
  ): InstrumentSummary {
    return {
      definition,
      enabled: !definition.licence.requiresPermission || permission !== undefined,
      permission: permission ?? null,
    }
  }

  async function listInstruments(): Promise<InstrumentSummary[]> {
    const permissions = new Map((await repository.listInForce(db)).map((p) => [p.instrumentCode, p]))
    return library.list().map((d) => summarise(d, permissions.get(d.code)))
  }

  async function getInstrument(code: string): Promise<InstrumentSummary> {
    const definition = definitionOrThrow(code)
    return summarise(definition, await repository.findInForce(db, code))
  }

  /**
   * Scores answers without storing anything. Refuses an instrument whose licence needs a permission not recorded,
   * and turns unknown codes into a ValidationError naming each as answers.<item code>.
   */
  async function scoreAnswers(code: string, answers: Answers): Promise<ScoreResult> {
    const instrument = await getInstrument(code)
    if (!instrument.enabled) {
      throw new ConflictError(
        `${instrument.definition.title} cannot be used until an administrator records permission from the licence holder.`,
        { code: 'instrument-permission-required' },
      )
    }
    try {
      return score(instrument.definition, answers)
    } catch (error) {
      if (error instanceof AnswerCodeError) {
        throw new ValidationError(error.problems.map((p) => ({ field: `answers.${p.item}`, message: p.message })))
      }
      throw error
    }
  }

  /**
   * Who a permission change is recorded against: the signed-in user, or for a caller with no principal (the command
   * line) the administrator it names. The table names a staff user for every grant and revocation.
   */
  function recordedBy(actor: ActorContext, onBehalfOf: StaffMember | undefined, what: string): StaffMember {
    const principal = actor.principal
    if (principal !== undefined) return { userId: principal.userId, displayName: principal.displayName }
    if (onBehalfOf !== undefined) return onBehalfOf
    throw new Error(`${what} needs a signed-in actor or the administrator it is recorded for`)
  }

  /** In the audit details only when the actor is not the person recorded (the command line). */
  function onBehalfOfDetail(actor: ActorContext, by: StaffMember): Record<string, string> {
    return actor.principal === undefined ? { onBehalfOf: by.userId } : {}
  }

  /** Records the licence holder's permission (replacing any in force), audited in the same transaction. */
  async function recordPermission(
    code: string,
    reference: string,
    actor: ActorContext,
    onBehalfOf?: StaffMember,
  ): Promise<InstrumentPermission> {
    const definition = definitionOrThrow(code)
    const by = recordedBy(actor, onBehalfOf, 'recordPermission')
    if (!definition.licence.requiresPermission) {
      throw new ConflictError(
        `${definition.title} does not need a recorded permission: its licence is ${definition.licence.category}.`,
        {
          code: 'instrument-permission-not-needed',
        },
      )
    }
    const problem = permissionReferenceProblem(reference)
    if (problem !== undefined) throw new ValidationError([{ field: 'reference', message: problem }])
    const permission: InstrumentPermission = {
      instrumentCode: code,
      reference: reference.trim(),
      grantedBy: by.userId,
      grantedByName: by.displayName,
      grantedAt: new Date(clock.now().getTime()),
    }
    await db.transaction().execute(async (tx) => {
      await sql`select pg_advisory_xact_lock(${PERMISSION_LOCK_KEY})`.execute(tx)
      const replaced = await repository.revoke(tx, code, by.userId, permission.grantedAt)
      await repository.insert(tx, permission)
      await audit.record(tx, actor, {
        action: 'update',
        entityType: 'instrument_permission',
        entityId: code,
        details: {
          change: 'granted',
          replacedEarlier: replaced,
          version: definition.version,
          ...onBehalfOfDetail(actor, by),
        },
      })
    })
    return permission
  }

  /** Ends the permission in force; the instrument is disabled again. */
  async function revokePermission(code: string, actor: ActorContext, onBehalfOf?: StaffMember): Promise<void> {
    definitionOrThrow(code)
    const by = recordedBy(actor, onBehalfOf, 'revokePermission')
    await db.transaction().execute(async (tx) => {
      await sql`select pg_advisory_xact_lock(${PERMISSION_LOCK_KEY})`.execute(tx)
      const revoked = await repository.revoke(tx, code, by.userId, new Date(clock.now().getTime()))
      if (!revoked) throw new NotFoundError(`No permission is recorded for ${code}.`)
      await audit.record(tx, actor, {
        action: 'update',
        entityType: 'instrument_permission',
        entityId: code,
        details: { change: 'revoked', ...onBehalfOfDetail(actor, by) },
      })
    })
  }

  return { listInstruments, getInstrument, scoreAnswers, recordPermission, revokePermission }
}
