import {
  PREFER_NOT_TO_SAY,
  type Band,
  type InstrumentDefinition,
  type Item,
  type ScoreResult,
} from './instruments.schemas.ts'

/**
 * Scoring for every instrument, driven only by the definition's data: no I/O, no clock, no instrument-specific
 * branches. Rules that keep it safe (hazard log H-101 to H-104):
 * - a skipped or declined item makes the result incomplete and is named; the score and band are then null, never a
 *   lower total (the answered items' total is given separately as `partialScore`, a lower bound);
 * - warning signs fire from whatever was answered, even when the result is incomplete;
 * - there is no risk level of any kind: a warning sign is a flag for a clinician (NICE NG225).
 */

export type AnswerProblemReason = 'unknown-item' | 'unknown-option' | 'not-asked'

export interface AnswerProblem {
  readonly item: string
  readonly option: string
  readonly reason: AnswerProblemReason
  readonly message: string
}

/** The answers name items or options the instrument does not have, or answer items the gate says are not asked. */
export class AnswerCodeError extends Error {
  readonly instrument: string
  readonly problems: readonly AnswerProblem[]
  constructor(instrument: string, problems: readonly AnswerProblem[]) {
    super(`Invalid answers for ${instrument}: ${problems.map((p) => p.message).join('; ')}`)
    this.name = 'AnswerCodeError'
    this.instrument = instrument
    this.problems = problems
  }
}

export type Answers = Readonly<Record<string, string>>

type GateState = 'none' | 'open' | 'closed' | 'unanswered'

function answerFor(answers: Answers, itemCode: string): string | undefined {
  return Object.hasOwn(answers, itemCode) ? answers[itemCode] : undefined
}

/** The scored items in form order. */
export function scoredItems(definition: InstrumentDefinition): Item[] {
  const rule = definition.scoring
  const codes = new Set(rule.method === 'sum' ? rule.items : rule.countWhen.flatMap((c) => c.items))
  return definition.items.filter((item) => codes.has(item.code))
}

/** Points one answer adds under the rule. `optionCode` is a known, non-declined option of a scored item. */
export function pointsFor(definition: InstrumentDefinition, item: Item, optionCode: string): number {
  const rule = definition.scoring
  if (rule.method === 'count') {
    const counted = rule.countWhen.some((c) => c.items.includes(item.code) && c.options.includes(optionCode))
    return counted ? 1 : 0
  }
  const score = item.options.find((o) => o.code === optionCode)?.score
  if (typeof score !== 'number')
    throw new Error(`${definition.code}: option ${optionCode} of ${item.code} has no score`)
  return score
}

export function maxScore(definition: InstrumentDefinition): number {
  const rule = definition.scoring
  if (rule.method === 'count') return scoredItems(definition).length
  return scoredItems(definition).reduce((sum, item) => {
    const scores = item.options.map((o) => o.score).filter((s): s is number => s !== null)
    return sum + Math.max(...scores)
  }, 0)
}

export function bandFor(definition: InstrumentDefinition, total: number): Band | undefined {
  return definition.bands.find((band) => total >= band.min && total <= band.max)
}

function checkCodes(definition: InstrumentDefinition, answers: Answers, gateState: GateState): AnswerProblem[] {
  const items = new Map(definition.items.map((item) => [item.code, item]))
  const gatedOut = new Set(gateState === 'closed' ? scoredItems(definition).map((i) => i.code) : [])
  const gate = definition.scoring.gate
  const problems: AnswerProblem[] = []
  for (const [itemCode, optionCode] of Object.entries(answers)) {
    const item = items.get(itemCode)
    if (item === undefined) {
      problems.push({
        item: itemCode,
        option: optionCode,
        reason: 'unknown-item',
        message: `${itemCode} is not an item of ${definition.code}`,
      })
    } else if (!item.options.some((o) => o.code === optionCode)) {
      problems.push({
        item: itemCode,
        option: optionCode,
        reason: 'unknown-option',
        message: `${optionCode} is not an answer option for ${itemCode}; choose one of ${item.options.map((o) => o.code).join(', ')}`,
      })
    } else if (gatedOut.has(itemCode) && gate !== undefined) {
      problems.push({
        item: itemCode,
        option: optionCode,
        reason: 'not-asked',
        message: `${itemCode} is not asked when ${gate.item} is ${answerFor(answers, gate.item) ?? ''}; leave it out`,
      })
    }
  }
  return problems
}

