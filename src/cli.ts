import { randomUUID } from 'node:crypto'
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util'
import { ConfigError, loadConfig, type Config } from './config.ts'
import { systemClock, type Clock } from './platform/clock.ts'
import { DatabaseInUseError, openDatabase, type Database } from './platform/db/database.ts'
import { DomainError, NotFoundError } from './platform/http/errors.ts'
import type { ActorContext, AuditService } from './platform/audit/audit.service.ts'
import { createServices } from './services.ts'
import { registerBackgroundJobs } from './jobs.ts'
import { MESSAGE_SWEEP_QUEUE } from './features/messages/index.ts'
import { createJobRunner, type JobLogger } from './platform/jobs/job-runner.ts'
import type { AuthService } from './features/staff/index.ts'
import { PRODUCTION_PASSWORD_COST, type PasswordCost } from './features/staff/index.ts'
import { seedDemo } from './features/demo/index.ts'
import type { SiteContactInput, SitesService, SiteWithContact } from './features/sites/index.ts'
import { roleLabel, type StaffService } from './features/staff/index.ts'
import { licenceLabel, permissionReferenceProblem, type InstrumentsService } from './features/instruments/index.ts'
import { isUuid } from './platform/forms/forms.ts'
import { staffRoles } from './platform/http/roles.ts'
import { migrate } from './migrations.ts'

export interface CliStream {
  write(chunk: string): unknown
  isTTY?: boolean
}

export interface CliIo {
  env: Readonly<Record<string, string | undefined>>
  stdout: CliStream
  stderr: CliStream
  /** An open database (tests); otherwise one is opened from the environment and closed at the end. */
  database?: Database
  /** scrypt cost for passwords set here (tests pass a lower one). */
  passwordCost?: PasswordCost
  clock?: Clock
  /** Ends a long-running command (`worker`) when aborted; otherwise SIGTERM or SIGINT does. */
  signal?: AbortSignal
}

/** Exit codes: sysexits(3) for usage and configuration, 2 for "the embedded database is in use". */
export const exitCodes = { ok: 0, failed: 1, databaseInUse: 2, usage: 64, config: 78 } as const

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>

interface Context {
  config: Config
  database: Database
  clock: Clock
  audit: AuditService
  auth: AuthService
  sites: SitesService
  staff: StaffService
  instruments: InstrumentsService
  /** Command-line changes are audited with no principal and a request id of their own. */
  actor: ActorContext
  applied: string[]
  out: (line: string) => void
  err: (line: string) => void
  io: CliIo
}

interface Command {
  name: string
  usage: string
  summary: string
  options: ParseArgsOptionsConfig
  required?: readonly string[]
  /** Names of the arguments given without a flag, in order (`instruments permit CODE`); all are required. */
  positionals?: readonly string[]
  /** Checks that need no database (so a refusal changes nothing); returns an exit code to stop with. */
  before?: (config: Config, values: Values, err: (line: string) => void) => number | undefined
  run: (context: Context, values: Values, args: readonly string[]) => Promise<number>
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

/** Resolves when the signal aborts, or on SIGTERM or SIGINT when there is none. */
function untilStopped(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal !== undefined) {
      if (signal.aborted) resolve()
      else signal.addEventListener('abort', () => { resolve(); }, { once: true })
      return
    }
    const stop = () => {
      process.off('SIGTERM', stop)
      process.off('SIGINT', stop)
      resolve()
    }
    process.once('SIGTERM', stop)
    process.once('SIGINT', stop)
  })
}

const levels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const

/** One JSON line per entry, as the app's logs are; no personal data is ever passed to it. */
function jsonLogger(level: Config['logLevel'], write: (line: string) => void): JobLogger {
  const least = level === 'silent' ? Infinity : levels.indexOf(level)
  const at = (name: (typeof levels)[number]) => (object: object, msg: string) => {
    if (levels.indexOf(name) >= least) write(JSON.stringify({ level: name, time: new Date().toISOString(), ...object, msg }))
  }
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}

/** A command-line failure with a plain message (exit 1). */
class CliError extends Error {}

