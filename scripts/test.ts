/**
 * The whole test suite, as `npm test` and CI run it:
 *   1. unit and integration tests on embedded PostgreSQL (PGlite);
 *   2. the same tests on a PostgreSQL server, when TEST_DATABASE_URL is set (required when CI=true), plus the
 *      *.pg.test.ts files that need one (several connections at once, which PGlite does not have);
 *   3. browser tests in Chromium, when it is installed (required when CI=true).
 * Each run streams its own output; the last line is the totals, as `N passed, N failed, N skipped`.
 */
import { spawn } from 'node:child_process'
import { existsSync, globSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { PGLITE_TEMPLATE_ENV, writeMigratedPgliteDump } from '../test/support/pglite-template.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const ci = process.env['CI'] === 'true' || process.env['CI'] === '1'
const CI_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test'
const DEFAULT_CHROMIUM = '/usr/bin/chromium'
/** Processes per database pass: one per core of the 2-core machines CI runs on. */
const UNIT_SHARDS = Math.max(1, Math.min(4, availableParallelism()))

interface Counts {
  passed: number
  failed: number
  skipped: number
}

interface RunResult {
  name: string
  counts: Counts
  exitCode: number
  seconds: number
}

const results: RunResult[] = []
/** Problems that fail the suite without being a test: a required database or browser that is missing. */
const problems: string[] = []

function heading(text: string): void {
  process.stdout.write(`\n=== ${text} ===\n\n`)
}

function findTests(patterns: string[]): string[] {
  const files = patterns.flatMap((pattern) =>
    globSync(pattern, { cwd: root, exclude: (name) => name === 'node_modules' }),
  )
  return [...new Set(files)].sort()
}

/** Reads the totals from the TAP summary the runner writes last (`# pass N`, `# fail N`, ...). */
function countsFromTap(tap: string): Counts | undefined {
  const read = (name: string): number | undefined => {
    const matches = [...tap.matchAll(new RegExp(`^# ${name} (\\d+)$`, 'gm'))]
    const last = matches.at(-1)?.[1]
    return last === undefined ? undefined : Number(last)
  }
  const pass = read('pass')
  const fail = read('fail')
  if (pass === undefined || fail === undefined) return undefined
  return {
    passed: pass,
    failed: fail + (read('cancelled') ?? 0),
    skipped: (read('skipped') ?? 0) + (read('todo') ?? 0),
  }
}

/** One `node --test` process: its exit code and its TAP copy (for the totals). */
async function runShard(
  files: string[],
  options: { env: NodeJS.ProcessEnv; isolation: 'none' | 'process'; tapFile: string; specFile: string | undefined },
): Promise<number> {
  const args = [
    '--test',
    `--test-isolation=${options.isolation}`,
    '--test-concurrency=1',
    // A test that hangs must not hold CI for its whole time limit.
    '--test-timeout=300000',
    '--test-reporter=spec',
    `--test-reporter-destination=${options.specFile ?? 'stdout'}`,
    '--test-reporter=tap',
    `--test-reporter-destination=${options.tapFile}`,
    ...files,
  ]
  return new Promise<number>((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, env: options.env, stdio: 'inherit' })
    child.on('error', (error) => {
      process.stderr.write(`Could not start the test runner: ${error.message}\n`)
      resolve(1)
    })
    child.on('exit', (code, signal) => {
      resolve(code ?? (signal === null ? 1 : 128))
    })
  })
}

/** Splits the files into `count` parts of about the same size (bytes of test code stand in for running time). */
function partition(files: string[], count: number): string[][] {
  const parts = Array.from({ length: count }, () => ({ files: [] as string[], size: 0 }))
  const sized = files.map((file) => ({ file, size: statSync(path.join(root, file)).size }))
  for (const { file, size } of sized.sort((a, b) => b.size - a.size || a.file.localeCompare(b.file))) {
    const smallest = parts.reduce((min, part) => (part.size < min.size ? part : min))
    smallest.files.push(file)
    smallest.size += size
  }
  return parts.map((part) => part.files.sort())
}