function gateStateOf(definition: InstrumentDefinition, answers: Answers): GateState {
  const gate = definition.scoring.gate
  if (gate === undefined) return 'none'
  const answer = answerFor(answers, gate.item)
  if (answer === undefined || answer === PREFER_NOT_TO_SAY) return 'unanswered'
  if (gate.proceedWhen.includes(answer)) return 'open'
  // An unknown gate answer is reported by checkCodes; treat it as unanswered meanwhile.
  const item = definition.items.find((i) => i.code === gate.item)
  return item?.options.some((o) => o.code === answer) === true ? 'closed' : 'unanswered'
}

function flagsFor(definition: InstrumentDefinition, answers: Answers): ScoreResult['flags'] {
  const flags: ScoreResult['flags'] = []
  for (const sign of definition.warningSigns) {
    const answer = answerFor(answers, sign.item)
    if (answer === undefined) continue
    const score = definition.items.find((i) => i.code === sign.item)?.options.find((o) => o.code === answer)?.score
    if (typeof score === 'number' && score > sign.scoreAbove) {
      flags.push({ code: sign.code, itemCode: sign.item, message: sign.message })
    }
  }
  return flags
}

/**
 * Scores one completed (or part-completed) instrument. `answers` maps item codes to option codes; a skipped item
 * is simply left out. Throws AnswerCodeError naming every unknown item or option code.
 */
export function score(definition: InstrumentDefinition, answers: Answers): ScoreResult {
  const gateState = gateStateOf(definition, answers)
  const problems = checkCodes(definition, answers, gateState)
  if (problems.length > 0) throw new AnswerCodeError(definition.code, problems)

  const gate = definition.scoring.gate
  const flags = flagsFor(definition, answers)
  const base = { instrument: definition.code, version: definition.version, maxScore: maxScore(definition), flags }

  if (gateState === 'closed' && gate?.otherwise === 'not-applicable') {
    return {
      ...base,
      applicable: false,
      complete: true,
      score: null,
      partialScore: null,
      band: null,
      positive: null,
      missingItems: [],
      preferNotToSay: [],
    }
  }

  const asked = gateState === 'closed' ? [] : scoredItems(definition)
  const needed = [...(gate === undefined ? [] : [gate.item]), ...asked.map((i) => i.code)]
  const missingItems = needed.filter((code) => {
    const answer = answerFor(answers, code)
    return answer === undefined || answer === PREFER_NOT_TO_SAY
  })
  const preferNotToSay = needed.filter((code) => answerFor(answers, code) === PREFER_NOT_TO_SAY)

  let total = 0
  for (const item of asked) {
    const answer = answerFor(answers, item.code)
    if (answer !== undefined && answer !== PREFER_NOT_TO_SAY) total += pointsFor(definition, item, answer)
  }

  if (missingItems.length > 0) {
    // The partial score is a lower bound: once it reaches the cut-off the screen is positive whatever the missing
    // answers are, so the full instrument must still be offered. Not when the gate is unanswered: a "No" there scores 0.
    const gateAllows = gate === undefined || gateState === 'open'
    const positive = definition.positiveScreen !== null && gateAllows && total >= definition.positiveScreen.atOrAbove ? true : null
    return {
      ...base,
      applicable: true,
      complete: false,
      score: null,
      partialScore: total,
      band: null,
      positive,
      missingItems,
      preferNotToSay,
      ...(positive === true && definition.offerWhenPositive !== null ? { offerFull: definition.offerWhenPositive } : {}),
    }
  }

  const band = bandFor(definition, total)
  if (band === undefined) throw new Error(`${definition.code}: no band for total ${total}`)
  const positive = definition.positiveScreen === null ? null : total >= definition.positiveScreen.atOrAbove
  return {
    ...base,
    applicable: true,
    complete: true,
    score: total,
    partialScore: null,
    band: { code: band.code, label: band.label },
    positive,
    missingItems: [],
    preferNotToSay: [],
    ...(positive === true && definition.offerWhenPositive !== null ? { offerFull: definition.offerWhenPositive } : {}),
  }
}
