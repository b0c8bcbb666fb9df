import type { InstrumentDefinition } from '../instruments.schemas.ts'
import { yesNo } from './scales.ts'

const topics: readonly string[] = [
  'Had nightmares about it, or thought about it when you did not want to?',
  'Tried hard not to think about it, or gone out of your way to avoid things that remind you of it?',
  'Been constantly on guard, watchful or easily startled?',
  'Felt numb or detached from people, activities or your surroundings?',
  'Felt guilty, or unable to stop blaming yourself or others, for the event or any problems it may have caused?',
]

const codes = topics.map((_, index) => `pcptsd5-${index + 1}`)

export const pcPtsd5: InstrumentDefinition = {
  code: 'pc-ptsd-5',
  title: 'Primary Care PTSD Screen for DSM-5 (PC-PTSD-5)',
  version: '1.0.0',
  recallPeriod: 'the past month',
  introduction:
    'Sometimes things happen to people that are very frightening, horrible or traumatic. You do not need to tell us ' +
    'what happened, and you can stop or choose not to answer at any time.',
  whyWeAsk:
    'Difficult experiences can affect sleep, mood and health long afterwards. Asking helps us offer the right support, ' +
    'at your pace.',
  wording: 'paraphrase',
  items: [
    {
      code: 'pcptsd5-exposure',
      number: null,
      kind: 'gate',
      text: 'Have you ever been through an event like this?',
      options: yesNo('neither'),
    },
    ...topics.map((text, index) => ({
      code: `pcptsd5-${index + 1}`,
      number: index + 1,
      kind: 'scored' as const,
      text: `In the past month, have you: ${text.charAt(0).toLowerCase()}${text.slice(1)}`,
      options: yesNo('yes'),
    })),
  ],
  scoring: {
    method: 'count',
    description:
      'If the answer to the trauma question is "No", the score is 0. Otherwise 1 point for each "Yes" (0 to 5).',
    countWhen: [{ items: codes, options: ['yes'] }],
    gate: { item: 'pcptsd5-exposure', proceedWhen: ['yes'], otherwise: 'score-zero' },
  },
  bands: [
    { code: 'negative', label: 'Below the cut-point', min: 0, max: 2 },
    { code: 'positive', label: 'Positive screen', min: 3, max: 5 },
  ],
  positiveScreen: { atOrAbove: 3, description: 'Cut-point 3: the most sensitive, and widely used as "positive"' },
  offerWhenPositive: null,
  warningSigns: [],
  coding: {},
  source: 'US VA National Center for PTSD; Prins 2016 (PMC5023594) (domain reference §1).',
  licence: {
    category: 'unverified',
    holder: 'US VA National Center for PTSD',
    terms: 'Public-domain status UNVERIFIED (the centre’s PCL-5 is stated to be public domain).',
    requiresPermission: true,
  },
  notes: [
    'Alternative cut-point 4: the best balance in the VA sample, but it misses more women. This definition uses 3.',
    'Public-domain status is UNVERIFIED in the domain reference, so the instrument is disabled until an administrator records that the terms were checked.',
    'Area under the curve 0.941 (Prins 2016).',
    'Item text is a paraphrase of the reference’s item topics; use the licensed wording on forms.',
  ],
}
