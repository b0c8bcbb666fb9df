import type { InstrumentDefinition } from '../instruments.schemas.ts'
import { gad7Items } from './gad-7.ts'
import { frequencyLastTwoWeeks, GAD_STEM, TWO_WEEKS } from './scales.ts'
import { gad2ExtraSource, gadFormSources } from './wording-sources.ts'

export const gad2: InstrumentDefinition = {
  code: 'gad-2',
  title: 'Generalised Anxiety Disorder Assessment (GAD-2)',
  version: '1.1.0',
  recallPeriod: TWO_WEEKS,
  introduction: `Two questions about worry. You can choose not to answer. ${GAD_STEM}`,
  whyWeAsk: 'Anxiety is common and support can help. These two questions tell us whether to ask a few more.',
  wording: 'published',
  wordingSource: [...gadFormSources, gad2ExtraSource],
  items: [
    {
      code: 'gad2-1',
      number: 1,
      kind: 'scored',
      text: gad7Items[0],
      options: [...frequencyLastTwoWeeks],
      sameAs: { instrument: 'gad-7', item: 'gad7-1' },
    },
    {
      code: 'gad2-2',
      number: 2,
      kind: 'scored',
      text: gad7Items[1],
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
  notes: [
    'Wording (version 1.1.0): the GAD-2 is GAD-7 items 1 and 2 (reference §1), so its stem, items and answer labels are the published GAD-7 form’s, verbatim (see wordingSource); the item text already matched it in 1.0.0, and the scoring is unchanged. The opening of the introduction, "Prefer not to say" and "why we ask" are the service’s own words.',
  ],
}