function stringOption(values: Values, name: string): string | undefined {
  const value = values[name]
  return typeof value === 'string' ? value : undefined
}

function requiredString(values: Values, name: string): string {
  const value = stringOption(values, name)
  if (value === undefined) throw new CliError(`--${name} is required`)
  return value
}

/** `--site a,b --site c` and `--site a --site b` both mean sites a, b and c. */
function listOption(values: Values, name: string): string[] {
  const raw = values[name]
  const all = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]
  return all
    .filter((v): v is string => typeof v === 'string')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '')
}

const flagForField: Record<string, string> = {
  email: '--email',
  fullName: '--name',
  role: '--role',
  sites: '--site',
  organisationId: '--organisation',
  password: '--password',
  code: '--code',
  name: '--name',
  status: '--email',
  region: '--region',
  addressLine1: '--address-line1',
  addressLine2: '--address-line2',
  town: '--town',
  postcode: '--postcode',
  phone: '--phone',
}

function describeDomainError(error: DomainError): string[] {
  return error.errors.map((e) => `${flagForField[e.field] ?? e.field}: ${e.message}`)
}

async function userByEmail(context: Context, email: string) {
  const user = await context.staff.findUserByEmail(email)
  if (user === undefined) throw new CliError(`No staff user has the email address ${email}`)
  return user
}

const CREATE_SITE_HINT = 'hub sites create --code CODE --name NAME --region REGION'

/** The site a command names; an unknown code lists the sites there are, or says how to add the first. */
async function siteByCode(context: Context, code: string) {
  const site = await context.sites.findByCode(code)
  if (site !== undefined) return site
  const known = (await context.sites.listAll()).map((s) => s.code)
  throw new CliError(
    `Unknown site "${code}". ${
      known.length === 0 ? `There are no sites yet. Add one with: ${CREATE_SITE_HINT}` : `Sites: ${known.join(', ')}`
    }`,
  )
}

const contactOptions = {
  'address-line1': { type: 'string' },
  'address-line2': { type: 'string' },
  town: { type: 'string' },
  postcode: { type: 'string' },
  phone: { type: 'string' },
} as const satisfies ParseArgsOptionsConfig

const CONTACT_USAGE =
  '[--address-line1 TEXT] [--address-line2 TEXT] [--town TOWN] [--postcode POSTCODE] [--phone PHONE]'

/** The contact options given; one left out is undefined (kept), one given as "" is cleared. */
function contactFromOptions(values: Values): SiteContactInput {
  return {
    addressLine1: stringOption(values, 'address-line1'),
    addressLine2: stringOption(values, 'address-line2'),
    town: stringOption(values, 'town'),
    postcode: stringOption(values, 'postcode'),
    phone: stringOption(values, 'phone'),
  }
}

const describeContact = (site: SiteWithContact) =>
  `address ${site.address ?? '(none)'}; phone ${site.phone ?? '(none)'}`

/**
 * The instrument a command names, case-insensitively; an unknown code lists the codes that need a permission.
 * Only those have a permission to record or revoke.
 */
async function instrumentNeedingPermission(context: Context, raw: string) {
  const all = await context.instruments.listInstruments()
  const needing = all.filter((i) => i.definition.licence.requiresPermission)
  const codes = needing
    .map((i) => i.definition.code)
    .sort()
    .join(', ')
  const instrument = all.find((i) => i.definition.code === raw.trim().toLowerCase())
  if (instrument === undefined) {
    throw new CliError(`Unknown instrument "${raw}". Instruments that need permission: ${codes}`)
  }
  const { title, licence } = instrument.definition
  if (!licence.requiresPermission) {
    throw new CliError(
      `${title} needs no permission: it is ${licenceLabel(licence.category).toLowerCase()}, so health checks can ` +
        `always use it. ` +
        `Instruments that need permission: ${codes}`,
    )
  }
  return instrument
}

/** The active administrator a licence permission is recorded for (the permission record names a staff user). */
async function administratorByEmail(context: Context, email: string) {
  const user = await userByEmail(context, email)
  if (user.role !== 'admin') throw new CliError(`${user.email} is not an administrator: --by must name one`)
  if (user.status !== 'active') throw new CliError(`${user.email}’s account is disabled: --by must name an active one`)
  return { userId: user.id, displayName: user.displayName }
}

