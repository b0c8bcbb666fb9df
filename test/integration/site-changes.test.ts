/**
 * Every write route that names a site, driven with a change of site: to another of the caller's sites (allowed),
 * to a site the caller does not belong to (403) and to an unknown one (400). On PGlite a query on the root database
 * handle inside the write's transaction used to freeze the whole service (issue: "one request freezes the embedded
 * database"): each test has a time limit, so a freeze fails rather than hangs, and each ends by checking the
 * database still answers.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { buildTestApp, json, page, signedInBrowser } from '../support/test-app.ts'
import { givenApiToken, givenPerson, givenSite, givenStaff } from '../support/builders.ts'

const LIMIT = { timeout: 20_000 }

function caller(app: FastifyInstance, token: string) {
  return (method: 'POST' | 'PATCH' | 'GET', url: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    })
}

/** A hub manager at two sites (home, second), a third site they do not belong to, and a person at home. */
async function setup(t: TestContext) {
  const { app, database } = await buildTestApp(t)
  const db = database.db
  const home = await givenSite(db, { name: 'Home hub' })
  const second = await givenSite(db, { name: 'Second hub' })
  const elsewhere = await givenSite(db, { name: 'Elsewhere hub' })
  const manager = await givenStaff(db, 'hub_manager', { sites: [home, second] })
  const person = await givenPerson(db, home, { given_name: 'Alex', family_name: 'Moving' })
  const { token } = await givenApiToken(db, manager)
  const stillAnswers = async () => {
    const sites = await db.selectFrom('site').select('code').execute()
    assert.equal(sites.length, 3)
  }
  return { app, db, home, second, elsewhere, manager, person, call: caller(app, token), stillAnswers }
}

async function personSite(db: Awaited<ReturnType<typeof setup>>['db'], id: string) {
  const row = await db.selectFrom('person').select('site_id').where('id', '=', id).executeTakeFirstOrThrow()
  return row.site_id
}

test(
  'PATCH /api/v1/people/{id} moves a person to another of my sites, and refuses a site I do not belong to',
  LIMIT,
  async (t) => {
    const { db, second, elsewhere, person, call, stillAnswers } = await setup(t)
    const patch = (siteCode: string, version: number) =>
      call(
        'PATCH',
        `/api/v1/people/${person.id}`,
        { siteCode, probationPractitionerId: null },
        {
          'if-match': `W/"${version}"`,
          'content-type': 'application/merge-patch+json',
        },
      )
    const refused = await patch(elsewhere.code, 1)
    assert.equal(refused.statusCode, 403, refused.body)
    const unknown = await patch('no-such-site', 1)
    assert.equal(unknown.statusCode, 422, unknown.body)
    assert.deepEqual(
      json<{ errors: { field: string }[] }>(unknown).errors.map((e) => e.field),
      ['siteCode'],
    )
    const moved = await patch(second.code, 1)
    assert.equal(moved.statusCode, 200, moved.body)
    assert.equal(json<{ siteCode: string }>(moved).siteCode, second.code)
    assert.equal(await personSite(db, person.id), second.id)
    await stillAnswers()
  },
)

test(
  'the edit-person form moves a person to another of my sites, and refuses a site I do not belong to',
  LIMIT,
  async (t) => {
    const { app, db, manager, second, elsewhere, person, stillAnswers } = await setup(t)
    const browser = await signedInBrowser(app, manager.email, manager.password)
    const form = async (siteCode: string) => {
      const edit = await browser.get(`/people/${person.id}/edit`)
      assert.equal(edit.statusCode, 200)
      const $ = page(edit.body).$
      const values: Record<string, string> = {}
      $('form[method="post"] input, form[method="post"] select, form[method="post"] textarea').each((_, element) => {
        const name = $(element).attr('name')
        const type = $(element).attr('type')
        if (name === undefined || name === '_csrf') return
        if ((type === 'radio' || type === 'checkbox') && $(element).attr('checked') === undefined) return
        const value = $(element).is('select')
          ? ($(element).find('option[selected]').attr('value') ?? '')
          : ($(element).val() ?? '')
        values[name] = String(value)
      })
      values['siteCode'] = siteCode
      return browser.post(`/people/${person.id}/edit`, values)
    }
    const refused = await form(elsewhere.code)
    assert.equal(refused.statusCode, 403, refused.body)
    const moved = await form(second.code)
    assert.equal(moved.statusCode, 302, moved.body)
    assert.equal(await personSite(db, person.id), second.id)
    await stillAnswers()
  },
)

test(
  'POST /api/v1/people adds a person at another of my sites, and refuses a site I do not belong to',
  LIMIT,
  async (t) => {
    const { second, elsewhere, call, stillAnswers } = await setup(t)
    const person = (siteCode: string, crn: string) => ({
      crn,
      givenName: 'Sam',
      familyName: 'Taylor',
      dateOfBirth: '1990-04-23',
      siteCode,
    })
    assert.equal((await call('POST', '/api/v1/people', person(elsewhere.code, 'X100001'))).statusCode, 403)
    const created = await call('POST', '/api/v1/people', person(second.code, 'X100002'))
    assert.equal(created.statusCode, 201, created.body)
    assert.equal(json<{ siteCode: string }>(created).siteCode, second.code)
    await stillAnswers()
  },
)

test(
  'a directory entry is added at another of my sites, and refused at a site I do not belong to',
  LIMIT,
  async (t) => {
    const { second, elsewhere, call, stillAnswers } = await setup(t)
    const entry = (siteCode: string) => ({
      siteCode,
      kind: 'gp-practice',
      name: 'Riverside Surgery (test)',
      odsCode: 'Z99001',
    })
    assert.equal((await call('POST', '/api/v1/services', entry(elsewhere.code))).statusCode, 403)
    const created = await call('POST', '/api/v1/services', entry(second.code))
    assert.equal(created.statusCode, 201, created.body)
    assert.equal(json<{ siteCode: string }>(created).siteCode, second.code)
    await stillAnswers()
  },
)
