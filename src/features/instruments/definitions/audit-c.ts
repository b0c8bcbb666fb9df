import type { InstrumentDefinition } from '../instruments.schemas.ts'
import {
  auditQuestion1,
  auditQuestion2,
  auditQuestion3,
  drinkingFrequency,
  eventFrequency,
  unitsPerDrinkingDay,
} from './alcohol-scales.ts'
import { ukAuditFormSources } from './wording-sources.ts'

export const auditC: InstrumentDefinition = {
  code: 'audit-c',
  title: 'Alcohol Use Disorders Identification Test – Consumption (AUDIT-C, UK)',
  version: '1.1.0',
  recallPeriod: null,
  introduction:
    'Three questions about drinking alcohol. A unit is about half a pint of ordinary beer or a single measure of ' +
    'spirits. You can choose not to answer any question.',
  whyWeAsk:
    'We ask everyone about alcohol, because it affects health in many ways and support is available if you want it.',
  wording: 'published',
  wordingSource: [...ukAuditFormSources],
  items: [
    {
      code: 'auditc-1',
      number: 1,
      kind: 'scored',
      text: auditQuestion1,
      options: [...drinkingFrequency],
      sameAs: { instrument: 'audit', item: 'audit-1' },
    },
    {
      code: 'auditc-2',
      number: 2,
      kind: 'scored',
      text: auditQuestion2,
      options: [...unitsPerDrinkingDay],
      sameAs: { instrument: 'audit', item: 'audit-2' },
    },
    {
      code: 'auditc-3',
      number: 3,
      kind: 'scored',
      text: auditQuestion3,
      options: [...eventFrequency],
      sameAs: { instrument: 'audit', item: 'audit-3' },
    },
  ],
  scoring: {
    method: 'sum',
    description: 'Sum of AUDIT questions 1 to 3, each 0 to 4 (total 0 to 12).',
    items: ['auditc-1', 'auditc-2', 'auditc-3'],
  },
  bands: [
    { code: 'negative', label: 'Below the UK cut-off', min: 0, max: 4 },
    {
      code: 'positive',
      label: 'AUDIT-C positive (increasing or higher risk)',
      min: 5,
      max: 12,
      action: 'Complete the remaining 7 AUDIT questions',
    },
  ],
  positiveScreen: { atOrAbove: 5, description: 'UK: 5 or more is AUDIT-C positive (increasing or higher risk)' },
  offerWhenPositive: 'audit',
  warningSigns: [],
  coding: {},
  source: 'AUDIT questions 1 to 3, UK units version; UK cut-off from UK AUDIT-C forms (domain reference §1).',
  licence: {
    category: 'free',
    holder: 'SAMHSA (public domain, via CamCOPS)',
    terms: 'Public domain.',
    requiresPermission: false,
  },
  notes: [
    'UK cut-off only: 5 or more is positive. The US cut-offs (4 or more for men, 3 or more for women) are a different standard and must not be mixed with the UK one.',
    'UK sub-bands 0–4, 5–7, 8–10 and 11–12 are UNVERIFIED in the domain reference, so they are not used: only the cut-off at 5 is banded.',
    'The published question 3 asks about "the last year"; questions 1 and 2 state no period, so recallPeriod stays null.',
    'Wording (version 1.1.0): the questions and answer labels are the UK "units" AUDIT-C form’s, verbatim (see wordingSource); the scoring is unchanged from 1.0.0. The form has no question stem: the introduction, "Prefer not to say" and "why we ask" are the service’s own words.',
    'Checked against copies of the UK "units" form (one titled "AUDIT – C – Alcohol Learning Centre"), not against the current gov.uk (OHID) download, which is not in the stored sources. One other copy (portofcall.com, which has a transcription error) labels the answers "0 to 2" to "10 or more" and "2 to 4 times per month" to "4 times or more per week", and may be a later version; its questions are the same. Compare with the current OHID form before go-live.',
  ],
}
