import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import type { Database } from '../../platform/db/database.ts'
import { createTestDatabase } from '../../../test/support/database.ts'
import { NEED_REASON_MAX } from '../needs/index.ts'
import { csvLine, type FixedTexts } from './demo.generators.ts'
import { gpVocabulary } from './demo.gp.ts'
import { healthVocabulary } from './demo.health.ts'
import { referralVocabulary } from './demo.referrals.ts'
import { copyIntoPglite, copyIntoPostgres } from './demo.repository.ts'
import { treatmentVocabulary } from './demo.treatment.ts'
import { custodyVocabulary } from './demo.custody.ts'

/*
 * The fixed texts the demo writes into free-text fields must be texts a user could have entered there: the demo
 * stands in for real records, and the pages, exports and audit show them as such. They are copied with
 * csvLine and COPY, so they must also come back exactly as written.
 */

const vocabularies: readonly (readonly [string, FixedTexts])[] = [
  ['GP registration texts (gpVocabulary)', gpVocabulary],
  ['health check and need texts (healthVocabulary)', healthVocabulary],
  ['referral texts (referralVocabulary)', referralVocabulary],
  ['treatment requirement texts (treatmentVocabulary)', treatmentVocabulary],
  ['custody and release plan texts (custodyVocabulary)', custodyVocabulary],
]

/**
 * The most each field's form and service accept. Another feature is reached only through its index.ts, which exports
 * only the needs limit, so the others are copied from where they are set (and the column checks below back them up).
 */
const formLimits: Readonly<Record<string, number>> = {
  'gp_registration.reason': 1000, // gp-registration.messages.ts REASON_MAX
  'gp_registration.help_given': 2000, // gp-registration.messages.ts HELP_MAX
  'warning_flag.response_text': 5000, // health-checks.schemas.ts FlagResponseSchema, health-checks.service.ts
  'need.proposed_because': NEED_REASON_MAX, // a directly recorded need's "why"
  'need.reason': NEED_REASON_MAX,
  'need_event.reason': NEED_REASON_MAX,
  'referral.reason': 2000, // referrals.messages.ts REASON_MAX
  'referral_event.reason': 2000, // referrals.messages.ts REASON_MAX (the status change form)
  'treatment_requirement.note': 2000, // treatment-requirements.messages.ts NOTE_MAX
  'custody_episode.prison_name': 200, // custody.messages.ts PRISON_NAME_MAX
  'release_plan_item.not_applicable_reason': 500, // release-plan.service.ts REASON_MAX
  'treatment_requirement_event.reason': 2000, // treatment-requirements.messages.ts NOTE_MAX
}

/** Control characters, and invisible format and line or paragraph separator characters, none of which a form keeps. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u

interface Field {
  table: string
  column: string
  texts: readonly string[]
}

function fieldsOf(vocabulary: FixedTexts): Field[] {
  return Object.entries(vocabulary).flatMap(([table, columns]: [string, Readonly<Record<string, readonly string[]>>]) =>
    Object.entries(columns).map(([column, texts]) => ({ table, column, texts })),
  )
}

const SCRATCH = 'demo_vocabulary_copy'
const SCRATCH_COLUMNS = ['vocabulary', 'n', 'field', 'value'] as const

/** COPY into the scratch table exactly as the demo load copies (demo.service.ts): STDIN on a server, a blob on PGlite. */
async function copyCsv(database: Database, csv: string): Promise<void> {
  if (database.pool !== undefined) {
    const client = await database.pool.connect()
    try {
      await copyIntoPostgres(client, SCRATCH, SCRATCH_COLUMNS, csv)
    } finally {
      client.release()
    }
    return
  }
  if (database.pglite !== undefined) {
    await database.pglite.transaction((tx) => copyIntoPglite(tx, SCRATCH, SCRATCH_COLUMNS, csv))
    return
  }
  throw new Error('The test database has neither a PostgreSQL pool nor a PGlite instance')
}

/** The column's own length limit, from its check constraint (every free-text column the demo fills has one). */
async function columnLimit(database: Database, table: string, column: string): Promise<number | undefined> {
  const { rows } = await sql<{ def: string }>`
    select pg_get_constraintdef(oid) as def from pg_constraint where contype = 'c' and conrelid = ${table}::regclass
  `.execute(database.db)
  const limits = rows.flatMap((row) => [...row.def.matchAll(new RegExp(`length\\(${column}\\) <= (\\d+)`, 'g'))])
  return limits.length === 0 ? undefined : Math.min(...limits.map((m) => Number(m[1])))
}

let database: Database

before(async () => {
  database = await createTestDatabase()
  await sql`create table ${sql.table(SCRATCH)} (vocabulary text, n integer, field text, value text)`.execute(
    database.db,
  )
})
after(() => database.close())

for (const [name, vocabulary] of vocabularies) {
  describe(name, () => {
    const fields = fieldsOf(vocabulary)

    test('every field has texts, and every text is non-empty, trimmed and has no control characters', () => {
      assert.ok(fields.length > 0)
      for (const { table, column, texts } of fields) {
        assert.ok(texts.length > 0, `${table}.${column} has texts`)
        for (const text of texts) {
          const where = `${table}.${column}: ${JSON.stringify(text)}`
          assert.ok(text.length > 0, `${where} is empty`)
          assert.equal(text, text.trim(), `${where} has surrounding white space, which forms trim`)
          assert.doesNotMatch(text, INVISIBLE, `${where} has a control character`)
        }
      }
    })

    test('every text fits the form limit and the column check of the field it is written to', async () => {
      for (const { table, column, texts } of fields) {
        const formLimit = formLimits[`${table}.${column}`]
        assert.ok(formLimit !== undefined, `no form limit recorded for ${table}.${column}`)
        const limit = await columnLimit(database, table, column)
        assert.ok(limit !== undefined, `${table}.${column} has a length check`)
        assert.ok(formLimit <= limit, `${table}.${column}: the form allows more than the column`)
        for (const text of texts) {
          // length counts UTF-16 units, as the forms do: never fewer than the characters PostgreSQL counts.
          assert.ok(text.length <= formLimit, `${table}.${column}: ${String(text.length)} > ${String(formLimit)}`)
        }
      }
    })

    test('every text comes back exactly after csvLine and COPY ... WITH (FORMAT csv)', async () => {
      const sent = fields
        .flatMap(({ table, column, texts }) => texts.map((value) => ({ field: `${table}.${column}`, value })))
        .map((row, n) => ({ vocabulary: name, n, ...row }))
      await copyCsv(database, sent.map((row) => csvLine([row.vocabulary, row.n, row.field, row.value])).join(''))
      const back = await sql<(typeof sent)[number]>`
        select vocabulary, n, field, value from ${sql.table(SCRATCH)} where vocabulary = ${name} order by n
      `.execute(database.db)
      assert.deepEqual(back.rows, sent)
    })
  })
}
