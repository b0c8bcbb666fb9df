import type { ConsentDecisionCode, ConsentMethod, ConsentTopic } from './consent.messages.ts'
import type { Executor } from '../../platform/db/executor.ts'
import type { PersonRecord } from '../people/index.ts'
import type { Organisation as SitesOrganisation } from '../sites/index.ts'

/** One recorded decision: a row of the history. */
export interface ConsentDecision {
  id: number
  personId: string
  topic: ConsentTopic
  organisationId: string | null
  organisationCode: string | null
  organisationName: string | null
  decision: ConsentDecisionCode
  decidedOn: string
  recordedBy: string
  recordedByName: string | null
  recordedAt: Date
  method: ConsentMethod
  note: string | null
}

export interface NewConsentDecision {
  topic: ConsentTopic
  organisationId: string | null
  decision: ConsentDecisionCode
  decidedOn: string
  method: ConsentMethod
  note: string | null
}

/** The person, as the people feature gives them. */
export type ConsentPerson = PersonRecord

/** A partner organisation, as the sites feature gives it. */
export type Organisation = SitesOrganisation

function selectDecisions(db: Executor) {
  return db
    .selectFrom('consent_decision')
    .leftJoin('organisation', 'organisation.id', 'consent_decision.organisation_id')
    .leftJoin('staff_user', 'staff_user.id', 'consent_decision.recorded_by')
    .selectAll('consent_decision')
    .select(['organisation.code as organisation_code', 'organisation.name as organisation_name'])
    .select('staff_user.display_name as recorded_by_name')
}

type DecisionRow = Awaited<ReturnType<ReturnType<typeof selectDecisions>['executeTakeFirstOrThrow']>>

/** The one mapping from a consent row to the domain type. Check constraints guarantee the coded values. */
function toDecision(row: DecisionRow): ConsentDecision {
  return {
    id: row.id,
    personId: row.person_id,
    topic: row.topic as ConsentTopic,
    organisationId: row.organisation_id,
    organisationCode: row.organisation_code,
    organisationName: row.organisation_name,
    decision: row.decision as ConsentDecisionCode,
    decidedOn: row.decided_on,
    recordedBy: row.recorded_by,
    recordedByName: row.recorded_by_name,
    recordedAt: row.recorded_at,
    method: row.method as ConsentMethod,
    note: row.note,
  }
}

/** The latest decision per topic (and per organisation): the state in force. */
export async function listCurrent(db: Executor, personId: string): Promise<ConsentDecision[]> {
  return listCurrentForPeople(db, [personId])
}

/** The decisions in force for several people at once (one query for a list of them). */
export async function listCurrentForPeople(db: Executor, personIds: readonly string[]): Promise<ConsentDecision[]> {
  if (personIds.length === 0) return []
  const rows = await selectDecisions(db)
    .distinctOn(['consent_decision.person_id', 'consent_decision.topic', 'consent_decision.organisation_id'])
    .where('consent_decision.person_id', 'in', [...personIds])
    .orderBy('consent_decision.person_id')
    .orderBy('consent_decision.topic')
    .orderBy('consent_decision.organisation_id')
    .orderBy('consent_decision.recorded_at', 'desc')
    .orderBy('consent_decision.id', 'desc')
    .execute()
  return rows.map(toDecision)
}

/** The decision in force for one topic (and organisation), or undefined when none was ever recorded. */
export async function findCurrent(
  db: Executor,
  personId: string,
  topic: ConsentTopic,
  organisationId: string | null,
): Promise<ConsentDecisionCode | undefined> {
  return (await findCurrentDecision(db, personId, topic, organisationId))?.decision
}

/** The decision in force and the date the person made it. */
export async function findCurrentDecision(
  db: Executor,
  personId: string,
  topic: ConsentTopic,
  organisationId: string | null,
): Promise<{ decision: ConsentDecisionCode; decidedOn: string } | undefined> {
  let query = db
    .selectFrom('consent_decision')
    .select(['decision', 'decided_on'])
    .where('person_id', '=', personId)
    .where('topic', '=', topic)
  query =
    organisationId === null
      ? query.where('organisation_id', 'is', null)
      : query.where('organisation_id', '=', organisationId)
  const row = await query.orderBy('recorded_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst()
  return row === undefined ? undefined : { decision: row.decision as ConsentDecisionCode, decidedOn: row.decided_on }
}

/** Every decision for the person, newest first. */
export async function listHistory(db: Executor, personId: string): Promise<ConsentDecision[]> {
  const rows = await selectDecisions(db)
    .where('consent_decision.person_id', '=', personId)
    .orderBy('consent_decision.recorded_at', 'desc')
    .orderBy('consent_decision.id', 'desc')
    .execute()
  return rows.map(toDecision)
}

/** The newest row's time and id, which change with every decision recorded for the person (rows are never updated). */
export async function latestMarker(db: Executor, personId: string): Promise<{ at: Date; id: number } | undefined> {
  const row = await db
    .selectFrom('consent_decision')
    .select(['recorded_at', 'id'])
    .where('person_id', '=', personId)
    .orderBy('recorded_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row === undefined ? undefined : { at: row.recorded_at, id: row.id }
}

export async function insert(
  db: Executor,
  personId: string,
  decision: NewConsentDecision,
  recordedBy: string,
  recordedAt: Date,
): Promise<number> {
  const row = await db
    .insertInto('consent_decision')
    .values({
      person_id: personId,
      topic: decision.topic,
      organisation_id: decision.organisationId,
      decision: decision.decision,
      decided_on: decision.decidedOn,
      recorded_by: recordedBy,
      recorded_at: recordedAt,
      method: decision.method,
      note: decision.note,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

