/**
 * Synthetic service directory entries for the four demo sites: every kind of service, each name marked "(demo)",
 * ODS-like codes in an obviously fake pattern (ZZ + site letters + number, never the one letter and five digits of
 * real GP practice codes), phone numbers from Ofcom's drama range, and addresses on .invalid domains.
 */
import type { Kysely } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import { demoSites } from './demo.data.ts'
import type { ServiceKind } from '../services/index.ts'

interface DemoEntry {
  readonly kind: ServiceKind
  /** "{town}" is replaced with the site's main town. */
  readonly name: string
  readonly referralMethod: string
  /** A demo partner organisation (demo.data.ts) that receives referrals, if any. */
  readonly organisationCode?: string
  /** Only GP practices and pharmacies carry an ODS code here. */
  readonly ods?: boolean
}

const entries: readonly DemoEntry[] = [
  {
    kind: 'gp-practice',
    name: 'Riverside Surgery (demo)',
    referralMethod: 'Register at reception or online',
    ods: true,
  },
  {
    kind: 'gp-practice',
    name: 'Market Street Medical Centre (demo)',
    referralMethod: 'Register at reception',
    ods: true,
  },
  {
    kind: 'gp-practice',
    name: 'Harbour View Health Centre (demo)',
    referralMethod: 'Register at reception; welcomes people with no fixed address',
    ods: true,
  },
  {
    kind: 'talking-therapies',
    name: '{town} Talking Therapies (demo)',
    referralMethod: 'Self-referral online or by phone',
  },
  {
    kind: 'community-mental-health',
    name: '{town} Community Mental Health Team (demo)',
    referralMethod: 'Referral from the hub clinician or GP',
  },
  {
    kind: 'drug-alcohol',
    name: 'Northgate Drug and Alcohol Treatment (demo)',
    referralMethod: 'Referral form emailed to the team; drop-in on weekday mornings',
    organisationCode: 'demo-northgate-treatment',
  },
  { kind: 'stop-smoking', name: '{town} Stop Smoking Service (demo)', referralMethod: 'Self-referral by phone' },
  { kind: 'screening', name: '{town} Screening Hub (demo)', referralMethod: 'Invitations come from the GP practice' },
  { kind: 'sexual-health', name: '{town} Sexual Health Clinic (demo)', referralMethod: 'Walk in or book online' },
  { kind: 'dentistry', name: 'Bridge Street Dental Practice (demo)', referralMethod: 'Phone to join the waiting list' },
  {
    kind: 'community-pharmacy',
    name: 'Harbourside Community Pharmacy (demo)',
    referralMethod: 'Walk in',
    organisationCode: 'demo-harbourside-pharmacy',
    ods: true,
  },
  {
    kind: 'liaison-diversion',
    name: '{town} Liaison and Diversion (demo)',
    referralMethod: 'Referral from police custody or court',
  },
  {
    kind: 'housing',
    name: 'Keystone Housing Advice (demo)',
    referralMethod: 'Referral form, or drop in on Tuesdays',
    organisationCode: 'demo-keystone-housing',
  },
  {
    kind: 'voluntary-sector',
    name: 'Brightpath Recovery Trust (demo)',
    referralMethod: 'Referral through the hub; peer mentors meet people at the gate',
    organisationCode: 'demo-brightpath-recovery',
  },
  {
    kind: 'care-after-custody',
    name: '{town} RECONNECT Care after Custody (demo)',
    referralMethod: 'Referral through the hub from 12 weeks before release to 28 days after',
  },
]

const slug = (value: string) =>
  value
    .toLowerCase()
    .replace(/\(demo\)/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')

/** The entries for one site, as rows. Exported for tests. */
export function demoDirectoryFor(siteCode: string) {
  const siteIndex = demoSites.findIndex((s) => s.code === siteCode)
  const site = demoSites[siteIndex]
  if (site === undefined) throw new Error(`No demo site ${siteCode}`)
  const town = site.districts[0]?.[1] ?? site.name
  const letters = site.code.slice(0, 2).toUpperCase()
  let ods = 0
  return entries.map((entry, i) => {
    const name = entry.name.replace('{town}', town)
    return {
      kind: entry.kind,
      name,
      ods_code: entry.ods === true ? `ZZ${letters}${String(++ods).padStart(2, '0')}` : null,
      organisationCode: entry.organisationCode,
      address: `${String(i + 1)} Example Row\n${town}`,
      // Ofcom keeps 01632 960000 to 960999 for drama: never a real line.
      phone: `01632 960${String(siteIndex * 100 + i).padStart(3, '0')}`,
      email: `${slug(name)}@demo.hub.invalid`,
      website: `https://${slug(name)}.demo.hub.invalid`,
      referral_method: entry.referralMethod,
      notes: 'Synthetic demo entry: not a real service.',
    }
  })
}

/**
 * Adds each site's demo entries that are not there yet (matched by name), so seeding again duplicates nothing and
 * leaves entries a hub manager has changed as they are. Returns how many were added.
 */
export async function ensureDemoDirectory(db: Kysely<DB>, siteIds: ReadonlyMap<string, string>): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const organisations = await tx.selectFrom('organisation').select(['id', 'code']).execute()
    const organisationId = new Map(organisations.map((o) => [o.code, o.id]))
    let added = 0
    for (const [code, siteId] of siteIds) {
      const existing = new Set(
        (await tx.selectFrom('service').select('name').where('site_id', '=', siteId).execute()).map((r) => r.name),
      )
      const rows = demoDirectoryFor(code)
        .filter((row) => !existing.has(row.name))
        .map(({ organisationCode, ...row }) => ({
          ...row,
          site_id: siteId,
          organisation_id: organisationCode === undefined ? null : (organisationId.get(organisationCode) ?? null),
        }))
      if (rows.length === 0) continue
      await tx.insertInto('service').values(rows).execute()
      added += rows.length
    }
    return added
  })
}
