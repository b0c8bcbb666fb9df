import type { WordingSource } from '../instruments.schemas.ts'

/*
 * Where the published wording of the free-to-use instruments was checked word for word (stored public copies, found
 * with the project's search tool). Each definition marked wording: 'published' names the copies it was checked
 * against. The Clinical Safety Officer still compares each form with the licence holder's own current copy before
 * go-live (hazard log H-320 to H-325).
 */

/** The PHQ-9 form (Pfizer). PHQ-2 items are PHQ-9 items 1 and 2. */
export const phqFormSources: readonly WordingSource[] = [
  {
    title: 'PATIENT HEALTH QUESTIONNAIRE-9 (PHQ-9): printable copy of the Pfizer form (therandomtandem.com)',
    address: 'https://therandomtandem.com/mood-screening-questionnaire-printable-4892',
    covers:
      'The stem, items 1 to 9, the answer labels, the difficulty question and its answer labels, and the notice ' +
      '"No permission required to reproduce, translate, display or distribute".',
  },
  {
    title: 'Patient Health Questionnaire (PHQ-9): Central Medical Centre, Morden (NHS GP practice form)',
    address: 'https://centralmedicalcentre-morden.nhs.uk/form/phq-9/',
    covers: 'Items 1 to 9, identical; the stem is identical except that it ends in a colon.',
  },
  {
    title: 'Patient Health Questionnaire for Depression (PHQ-9): Orchard Medical Centre',
    address: 'https://orchardmedicalcentre.co.uk/navigator/mental-health-review/',
    covers: 'Items 1 to 9, identical; the stem is identical except that it ends in a colon.',
  },
]

/** The GAD-7 form (Pfizer). GAD-2 items are GAD-7 items 1 and 2. */
export const gadFormSources: readonly WordingSource[] = [
  {
    title: 'GAD-7 Anxiety Severity (scales.arabpsychology.com): copy of the Pfizer GAD-7 form',
    address: 'https://scales.arabpsychology.com/index.php/s/gad-7-anxiety-severity/',
    covers:
      'The stem, items 1 to 7 and the answer scale. The stored copy shows each comma as the look-alike character ' +
      'U+201A; the words and their order are identical.',
  },
  {
    title: 'Anxiety screening: Hopefield Healthcare',
    address: 'https://hopefieldhealthcare.com/anxiety-screening/',
    covers: 'Items 1 to 7, identical, with ordinary commas.',
  },
]

export const gad2ExtraSource: WordingSource = {
  title: 'Generalized Anxiety Disorder 2 (GAD-2): Medscape',
  address: 'https://reference.medscape.com/calculator/570/generalized-anxiety-disorder-2-gad-2',
  covers:
    'Items 1 and 2 as the GAD-2, identical ("feeling nervous, anxious or on edge"; "not being able to stop or control ' +
    'worrying"), each joined to a stem of its own.',
}

/** The UK "units" AUDIT-C and AUDIT form (copies of it; the current gov.uk/OHID download is not in the stored sources). */
export const ukAuditFormSources: readonly WordingSource[] = [
  {
    title: 'AUDIT – C – Alcohol Learning Centre (paperzz.com copy of the UK AUDIT-C form)',
    address: 'https://paperzz.com/doc/6978943/audit-%E2%80%93-c---alcohol-learning-centre',
    covers: 'AUDIT-C questions 1 to 3 and their answer labels (the first units label is printed "1 -2").',
  },
  {
    title: 'AUDIT-C (nursing-notebook.com)',
    address: 'https://nursing-notebook.com/en-ie/simplepage.cfm?ID=x20100811113013564221&linkID=73434',
    covers:
      'AUDIT-C questions 1 and 2 and their answer labels, the first units label printed "1-2"; question 3 (its "Never" ' +
      'label and question mark are lost in the stored copy).',
  },
  {
    title: 'Alcohol Awareness: bfwh.nhs.uk (NHS trust staff wellbeing page)',
    address: 'https://www.bfwh.nhs.uk/onehr/well-team/alcohol-awareness/',
    covers:
      'AUDIT-C questions 1 to 3, identical; ranges printed with spaced dashes ("2 – 4 times per month", "1 – 2").',
  },
  {
    title: 'Alcohol screening tool (docsbay.net copy of the UK AUDIT-C form with the remaining AUDIT questions)',
    address: 'https://docsbay.net/alcohol-screening-tool',
    covers: 'Questions 1 to 9 and their answer labels; question 10 is cut off in the stored copy.',
  },
  {
    title: 'AUDIT C (with remaining AUDIT questions): Hill Lane Surgery (info.5y1.org copy)',
    address: 'https://info.5y1.org/drinking-alcohol-the-day-before-surgery_1_004ceb.html',
    covers: 'Questions 4 to 10 and their answer labels, and the 0–7, 8–15, 16–19, 20+ scoring.',
  },
]
