import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import Fastify from 'fastify'
import { readBuildInfo, registerHealthRoutes, type BuildInfo } from './health.ts'
import type { JobRunnerStatus } from '../jobs/job-runner.ts'
import { fileDatabase } from '../../../test/support/database.ts'
import { buildTestApp, json } from '../../../test/support/test-app.ts'

const run = promisify(execFile)
const root = path.resolve(import.meta.dirname, '..', '..', '..')
const packageVersion = (JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { version: string })
  .version
const info: BuildInfo = { version: '1.2.3', gitCommit: 'abc1234', buildTime: '2026-11-20T10:00:00Z' }

/** A small app with the health routes, on the file's database, and a job runner that reports what it is told. */
async function healthApp(jobs: (() => Promise<JobRunnerStatus>) | undefined) {
  const database = await fileDatabase()
  const app = Fastify({ logger: false })
  registerHealthRoutes(app, { db: database.db, jobs: jobs === undefined ? undefined : { status: jobs }, info })
  await app.ready()
  return app
}

const status = (overrides: Partial<JobRunnerStatus>): (() => Promise<JobRunnerStatus>) => {
  return async () => ({ started: true, database: 'UP', running: 0, workers: [], ...overrides })
}

test('is ready when the database answers and the job runner has started with its database reachable', async (t) => {
  const app = await healthApp(status({}))
  t.after(() => app.close())
  const response = await app.inject({ method: 'GET', url: '/health/ready' })
  assert.equal(response.statusCode, 200)
  assert.deepEqual(json(response), { status: 'UP', checks: { database: 'UP', jobs: 'UP' } })
})

test('is not ready (503) when the job runner has not started, cannot reach its tables, or fails to say', async (t) => {
  for (const jobs of [
    status({ started: false }),
    status({ database: 'DOWN' }),
    async (): Promise<JobRunnerStatus> => {
      throw new Error('connection refused')
    },
  ]) {
    const app = await healthApp(jobs)
    t.after(() => app.close())
    const response = await app.inject({ method: 'GET', url: '/health/ready' })
    assert.equal(response.statusCode, 503)
    assert.deepEqual(json(response), { status: 'DOWN', checks: { database: 'UP', jobs: 'DOWN' } })
  }
})

test('a process that runs no jobs is ready without them, and says so', async (t) => {
  const { app } = await buildTestApp(t)
  const response = await app.inject({ method: 'GET', url: '/health/ready' })
  assert.equal(response.statusCode, 200)
  assert.deepEqual(json(response), { status: 'UP', checks: { database: 'UP', jobs: 'DISABLED' } })
})

test('serves the version, commit and build time to anyone signed in or not, and nothing else', async (t) => {
  const { app } = await buildTestApp(t, { config: { gitCommit: 'abc1234', buildTime: '2026-11-20T10:00:00Z' } })
  const response = await app.inject({ method: 'GET', url: '/health/info' })
  assert.equal(response.statusCode, 200)
  assert.deepEqual(json(response), { version: packageVersion, gitCommit: 'abc1234', buildTime: '2026-11-20T10:00:00Z' })
})

test('without a stated commit, reads the commit of the git checkout it runs from', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'hub-build-info-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ version: '9.8.7' }))
  const git = (...args: string[]) =>
    run('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd: dir })
  await git('init', '--quiet')
  await git('add', 'package.json')
  await git('commit', '--quiet', '-m', 'First')
  const head = (await git('rev-parse', 'HEAD')).stdout.trim()

  assert.deepEqual(await readBuildInfo({ gitCommit: undefined, buildTime: undefined }, dir), {
    version: '9.8.7',
    gitCommit: head,
    buildTime: 'unknown',
  })
  assert.deepEqual(await readBuildInfo({ gitCommit: 'abc1234', buildTime: '2026-11-20T10:00:00Z' }, dir), {
    version: '9.8.7',
    gitCommit: 'abc1234',
    buildTime: '2026-11-20T10:00:00Z',
  })
})

test('outside a git checkout of its own, and with no stated commit, says the commit is unknown', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'hub-build-info-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  // Inside another repository, as when installed under someone's checkout: that repository's commit is not ours.
  await run('git', ['init', '--quiet'], { cwd: dir })
  const install = path.join(dir, 'vendor', 'hub')
  await run('mkdir', ['-p', install])
  await writeFile(path.join(install, 'package.json'), JSON.stringify({ version: '9.8.7' }))
  assert.deepEqual(await readBuildInfo({ gitCommit: undefined, buildTime: undefined }, install), {
    version: '9.8.7',
    gitCommit: 'unknown',
    buildTime: 'unknown',
  })
})
