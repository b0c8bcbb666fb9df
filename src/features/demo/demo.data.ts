import type { StaffRole } from '../../platform/http/roles.ts'

/**
 * Fixed inputs of the demo: the pilot sites, clearly fictional partner organisations and accounts, and the
 * vocabularies the people generator draws on. Nothing here describes a real person.
 */

/** The known password of every demo account. Demo accounts are refused in production, so it never guards real data. */
export const DEMO_PASSWORD = 'demo-password-2026'

export const DEMO_EMAIL_DOMAIN = 'demo.hub.invalid'

export interface DemoSite {
  readonly code: string
  readonly name: string
  readonly region: string
  /** Share of the demo caseload at this site. */
  readonly weight: number
  /** Postcode districts in the site's area, each with the town written on addresses there. */
  readonly districts: readonly (readonly [outward: string, town: string])[]
  readonly ethnicity: 'england' | 'london'
  /** Chance a person here needs an interpreter. */
  readonly interpreterRate: number
  /**
   * Where the site is and its phone number, as reminders tell people. Invented streets; the phone numbers are in
   * Ofcom's ranges kept for drama (020 7946 0xxx in London, 01632 960xxx where the area has none), so no real line.
   */
  readonly contact: {
    readonly addressLine1: string
    readonly addressLine2: string | null
    readonly town: string
    readonly postcode: string
    readonly phone: string
  }
}

export const demoSites: readonly DemoSite[] = [
  {
    code: 'cambridge',
    name: 'Cambridge Health Hub',
    region: 'East of England',
    weight: 0.24,
    districts: [
      ['CB1', 'Cambridge'],
      ['CB2', 'Cambridge'],
      ['CB4', 'Cambridge'],
      ['CB5', 'Cambridge'],
      ['CB24', 'Histon'],
      ['CB25', 'Waterbeach'],
    ],
    ethnicity: 'england',
    interpreterRate: 0.04,
    contact: {
      addressLine1: 'Abbey House',
      addressLine2: '41 Newmarket Road',
      town: 'Cambridge',
      postcode: 'CB5 8XA',
      phone: '01632 960101',
    },
  },
  {
    code: 'middlesbrough',
    name: 'Middlesbrough Health Hub',
    region: 'North East',
    weight: 0.31,
    districts: [
      ['TS1', 'Middlesbrough'],
      ['TS3', 'Middlesbrough'],
      ['TS4', 'Middlesbrough'],
      ['TS5', 'Middlesbrough'],
      ['TS10', 'Redcar'],
      ['TS17', 'Thornaby'],
      ['TS18', 'Stockton-on-Tees'],
    ],
    ethnicity: 'england',
    interpreterRate: 0.02,
    contact: {
      addressLine1: '18 Borough Road',
      addressLine2: null,
      town: 'Middlesbrough',
      postcode: 'TS1 2QN',
      phone: '01632 960202',
    },
  },
  {
    code: 'ilfracombe',
    name: 'Ilfracombe Health Hub',
    region: 'South West',
    weight: 0.13,
    districts: [
      ['EX34', 'Ilfracombe'],
      ['EX31', 'Barnstaple'],
      ['EX32', 'Barnstaple'],
      ['EX33', 'Braunton'],
      ['EX39', 'Bideford'],
    ],
    ethnicity: 'england',
    interpreterRate: 0.01,
    contact: {
      addressLine1: 'The Old Bank',
      addressLine2: '7 High Street',
      town: 'Ilfracombe',
      postcode: 'EX34 9QB',
      phone: '01632 960303',
    },
  },
  {
    code: 'hammersmith',
    name: 'Hammersmith Health Hub',
    region: 'London',
    weight: 0.32,
    districts: [
      ['W6', 'London'],
      ['W12', 'London'],
      ['W14', 'London'],
      ['SW6', 'London'],
    ],
    ethnicity: 'london',
    interpreterRate: 0.08,
    contact: {
      addressLine1: 'Riverside House',
      addressLine2: '88 Glenthorne Road',
      town: 'London',
      postcode: 'W6 0QU',
      phone: '020 7946 0404',
    },
  },
]

export interface DemoOrganisation {
  readonly code: string
  readonly name: string
}

/** Invented partners, marked "(demo)" so nobody mistakes them for a real service. */
export const demoOrganisations: readonly DemoOrganisation[] = [
  { code: 'demo-brightpath-recovery', name: 'Brightpath Recovery Trust (demo voluntary sector)' },
  { code: 'demo-harbourside-pharmacy', name: 'Harbourside Community Pharmacy (demo)' },
  { code: 'demo-northgate-treatment', name: 'Northgate Drug and Alcohol Treatment (demo)' },
  { code: 'demo-keystone-housing', name: 'Keystone Housing Advice (demo voluntary sector)' },
]

export interface DemoAccount {
  readonly email: string
  readonly displayName: string
  readonly role: StaffRole
  /** Site codes; 'all' for every demo site. */
  readonly sites: 'all' | readonly string[]
  readonly organisationCode?: string
}

