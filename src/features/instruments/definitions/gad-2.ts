import type { InstrumentDefinition } from '../instruments.schemas.ts'
import { frequencyLastTwoWeeks, TWO_WEEKS } from './scales.ts'

export const gad2: InstrumentDefinition = {
  code: 'gad-2',
  title: 'Generalised Anxiety Disorder Assessment (GAD-2)',
  version: '1.0.0',
  recallPeriod: TWO_WEEKS,
  introduction:
    'Two questions about worry. You can choose not to answer. Thinking about the last 2 weeks, how often has each of ' +
    'these bothered you?',
  whyWeAsk: 'Anxiety is common and support can help. These two questions tell us whether to ask a few more.',
  wording: 'paraphrase',
  items: [
    {
      code: 'gad2-1',
      number: 1,
      kind: 'scored',
      text: 'Feeling nervous, anxious or on edge',
      options: [...frequencyLastTwoWeeks],
      sameAs: { instrument: 'gad-7', item: 'gad7-1' },
    },
    {
      code: 'gad2-2',
      number: 2,
      kind: 'scored',
      text: 'Not being able to stop or control worrying',
      options: [...frequencyLastTwoWeeks],
      sameAs: { instrument: 'gad-7', item: 'gad7-2' },
    },
  ],
  scoring: {
    method: 'sum',
    description: 'Sum of GAD-7 items 1 and 2, each 0 to 3 (total 0 to 6).',
    items: ['gad2-1', 'gad2-2'],
  },
  bands: [
    { code: 'negative', label: 'Below the cut-off', min: 0, max: 2 },
    { code: 'positive', label: 'Positive screen', min: 3, max: 6, action: 'Offer the GAD-7' },
  ],
  positiveScreen: { atOrAbove: 3, description: '3 or more is positive (about 86% sensitivity, 83% specificity)' },
  offerWhenPositive: 'gad-7',
  warningSigns: [],
  coding: {},
  source: 'GAD-7 items 1 and 2 (domain reference §1).',
  licence: {
    category: 'free',
    holder: 'Pfizer',
    terms: 'Free (as the PHQ).',
    requiresPermission: false,
  },
  notes: ['Item text is a paraphrase of the reference’s item topics; use the licensed wording on forms.'],
}
