import type { AnswerOption, InstrumentDefinition, Item } from '../instruments.schemas.ts'
import {
  auditQuestion1,
  auditQuestion2,
  auditQuestion3,
  drinkingFrequency,
  eventFrequency,
  unitsPerDrinkingDay,
  yesNotInLastYear,
} from './alcohol-scales.ts'
import { ukAuditFormSources } from './wording-sources.ts'

/** Questions 4 to 8 of the UK "units" AUDIT form, verbatim (see ukAuditFormSources). */
const frequencyItems: readonly [number, string][] = [
  [4, 'How often during the last year have you found that you were not able to stop drinking once you had started?'],
  [
    5,
    'How often during the last year have you failed to do what was normally expected from you because of your drinking?',
  ],
  [
    6,
    'How often during the last year have you needed an alcoholic drink in the morning to get yourself going after a heavy drinking session?',
  ],
  [7, 'How often during the last year have you had a feeling of guilt or remorse after drinking?'],
  [
    8,
    'How often during the last year have you been unable to remember what happened the night before because you had been drinking?',
  ],
]

const item = (number: number, text: string, options: readonly AnswerOption[]): Item => ({
  code: `audit-${number}`,
  number,
  kind: 'scored',
  text,
  options: [...options],
})

export const audit: InstrumentDefinition = {
  code: 'audit',
  title: 'Alcohol Use Disorders Identification Test (AUDIT, UK units version)',
  version: '1.1.0',
  recallPeriod: null,
  introduction:
    'These questions are about drinking alcohol. A unit is about half a pint of ordinary beer or a single measure of ' +
    'spirits. You can choose not to answer any question.',
  whyWeAsk:
    'Your earlier answers suggest alcohol might be affecting your health. These questions help us understand how, so ' +
    'we can talk about support that suits you.',
  wording: 'published',
  wordingSource: [...ukAuditFormSources],
  items: [
    item(1, auditQuestion1, drinkingFrequency),
    item(2, auditQuestion2, unitsPerDrinkingDay),
    item(3, auditQuestion3, eventFrequency),
    ...frequencyItems.map(([number, text]) => item(number, text, eventFrequency)),
    item(9, 'Have you or somebody else been injured as a result of your drinking?', yesNotInLastYear),
    item(
      10,
      'Has a relative or friend, doctor or other health worker been concerned about your drinking or suggested that you cut down?',
      yesNotInLastYear,
    ),
  ],
  scoring: {
    method: 'sum',
    description: 'Questions 1 to 8 score 0 to 4; questions 9 and 10 score 0, 2 or 4. Total 0 to 40.',
    items: Array.from({ length: 10 }, (_, index) => `audit-${index + 1}`),
  },
  bands: [
    { code: 'lower-risk', label: 'Lower risk', min: 0, max: 7 },
    { code: 'increasing-risk', label: 'Increasing risk (hazardous)', min: 8, max: 15 },
    {
      code: 'higher-risk',
      label: 'Higher risk (harmful)',
      min: 16,
      max: 19,
      action: 'NICE CG115: consider a comprehensive specialist assessment (score over 15)',
    },
    {
      code: 'possible-dependence',
      label: 'Possible dependence',
      min: 20,
      max: 40,
      action: 'NICE CG115: consider a comprehensive specialist assessment (score over 15)',
    },
  ],
  positiveScreen: null,
  offerWhenPositive: null,
  warningSigns: [],
  coding: {},
  source:
    'WHO AUDIT, UK units version; bands from gov.uk Clinical guidelines for alcohol treatment ch. 3 and NICE CG115 (domain reference §1).',
  licence: {
    category: 'non-commercial',
    holder: 'World Health Organization',
    terms: 'WHO copyright: may be freely reproduced and translated, but not for sale or commercial use.',
    requiresPermission: false,
  },
  notes: [
    'A UK unit is 8 g (10 ml) of alcohol.',
    'No single positive-screen cut-off is set: the reference gives bands, and NICE CG115 advises considering a comprehensive specialist assessment above 15.',
    'The published questions give their own period: question 3 "in the last year", questions 4 to 8 "during the last year"; questions 1 and 2 state none, so recallPeriod stays null.',
    'Wording (version 1.1.0): the questions and answer labels are the UK "units" AUDIT form’s, verbatim (see wordingSource); the scoring is unchanged from 1.0.0. The form has no question stem: the introduction, "Prefer not to say" and "why we ask" are the service’s own words.',
    'Checked against copies of the UK "units" form (one titled "AUDIT – C – Alcohol Learning Centre"), not against the current gov.uk (OHID) download, which is not in the stored sources. One other copy (portofcall.com, which has a transcription error) labels the answers "0 to 2" to "10 or more" and "2 to 4 times per month" to "4 times or more per week", and may be a later version; its questions are the same. Compare with the current OHID form before go-live.',
  ],
}