/**
 * Runs the files in `shards` processes at once, each running its share of the files in one process
 * (`--test-isolation=none`: the app modules, the migrated database template and each file's app are loaded once
 * per process, not once per file). With one process its spec output streams; with several, each one's output is
 * printed whole when it ends, so lines do not interleave. The results are counted from TAP copies.
 */
async function runNodeTests(
  name: string,
  files: string[],
  options: { shards: number; isolation: 'none' | 'process'; env: NodeJS.ProcessEnv },
): Promise<void> {
  heading(name)
  const passStarted = Date.now()
  const tapDir = mkdtempSync(path.join(tmpdir(), 'hub-test-'))
  const shards = Math.max(1, Math.min(options.shards, files.length))
  const runs = partition(files, shards).map((part, index) => {
    const tapFile = path.join(tapDir, `results-${index + 1}.tap`)
    const specFile = shards === 1 ? undefined : path.join(tapDir, `results-${index + 1}.txt`)
    return runShard(part, { env: options.env, isolation: options.isolation, tapFile, specFile }).then((exitCode) => {
      if (specFile !== undefined) {
        process.stdout.write(`--- part ${index + 1} of ${shards}: ${part.length} files ---\n`)
        if (existsSync(specFile)) process.stdout.write(readFileSync(specFile, 'utf8'))
      }
      const tap = existsSync(tapFile) ? readFileSync(tapFile, 'utf8') : ''
      return { exitCode, counts: countsFromTap(tap) }
    })
  })
  const outcomes = await Promise.all(runs)
  rmSync(tapDir, { recursive: true, force: true })
  const counts: Counts = { passed: 0, failed: 0, skipped: 0 }
  let exitCode = 0
  for (const [index, outcome] of outcomes.entries()) {
    const label = shards === 1 ? name : `${name} (part ${index + 1} of ${shards})`
    if (outcome.exitCode !== 0) exitCode = outcome.exitCode
    if (outcome.counts === undefined) {
      problems.push(`${label}: the test runner exited (code ${outcome.exitCode}) without reporting its totals`)
      if (exitCode === 0) exitCode = 1
      continue
    }
    if (outcome.exitCode !== 0 && outcome.counts.failed === 0) {
      problems.push(`${label}: the test runner exited with code ${outcome.exitCode}`)
    }
    counts.passed += outcome.counts.passed
    counts.failed += outcome.counts.failed
    counts.skipped += outcome.counts.skipped
  }
  results.push({ name, counts, exitCode, seconds: (Date.now() - passStarted) / 1000 })
}

/** Connects once, so an unreachable server is reported plainly rather than as every test failing. */
async function canReach(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 })
  try {
    await client.connect()
    await client.query('select 1')
    return undefined
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  } finally {
    await client.end().catch(() => undefined)
  }
}

/** The URL as it may be printed: any password replaced. */
function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password !== '') parsed.password = '***'
    return parsed.toString()
  } catch {
    return 'the configured URL'
  }
}

function withoutDatabaseUrl(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env }
  delete copy['TEST_DATABASE_URL']
  return copy
}

