import type { InstrumentDefinition } from '../instruments.schemas.ts'
import { preferNotToSay } from './scales.ts'

export const hsi: InstrumentDefinition = {
  code: 'hsi',
  title: 'Smoking status and Heaviness of Smoking Index (HSI)',
  version: '1.0.0',
  recallPeriod: null,
  introduction:
    'A few questions about smoking tobacco. You can choose not to answer. If you smoke now, two more questions ' +
    'help us see what support might suit you.',
  whyWeAsk:
    'Many people on probation smoke, and stopping is one of the best things for health. Support to stop is free and ' +
    'it is your choice whether to use it.',
  wording: 'paraphrase',
  items: [
    {
      code: 'hsi-smoking-status',
      number: null,
      kind: 'gate',
      text: 'Which of these best describes you?',
      options: [
        { code: 'current', label: 'I smoke tobacco now', score: null, snomed: '77176002' },
        { code: 'ex', label: 'I used to smoke tobacco', score: null, snomed: '8517006' },
        { code: 'never', label: 'I have never smoked tobacco', score: null, snomed: '266919005' },
        preferNotToSay,
      ],
    },
    {
      code: 'hsi-1',
      number: 1,
      kind: 'scored',
      text: 'How soon after you wake up do you smoke your first cigarette?',
      options: [
        { code: 'within-5-minutes', label: 'Within 5 minutes', score: 3 },
        { code: '6-to-30-minutes', label: '6 to 30 minutes', score: 2 },
        { code: '31-to-60-minutes', label: '31 to 60 minutes', score: 1 },
        { code: 'after-60-minutes', label: 'After 60 minutes', score: 0 },
        preferNotToSay,
      ],
    },
    {
      code: 'hsi-2',
      number: 2,
      kind: 'scored',
      text: 'How many cigarettes do you smoke on a typical day?',
      options: [
        { code: '10-or-fewer', label: '10 or fewer', score: 0 },
        { code: '11-to-20', label: '11 to 20', score: 1 },
        { code: '21-to-30', label: '21 to 30', score: 2 },
        { code: '31-or-more', label: '31 or more', score: 3 },
        preferNotToSay,
      ],
    },
  ],
  scoring: {
    method: 'sum',
    description:
      'Asked of current smokers only. Time to first cigarette: 5 minutes or less 3, 6–30 minutes 2, 31–60 minutes 1, over 60 minutes 0; cigarettes a day: 10 or fewer 0, 11–20 1, 21–30 2, 31 or more 3. Total 0 to 6.',
    items: ['hsi-1', 'hsi-2'],
    gate: { item: 'hsi-smoking-status', proceedWhen: ['current'], otherwise: 'not-applicable' },
  },
  bands: [
    { code: 'low', label: 'Low dependence', min: 0, max: 1 },
    { code: 'medium', label: 'Medium dependence', min: 2, max: 4 },
    { code: 'high', label: 'High dependence', min: 5, max: 6 },
  ],
  positiveScreen: null,
  offerWhenPositive: null,
  warningSigns: [],
  coding: {
    snomed: [
      { code: '77176002', display: 'Smoker (finding)' },
      { code: '8517006', display: 'Ex-smoker' },
      { code: '266919005', display: 'Never smoked tobacco' },
    ],
  },
  source:
    'Derived from the Fagerström Test for Nicotine Dependence (Heatherton 1989); scoring from PhenX and NIDA Data Share (domain reference §1).',
  licence: {
    category: 'unverified',
    holder: 'Derived from the FTND (Heatherton 1989)',
    terms: 'Licence terms UNVERIFIED in the domain reference.',
    requiresPermission: true,
  },
  notes: [
    'Licence terms are UNVERIFIED in the domain reference, so the instrument is disabled until an administrator records that the terms were checked (or permission obtained).',
    'For ex-smokers and people who have never smoked the HSI does not apply: the result is complete with no score.',
    'The UK definition of an ex-smoker is UNVERIFIED in the domain reference (an NZ convention: more than 100 cigarettes in a lifetime and none in the last 28 days).',
    'Check the SNOMED CT smoking status ids are active in the current UK release before use.',
    'Item text is a paraphrase of the reference’s item topics; use the licensed wording on forms.',
  ],
}