const commands: readonly Command[] = [
  {
    name: 'migrate',
    usage: 'migrate',
    summary: 'Apply database migrations not yet applied',
    options: {},
    run: async ({ applied, out }) => {
      if (applied.length === 0) out('The database is up to date: no migrations to apply.')
      else out(`Applied ${plural(applied.length, 'migration')}: ${applied.join(', ')}`)
      return exitCodes.ok
    },
  },
  {
    name: 'users create',
    usage:
      'users create --email EMAIL --name NAME --role ROLE [--site CODE[,CODE]] [--organisation CODE] [--password PASSWORD]',
    summary:
      'Add a staff user (how the first administrator is made); without --password a strong one is generated and printed',
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      site: { type: 'string', multiple: true },
      organisation: { type: 'string' },
      password: { type: 'string' },
    },
    required: ['email', 'name', 'role'],
    run: async (context, values) => {
      const { staff, out } = context
      const role = requiredString(values, 'role')
      if (!(staffRoles as readonly string[]).includes(role)) {
        throw new CliError(`Unknown role "${role}". Roles: ${staffRoles.join(', ')}`)
      }
      const siteIds: string[] = []
      for (const code of listOption(values, 'site')) siteIds.push((await siteByCode(context, code)).id)
      let organisationId: string | null = null
      const organisationCode = stringOption(values, 'organisation')
      if (organisationCode !== undefined) {
        const organisation = await staff.findOrganisationByCode(organisationCode)
        if (organisation === undefined) {
          throw new CliError(
            `Unknown organisation "${organisationCode}". Add it with: hub organisations create --code CODE --name NAME`,
          )
        }
        organisationId = organisation.id
      }
      const { user, generatedPassword } = await staff.createUser(
        {
          email: requiredString(values, 'email'),
          fullName: requiredString(values, 'name'),
          role,
          siteIds,
          organisationId,
          password: stringOption(values, 'password'),
        },
        context.actor,
        // The operator's bootstrap path: no second person's approval (README, Roles).
        { approval: 'command-line' },
      )
      out(`Created ${roleLabel(user.role)} ${user.email} (id ${user.id})`)
      if (generatedPassword !== undefined) {
        out('Their password is shown once. Give it to them securely:')
        out(generatedPassword)
      }
      return exitCodes.ok
    },
  },
  {
    name: 'users list',
    usage: 'users list',
    summary: 'List staff users',
    options: {},
    run: async ({ staff, sites, out }) => {
      const [users, allSites] = await Promise.all([staff.listUsers(), sites.listAll()])
      const codes = new Map(allSites.map((s) => [s.id, s.code]))
      if (users.length === 0) out('There are no staff users.')
      for (const user of users) {
        const status = user.status === 'disabled' ? 'disabled' : staff.isLocked(user) ? 'locked' : 'active'
        const siteCodes = user.siteIds.map((id) => codes.get(id) ?? id).join(',')
        out([user.email, user.role, status, siteCodes === '' ? '-' : siteCodes].join('\t'))
      }
      return exitCodes.ok
    },
  },
  {
    name: 'users unlock',
    usage: 'users unlock --email EMAIL',
    summary: 'Unlock an account locked by failed sign-ins',
    options: { email: { type: 'string' } },
    required: ['email'],
    run: async (context, values) => {
      const user = await userByEmail(context, requiredString(values, 'email'))
      await context.staff.unlockUser(user.id, user.version, context.actor)
      context.out(`Unlocked ${user.email}`)
      return exitCodes.ok
    },
  },
  {
    name: 'users disable',
    usage: 'users disable --email EMAIL',
    summary: 'Disable an account and end its sessions',
    options: { email: { type: 'string' } },
    required: ['email'],
    run: async (context, values) => {
      const user = await userByEmail(context, requiredString(values, 'email'))
      await context.staff.disableUser(user.id, user.version, context.actor)
      context.out(`Disabled ${user.email}`)
      return exitCodes.ok
    },
  },
  {
    name: 'users enable',
    usage: 'users enable --email EMAIL',
    summary: 'Enable a disabled account',
    options: { email: { type: 'string' } },
    required: ['email'],
    run: async (context, values) => {
      const user = await userByEmail(context, requiredString(values, 'email'))
      await context.staff.enableUser(user.id, user.version, context.actor)
      context.out(`Enabled ${user.email}`)
      return exitCodes.ok
    },
  },
  {
    name: 'users reset-password',
    usage: 'users reset-password --email EMAIL',
    summary:
      'Operators only (audited): set a one-time password, printed once, that its owner must change; ends their sessions and API tokens',
    options: { email: { type: 'string' } },
    required: ['email'],
    run: async (context, values) => {
      const user = await userByEmail(context, requiredString(values, 'email'))
      const { oneTimePassword } = await context.staff.resetPasswordByOperator(user.id, context.actor)
      context.out(`Reset the password of ${user.email}. The one-time password is shown once, on the next line:`)
      context.out(oneTimePassword)
      return exitCodes.ok
    },
  },
  {
    name: 'sites create',
    usage: `sites create --code CODE --name NAME --region REGION ${CONTACT_USAGE}`,
    summary:
      'Add a site (a probation office with a health hub); its address and phone number are what reminders tell people',
    options: { code: { type: 'string' }, name: { type: 'string' }, region: { type: 'string' }, ...contactOptions },
    required: ['code', 'name', 'region'],
    run: async (context, values) => {
      const site = await context.sites.create(
        {
          code: requiredString(values, 'code'),
          name: requiredString(values, 'name'),
          region: requiredString(values, 'region'),
          ...contactFromOptions(values),
        },
        context.actor,
      )
      context.out(`Created site ${site.code}, ${site.name} (id ${site.id}): ${describeContact(site)}`)
      return exitCodes.ok
    },
  },
  {
    name: 'sites list',
    usage: 'sites list',
    summary: 'List the sites: code, name, region, address and phone number',
    options: {},
    run: async ({ sites, out }) => {
      const all = await sites.listAllWithContact()
      if (all.length === 0) out(`There are no sites. Add one with: ${CREATE_SITE_HINT}`)
      for (const s of all) out([s.code, s.name, s.region || '-', s.address ?? '-', s.phone ?? '-'].join('\t'))
      return exitCodes.ok
    },
  },
  {
    name: 'sites set-contact',
    usage: `sites set-contact --code CODE ${CONTACT_USAGE}`,
    summary: 'Change a site’s address or phone number: parts not given are kept, a part given as "" is cleared',
    options: { code: { type: 'string' }, ...contactOptions },
    required: ['code'],
    run: async (context, values) => {
      const site = await siteByCode(context, requiredString(values, 'code'))
      if (Object.keys(contactOptions).every((option) => stringOption(values, option) === undefined)) {
        throw new CliError(
          `Nothing to change: give at least one of ${Object.keys(contactOptions)
            .map((o) => `--${o}`)
            .join(', ')}`,
        )
      }
      const saved = await context.sites.setContact(site.code, contactFromOptions(values), context.actor)
      context.out(`Saved the contact details of ${saved.code}: ${describeContact(saved)}`)
      return exitCodes.ok
    },
  },
  {
    name: 'organisations create',
    usage: 'organisations create --code CODE --name NAME',
    summary: 'Add a partner organisation (partners belong to one)',
    options: { code: { type: 'string' }, name: { type: 'string' } },
    required: ['code', 'name'],
    run: async (context, values) => {
      const organisation = await context.staff.createOrganisation(
        { code: requiredString(values, 'code'), name: requiredString(values, 'name') },
        context.actor,
      )
      context.out(`Created organisation ${organisation.code} (id ${organisation.id})`)
      return exitCodes.ok
    },
  },
  {
    name: 'organisations list',
    usage: 'organisations list',
    summary: 'List partner organisations',
    options: {},
    run: async ({ staff, out }) => {
      const organisations = await staff.listOrganisations()
      if (organisations.length === 0) out('There are no organisations.')
      for (const o of organisations) out(`${o.code}\t${o.name}`)
      return exitCodes.ok
    },
  },
  {
    name: 'tokens create',
    usage: 'tokens create --email EMAIL [--label LABEL]',
    summary:
      'Create a personal API token with the user’s permissions; the token is printed once, alone on the last line',
    options: { email: { type: 'string' }, label: { type: 'string' } },
    required: ['email'],
    run: async (context, values) => {
      const user = await userByEmail(context, requiredString(values, 'email'))
      const created = await context.auth.createApiToken(user.email, stringOption(values, 'label') ?? '', context.actor)
      context.out(`Created API token ${created.id} for ${user.email}. It is shown once, on the next line:`)
      context.out(created.token)
      return exitCodes.ok
    },
  },
  {
    name: 'tokens revoke',
    usage: 'tokens revoke --id ID',
    summary: 'Revoke an API token',
    options: { id: { type: 'string' } },
    required: ['id'],
    run: async (context, values) => {
      const id = requiredString(values, 'id')
      if (!isUuid(id))
        throw new CliError(`"${id}" is not a token id: ids look like 6f1c2b7e-1d3a-4c5b-9e8f-0a1b2c3d4e5f`)
      await context.auth.revokeApiToken(id, context.actor)
      context.out(`Revoked API token ${id}`)
      return exitCodes.ok
    },
  },
  {
    name: 'instruments list',
    usage: 'instruments list',
    summary: 'List the screening instruments: code, version, whether each may be used, licence, permission recorded',
    options: {},
    run: async ({ instruments, out }) => {
      for (const { definition, enabled, permission } of await instruments.listInstruments()) {
        const recorded =
          permission === null
            ? ['-']
            : [permission.reference, permission.grantedByName, permission.grantedAt.toISOString()]
        out(
          [
            definition.code,
            definition.version,
            enabled ? 'enabled' : 'disabled',
            definition.licence.category,
            ...recorded,
          ].join('\t'),
        )
      }
      return exitCodes.ok
    },
  },
  {
    name: 'instruments permit',
    usage: 'instruments permit CODE --reference TEXT --by EMAIL',
    summary:
      'Record the licence holder’s permission to use an instrument, so health checks can use it; --by names the administrator it is recorded for',
    options: { reference: { type: 'string' }, by: { type: 'string' } },
    required: ['reference', 'by'],
    positionals: ['CODE'],
    run: async (context, values, [code = '']) => {
      const instrument = await instrumentNeedingPermission(context, code)
      const reference = requiredString(values, 'reference')
      const problem = permissionReferenceProblem(reference)
      if (problem !== undefined) throw new CliError(`--reference: ${problem}`)
      const by = await administratorByEmail(context, requiredString(values, 'by'))
      const { code: instrumentCode, title } = instrument.definition
      await context.instruments.recordPermission(instrumentCode, reference, context.actor, by)
      const replaced = instrument.permission === null ? '' : ' (it replaces the one recorded before)'
      context.out(`Recorded permission for ${instrumentCode}${replaced}: ${title} can now be used in health checks.`)
      return exitCodes.ok
    },
  },
  {
    name: 'instruments revoke',
    usage: 'instruments revoke CODE --by EMAIL',
    summary: 'Revoke the recorded permission: health checks can no longer use the instrument',
    options: { by: { type: 'string' } },
    required: ['by'],
    positionals: ['CODE'],
    run: async (context, values, [code = '']) => {
      const instrument = await instrumentNeedingPermission(context, code)
      const { code: instrumentCode, title } = instrument.definition
      if (instrument.permission === null) {
        throw new CliError(`No permission is recorded for ${instrumentCode}: health checks already cannot use it.`)
      }
      const by = await administratorByEmail(context, requiredString(values, 'by'))
      await context.instruments.revokePermission(instrumentCode, context.actor, by)
      context.out(`Revoked permission for ${instrumentCode}: ${title} can no longer be used in health checks.`)
      return exitCodes.ok
    },
  },
  {
    name: 'audit verify',
    usage: 'audit verify',
    summary: 'Check the whole audit log: every event’s hash from the first to the last, and the signed checkpoints',
    options: {},
    run: async ({ audit, out, err }) => {
      const result = await audit.verify()
      if (result.ok) {
        out(`The audit chain is intact: ${plural(result.checked, 'event')} checked.`)
        return exitCodes.ok
      }
      if (result.brokenAt === undefined) {
        err(`The audit log does not verify: ${result.problem ?? 'unknown problem'}`)
        return exitCodes.failed
      }
      err(
        `The audit chain is broken at event ${String(result.brokenAt)}: it or an earlier event was changed or removed ` +
          `(${plural(result.checked, 'event')} before it verified).`,
      )
      return exitCodes.failed
    },
  },
  {
    name: 'sessions purge',
    usage: 'sessions purge',
    summary: 'Delete expired sign-in sessions',
    options: {},
    run: async ({ auth, out }) => {
      const deleted = await auth.purgeExpiredSessions()
      out(`Deleted ${plural(deleted, 'expired session')}.`)
      return exitCodes.ok
    },
  },
  {
    name: 'worker',
    usage: 'worker',
    summary:
      'Run the background jobs (sending messages, receipts, housekeeping, the nightly audit check) and seal audit events, without serving pages, until stopped (SIGTERM or Ctrl-C)',
    options: {},
    run: async ({ config, database, clock, io, out, err }) => {
      const log = jsonLogger(config.logLevel, out)
      const jobs = createJobRunner({ database, logger: log })
      const passwordCost = io.passwordCost ?? PRODUCTION_PASSWORD_COST
      const services = createServices({ config, database, clock, passwordCost, jobs })
      registerBackgroundJobs(jobs, { config, services, database, clock, log })
      await jobs.start()
      const stopSealing = services.audit.startSealing({
        intervalMs: config.auditSealIntervalMs,
        onError: (error) => {
          log.warn({ err: (error as Error).message }, 'audit sealing failed; will retry')
        },
      })
      // Catch up at once on anything that fell due while no process ran jobs.
      await jobs.trigger(MESSAGE_SWEEP_QUEUE, {})
      err('Worker started: running background jobs. Stop it with Ctrl-C or SIGTERM.')
      await untilStopped(io.signal)
      err('Worker stopping: finishing the jobs running now.')
      await stopSealing()
      await jobs.stop()
      return exitCodes.ok
    },
  },
  {
    name: 'seed',
    usage: 'seed --demo [--people N]',
    summary: 'Load the synthetic demo: sites, organisations, demo accounts and N people (never in production)',
    options: { demo: { type: 'boolean' }, people: { type: 'string' } },
    before: (config, values, err) => {
      if (values['demo'] !== true) {
        err('seed needs --demo: only synthetic demo data can be seeded.')
        return exitCodes.usage
      }
      const people = stringOption(values, 'people')
      if (people !== undefined && !/^\d{1,7}$/.test(people)) {
        err('--people must be a whole number, like 500')
        return exitCodes.usage
      }
      if (config.appEnv === 'production') {
        err('Demo data is never loaded when APP_ENV is production. Nothing was changed.')
        return exitCodes.failed
      }
      return undefined
    },
    run: async (context, values) => {
      const people = Number(stringOption(values, 'people') ?? '200')
      const result = await seedDemo(
        {
          database: context.database,
          clock: context.clock,
          log: context.out,
          progress: context.io.stderr.isTTY === true,
          passwordCost: context.io.passwordCost,
          appEnv: context.config.appEnv,
        },
        { people },
      ).catch((error: unknown) => {
        // Out-of-range counts are the operator's mistake, not a crash.
        if (error instanceof RangeError) throw new CliError(`--people: ${error.message}`)
        throw error
      })
      context.out(`Demo ready: ${result.sites} sites, ${result.people} people added.`)
      context.out('Demo accounts:')
      for (const account of result.accounts) context.out(`  ${account.email}\t${account.role}\t${account.password}`)
      return exitCodes.ok
    },
  },
]