async function main(): Promise<void> {
  const started = Date.now()
  const allUnitFiles = findTests(['src/**/*.test.ts', 'test/**/*.test.ts'])
  // *.pg.test.ts need a PostgreSQL server (several connections at once): they run in the PostgreSQL pass only.
  const postgresOnly = (file: string) => file.endsWith('.pg.test.ts')
  const unitFiles = allUnitFiles.filter((file) => !postgresOnly(file))
  const browserFiles = findTests(['e2e/**/*.test.ts'])

  // One migrated PGlite database for every PGlite test process of the run (the PGlite pass and the browser tests).
  const templateDir = mkdtempSync(path.join(tmpdir(), 'hub-pglite-'))
  const templateFile = path.join(templateDir, 'migrated.tar')
  let pgliteEnv = withoutDatabaseUrl(process.env)
  try {
    await writeMigratedPgliteDump(templateFile)
    pgliteEnv = { ...pgliteEnv, [PGLITE_TEMPLATE_ENV]: templateFile }
  } catch (error) {
    // Each test process then migrates its own, and the migration tests say what is wrong.
    process.stdout.write(
      `Could not make the migrated PGlite template: ${error instanceof Error ? error.message : String(error)}\n`,
    )
  }

  // 1. PGlite
  if (unitFiles.length === 0) problems.push('No unit or integration tests were found under src/ or test/')
  else
    await runNodeTests('Unit and integration tests on PGlite', unitFiles, {
      shards: UNIT_SHARDS,
      isolation: 'none',
      env: pgliteEnv,
    })

  // 2. PostgreSQL server
  const configuredUrl = process.env['TEST_DATABASE_URL']
  const databaseUrl =
    configuredUrl !== undefined && configuredUrl !== '' ? configuredUrl : ci ? CI_DATABASE_URL : undefined
  if (databaseUrl === undefined) {
    heading('Unit and integration tests on PostgreSQL')
    process.stdout.write(
      'Not run: TEST_DATABASE_URL is not set (set it, e.g. postgres://postgres@127.0.0.1:5432/test, or CI=true).\n',
    )
  } else if (unitFiles.length > 0) {
    const unreachable = await canReach(databaseUrl)
    const shownUrl = withoutPassword(databaseUrl)
    if (unreachable !== undefined) {
      heading('Unit and integration tests on PostgreSQL')
      const message = `Cannot reach the PostgreSQL server at ${shownUrl}: ${unreachable}`
      process.stdout.write(`${message}\n`)
      problems.push(message)
    } else {
      await runNodeTests(`Unit and integration tests on PostgreSQL (${shownUrl})`, allUnitFiles, {
        shards: UNIT_SHARDS,
        isolation: 'none',
        env: { ...process.env, TEST_DATABASE_URL: databaseUrl },
      })
    }
  }

  // 3. Browser
  const chromium =
    process.env['CHROMIUM_PATH'] !== undefined && process.env['CHROMIUM_PATH'] !== ''
      ? process.env['CHROMIUM_PATH']
      : DEFAULT_CHROMIUM
  if (browserFiles.length === 0) {
    heading('Browser tests')
    process.stdout.write('Not run: no browser tests were found under e2e/.\n')
    if (ci) problems.push('No browser tests were found under e2e/')
  } else if (!existsSync(chromium)) {
    heading('Browser tests')
    const message = `Chromium was not found at ${chromium} (install Debian's chromium package or set CHROMIUM_PATH)`
    process.stdout.write(`Not run: ${message}.\n`)
    if (ci) problems.push(message)
  } else {
    await runNodeTests('Browser tests in Chromium', browserFiles, {
      // Each browser test file starts its own app and Chromium: two files at a time, each in its own process.
      shards: Math.min(2, UNIT_SHARDS),
      isolation: 'process',
      env: { ...pgliteEnv, CHROMIUM_PATH: chromium },
    })
  }

  rmSync(templateDir, { recursive: true, force: true })

  heading('Summary')
  for (const result of results) {
    const { passed, failed, skipped } = result.counts
    process.stdout.write(
      `${result.name}: ${passed} passed, ${failed} failed, ${skipped} skipped (${result.seconds.toFixed(1)} s)\n`,
    )
  }
  for (const problem of problems) process.stdout.write(`FAILED: ${problem}\n`)
  process.stdout.write(`Took ${((Date.now() - started) / 1000).toFixed(1)} s\n`)

  const total = results.reduce<Counts>(
    (sum, r) => ({
      passed: sum.passed + r.counts.passed,
      failed: sum.failed + r.counts.failed,
      skipped: sum.skipped + r.counts.skipped,
    }),
    { passed: 0, failed: 0, skipped: 0 },
  )
  process.stdout.write(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped\n`)
  const failed = total.failed > 0 || problems.length > 0 || results.some((r) => r.exitCode !== 0)
  process.exitCode = failed ? 1 : 0
}

await main()
