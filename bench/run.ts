import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { sql } from 'kysely'
import { systemClock } from '../src/platform/clock.ts'
import { connectPostgres, openDatabase } from '../src/platform/db/database.ts'
import { createAuditService } from '../src/platform/audit/audit.service.ts'
import { createAuthService } from '../src/features/staff/index.ts'
import { TEST_PASSWORD_COST } from '../src/features/staff/index.ts'
import { DEMO_PASSWORD, seedDemo } from '../src/features/demo/index.ts'
import { migrate } from '../src/migrations.ts'

/*
 * A repeatable load test on loopback. For each database it builds a fresh one, seeds the demo (250,000 people on
 * PostgreSQL, the 4,000-person pilot on PGlite), starts the real server as a child process (so the load generator
 * does not share its event loop), signs in a clinician and makes an API token, then drives each scenario with
 * autocannon for a fixed time after a short warm-up. The bare GOV.UK page is the ceiling for any page. Results
 * are printed as a Markdown table for bench/README.md.
 *
 *   npm run bench -- [--db postgres|pglite|both] [--people N] [--duration 10] [--connections N]
 *                    [--database-url URL | --data-dir DIR] [--only TEXT]
 */

const root = path.resolve(import.meta.dirname, '..')
const CLINICIAN = 'clinician@demo.hub.invalid'

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'both' },
    people: { type: 'string' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    /** Concurrent connections; unset, 50 on PostgreSQL and 10 on PGlite (the issue's budgets). */
    connections: { type: 'string' },
    /** Bench an existing, already seeded database instead of a fresh one (PostgreSQL URL or a PGlite DATA_DIR). */
    'database-url': { type: 'string' },
    'data-dir': { type: 'string' },
    /** Only the scenarios whose name contains this text (the bare page always runs). */
    only: { type: 'string' },
    'admin-url': {
      type: 'string',
      default: process.env['BENCH_ADMIN_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    },
  },
})

const duration = Number(args.duration)
const warmup = Number(args.warmup)
const connectionsFor = (kind: 'postgres' | 'pglite'): number =>
  args.connections !== undefined ? Number(args.connections) : kind === 'postgres' ? 50 : 10
/** The p95 each daily route must meet (the national-scale budgets): 100 ms on PostgreSQL, 50 ms on PGlite. */
const budgetMs = { postgres: 100, pglite: 50 } as const

interface Row {
  scenario: string
  database: string
  people: number | undefined
  connections: number
  /** Requests a second as a share of the bare page's at the same number of connections. */
  ratio: number | undefined
  /** The p95 budget, for a daily route. */
  budgetMs: number | undefined
  requestsPerSecond: number
  p50: number
  p95: number
  p99: number
  non2xx: number
  errors: number
  peakRssMiB: number
}

function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN
}

function rssMiB(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1]
    return kb === undefined ? Number.NaN : Number(kb) / 1024
  } catch {
    return Number.NaN
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => {
        resolve(port)
      })
    })
  })
}

interface Child {
  process: ChildProcess
  pid: number
  baseUrl: string
  stop(): Promise<void>
}

