import type { DemoPerson, Random } from './demo.generators.ts'

/*
 * What is going on in a demo person's life and health, drawn once per person before their consent, health check,
 * GP registration, referrals, screening and treatment requirements are generated, so all of those tell one story.
 * The story never decides a score, a flag or a need: it shapes the answers the person gives, and the instruments'
 * scoring module and the health check's rules then decide what those answers mean, exactly as for a real check.
 *
 * Where the shares come from (../shared/seeds/*.txt). Two different populations are described there, so the demo
 * uses each figure only as a rough guide:
 * - Smoking: "half of these individuals smoked" (the Chief Medical Officer's report on people on probation, in the
 *   pilot's news report). `traits.smokes` (demo.generators.ts, 0.5) gives a current smoker.
 * - Mental health: "a significant majority experienced poor mental health" (CMO, probation); Clinks/Nacro add that
 *   90% of people in prison have one of five mental health conditions (prisoners, not probation).
 *   `traits.poorMentalHealth` (0.7) gives low-mood and anxiety levels that make PHQ-2 or GAD-2 positive for roughly
 *   60 to 70% of checks.
 * - Alcohol: "recently overconsuming alcohol (22%)" (Clinks/Nacro, people entering prison). About 22% drink at
 *   increasing risk or above, so AUDIT-C is 5 or more for roughly a quarter of checks.
 * - Drugs: "recently been using Class A drugs (64%)" (Clinks/Nacro, people entering prison) is far above what a
 *   probation caseload shows; the CMO says "many" on probation struggle with drug or alcohol addiction. About 30%
 *   use drugs here. DAST-10 needs a licence permission, so the clinician records a drug need in conversation.
 * - Trauma: "have experienced abuse as a child (29%)" (Clinks/Nacro, people entering prison): 29% of people; most of
 *   them say so at the check and the clinician records a trauma need (PC-PTSD-5 needs a licence permission).
 * - Neurodivergence: "significantly overrepresented within the justice system" (Prison Reform Trust, in the news
 *   report) gives no figure; the person record's diagnosed or suspected neurodivergence (25%, demo.generators.ts)
 *   is used, and about a third of them want support. ASRS and AQ-10 need a licence permission, so the clinician
 *   records the need in conversation.
 * - Homelessness: "homeless (15%)" (Clinks/Nacro, people entering prison). The people generator gives 9% no fixed
 *   abode, a probation figure; those people are less often registered with a GP and miss more appointments.
 * - Screening: "less likely to undergo crucial screenings for cancers" (CMO, probation): uptake in demo.screening.ts
 *   is set well below the general population's.
 */

export type SmokingHistory = 'current' | 'ex' | 'never'

export interface PersonStory {
  /** Typical PHQ item level (0 "not at all" to 3 "nearly every day"). */
  lowMood: number
  /** Typical GAD item level. */
  anxiety: number
  /** Drinks at increasing risk or above. */
  alcohol: boolean
  drugs: boolean
  childhoodAbuse: boolean
  /** Diagnosed or suspected neurodivergence on their record, and would like support with it. */
  neurodivergenceSupport: boolean
  smoking: SmokingHistory
}

export const storyProportions = {
  alcoholIfSubstanceMisuse: 0.45,
  alcoholOtherwise: 0.07,
  drugsIfSubstanceMisuse: 0.7,
  drugsOtherwise: 0.04,
  childhoodAbuse: 0.29,
  neurodivergenceSupportIfRecorded: 0.35,
  exSmokerIfNotSmoking: 0.4,
} as const

const level = (random: Random, low: number, high: number) => low + random.next() * (high - low)

export function drawStory(random: Random, person: DemoPerson): PersonStory {
  const { traits } = person
  const p = storyProportions
  const lowMood = traits.poorMentalHealth ? level(random, 1, 2.7) : level(random, 0, 0.8)
  // Anxiety goes with low mood more often than not.
  const anxiety = Math.min(3, Math.max(0, lowMood + level(random, -0.9, 0.6)))
  return {
    lowMood,
    anxiety,
    alcohol: random.chance(traits.substanceMisuse ? p.alcoholIfSubstanceMisuse : p.alcoholOtherwise),
    drugs: random.chance(traits.substanceMisuse ? p.drugsIfSubstanceMisuse : p.drugsOtherwise),
    childhoodAbuse: random.chance(p.childhoodAbuse),
    neurodivergenceSupport:
      (person.row.neurodivergence === 'diagnosed' || person.row.neurodivergence === 'suspected') &&
      random.chance(p.neurodivergenceSupportIfRecorded),
    smoking: traits.smokes ? 'current' : random.chance(p.exSmokerIfNotSmoking) ? 'ex' : 'never',
  }
}