const words = (list: string): readonly string[] => list.split(' ')

const demoEmail = (local: string) => `${local}@${DEMO_EMAIL_DOMAIN}`

/** The sign-in accounts printed for a new user: one per role, plus a clinician who sees one site only. */
export const demoAccounts: readonly DemoAccount[] = [
  { email: demoEmail('clinician'), displayName: 'Demo Clinician', role: 'clinician', sites: 'all' },
  {
    email: demoEmail('probation-practitioner'),
    displayName: 'Demo Probation Practitioner',
    role: 'probation_practitioner',
    sites: 'all',
  },
  { email: demoEmail('hub-manager'), displayName: 'Demo Hub Manager', role: 'hub_manager', sites: 'all' },
  {
    email: demoEmail('partner'),
    displayName: 'Demo Partner Caseworker',
    role: 'partner',
    sites: [],
    organisationCode: 'demo-brightpath-recovery',
  },
  { email: demoEmail('analyst'), displayName: 'Demo Analyst', role: 'analyst', sites: 'all' },
  { email: demoEmail('admin'), displayName: 'Demo Administrator', role: 'admin', sites: 'all' },
  { email: demoEmail('auditor'), displayName: 'Demo Auditor', role: 'auditor', sites: 'all' },
  {
    email: demoEmail('clinician-cambridge'),
    displayName: 'Demo Clinician (Cambridge only)',
    role: 'clinician',
    sites: ['cambridge'],
  },
]

/** Probation practitioners at each site, so every person can have one assigned. */
export const PRACTITIONERS_PER_SITE = 8

export function practitionerAccounts(): DemoAccount[] {
  const accounts: DemoAccount[] = []
  demoSites.forEach((site, siteIndex) => {
    for (let n = 1; n <= PRACTITIONERS_PER_SITE; n++) {
      const i = siteIndex * PRACTITIONERS_PER_SITE + n
      const given = (n % 2 === 0 ? femaleGivenNames : maleGivenNames)[(i * 7) % 40] ?? 'Sam'
      const family = `${surnameStems[(i * 5) % surnameStems.length] ?? 'Kest'}${surnameEndings[i % surnameEndings.length] ?? 'well'}`
      accounts.push({
        email: demoEmail(`practitioner-${site.code}-${n}`),
        displayName: `${given} ${family}`,
        role: 'probation_practitioner',
        sites: [site.code],
      })
    }
  })
  return accounts
}

/** Common given names (first names alone identify nobody). */
export const maleGivenNames: readonly string[] = words(
  'James John David Michael Daniel Thomas Christopher Paul Mark Andrew Lee Ryan Jamie Liam Connor Kyle Dean Craig Scott Jordan Adam Ben Callum Jake Lewis Nathan Sean Shane Wayne Gary Mohammed Ali Tomasz Marius Kwame Tyrone Aaron Luke Stephen Carl Robert Peter Kevin Darren Jason Matthew Joshua Reece Kieran Bradley',
)

export const femaleGivenNames: readonly string[] = words(
  'Sarah Emma Laura Rebecca Gemma Kelly Natalie Amy Stacey Jade Chloe Hannah Lisa Donna Michelle Nicola Leanne Charlotte Samantha Danielle Aisha Fatima Agnieszka Precious Shanice Kayleigh Jodie Zoe Megan Lauren Claire Karen Joanne Tracey Louise Sophie Holly Abigail Ellie Courtney',
)

/**
 * Surnames are invented: a made-up stem and a place-name ending ("Quennholm", "Dreskwick"), so a demo record can
 * never be mistaken for, or match, a real person.
 */
export const surnameStems: readonly string[] = words(
  'Abber Brisk Corv Dresk Evver Fosk Gorran Hask Ivvel Jorn Kest Lorv Mossk Nend Orvel Pell Quenn Rask Sorn Tavv Ulv Vand Wexx Yorr Zell Brann Crell Dovv Fenk Grisk',
)

export const surnameEndings: readonly string[] = words(
  'ley wick ton by thorpe stead ham well mere ridge holm croft dale field',
)

export const streetKinds: readonly string[] = ['Road', 'Street', 'Close', 'Way', 'Lane', 'Avenue', 'Terrace', 'Court']

export const interpreterLanguages: readonly (readonly [string, number])[] = [
  ['Polish', 5],
  ['Romanian', 5],
  ['Lithuanian', 2],
  ['Arabic', 3],
  ['Portuguese', 2],
  ['Urdu', 2],
  ['Punjabi', 2],
  ['Tigrinya', 1],
  ['Kurdish (Sorani)', 1],
  ['Albanian', 2],
  ['Somali', 1],
  ['British Sign Language', 1],
]

export const communicationNotes: readonly string[] = [
  'Prefers appointments after 10am',
  'Prefers written reminders as well as texts',
  'Uses a hearing aid; face the person when speaking',
  'Finds busy waiting rooms difficult; offer a quiet room',
  'Needs extra time to read forms',
]