function usageText(): string {
  const width = Math.max(...commands.map((c) => c.usage.split(' --')[0]?.length ?? 0))
  return [
    'Usage: npm run hub -- <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${(c.usage.split(' --')[0] ?? c.name).padEnd(width)}  ${c.summary}`),
    '',
    'Options for each command:',
    ...commands.filter((c) => c.usage.includes('--')).map((c) => `  ${c.usage}`),
    '',
    'The database is DATABASE_URL when set, otherwise the embedded database in DATA_DIR (default ./data).',
    'Migrations are applied before every command.',
  ].join('\n')
}

/** The longest command name that the arguments start with (`users create` before `users`). */
function findCommand(argv: readonly string[]): { command: Command; rest: string[] } | undefined {
  for (const command of [...commands].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length)) {
    const words = command.name.split(' ')
    if (words.every((word, i) => argv[i] === word)) return { command, rest: argv.slice(words.length) }
  }
  return undefined
}

/** Runs one command; returns the exit code. Never calls process.exit, so tests run it in-process. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const out = (line: string) => void io.stdout.write(`${line}\n`)
  const err = (line: string) => void io.stderr.write(`${line}\n`)

  if (argv.length === 0) {
    err(usageText())
    return exitCodes.usage
  }
  const found = findCommand(argv)
  if (argv[0] === 'help' || (found === undefined && (argv.includes('--help') || argv.includes('-h')))) {
    out(usageText())
    return exitCodes.ok
  }
  if (found === undefined) {
    err(`Unknown command: ${argv.filter((a) => !a.startsWith('-')).join(' ')}`)
    err('')
    err(usageText())
    return exitCodes.usage
  }
  const { command, rest } = found

  let values: Values
  let args: string[]
  try {
    const parsed = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: command.positionals !== undefined,
    })
    values = parsed.values
    args = parsed.positionals
  } catch (error) {
    err((error as Error).message)
    err(`Usage: npm run hub -- ${command.usage}`)
    return exitCodes.usage
  }
  if (values['help'] === true) {
    out(`Usage: npm run hub -- ${command.usage}`)
    out(command.summary)
    return exitCodes.ok
  }
  const missing = [
    ...(command.positionals ?? []).slice(args.length),
    ...(command.required ?? []).filter((name) => stringOption(values, name) === undefined).map((m) => `--${m}`),
  ]
  const extra = args.slice(command.positionals?.length ?? 0)
  if (missing.length > 0 || extra.length > 0) {
    err(missing.length > 0 ? `Missing ${missing.join(', ')}` : `Unexpected argument: ${extra.join(' ')}`)
    err(`Usage: npm run hub -- ${command.usage}`)
    return exitCodes.usage
  }

  let config: Config
  try {
    config = loadConfig(io.env)
  } catch (error) {
    if (error instanceof ConfigError) {
      err(error.message)
      return exitCodes.config
    }
    throw error
  }
  const refused = command.before?.(config, values, err)
  if (refused !== undefined) return refused

  let database: Database
  try {
    database = io.database ?? (await openDatabase(config))
  } catch (error) {
    if (error instanceof DatabaseInUseError) {
      err(error.message)
      return exitCodes.databaseInUse
    }
    throw error
  }

  try {
    const applied = await migrate(database.db)
    const clock = io.clock ?? systemClock
    const passwordCost = io.passwordCost ?? PRODUCTION_PASSWORD_COST
    const services = createServices({ config, database, clock, passwordCost })
    const { audit, auth, sites, staff, instruments } = services
    const actor: ActorContext = { principal: undefined, requestId: `cli:${randomUUID()}` }
    return await command.run(
      { config, database, clock, audit, auth, sites, staff, instruments, actor, applied, out, err, io },
      values,
      args,
    )
  } catch (error) {
    if (error instanceof DomainError) {
      for (const line of describeDomainError(error)) err(line)
      return exitCodes.failed
    }
    if (error instanceof CliError || error instanceof NotFoundError) {
      err(error.message)
      return exitCodes.failed
    }
    throw error
  } finally {
    if (io.database === undefined) await database.close()
  }
}

if (import.meta.main) {
  try {
    process.exitCode = await runCli(process.argv.slice(2), {
      env: process.env,
      stdout: process.stdout,
      stderr: process.stderr,
    })
  } catch (error) {
    // An unexpected failure: say what happened without a stack trace full of internals, and fail.
    process.stderr.write(`The command failed: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 70
  }
}
