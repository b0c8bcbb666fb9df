import type { AnswerOption, InstrumentDefinition } from '../instruments.schemas.ts'
import { preferNotToSay } from './scales.ts'

const AGREE = ['definitely-agree', 'slightly-agree'] as const
const DISAGREE = ['slightly-disagree', 'definitely-disagree'] as const

function options(keyed: 'agree' | 'disagree'): AnswerOption[] {
  const counted: readonly string[] = keyed === 'agree' ? AGREE : DISAGREE
  const point = (code: string) => (counted.includes(code) ? 1 : 0)
  return [
    { code: 'definitely-agree', label: 'Definitely agree', score: point('definitely-agree') },
    { code: 'slightly-agree', label: 'Slightly agree', score: point('slightly-agree') },
    { code: 'slightly-disagree', label: 'Slightly disagree', score: point('slightly-disagree') },
    { code: 'definitely-disagree', label: 'Definitely disagree', score: point('definitely-disagree') },
    preferNotToSay,
  ]
}

/** [statement, the direction that scores a point] */
const statements: readonly [string, 'agree' | 'disagree'][] = [
  ['I often notice small sounds when other people do not', 'agree'],
  ['I usually focus on the whole picture rather than the small details', 'disagree'],
  ['I find it easy to do more than one thing at once', 'disagree'],
  ['If I am interrupted, I can quickly go back to what I was doing', 'disagree'],
  ['I find it easy to "read between the lines" when someone is talking to me', 'disagree'],
  ['I can tell when someone listening to me is getting bored', 'disagree'],
  ['When I read a story, I find it hard to work out what the characters intend', 'agree'],
  ['I like to collect information about categories of things', 'agree'],
  ['I can work out what someone is thinking or feeling just by looking at their face', 'disagree'],
  ['I find it hard to work out what people intend', 'agree'],
]

const codesKeyed = (keyed: 'agree' | 'disagree') =>
  statements.flatMap(([, direction], index) => (direction === keyed ? [`aq10-${index + 1}`] : []))

export const aq10: InstrumentDefinition = {
  code: 'aq-10',
  title: 'Autism Spectrum Quotient (AQ-10, adult)',
  version: '1.0.0',
  recallPeriod: null,
  introduction:
    'Here are some statements about how people think and notice things. For each one, say how much you agree or ' +
    'disagree. You can choose not to answer any of them.',
  whyWeAsk:
    'Some people think and communicate in different ways. Knowing this helps us make appointments work better for you, ' +
    'and if you want one, we can talk about an assessment.',
  wording: 'paraphrase',
  items: statements.map(([text, keyed], index) => ({
    code: `aq10-${index + 1}`,
    number: index + 1,
    kind: 'scored' as const,
    text,
    options: options(keyed),
  })),
  scoring: {
    method: 'count',
    description:
      '1 point for "Definitely" or "Slightly agree" on items 1, 7, 8 and 10, and for "Definitely" or "Slightly disagree" on items 2, 3, 4, 5, 6 and 9 (0 to 10).',
    countWhen: [
      { items: codesKeyed('agree'), options: [...AGREE] },
      { items: codesKeyed('disagree'), options: [...DISAGREE] },
    ],
  },
  bands: [
    { code: 'negative', label: 'Below the cut-off', min: 0, max: 5 },
    {
      code: 'positive',
      label: 'Consider specialist autism assessment',
      min: 6,
      max: 10,
      action: 'Consider referral for a specialist autism assessment',
    },
  ],
  positiveScreen: { atOrAbove: 6, description: '6 or more: consider a specialist autism assessment' },
  offerWhenPositive: null,
  warningSigns: [],
  coding: {},
  source: 'Allison, Auyeung and Baron-Cohen 2012; Autism Research Centre, Cambridge (domain reference §1).',
  licence: {
    category: 'permission-required',
    holder: 'Autism Research Centre (ARC), University of Cambridge',
    terms:
      'Professional, clinical, scientific or personal use only; not commercial; credit ARC and Allison 2012; no modification without permission.',
    // The text held here is a paraphrase, which the licence forbids without permission, so the instrument stays
    // disabled until an administrator records that permission (or the licensed wording replaces the paraphrase).
    requiresPermission: true,
  },
  notes: [
    'The cut-off is 6 or more. The NICE CG142 form prints "more than 6", which Bath researchers reported as an error.',
    'For adults without a learning disability.',
    'Credit: Autism Research Centre, University of Cambridge; Allison, Auyeung and Baron-Cohen 2012.',
    'The licence forbids modification without permission: the paraphrased item text must be replaced by the licensed wording before use.',
  ],
}
