import type { InstrumentDefinition } from '../instruments.schemas.ts'
import { frequencyLastTwoWeeks, PHQ_STEM, preferNotToSay, TWO_WEEKS } from './scales.ts'
import { phqFormSources } from './wording-sources.ts'

export const PHQ9_ITEM9_FLAG_MESSAGE =
  'Any answer above "Not at all" to the question on thoughts of being better off dead or of self-harm needs a ' +
  'clinician’s review and documented response today. This is not a risk rating: assess needs and agree a safety ' +
  'plan (NICE NG225).'

/** Items 1 to 9 of the published PHQ-9 form, verbatim (see phqFormSources). */
export const phq9Items = [
  'Little interest or pleasure in doing things',
  'Feeling down, depressed, or hopeless',
  'Trouble falling or staying asleep, or sleeping too much',
  'Feeling tired or having little energy',
  'Poor appetite or overeating',
  'Feeling bad about yourself — or that you are a failure or have let yourself or your family down',
  'Trouble concentrating on things, such as reading the newspaper or watching television',
  'Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual',
  'Thoughts that you would be better off dead or of hurting yourself in some way',
] as const

export const phq9: InstrumentDefinition = {
  code: 'phq-9',
  title: 'Patient Health Questionnaire (PHQ-9)',
  version: '1.1.0',
  recallPeriod: TWO_WEEKS,
  introduction:
    'These questions are about your mood. There are no right or wrong answers, and you can choose not to answer any ' +
    `of them. ${PHQ_STEM}`,
  whyWeAsk:
    'Low mood is common and often goes unnoticed. Asking everyone helps us offer support early, such as talking ' +
    'therapies or help from a GP.',
  wording: 'published',
  wordingSource: [...phqFormSources],
  items: [
    ...phq9Items.map((text, index) => ({
      code: `phq9-${index + 1}`,
      number: index + 1,
      kind: 'scored' as const,
      text,
      options: [...frequencyLastTwoWeeks],
    })),
    {
      code: 'phq9-function',
      number: null,
      kind: 'unscored',
      text: 'If you checked off any problems, how difficult have these problems made it for you to do your work, take care of things at home, or get along with other people?',
      options: [
        { code: 'not-difficult-at-all', label: 'Not difficult at all', score: null },
        { code: 'somewhat-difficult', label: 'Somewhat difficult', score: null },
        { code: 'very-difficult', label: 'Very difficult', score: null },
        { code: 'extremely-difficult', label: 'Extremely difficult', score: null },
        preferNotToSay,
      ],
    },
  ],
  scoring: {
    method: 'sum',
    description: 'Sum of items 1 to 9, each 0 to 3 (total 0 to 27). The function item is not scored.',
    items: phq9Items.map((_, index) => `phq9-${index + 1}`),
  },
  bands: [
    { code: 'minimal', label: 'Minimal', min: 0, max: 4 },
    { code: 'mild', label: 'Mild', min: 5, max: 9 },
    { code: 'moderate', label: 'Moderate', min: 10, max: 14 },
    { code: 'moderately-severe', label: 'Moderately severe', min: 15, max: 19 },
    { code: 'severe', label: 'Severe', min: 20, max: 27 },
  ],
  positiveScreen: {
    atOrAbove: 10,
    description: '10 or more is the usual case threshold (sensitivity and specificity about 88% in the original study)',
  },
  offerWhenPositive: null,
  warningSigns: [{ code: 'phq9-item9', item: 'phq9-9', scoreAbove: 0, message: PHQ9_ITEM9_FLAG_MESSAGE }],
  coding: {
    loinc: { panel: '44249-1', total: '44261-6', items: ['44250-9', '44255-8'] },
    snomed: [{ code: '720433000', display: 'PHQ-9 score (observable entity)' }],
  },
  source:
    'Kroenke, Spitzer and Williams; Pfizer. Scoring and bands as in the domain reference §1 (phqscreeners.com via CamCOPS, HL7 US Core).',
  licence: {
    category: 'free',
    holder: 'Pfizer',
    terms: 'Pfizer copyright; "no permission required to reproduce, translate, display or distribute".',
    requiresPermission: false,
  },
  notes: [
    'Item 9 above 0 raises a flag for same-day clinician review however low the total. No suicide risk level is ever derived (NICE NG225).',
    'The reference lists item LOINC codes 44250-9 and 44255-8 without saying which item each codes, so they are not mapped to items here.',
    'Wording (version 1.1.0): the stem, items, difficulty question and answer labels are the published PHQ-9 form’s, verbatim (see wordingSource); the scoring is unchanged from 1.0.0. The opening of the introduction, "Prefer not to say" and "why we ask" are the service’s own words.',
    'The difficulty question keeps the form’s words "If you checked off any problems", although the clinician records the answers.',
  ],
}
