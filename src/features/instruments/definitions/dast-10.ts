import type { InstrumentDefinition } from '../instruments.schemas.ts'
import { yesNo } from './scales.ts'

const topics: readonly string[] = [
  'Have you used drugs other than those needed for medical reasons?',
  'Have you used more than one drug at a time?',
  'Are you always able to stop using drugs when you want to?',
  'Have you had blackouts or flashbacks as a result of drug use?',
  'Have you felt bad or guilty about your drug use?',
  'Has a partner or a parent complained about your involvement with drugs?',
  'Have you neglected your family because of your use of drugs?',
  'Have you done anything illegal in order to get drugs?',
  'Have you had withdrawal symptoms when you stopped taking drugs?',
  'Have you had medical problems as a result of your drug use?',
]

const REVERSED = 3
const codes = topics.map((_, index) => `dast10-${index + 1}`)

export const dast10: InstrumentDefinition = {
  code: 'dast-10',
  title: 'Drug Abuse Screening Test (DAST-10)',
  version: '1.0.0',
  recallPeriod: 'the past 12 months',
  introduction:
    'These questions are about drug use in the past 12 months, not counting alcohol. "Drugs" includes using ' +
    'prescribed or over-the-counter medicines in a way other than prescribed. Answer yes or no, or choose not to answer.',
  whyWeAsk: 'We ask everyone about drugs so that we can offer health support and harm reduction without judgement.',
  wording: 'paraphrase',
  items: topics.map((text, index) => ({
    code: `dast10-${index + 1}`,
    number: index + 1,
    kind: 'scored' as const,
    text,
    options: yesNo(index + 1 === REVERSED ? 'no' : 'yes'),
    ...(index + 1 === REVERSED ? { reverseScored: true } : {}),
  })),
  scoring: {
    method: 'count',
    description: '1 point for each "Yes", except question 3, where "No" scores 1 (total 0 to 10).',
    countWhen: [
      { items: codes.filter((_, index) => index + 1 !== REVERSED), options: ['yes'] },
      { items: [`dast10-${REVERSED}`], options: ['no'] },
    ],
  },
  bands: [
    { code: 'none', label: 'None reported', min: 0, max: 0 },
    { code: 'low', label: 'Low', min: 1, max: 2, action: 'Monitor' },
    { code: 'moderate', label: 'Moderate', min: 3, max: 5, action: 'Investigate further' },
    { code: 'substantial', label: 'Substantial', min: 6, max: 8, action: 'Intensive assessment' },
    { code: 'severe', label: 'Severe', min: 9, max: 10, action: 'Intensive assessment' },
  ],
  positiveScreen: null,
  offerWhenPositive: null,
  warningSigns: [],
  coding: {},
  source: 'Skinner 1982; bands from comorbidityguidelines.org.au and NIDA CDE (domain reference §1). Excludes alcohol.',
  licence: {
    category: 'permission-required',
    holder: '© 1982 H.A. Skinner / CAMH',
    terms:
      'Non-commercial use only (clinical, research, training) with credit to the author; NIDA says to contact Dr Skinner before use. A supplier product needs permission.',
    requiresPermission: true,
  },
  notes: [
    'Disabled until an administrator records permission: this service is a supplier product, and the reference says a supplier product needs permission (NIDA also says to contact Dr Skinner before use).',
    'Credit: DAST-10 © 1982 H.A. Skinner; CAMH.',
    'Question 3 is reverse-scored: "No" scores 1.',
    'Item text is a paraphrase of the reference’s item topics; use the licensed wording on forms.',
  ],
}
