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
 *   npm run bench -- [--db postgres|pglite|both] [--people N] [--duration 10] [--connections 10]
 */

const root = path.resolve(import.meta.dirname, '..')
const CLINICIAN = 'clinician@demo.hub.invalid'

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'both' },
    people: { type: 'string' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '10' },
    'admin-url': {
      type: 'string',
      default: process.env['BENCH_ADMIN_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    },
  },
})

const duration = Number(args.duration)
const warmup = Number(args.warmup)
const connections = Number(args.connections)

interface Row {
  scenario: string
  database: string
  people: number | undefined
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
}

async function measure(child: Child, scenario: Scenario, database: string, people: number | undefined): Promise<Row> {
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
  seedSeconds: number
  token: string
  personId: string
  serverVersion: string
  cleanup(): Promise<void>
}

/** A fresh database with the demo, an API token for the clinician and one Cambridge person's id. */
async function prepare(kind: 'postgres' | 'pglite', people: number): Promise<Prepared> {
  let env: Record<string, string>
  let cleanup: () => Promise<void>
  if (kind === 'postgres') {
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
    const seedSeconds = (performance.now() - started) / 1000
    const audit = createAuditService({ db: database.db, clock: systemClock })
    const auth = createAuthService({
      db: database.db,
      clock: systemClock,
      audit,
      sessionSecret: 'bench-only-session-secret-not-used-for-tokens',
      passwordCost: TEST_PASSWORD_COST,
    })
    const { token } = await auth.createApiToken(CLINICIAN, 'benchmark', { principal: undefined, requestId: 'bench' })
    const person = await database.db
      .selectFrom('person')
      .innerJoin('site', 'site.id', 'person.site_id')
      .select('person.id')
      .where('site.code', '=', 'cambridge')
      .orderBy('person.crn')
      .executeTakeFirstOrThrow()
    const version = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(database.db)
    return {
      env,
      seedSeconds,
      token,
      personId: person.id,
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

async function benchDatabase(kind: 'postgres' | 'pglite', rows: Row[], notes: string[]): Promise<void> {
  const people = args.people === undefined ? (kind === 'postgres' ? 250_000 : 4_000) : Number(args.people)
  process.stderr.write(`\n${kind}: preparing a fresh database with ${people.toLocaleString('en-GB')} people\n`)
  const prepared = await prepare(kind, people)
  const label =
    kind === 'postgres' ? `PostgreSQL ${prepared.serverVersion}` : `PGlite (PostgreSQL ${prepared.serverVersion})`
  notes.push(
    `${label}: demo seed of ${people.toLocaleString('en-GB')} people took ${prepared.seedSeconds.toFixed(1)} s`,
  )

  const child = await startChild(
    'src/server.ts',
    { ...prepared.env, APP_ENV: 'local', SEED_DEMO: 'false', LOG_LEVEL: 'warn' },
    '/health/ready',
  )
  try {
    const cookie = await signIn(child.baseUrl, CLINICIAN, DEMO_PASSWORD)
    const bearer = { authorization: `Bearer ${prepared.token}` }
    const scenarios: Scenario[] = [
      { name: 'GET /health/ready', path: '/health/ready' },
      { name: 'GET /api/v1/sites (token)', path: '/api/v1/sites', headers: bearer },
      { name: 'GET /caseload?site=cambridge', path: '/caseload?site=cambridge', headers: { cookie } },
      { name: 'GET /caseload?site=cambridge&q=SMI', path: '/caseload?site=cambridge&q=SMI', headers: { cookie } },
      { name: 'GET /caseload?site=cambridge&q=kest', path: '/caseload?site=cambridge&q=kest', headers: { cookie } },
      { name: 'GET /api/v1/people/{id} (token)', path: `/api/v1/people/${prepared.personId}`, headers: bearer },
    ]
    for (const scenario of scenarios) {
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
      rows.push(await measure(child, scenario, label, people))
    }
  } finally {
    await child.stop()
    await prepared.cleanup()
  }
}

async function benchBarePage(rows: Row[]): Promise<void> {
  process.stderr.write('\nceiling: bare GOV.UK page\n')
  const child = await startChild('bench/bare-page.ts', {}, '/')
  try {
    rows.push(await measure(child, { name: 'Bare GOV.UK page (ceiling)', path: '/' }, 'none', undefined))
  } finally {
    await child.stop()
  }
}

function table(rows: readonly Row[]): string {
  const f = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–')
  const lines = [
    '| Scenario | Database | People | Requests/s | p50 ms | p95 ms | p99 ms | Non-2xx | Peak RSS MiB |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ]
  for (const r of rows) {
    lines.push(
      `| ${r.scenario} | ${r.database} | ${r.people === undefined ? '–' : r.people.toLocaleString('en-GB')} | ` +
        `${f(r.requestsPerSecond, 0)} | ${f(r.p50)} | ${f(r.p95)} | ${f(r.p99)} | ${r.non2xx + r.errors} | ${f(r.peakRssMiB, 0)} |`,
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
  await benchBarePage(rows)
  for (const kind of kinds) await benchDatabase(kind, rows, notes)

  const cpus = os.cpus()
  const out = [
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}, ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; autocannon ${connections} connections, ` +
      `${duration} s per scenario after ${warmup} s warm-up, on loopback.`,
    '',
    table(rows),
    '',
    ...notes.map((n) => `- ${n}`),
  ]
  process.stdout.write(`${out.join('\n')}\n`)
}

await main()
