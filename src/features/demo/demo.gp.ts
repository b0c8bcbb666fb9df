import { isoDay, isoInstant } from './demo.appointments.ts'
import { copyColumns, csvLine, type DemoPerson, type FixedTexts, type Random } from './demo.generators.ts'
import type { GpRegistrationStatus } from '../gp-registration/index.ts'

/*
 * A person's GP registration history (append-only: their current state is the latest row), recorded by their hub
 * clinician from the first appointment they attended. Registered people name a GP practice from their site's
 * directory. People not registered get help; most are registered within a few weeks, some are still in progress,
 * a few are refused by one practice (with its reason) and then registered at another, and a few do not want to
 * register yet. Some registered people later move away and are deregistered. People with no fixed abode are never
 * refused: a practice cannot refuse someone for having no address, so no refusal is ever generated for them.
 */

const DAY_MS = 86_400_000
const MINUTE_MS = 60_000

export const gpProportions = {
  /** Registered people later deregistered (moved out of the practice's area) and helped to register again. */
  deregistered: 0.05,
  /** Of people not registered at their first appointment: */
  wantsHelp: 0.88,
  refusedFirst: 0.08,
} as const

export const gpRegistrationColumns = copyColumns('gp_registration', [
  'person_id',
  'status',
  'service_id',
  'practice_name',
  'practice_ods_code',
  'status_date',
  'reason',
  'help_given',
  'recorded_by',
  'recorded_at',
])

const helpWithAddress = [
  'Helped fill in the GMS1 registration form at the appointment and phoned the practice to check it was received',
  'Completed the online registration together; explained that no proof of address or ID is needed',
  'Gave the practice a call with the person and booked a new-patient check',
]

const helpNoFixedAbode = [
  'Explained that no fixed address is needed to register; used the hub as the correspondence address with the person’s agreement',
  'Helped complete the GMS1 form with no fixed address; phoned the practice, which confirmed it will register the person',
]

const refusalReasons = ['Practice list closed to new patients', 'Lives outside the practice boundary']
const notWantedReason = 'Does not want to register with a GP at the moment; will ask again at the next appointment'
const deregisteredReason = 'Moved out of the practice area and was removed from the list'

interface Row {
  status: GpRegistrationStatus
  serviceId: string | null
  statusDate: string
  reason: string | null
  help: string | null
  recordedMs: number
}

export interface PersonGp {
  csv: string
  count: number
  /** Whether the person was registered on a day, as their history says. */
  registeredOn: (dayMs: number) => boolean
}

/** A working-hours instant (10:00 to 16:00 UK, roughly) on a day. */
function during(random: Random, dayMs: number): number {
  return dayMs + (9 + random.int(0, 6)) * 3_600_000 + random.int(0, 59) * MINUTE_MS
}

export function generateGp(
  random: Random,
  person: DemoPerson,
  first: { dayMs: number; endsAtMs: number; clinicianId: string } | null,
  practices: readonly string[],
  nowMs: number,
): PersonGp {
  const rows: Row[] = []
  const registeredAtFirst = person.traits.gpRegistered
  if (first !== null && practices.length > 0) {
    let lastMs = first.endsAtMs + random.int(5, 15) * MINUTE_MS
    const add = (row: Omit<Row, 'recordedMs'>, atMs: number): boolean => {
      const recordedMs = Math.max(lastMs + MINUTE_MS, atMs)
      if (recordedMs > nowMs) return false
      lastMs = recordedMs
      rows.push({ ...row, recordedMs })
      return true
    }
    const nfa = person.row.no_fixed_abode
    const help = () => random.pick(nfa ? helpNoFixedAbode : helpWithAddress)
    const firstDay = isoDay(first.dayMs)
    /** Helped from a day; registered some days on (refused by one practice first, for a few with an address). */
    const helpToRegister = (fromDayMs: number, avoid: string | null) => {
      const choices = practices.filter((p) => p !== avoid)
      let practice = random.pick(choices.length > 0 ? choices : practices)
      let dayMs = fromDayMs
      if (
        !add(
          { status: 'in-progress', serviceId: null, statusDate: isoDay(dayMs), reason: null, help: help() },
          during(random, dayMs),
        )
      )
        return
      if (!nfa && practices.length > 1 && random.chance(gpProportions.refusedFirst)) {
        dayMs += random.int(3, 10) * DAY_MS
        const refused = { status: 'refused' as const, serviceId: practice, statusDate: isoDay(dayMs) }
        if (!add({ ...refused, reason: random.pick(refusalReasons), help: null }, during(random, dayMs))) return
        practice = random.pick(practices.filter((p) => p !== practice))
        if (
          !add(
            { status: 'in-progress', serviceId: practice, statusDate: isoDay(dayMs), reason: null, help: help() },
            during(random, dayMs),
          )
        )
          return
      }
      dayMs += random.int(3, 21) * DAY_MS
      add(
        { status: 'registered', serviceId: practice, statusDate: isoDay(dayMs), reason: null, help: null },
        during(random, dayMs),
      )
    }

    if (registeredAtFirst) {
      const practice = random.pick(practices)
      const since = isoDay(first.dayMs - random.int(30, 1500) * DAY_MS)
      add({ status: 'registered', serviceId: practice, statusDate: since, reason: null, help: null }, lastMs)
      const days = Math.floor((nowMs - first.dayMs) / DAY_MS)
      if (days > 30 && random.chance(gpProportions.deregistered)) {
        const movedMs = first.dayMs + random.int(20, days - 1) * DAY_MS
        const moved = isoDay(movedMs)
        if (
          add(
            { status: 'deregistered', serviceId: practice, statusDate: moved, reason: deregisteredReason, help: null },
            during(random, movedMs),
          )
        )
          helpToRegister(movedMs, practice)
      }
    } else {
      const wantsHelp = random.chance(gpProportions.wantsHelp)
      add(
        {
          status: 'not-registered',
          serviceId: null,
          statusDate: firstDay,
          reason: wantsHelp ? null : notWantedReason,
          help: null,
        },
        lastMs,
      )
      if (wantsHelp) helpToRegister(first.dayMs, null)
    }
  }

  let csv = ''
  for (const row of rows) {
    csv += csvLine([
      person.row.id,
      row.status,
      row.serviceId,
      null,
      null,
      row.statusDate,
      row.reason,
      row.help,
      first?.clinicianId ?? null,
      isoInstant(row.recordedMs),
    ])
  }
  return {
    csv,
    count: rows.length,
    registeredOn: (dayMs) => {
      if (rows.length === 0) return registeredAtFirst
      const day = isoDay(dayMs)
      let status: GpRegistrationStatus | undefined
      for (const row of rows) if (row.statusDate <= day) status = row.status
      return status === 'registered'
    },
  }
}

/** Fixed texts written through csvLine, by the column each is written to. */
export const gpVocabulary = {
  gp_registration: {
    help_given: [...helpWithAddress, ...helpNoFixedAbode],
    reason: [...refusalReasons, notWantedReason, deregisteredReason],
  },
} as const satisfies FixedTexts
