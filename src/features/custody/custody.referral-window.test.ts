/**
 * Care after custody (RECONNECT) referrals are taken only inside the window around the person's release: from 12
 * weeks before it to 28 days after, never after a recall (hazard log H-1001). Today in the test app is 20 November
 * 2026.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { LightMyRequestResponse } from 'fastify'
import { apiCaller, buildTestApp, json } from '../../../test/support/test-app.ts'
import {
  givenApiToken,
  givenNeed,
  givenPerson,
  givenReferral,
  givenService,
  givenSite,
  givenStaff,
} from '../../../test/support/builders.ts'

interface Problem {
  status: number
  code?: string
  errors?: { field: string; message: string }[]
}

async function setup(t: TestContext) {
  const { app, database } = await buildTestApp(t)
  const db = database.db
  const site = await givenSite(db)
  const user = await givenStaff(db, 'clinician', { sites: [site] })
  const person = await givenPerson(db, site)
  const need = await givenNeed(db, person, user, { category: 'drugs' })
  const reconnect = await givenService(db, site, { kind: 'care-after-custody', name: 'RECONNECT Leicester' })
  const treatment = await givenService(db, site, { kind: 'drug-alcohol', name: 'Turning Point' })
  const call = apiCaller(app, (await givenApiToken(db, user)).token)
  const refer = (serviceId: string, send = true) =>
    call('POST', `/api/v1/people/${person.id}/referrals`, {
      needId: need.id,
      serviceId,
      reason: 'Leaving prison with a drug treatment need',
      send,
    })
  const addEpisode = (dates: Record<string, string>) =>
    call('POST', `/api/v1/people/${person.id}/custody-episodes`, {
      prisonName: 'HMP Leicester',
      prisonCode: 'LEI',
      prisonNumber: 'A1234BC',
      ...dates,
    })
  /** PATCH with the episode's current ETag. */
  const patch = async (episodeId: string, body: Record<string, unknown>) => {
    const url = `/api/v1/custody-episodes/${episodeId}`
    const etag = String((await call('GET', url)).headers.etag)
    return call('PATCH', url, body, { 'if-match': etag })
  }
  return { db, user, person, need, reconnect, treatment, call, refer, addEpisode, patch }
}

const refusal = (response: LightMyRequestResponse) => {
  const problem = json<Problem>(response)
  return [response.statusCode, problem.code, problem.errors?.[0]?.field, problem.errors?.[0]?.message]
}

test('without a custody episode a RECONNECT referral is refused with what to do; other services are not affected', async (t) => {
  const { refer, reconnect, treatment } = await setup(t)
  assert.deepEqual(refusal(await refer(reconnect.id)), [
    422,
    'outside-care-after-custody-window',
    'serviceId',
    'Care after custody (RECONNECT) is for people leaving prison. Record their custody episode on their Custody and release page first.',
  ])
  assert.equal((await refer(treatment.id)).statusCode, 201)
})

test('more than 12 weeks before release is refused, naming the first day; 84 days before is accepted', async (t) => {
  const { refer, reconnect, addEpisode, patch } = await setup(t)
  // 20 November 2026 + 85 days = 13 February 2027.
  const episode = json<{ id: string }>(await addEpisode({ expectedReleaseDate: '2027-02-13' }))
  assert.deepEqual(refusal(await refer(reconnect.id)), [
    422,
    'outside-care-after-custody-window',
    'serviceId',
    'A care after custody referral can be made from Saturday 21 November 2026, 12 weeks before their expected release on Saturday 13 February 2027.',
  ])
  const moved = await patch(episode.id, { expectedReleaseDate: '2027-02-12' })
  assert.equal(moved.statusCode, 200, moved.body)
  assert.equal((await refer(reconnect.id)).statusCode, 201)
})

test('29 days after release is refused, saying when the last day was', async (t) => {
  const { refer, reconnect, addEpisode } = await setup(t)
  // 20 November 2026 − 29 days = 22 October 2026.
  await addEpisode({ actualReleaseDate: '2026-10-22' })
  assert.deepEqual(refusal(await refer(reconnect.id, false)), [
    422,
    'outside-care-after-custody-window',
    'serviceId',
    'A care after custody referral can be made up to 28 days after release. The last day for their release on Thursday 22 October 2026 was Thursday 19 November 2026.',
  ])
})

test('on the 28th day after release a referral is made; after a recall it is refused', async (t) => {
  const { refer, reconnect, treatment, addEpisode, patch } = await setup(t)
  const episode = json<{ id: string }>(await addEpisode({ actualReleaseDate: '2026-10-23' }))
  assert.equal((await refer(reconnect.id)).statusCode, 201)
  const recalled = await patch(episode.id, { recalledOn: '2026-11-19' })
  assert.equal(recalled.statusCode, 200, recalled.body)
  assert.deepEqual((await refer(reconnect.id)).statusCode, 422, 'no second referral after the recall')
  assert.equal((await refer(treatment.id)).statusCode, 201, 'other services are not affected')
})

test('a draft made in the window cannot be sent once the window has closed (recall), and says why', async (t) => {
  const { db, user, person, need, reconnect, addEpisode, call, patch } = await setup(t)
  const episode = json<{ id: string }>(await addEpisode({ actualReleaseDate: '2026-11-01' }))
  const draft = await givenReferral(db, { person, need, service: reconnect, createdBy: user, status: 'draft' })
  const recalled = await patch(episode.id, { recalledOn: '2026-11-15' })
  assert.equal(recalled.statusCode, 200, recalled.body)
  const send = await call('POST', `/api/v1/referrals/${draft.id}/transitions`, { to: 'sent', at: '2026-11-20' })
  assert.deepEqual(refusal(send), [
    422,
    'outside-care-after-custody-window',
    'to',
    'They were recalled to custody on Sunday 15 November 2026, so a care after custody referral cannot be made on this release. Record their next release first.',
  ])
})