/** Starts a Node script as a child on 127.0.0.1 and waits until `readyPath` answers 200. */
async function startChild(script: string, env: Record<string, string>, readyPath: string): Promise<Child> {
  const port = await freePort()
  const child = spawn(process.execPath, [script], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000)
  })
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve()
    }),
  )
  const baseUrl = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 120_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited during start:\n${stderr}`)
    try {
      const response = await fetch(`${baseUrl}${readyPath}`)
      if (response.ok) break
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`${script} did not become ready:\n${stderr}`)
    await sleep(200)
  }
  if (child.pid === undefined) throw new Error(`${script} has no pid`)
  return {
    process: child,
    pid: child.pid,
    baseUrl,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}

interface Scenario {
  name: string
  path: string
  headers?: Record<string, string>
  /** A daily route with a p95 budget (not the health check or the sites API, which are for comparison). */
  daily?: boolean
}

async function measure(
  child: Child,
  scenario: Scenario,
  database: string,
  people: number | undefined,
  connections: number,
): Promise<Row> {
  const options = { url: `${child.baseUrl}${scenario.path}`, connections, headers: scenario.headers ?? {} }
  if (warmup > 0) await autocannon({ ...options, duration: warmup })

  const latencies: number[] = []
  let peak = rssMiB(child.pid)
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMiB(child.pid))
  }, 250)
  const run = autocannon({ ...options, duration })
  run.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime)
  })
  const result = await run
  clearInterval(sampler)
  peak = Math.max(peak, rssMiB(child.pid))

  latencies.sort((a, b) => a - b)
  const row: Row = {
    scenario: scenario.name,
    database,
    people,
    connections,
    ratio: undefined,
    budgetMs: undefined,
    requestsPerSecond: result['2xx'] / result.duration,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    peakRssMiB: peak,
  }
  process.stderr.write(
    `  ${scenario.name}: ${row.requestsPerSecond.toFixed(0)} req/s, p50 ${row.p50.toFixed(1)} ms, p95 ${row.p95.toFixed(1)} ms, ` +
      `p99 ${row.p99.toFixed(1)} ms, non-2xx ${row.non2xx}, RSS ${row.peakRssMiB.toFixed(0)} MiB\n`,
  )
  return row
}

/** A browser's sign-in: the CSRF token from the form, the cookies it set, then the session cookie from the post. */
async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const cookies = new Map<string, string>()
  const remember = (response: Response) => {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';')
      const at = pair?.indexOf('=') ?? -1
      if (pair !== undefined && at > 0) cookies.set(pair.slice(0, at), pair.slice(at + 1))
    }
  }
  const cookieHeader = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ')

  const form = await fetch(`${baseUrl}/sign-in`)
  remember(form)
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1]
  if (csrf === undefined) throw new Error('No CSRF token on the sign-in page')
  const posted = await fetch(`${baseUrl}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader() },
    body: new URLSearchParams({ _csrf: csrf, email, password }).toString(),
  })
  remember(posted)
  if (posted.status !== 302) throw new Error(`Sign-in failed with ${posted.status}`)
  return cookieHeader()
}

interface Prepared {
  env: Record<string, string>
  /** Undefined when an existing database was benched. */
  seedSeconds: number | undefined
  token: string
  /** A Cambridge person with a health check and appointments, their check, and their CRN and NHS number. */
  person: { id: string; crn: string; nhsNumber: string | null; healthCheckId: string }
  counts: { people: number; appointments: number }
  serverVersion: string
  cleanup(): Promise<void>
}

