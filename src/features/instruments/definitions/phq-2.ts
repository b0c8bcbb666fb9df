import type { InstrumentDefinition } from '../instruments.schemas.ts'
import { phq9Items } from './phq-9.ts'
import { frequencyLastTwoWeeks, PHQ_STEM, TWO_WEEKS } from './scales.ts'
import { phqFormSources } from './wording-sources.ts'

export const phq2: InstrumentDefinition = {
  code: 'phq-2',
  title: 'Patient Health Questionnaire (PHQ-2)',
  version: '1.1.0',
  recallPeriod: TWO_WEEKS,
  introduction: `Two questions about your mood. There are no right or wrong answers, and you can choose not to answer. ${PHQ_STEM}`,
  whyWeAsk:
    'Low mood is common and often goes unnoticed. These two questions tell us whether to ask a few more, so we can ' +
    'offer support early.',
  wording: 'published',
  wordingSource: [...phqFormSources],
  items: [
    {
      code: 'phq2-1',
      number: 1,
      kind: 'scored',
      text: phq9Items[0],
      options: [...frequencyLastTwoWeeks],
      sameAs: { instrument: 'phq-9', item: 'phq9-1' },
    },
    {
      code: 'phq2-2',
      number: 2,
      kind: 'scored',
      text: phq9Items[1],
      options: [...frequencyLastTwoWeeks],
      sameAs: { instrument: 'phq-9', item: 'phq9-2' },
    },
  ],
  scoring: {
    method: 'sum',
    description: 'Sum of PHQ-9 items 1 and 2, each 0 to 3 (total 0 to 6).',
    items: ['phq2-1', 'phq2-2'],
  },
  bands: [
    { code: 'negative', label: 'Below the cut-off', min: 0, max: 2 },
    { code: 'positive', label: 'Positive screen', min: 3, max: 6, action: 'Offer the PHQ-9' },
  ],
  positiveScreen: {
    atOrAbove: 3,
    description: '3 or more is positive (sensitivity 83%, specificity 92%; Kroenke 2003)',
  },
  offerWhenPositive: 'phq-9',
  warningSigns: [],
  coding: { loinc: { panel: '55757-9', total: '55758-7' } },
  source: 'PHQ-9 items 1 and 2; cut-off from Kroenke 2003 (domain reference §1).',
  licence: {
    category: 'free',
    holder: 'Pfizer',
    terms: 'As the PHQ: Pfizer copyright; "no permission required to reproduce, translate, display or distribute".',
    requiresPermission: false,
  },
  notes: [
    'Alternative cut-off: 2 or more is more sensitive (86%/78%, Arroll 2010). This definition uses 3.',
    'The PHQ-2 has no question on self-harm; PHQ-9 item 9 is only asked in the full PHQ-9.',
    'Wording (version 1.1.0): the PHQ-2 is PHQ-9 items 1 and 2 (reference §1), so its stem, items and answer labels are the published PHQ-9 form’s, verbatim (see wordingSource); the scoring is unchanged from 1.0.0. The opening of the introduction, "Prefer not to say" and "why we ask" are the service’s own words.',
    'No copy of a stand-alone PHQ-2 form from the licence holder was found: copies seen differ from the PHQ-9 stem only ("Over the past 2 weeks", or without "any of"), so the PHQ-9 stem is used.',
  ],
}
