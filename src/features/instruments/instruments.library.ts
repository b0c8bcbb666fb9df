import { Value } from 'typebox/value'
import { instrumentDefinitions } from './definitions/index.ts'
import { PREFER_NOT_TO_SAY, InstrumentDefinitionSchema, type InstrumentDefinition } from './instruments.schemas.ts'
import { maxScore, scoredItems } from './instruments.scoring.ts'

/** A definition broke the schema or a consistency rule: the service refuses to start rather than score wrongly. */
export class InstrumentDefinitionError extends Error {
  readonly problems: readonly string[]
  constructor(problems: readonly string[]) {
    super(`Invalid instrument definitions:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'InstrumentDefinitionError'
    this.problems = problems
  }
}

export interface InstrumentLibrary {
  /** Every definition, in the library's order. */
  list(): readonly InstrumentDefinition[]
  find(code: string): InstrumentDefinition | undefined
}

function duplicates(values: readonly string[]): string[] {
  return values.filter((v, i) => values.indexOf(v) !== i)
}

/** Rules the schema cannot express. Returns problems, each naming the instrument and the part at fault. */
export function checkDefinition(definition: InstrumentDefinition): string[] {
  const problems: string[] = []
  const at = (message: string) => problems.push(`${definition.code}: ${message}`)
  const items = new Map(definition.items.map((item) => [item.code, item]))

  for (const code of duplicates(definition.items.map((i) => i.code))) at(`item ${code} appears more than once`)
  for (const item of definition.items) {
    for (const code of duplicates(item.options.map((o) => o.code))) at(`${item.code} has option ${code} more than once`)
    const last = item.options.at(-1)
    if (last?.code !== PREFER_NOT_TO_SAY || last.score !== null) {
      at(`${item.code} must end with "${PREFER_NOT_TO_SAY}" scoring nothing`)
    }
    const answers = item.options.filter((o) => o.code !== PREFER_NOT_TO_SAY)
    if (item.options.filter((o) => o.code === PREFER_NOT_TO_SAY).length !== 1)
      at(`${item.code} needs exactly one "prefer not to say"`)
    if (item.kind === 'scored' && answers.some((o) => o.score === null))
      at(`${item.code} is scored but an option has no score`)
    if (item.kind !== 'scored' && answers.some((o) => o.score !== null))
      at(`${item.code} is ${item.kind} but an option has a score`)
  }

  const rule = definition.scoring
  const ruleItems = rule.method === 'sum' ? rule.items : rule.countWhen.flatMap((c) => c.items)
  for (const code of duplicates(ruleItems)) at(`the scoring rule names ${code} more than once`)
  for (const code of ruleItems) {
    const item = items.get(code)
    if (item === undefined) at(`the scoring rule names unknown item ${code}`)
    else if (item.kind !== 'scored') at(`the scoring rule names ${code}, which is ${item.kind}`)
  }
  for (const item of definition.items) {
    if (item.kind === 'scored' && !ruleItems.includes(item.code))
      at(`${item.code} is scored but not in the scoring rule`)
  }
  if (rule.method === 'count') {
    // The option scores shown to clients must say exactly what the counting rule does.
    for (const criterion of rule.countWhen) {
      for (const code of criterion.items) {
        const item = items.get(code)
        if (item === undefined) continue
        for (const option of criterion.options) {
          if (!item.options.some((o) => o.code === option))
            at(`the scoring rule counts unknown option ${option} of ${code}`)
        }
        for (const option of item.options) {
          if (option.code === PREFER_NOT_TO_SAY) continue
          const expected = criterion.options.includes(option.code) ? 1 : 0
          if (option.score !== expected)
            at(`${code} option ${option.code} scores ${String(option.score)} but the rule gives ${expected}`)
        }
      }
    }
  }
  if (rule.gate !== undefined) {
    const gateItem = items.get(rule.gate.item)
    if (gateItem?.kind !== 'gate') at(`the gate ${rule.gate.item} is not a gate item`)
    for (const option of rule.gate.proceedWhen) {
      if (gateItem !== undefined && !gateItem.options.some((o) => o.code === option))
        at(`the gate proceeds on unknown option ${option}`)
    }
  } else if (definition.items.some((i) => i.kind === 'gate')) {
    at('has a gate item but no gate in its scoring rule')
  }

  // Bands run from 0 to the maximum score with no gap or overlap, in order.
  const max = maxScore(definition)
  if (definition.bands.length > 0) {
    let next = 0
    for (const band of definition.bands) {
      if (band.min !== next) at(`band ${band.code} starts at ${band.min}, expected ${next}`)
      if (band.max < band.min) at(`band ${band.code} ends before it starts`)
      next = band.max + 1
    }
    if (next - 1 !== max) at(`the bands end at ${next - 1} but the maximum score is ${max}`)
  }
  for (const code of duplicates(definition.bands.map((b) => b.code))) at(`band ${code} appears more than once`)
  const threshold = definition.positiveScreen?.atOrAbove
  if (threshold !== undefined && (threshold < 0 || threshold > max))
    at(`the positive-screen cut-off ${threshold} is out of range`)
  if (definition.offerWhenPositive !== null && definition.positiveScreen === null) {
    at('offers a full instrument when positive but has no positive-screen cut-off')
  }

  for (const sign of definition.warningSigns) {
    const item = items.get(sign.item)
    if (item === undefined) at(`warning sign ${sign.code} names unknown item ${sign.item}`)
    else if (item.kind !== 'scored') at(`warning sign ${sign.code} is on ${sign.item}, which is not scored`)
  }

  // Published wording is held only with the sources it was checked against, and never for an instrument whose licence
  // needs permission: those licences restrict reproducing or altering the form.
  if (definition.wording === 'published') {
    if ((definition.wordingSource ?? []).length === 0) at('is marked as published wording but names no wordingSource')
    if (definition.licence.requiresPermission) at('is marked as published wording but its licence needs permission')
  } else if (definition.wordingSource !== undefined) {
    at('names a wordingSource but its wording is a paraphrase')
  }

  const permissionCategories = ['permission-required', 'unverified']
  if (permissionCategories.includes(definition.licence.category) !== definition.licence.requiresPermission) {
    at(`licence category ${definition.licence.category} does not match requiresPermission`)
  }
  if (scoredItems(definition).length === 0) at('has no scored items')
  return problems
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child)
    Object.freeze(value)
  }
  return value
}

/**
 * Checks every definition against the schema and the consistency rules, then the links between them, and returns
 * a read-only library. Called once when the feature registers; throws InstrumentDefinitionError listing all problems.
 */
export function loadInstrumentLibrary(definitions: readonly unknown[] = instrumentDefinitions): InstrumentLibrary {
  const problems: string[] = []
  const valid: InstrumentDefinition[] = []
  definitions.forEach((candidate, index) => {
    if (!Value.Check(InstrumentDefinitionSchema, candidate)) {
      const name = (candidate as { code?: unknown } | null)?.code
      const label = typeof name === 'string' ? name : `definition ${index}`
      for (const error of Value.Errors(InstrumentDefinitionSchema, candidate)) {
        problems.push(`${label}: ${error.instancePath || '(root)'} ${error.message}`)
      }
      return
    }
    const definition = structuredClone(candidate)
    problems.push(...checkDefinition(definition))
    valid.push(definition)
  })
  const byCode = new Map(valid.map((d) => [d.code, d]))
  for (const code of duplicates(valid.map((d) => d.code))) problems.push(`instrument ${code} is defined more than once`)
  for (const definition of valid) {
    const offer = definition.offerWhenPositive
    if (offer !== null && !byCode.has(offer)) problems.push(`${definition.code}: offers unknown instrument ${offer}`)
    for (const item of definition.items) {
      if (item.sameAs === undefined) continue
      const other = byCode.get(item.sameAs.instrument)
      const twin = other?.items.find((i) => i.code === item.sameAs?.item)
      if (twin === undefined) {
        problems.push(
          `${definition.code}: ${item.code} is the same as unknown ${item.sameAs.instrument} ${item.sameAs.item}`,
        )
      } else if (JSON.stringify(twin.options) !== JSON.stringify(item.options)) {
        problems.push(
          `${definition.code}: ${item.code} has different options from ${item.sameAs.instrument} ${twin.code}`,
        )
      } else if (definition.wording === 'published' && other?.wording === 'published' && twin.text !== item.text) {
        problems.push(
          `${definition.code}: ${item.code} has different published text from ${item.sameAs.instrument} ${twin.code}`,
        )
      }
    }
  }
  if (problems.length > 0) throw new InstrumentDefinitionError(problems)
  for (const definition of valid) deepFreeze(definition)
  return {
    list: () => valid,
    find: (code) => byCode.get(code),
  }
}