/** A fresh database with the demo (or the one given), an API token for the clinician and a Cambridge person. */
async function prepare(kind: 'postgres' | 'pglite', people: number): Promise<Prepared> {
  let env: Record<string, string>
  let cleanup: () => Promise<void>
  const existing = kind === 'postgres' ? args['database-url'] : args['data-dir']
  if (existing !== undefined) {
    env = kind === 'postgres' ? { DATABASE_URL: existing } : { DATA_DIR: existing }
    cleanup = async () => {}
  } else if (kind === 'postgres') {
    const name = `bench_${Date.now().toString(36)}`
    const admin = connectPostgres(args['admin-url'], { max: 1 })
    await sql`create database ${sql.id(name)}`.execute(admin.db)
    const url = new URL(args['admin-url'])
    url.pathname = `/${name}`
    env = { DATABASE_URL: url.toString() }
    cleanup = async () => {
      await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin.db)
      await admin.close()
    }
  } else {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-bench-'))
    env = { DATA_DIR: dataDir }
    cleanup = async () => {
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  }

  const database = await openDatabase({ databaseUrl: env['DATABASE_URL'], dataDir: env['DATA_DIR'] ?? '' })
  try {
    let seedSeconds: number | undefined
    if (existing === undefined) {
      await migrate(database.db)
      const started = performance.now()
      await seedDemo(
        {
          database,
          clock: systemClock,
          log: (line) => process.stderr.write(`  ${line}\n`),
          progress: true,
          passwordCost: TEST_PASSWORD_COST,
        },
        { people },
      )
      seedSeconds = (performance.now() - started) / 1000
    }
    const audit = createAuditService({ db: database.db, clock: systemClock })
    const auth = createAuthService({
      db: database.db,
      clock: systemClock,
      audit,
      sessionSecret: 'bench-only-session-secret-not-used-for-tokens',
      passwordCost: TEST_PASSWORD_COST,
    })
    const { token } = await auth.createApiToken(CLINICIAN, 'benchmark', { principal: undefined, requestId: 'bench' })
    // The first Cambridge person by CRN who has had a health check (so every person section has something in it).
    const person = await database.db
      .selectFrom('person')
      .innerJoin('site', 'site.id', 'person.site_id')
      .innerJoin('health_check', 'health_check.person_id', 'person.id')
      .select(['person.id', 'person.crn', 'person.nhs_number', 'health_check.id as health_check_id'])
      .where('site.code', '=', 'cambridge')
      .orderBy('person.crn')
      .orderBy('health_check.id')
      .limit(1)
      .executeTakeFirstOrThrow()
    const count = async (table: 'person' | 'appointment') =>
      Number(
        (
          await database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
    const version = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(database.db)
    return {
      env,
      seedSeconds,
      token,
      person: {
        id: person.id,
        crn: person.crn,
        nhsNumber: person.nhs_number,
        healthCheckId: person.health_check_id,
      },
      counts: { people: await count('person'), appointments: await count('appointment') },
      serverVersion: version.rows[0]?.v.split(' ')[0] ?? '?',
      cleanup,
    }
  } catch (error) {
    await cleanup()
    throw error
  } finally {
    await database.close()
  }
}

/** The scenarios of one run: the daily journeys' pages and the person API, beside two cheap routes for scale. */
function scenariosFor(prepared: Prepared, cookie: string): Scenario[] {
  const bearer = { authorization: `Bearer ${prepared.token}` }
  const page = (name: string, pagePath: string): Scenario => ({ name, path: pagePath, headers: { cookie }, daily: true })
  const { id, crn, nhsNumber, healthCheckId } = prepared.person
  const all: Scenario[] = [
    { name: 'GET /health/ready', path: '/health/ready' },
    { name: 'GET /api/v1/sites (token)', path: '/api/v1/sites', headers: bearer },
    page('Caseload (default order)', '/caseload?site=cambridge'),
    page('Caseload, name prefix search (q=kest)', '/caseload?site=cambridge&q=kest'),
    page('Caseload, CRN search', `/caseload?site=cambridge&q=${encodeURIComponent(crn)}`),
    ...(nhsNumber === null
      ? []
      : [page('Caseload, NHS number search', `/caseload?site=cambridge&q=${encodeURIComponent(nhsNumber)}`)]),
    page('Person page', `/people/${id}`),
    page("Person's appointments", `/people/${id}/appointments`),
    page('Site diary (today)', '/diary?site=cambridge'),
    page('Worklist (mine)', '/worklist?site=cambridge'),
    page('Referrals list', '/referrals?site=cambridge'),
    page('Health check', `/health-checks/${healthCheckId}`),
    { name: 'Person API (token)', path: `/api/v1/people/${id}`, headers: bearer, daily: true },
  ]
  const only = args.only?.toLowerCase()
  return only === undefined ? all : all.filter((s) => s.name.toLowerCase().includes(only))
}

/** How long `node src/server.ts` takes from spawn to answering /health/ready on this database, and its RSS then. */
async function coldStart(env: Record<string, string>): Promise<{ seconds: number; rssMiB: number }> {
  const started = performance.now()
  const child = await startChild(
    'src/server.ts',
    { ...env, APP_ENV: 'local', SEED_DEMO: 'false', LOG_LEVEL: 'warn', JOBS_ENABLED: 'true' },
    '/health/ready',
  )
  const seconds = (performance.now() - started) / 1000
  const rss = rssMiB(child.pid)
  await child.stop()
  return { seconds, rssMiB: rss }
}

async function benchDatabase(
  kind: 'postgres' | 'pglite',
  rows: Row[],
  notes: string[],
  bare: Map<number, number>,
): Promise<void> {
  const people = args.people === undefined ? (kind === 'postgres' ? 250_000 : 4_000) : Number(args.people)
  const connections = connectionsFor(kind)
  process.stderr.write(
    `\n${kind}: ${args['database-url'] ?? args['data-dir'] ?? `a fresh database with ${people.toLocaleString('en-GB')} people`}\n`,
  )
  const prepared = await prepare(kind, people)
  const label =
    kind === 'postgres' ? `PostgreSQL ${prepared.serverVersion}` : `PGlite (PostgreSQL ${prepared.serverVersion})`
  const size =
    `${prepared.counts.people.toLocaleString('en-GB')} people, ` +
    `${prepared.counts.appointments.toLocaleString('en-GB')} appointments`
  notes.push(
    prepared.seedSeconds === undefined
      ? `${label}: an existing database of ${size}`
      : `${label}: demo seed of ${size} took ${prepared.seedSeconds.toFixed(1)} s`,
  )
  if (!bare.has(connections)) bare.set(connections, await benchBarePage(rows, connections))

  try {
    // Cold start on the seeded database, before any request has warmed it: spawn to ready, and memory then.
    const cold = await coldStart(prepared.env)
    notes.push(
      `${label}: cold start of \`node src/server.ts\` to /health/ready ${cold.seconds.toFixed(1)} s ` +
        `(budget 5 s at pilot scale), RSS then ${cold.rssMiB.toFixed(0)} MiB`,
    )
    const child = await startChild(
      'src/server.ts',
      { ...prepared.env, APP_ENV: 'local', SEED_DEMO: 'false', LOG_LEVEL: 'warn' },
      '/health/ready',
    )
    try {
      const cookie = await signIn(child.baseUrl, CLINICIAN, DEMO_PASSWORD)
      for (const scenario of scenariosFor(prepared, cookie)) {
        // A route that is not there yet (or refuses) is reported, not measured.
        const probe = await fetch(`${child.baseUrl}${scenario.path}`, {
          headers: scenario.headers ?? {},
          redirect: 'manual',
        })
        await probe.arrayBuffer()
        if (probe.status !== 200) {
          notes.push(`${label}: ${scenario.name} answered ${probe.status}, so it was not measured`)
          process.stderr.write(`  ${scenario.name}: answered ${probe.status}; skipped\n`)
          continue
        }
        const row = await measure(child, scenario, label, prepared.counts.people, connections)
        const ceiling = bare.get(connections)
        row.ratio = ceiling === undefined || ceiling === 0 ? undefined : row.requestsPerSecond / ceiling
        row.budgetMs = scenario.daily === true ? budgetMs[kind] : undefined
        rows.push(row)
      }
      notes.push(`${label}: server RSS after the run ${rssMiB(child.pid).toFixed(0)} MiB (budget 500 MiB at pilot scale)`)
    } finally {
      await child.stop()
    }
  } finally {
    await prepared.cleanup()
  }
}

/** The bare page at a number of connections; returns its requests a second, the ceiling for the ratios. */
async function benchBarePage(rows: Row[], connections: number): Promise<number> {
  process.stderr.write(`\nceiling: bare GOV.UK page at ${String(connections)} connections\n`)
  const child = await startChild('bench/bare-page.ts', {}, '/')
  try {
    const row = await measure(child, { name: 'Bare GOV.UK page (ceiling)', path: '/' }, 'none', undefined, connections)
    row.ratio = 1
    rows.push(row)
    return row.requestsPerSecond
  } finally {
    await child.stop()
  }
}

function table(rows: readonly Row[]): string {
  const f = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–')
  const lines = [
    '| Scenario | Database | People | Conn. | Requests/s | Of bare page | p50 ms | p95 ms | p99 ms | p95 budget | Non-2xx | Peak RSS MiB |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|',
  ]
  for (const r of rows) {
    const budget =
      r.budgetMs === undefined ? '–' : `${String(r.budgetMs)} ms: ${r.p95 <= r.budgetMs ? 'met' : '**missed**'}`
    lines.push(
      `| ${r.scenario} | ${r.database} | ${r.people === undefined ? '–' : r.people.toLocaleString('en-GB')} | ` +
        `${String(r.connections)} | ${f(r.requestsPerSecond, 0)} | ` +
        `${r.ratio === undefined ? '–' : `${(r.ratio * 100).toFixed(0)}%`} | ${f(r.p50)} | ${f(r.p95)} | ${f(r.p99)} | ` +
        `${budget} | ${r.non2xx + r.errors} | ${f(r.peakRssMiB, 0)} |`,
    )
  }
  return lines.join('\n')
}

async function main(): Promise<void> {
  const kinds: ('postgres' | 'pglite')[] =
    args.db === 'both' ? ['postgres', 'pglite'] : args.db === 'postgres' || args.db === 'pglite' ? [args.db] : []
  if (kinds.length === 0) throw new Error('--db must be postgres, pglite or both')
  const rows: Row[] = []
  const notes: string[] = []
  const bare = new Map<number, number>()
  const loadBefore = os.loadavg()
  for (const kind of kinds) await benchDatabase(kind, rows, notes, bare)
  const loadAfter = os.loadavg()

  const cpus = os.cpus()
  const load = (l: number[]) => l.map((n) => n.toFixed(2)).join(', ')
  const out = [
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}, ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; autocannon, ` +
      `${duration} s per scenario after ${warmup} s warm-up, on loopback. Load average (1, 5, 15 min) ` +
      `${load(loadBefore)} before, ${load(loadAfter)} after.`,
    '',
    table(rows),
    '',
    ...notes.map((n) => `- ${n}`),
  ]
  process.stdout.write(`${out.join('\n')}\n`)
}

await main()
