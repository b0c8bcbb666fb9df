import { execFile } from 'node:child_process'
import { readFile, realpath } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import type { FastifyInstance } from 'fastify'
import { sql, type Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { JobRunner } from '../jobs/job-runner.ts'

/** What is running: public, so it says nothing about the install beyond the build. */
export interface BuildInfo {
  version: string
  gitCommit: string
  buildTime: string
}

type Check = 'UP' | 'DOWN' | 'DISABLED'

const PACKAGE_ROOT = path.resolve(import.meta.dirname, '..', '..', '..')

/** HEAD of the git checkout the service runs from, if it runs from one (a build's image has no .git). */
async function gitHead(root: string): Promise<string | undefined> {
  try {
    const { stdout } = await promisify(execFile)('git', ['rev-parse', '--show-toplevel', 'HEAD'], {
      cwd: root,
      timeout: 5000,
    })
    const [topLevel, head] = stdout.trim().split('\n')
    // A checkout the service merely sits inside (installed under someone's repository) is not its own.
    if (topLevel === undefined || (await realpath(topLevel)) !== (await realpath(root))) return undefined
    return head !== undefined && /^[0-9a-f]{40}$/.test(head) ? head : undefined
  } catch {
    return undefined
  }
}

/**
 * The version from package.json; the commit and build time as the build stated them (GIT_COMMIT, BUILD_TIME),
 * else the commit of the git checkout the service runs from, else 'unknown'. Read once, at start-up.
 */
export async function readBuildInfo(
  config: { gitCommit: string | undefined; buildTime: string | undefined },
  root: string = PACKAGE_ROOT,
): Promise<BuildInfo> {
  const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { version?: unknown }
  return {
    version: typeof pkg.version === 'string' ? pkg.version : 'unknown',
    gitCommit: config.gitCommit ?? (await gitHead(root)) ?? 'unknown',
    buildTime: config.buildTime ?? 'unknown',
  }
}

async function databaseCheck(db: Kysely<DB>): Promise<Check> {
  try {
    await sql`select 1`.execute(db)
    return 'UP'
  } catch {
    return 'DOWN'
  }
}

/** Started, and its tables answer. A process that runs no jobs (JOBS_ENABLED=false) is ready without them. */
async function jobsCheck(jobs: Pick<JobRunner, 'status'> | undefined): Promise<Check> {
  if (jobs === undefined) return 'DISABLED'
  try {
    const status = await jobs.status()
    return status.started && status.database === 'UP' ? 'UP' : 'DOWN'
  } catch {
    return 'DOWN'
  }
}

export function registerHealthRoutes(
  app: FastifyInstance,
  deps: { db: Kysely<DB>; jobs: Pick<JobRunner, 'status'> | undefined; info: BuildInfo },
): void {
  const info = Object.freeze({ ...deps.info })
  app.get('/health/live', { config: { access: 'public' }, logLevel: 'warn' }, async () => ({ status: 'UP' }))

  app.get('/health/ready', { config: { access: 'public' }, logLevel: 'warn' }, async (_request, reply) => {
    const [database, jobs] = await Promise.all([databaseCheck(deps.db), jobsCheck(deps.jobs)])
    const up = database !== 'DOWN' && jobs !== 'DOWN'
    return reply.code(up ? 200 : 503).send({ status: up ? 'UP' : 'DOWN', checks: { database, jobs } })
  })

  app.get('/health/info', { config: { access: 'public' }, logLevel: 'warn' }, async () => info)
}
