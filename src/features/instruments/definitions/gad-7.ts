import type { InstrumentDefinition } from '../instruments.schemas.ts'
import { frequencyLastTwoWeeks, GAD_STEM, TWO_WEEKS } from './scales.ts'
import { gadFormSources } from './wording-sources.ts'

/** Items 1 to 7 of the published GAD-7 form, verbatim (see gadFormSources). */
export const gad7Items = [
  'Feeling nervous, anxious or on edge',
  'Not being able to stop or control worrying',
  'Worrying too much about different things',
  'Trouble relaxing',
  'Being so restless that it is hard to sit still',
  'Becoming easily annoyed or irritable',
  'Feeling afraid as if something awful might happen',
] as const

export const gad7: InstrumentDefinition = {
  code: 'gad-7',
  title: 'Generalised Anxiety Disorder Assessment (GAD-7)',
  version: '1.1.0',
  recallPeriod: TWO_WEEKS,
  introduction: `These questions are about worry and anxiety. You can choose not to answer any of them. ${GAD_STEM}`,
  whyWeAsk:
    'Anxiety is common, especially at times of change, and support can help. Your answers help us see what might be useful.',
  wording: 'published',
  wordingSource: [...gadFormSources],
  items: gad7Items.map((text, index) => ({
    code: `gad7-${index + 1}`,
    number: index + 1,
    kind: 'scored' as const,
    text,
    options: [...frequencyLastTwoWeeks],
  })),
  scoring: {
    method: 'sum',
    description: 'Sum of the 7 items, each 0 to 3 (total 0 to 21).',
    items: gad7Items.map((_, index) => `gad7-${index + 1}`),
  },
  bands: [
    { code: 'below-mild', label: 'Below the mild range', min: 0, max: 4 },
    { code: 'mild', label: 'Mild', min: 5, max: 9 },
    { code: 'moderate', label: 'Moderate', min: 10, max: 14, action: 'Refer for further evaluation' },
    { code: 'severe', label: 'Severe', min: 15, max: 21, action: 'Refer for further evaluation' },
  ],
  positiveScreen: {
    atOrAbove: 10,
    description:
      '10 or more: refer for further evaluation (for generalised anxiety disorder, sensitivity 89%, specificity 82%)',
  },
  offerWhenPositive: null,
  warningSigns: [],
  coding: { loinc: { total: '70274-6' } },
  source: 'Spitzer 2006 (via mrcpsych.uk); CamCOPS gad7 documentation (domain reference §1).',
  licence: {
    category: 'free',
    holder: 'Pfizer',
    terms: 'As the PHQ: Pfizer copyright; "no permission required to reproduce, translate, display or distribute".',
    requiresPermission: false,
  },
  notes: [
    'The reference names the bands from 5 (mild), 10 (moderate) and 15 (severe) but gives no name for 0 to 4, so that band is labelled "Below the mild range".',
    'Wording (version 1.1.0): the stem, items and answer labels are the published GAD-7 form’s, verbatim (see wordingSource); the item text already matched it in 1.0.0, and the scoring is unchanged. The opening of the introduction, "Prefer not to say" and "why we ask" are the service’s own words.',
    'Other copies print "Feeling nervous, anxious, or on edge", "it’s hard to sit still" or "Feeling afraid, as if"; this definition follows the Pfizer form copy in wordingSource.',
    'The published form’s difficulty question is not part of this definition (no item was added, so the item codes are unchanged).',
  ],
}
