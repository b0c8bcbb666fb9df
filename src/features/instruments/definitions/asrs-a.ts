import type { AnswerOption, InstrumentDefinition } from '../instruments.schemas.ts'
import { preferNotToSay } from './scales.ts'

const scale = ['never', 'rarely', 'sometimes', 'often', 'very-often'] as const
const labels: Record<(typeof scale)[number], string> = {
  never: 'Never',
  rarely: 'Rarely',
  sometimes: 'Sometimes',
  often: 'Often',
  'very-often': 'Very often',
}

/** Items 1–3 count from "Sometimes", items 4–6 from "Often": option scores mirror that (checked at load). */
function options(countsFrom: 'sometimes' | 'often'): AnswerOption[] {
  const from = scale.indexOf(countsFrom)
  return [...scale.map((code, index) => ({ code, label: labels[code], score: index >= from ? 1 : 0 })), preferNotToSay]
}

const topics: readonly string[] = [
  'How often do you have trouble finishing the final details of a task, once the hard parts are done?',
  'How often do you have difficulty getting things in order when a task needs organising?',
  'How often do you have problems remembering appointments or things you need to do?',
  'When a task needs a lot of thought, how often do you avoid it or put off starting?',
  'How often do you fidget or squirm with your hands or feet when you have to sit down for a long time?',
  'How often do you feel overly active and driven to do things, as if you were driven by a motor?',
]

export const asrsA: InstrumentDefinition = {
  code: 'asrs-a',
  title: 'Adult ADHD Self-Report Scale v1.1 screener (ASRS Part A)',
  version: '1.0.0',
  recallPeriod: 'the past 6 months',
  introduction:
    'These questions are about attention and activity over the past 6 months. There are no right or wrong answers, ' +
    'and you can choose not to answer any of them.',
  whyWeAsk:
    'Some people find focus, organisation or restlessness harder than others do. If that is you, there may be support ' +
    'or an assessment that helps.',
  wording: 'paraphrase',
  items: topics.map((text, index) => ({
    code: `asrs-${index + 1}`,
    number: index + 1,
    kind: 'scored' as const,
    text,
    options: options(index < 3 ? 'sometimes' : 'often'),
  })),
  scoring: {
    method: 'count',
    description:
      'Count of items answered at or above the threshold: items 1–3 count at "Sometimes" or above, items 4–6 at "Often" or above (0 to 6).',
    countWhen: [
      { items: ['asrs-1', 'asrs-2', 'asrs-3'], options: ['sometimes', 'often', 'very-often'] },
      { items: ['asrs-4', 'asrs-5', 'asrs-6'], options: ['often', 'very-often'] },
    ],
  },
  bands: [
    { code: 'negative', label: 'Below the cut-off', min: 0, max: 3 },
    { code: 'positive', label: 'Positive screen', min: 4, max: 6 },
  ],
  positiveScreen: { atOrAbove: 4, description: '4 or more items counted is a positive screen' },
  offerWhenPositive: null,
  warningSigns: [],
  coding: {},
  source:
    'WHO Adult ADHD Self-Report Scale v1.1, Part A (Kessler); counting rule from the WHO checklist copy (domain reference §1).',
  licence: {
    category: 'permission-required',
    holder: '© World Health Organization (checklist); requests to Prof R. Kessler, Harvard',
    terms:
      'Requests to reproduce or translate go to Prof R. Kessler, Harvard. Screener PDF free to download; do not alter. Embedding in software: ask permission (partly verified).',
    requiresPermission: true,
  },
  notes: [
    'Disabled until an administrator records permission: the reference says embedding in software needs permission (partly verified).',
    'An alternative 0–24 sum scoring exists (Kessler 2007); it is not used here.',
    'The licence says "do not alter": the paraphrased item text must be replaced by the licensed wording before use.',
  ],
}
