import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp } from '../../../test/support/test-app.ts'
import { givenApiToken, givenSite, givenStaff } from '../../../test/support/builders.ts'

test('a bearer token acts as its user and records when it was last used, at most once a minute', async (t) => {
  const { app, database, clock } = await buildTestApp(t)
  const site = await givenSite(database.db)
  const user = await givenStaff(database.db, 'clinician', { sites: [site] })
  const { id, token } = await givenApiToken(database.db, user, { clock })
  const lastUsed = async () =>
    (await database.db.selectFrom('api_token').select('last_used_at').where('id', '=', id).executeTakeFirstOrThrow())
      .last_used_at
  const call = () => app.inject({ method: 'GET', url: '/api/v1/sites', headers: { authorization: `Bearer ${token}` } })

  const first = await call()
  assert.equal(first.statusCode, 200)
  const sites = (JSON.parse(first.body) as { sites: { code: string; member: boolean }[] }).sites
  assert.deepEqual(
    sites.filter((s) => s.member).map((s) => s.code),
    [site.code],
  )
  const firstUse = await lastUsed()
  assert.ok(firstUse)
  clock.advance(30_000)
  await call()
  assert.equal((await lastUsed())?.getTime(), firstUse.getTime())
  clock.advance(31_000)
  await call()
  assert.equal((await lastUsed())?.getTime(), firstUse.getTime() + 61_000)
})

test('a token of a disabled user, an unknown token and a malformed header are all refused with 401', async (t) => {
  const { app, database } = await buildTestApp(t)
  const user = await givenStaff(database.db, 'clinician')
  const { token } = await givenApiToken(database.db, user)
  await database.db.updateTable('staff_user').set({ status: 'disabled' }).where('id', '=', user.id).execute()
  for (const authorization of [`Bearer ${token}`, 'Bearer hub_not-a-real-token', `Basic ${token}`]) {
    const response = await app.inject({ method: 'GET', url: '/api/v1/sites', headers: { authorization } })
    assert.equal(response.statusCode, 401, authorization.slice(0, 12))
  }
})

test('a token request needs no CSRF token, but a session-cookie API write does', async (t) => {
  const { app, database } = await buildTestApp(t)
  const site = await givenSite(database.db)
  const user = await givenStaff(database.db, 'clinician', { sites: [site] })
  const { token } = await givenApiToken(database.db, user)
  const body = {
    crn: 'A123456',
    givenName: 'Test',
    familyName: 'Person',
    dateOfBirth: '1990-01-01',
    siteCode: site.code,
  }
  const withToken = await app.inject({
    method: 'POST',
    url: '/api/v1/people',
    headers: { authorization: `Bearer ${token}` },
    payload: body,
  })
  assert.equal(withToken.statusCode, 201)

  const signIn = await app.inject({ method: 'GET', url: '/sign-in' })
  const csrf = /name="_csrf" value="([^"]+)"/.exec(signIn.body)?.[1] ?? ''
  const cookies = signIn.cookies.map((c) => `${c.name}=${c.value}`).join('; ')
  const signedIn = await app.inject({
    method: 'POST',
    url: '/sign-in',
    headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf, email: user.email, password: user.password }).toString(),
  })
  const session = signedIn.cookies.find((c) => c.name === 'hub_session')
  assert.ok(session)
  const withCookie = await app.inject({
    method: 'POST',
    url: '/api/v1/people',
    headers: { cookie: `${cookies}; hub_session=${session.value}` },
    payload: { ...body, crn: 'A123457' },
  })
  assert.equal(withCookie.statusCode, 403)
})
