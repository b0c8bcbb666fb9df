/**
 * No daily page asks the database once per row (N+1): each page is read for a site or person with one of
 * everything and for one with six of everything, and the number of queries must be the same. The app is built
 * on a handle that counts every query (a Kysely plugin sees each one, raw SQL and transactions included).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { KyselyPlugin } from 'kysely'
import { buildApp } from '../../src/app.ts'
import { TEST_PASSWORD_COST } from '../../src/features/staff/index.ts'
import { emptyFileDatabase } from '../support/database.ts'
import {
  givenAppointment,
  givenFollowUp,
  givenGpRegistration,
  givenHealthCheck,
  givenNeed,
  givenPerson,
  givenReferral,
  givenService,
  givenSite,
  givenStaff,
} from '../support/builders.ts'
import { fixedClock } from '../support/clock.ts'
import { testConfig } from '../support/config.ts'
import { DEFAULT_NOW, signedInBrowser } from '../support/test-app.ts'

class QueryCounter implements KyselyPlugin {
  count = 0
  transformQuery: KyselyPlugin['transformQuery'] = (args) => {
    this.count++
    return args.node
  }
  transformResult: KyselyPlugin['transformResult'] = (args) => Promise.resolve(args.result)
}

test('each daily page makes as many queries for six rows as for one', { timeout: 120_000 }, async (t) => {
  const database = await emptyFileDatabase()
  const db = database.db
  const counter = new QueryCounter()
  const app = await buildApp(testConfig(), {
    database: { ...database, db: db.withPlugin(counter) },
    clock: fixedClock(DEFAULT_NOW),
    passwordCost: TEST_PASSWORD_COST,
    logger: false,
  })
  t.after(() => app.close())
  await app.ready()

  const one = await givenSite(db, { name: 'One' })
  const six = await givenSite(db, { name: 'Six' })
  const clinician = await givenStaff(db, 'clinician', { sites: [one, six] })
  const practitioner = await givenStaff(db, 'probation_practitioner', { sites: [one, six] })
  /** A person with `rows` of each thing a daily page lists: appointments today, checks, flags, needs, referrals. */
  const personWith = async (site: { id: string }, rows: number) => {
    const person = await givenPerson(db, site, { probation_practitioner_id: practitioner.id })
    const service = await givenService(db, site, { kind: 'drug-alcohol', name: 'Recovery service' })
    for (let n = 0; n < rows; n++) {
      await givenAppointment(db, {
        person,
        clinician,
        practitioner: n % 2 === 0 ? practitioner : null,
        startsAt: `2026-11-20T${String(10 + n).padStart(2, '0')}:00:00Z`,
        durationMinutes: 30,
      })
      await givenHealthCheck(db, {
        person,
        clinician,
        flag: true,
        startedAt: new Date(`2026-11-1${String(n)}T09:00:00Z`),
      })
      const need = await givenNeed(db, person, clinician, { status: 'confirmed', identifiedOn: '2026-11-01' })
      await givenReferral(db, {
        person,
        need,
        service,
        createdBy: clinician,
        status: 'sent',
        createdOn: '2026-11-02',
        sentOn: '2026-11-02',
        chaseOn: '2026-11-10',
      })
      await givenFollowUp(db, { person, assignedTo: clinician, dueDate: '2026-11-19' })
    }
    await givenGpRegistration(db, person, clinician, { status: 'in-progress', status_date: '2026-11-01' })
    return person
  }
  const single = await personWith(one, 1)
  const several = await personWith(six, 6)
  // Five more people at the six-row site, each with one of everything, for the site-wide lists.
  for (let n = 0; n < 5; n++) await personWith(six, 1)

  const browser = await signedInBrowser(app, clinician.email, clinician.password)
  const queriesFor = async (url: string): Promise<number> => {
    await browser.get(url) // once first: the session's first touch and caches settle
    const before = counter.count
    const response = await browser.get(url)
    assert.equal(response.statusCode, 200, `${url}: ${response.body.slice(0, 300)}`)
    return counter.count - before
  }
  const pages: [string, (site: { code: string }, person: { id: string }) => string][] = [
    ['caseload', (site) => `/caseload?site=${site.code}`],
    ['site diary', (site) => `/diary?site=${site.code}&date=2026-11-20`],
    ['your diary', () => `/diary/mine?date=2026-11-20`],
    ['worklist', (site) => `/worklist?site=${site.code}&scope=site`],
    ['referrals list', (site) => `/referrals?site=${site.code}`],
    ['person page', (_site, person) => `/people/${person.id}`],
    ["person's appointments", (_site, person) => `/people/${person.id}/appointments`],
    ["person's health checks", (_site, person) => `/people/${person.id}/health-checks`],
    ["person's needs", (_site, person) => `/people/${person.id}/needs`],
    ["person's referrals", (_site, person) => `/people/${person.id}/referrals`],
    ["person's timeline", (_site, person) => `/people/${person.id}/timeline`],
  ]
  const counts: Record<string, [number, number]> = {}
  for (const [name, url] of pages) {
    // "Your diary" is the clinician's own across sites: read it with one row, then with all of them.
    counts[name] = [await queriesFor(url(one, single)), await queriesFor(url(six, several))]
  }
  // A probation practitioner's diaries and person page: what they may see depends on each person's consent.
  const officer = await signedInBrowser(app, practitioner.email, practitioner.password)
  const officerQueries = async (url: string): Promise<number> => {
    await officer.get(url)
    const before = counter.count
    const response = await officer.get(url)
    assert.equal(response.statusCode, 200, `${url}: ${response.body.slice(0, 300)}`)
    return counter.count - before
  }
  for (const [name, url] of pages.filter(([n]) => ['site diary', 'person page', "person's appointments"].includes(n))) {
    counts[`${name} (probation)`] = [await officerQueries(url(one, single)), await officerQueries(url(six, several))]
  }
  t.diagnostic(JSON.stringify(counts))
  for (const [name, [forOne, forSix]] of Object.entries(counts)) {
    assert.ok(forOne > 0, `${name}: no queries counted`)
    assert.equal(forSix, forOne, `${name}: ${String(forOne)} queries for one row, ${String(forSix)} for six`)
  }
})
