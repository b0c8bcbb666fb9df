import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { blockedByOpenReferral, NEED_REASON_MAX, needCategoryLabels, needTransition } from './needs.rules.ts'
import { needCategories, needStatuses, type NeedStatus } from './needs.tables.ts'

type Outcome = ReturnType<typeof needTransition>

const refused: Outcome = { allowed: false }
const withReason: Outcome = { allowed: true, reasonRequired: true }
const withoutReason: Outcome = { allowed: true, reasonRequired: false }

/** H-313, written out in full: every decision from each status to each status. */
const expected: Readonly<Record<NeedStatus, Readonly<Record<NeedStatus, Outcome>>>> = {
  proposed: { proposed: refused, confirmed: withoutReason, dismissed: withReason },
  confirmed: { proposed: withReason, confirmed: refused, dismissed: withReason },
  dismissed: { proposed: withReason, confirmed: withReason, dismissed: refused },
}

describe('needTransition (H-313)', () => {
  test('the rules know the three statuses a need can have', () => {
    // A new status must be given its transitions here (and in the hazard log) before it can be used.
    assert.deepEqual([...needStatuses].sort(), ['confirmed', 'dismissed', 'proposed'])
  })

  test('confirming a proposed need is allowed without a reason', () => {
    assert.deepEqual(needTransition('proposed', 'confirmed'), { allowed: true, reasonRequired: false })
  })

  test('dismissing a proposed need is allowed, with a reason', () => {
    assert.deepEqual(needTransition('proposed', 'dismissed'), { allowed: true, reasonRequired: true })
  })

  test('a clinician who changes their mind may dismiss a confirmed need, with a reason', () => {
    assert.deepEqual(needTransition('confirmed', 'dismissed'), { allowed: true, reasonRequired: true })
  })

  test('a clinician who changes their mind may confirm a dismissed need, with a reason', () => {
    assert.deepEqual(needTransition('dismissed', 'confirmed'), { allowed: true, reasonRequired: true })
  })

  test('a confirmed need may be reopened (back to proposed), with a reason', () => {
    assert.deepEqual(needTransition('confirmed', 'proposed'), { allowed: true, reasonRequired: true })
  })

  test('a dismissed need may be reopened (back to proposed), with a reason', () => {
    assert.deepEqual(needTransition('dismissed', 'proposed'), { allowed: true, reasonRequired: true })
  })

  test('a decision that leaves the need as it is is refused, from every status', () => {
    for (const status of needStatuses) {
      assert.deepEqual(needTransition(status, status), { allowed: false }, `${status} -> ${status}`)
    }
  })

  test('only confirming a proposal goes without a reason: every other allowed change needs one', () => {
    for (const from of needStatuses) {
      for (const to of needStatuses) {
        assert.deepEqual(needTransition(from, to), expected[from][to], `${from} -> ${to}`)
      }
    }
    const noReason = needStatuses.flatMap((from) =>
      needStatuses
        .filter((to) => {
          const outcome = needTransition(from, to)
          return outcome.allowed && !outcome.reasonRequired
        })
        .map((to) => `${from} -> ${to}`),
    )
    assert.deepEqual(noReason, ['proposed -> confirmed'])
  })

  test('no status is a dead end: a need can always be moved to each other status', () => {
    for (const from of needStatuses) {
      const reachable = needStatuses.filter((to) => needTransition(from, to).allowed)
      assert.deepEqual(
        reachable,
        needStatuses.filter((to) => to !== from),
        `from ${from}`,
      )
    }
  })
})

describe('blockedByOpenReferral (H-314)', () => {
  test('dismissing a need is blocked while a referral on it is open', () => {
    assert.equal(blockedByOpenReferral('dismissed'), true)
  })

  test('reopening a need (back to proposed) is blocked while a referral on it is open', () => {
    assert.equal(blockedByOpenReferral('proposed'), true)
  })

  test('confirming a need is never blocked by an open referral', () => {
    assert.equal(blockedByOpenReferral('confirmed'), false)
  })

  test('every allowed change is blocked exactly when it leaves the need not confirmed, whatever it came from', () => {
    for (const from of needStatuses) {
      for (const to of needStatuses) {
        if (!needTransition(from, to).allowed) continue
        assert.equal(blockedByOpenReferral(to), to !== 'confirmed', `${from} -> ${to}`)
      }
    }
  })
})

describe('needCategoryLabels', () => {
  test('every need category has a label, and nothing else does', () => {
    assert.deepEqual(Object.keys(needCategoryLabels).sort(), [...needCategories].sort())
  })

  test('labels are plain words in sentence case, each used once', () => {
    const labels = Object.values(needCategoryLabels)
    for (const label of labels) {
      assert.match(label, /^[A-Z][A-Za-z ]*$/, label)
      assert.equal(label, label.trim(), label)
      // Sentence case: only the first word (and an abbreviation such as GP) starts with a capital.
      for (const word of label.split(' ').slice(1))
        assert.ok(word === word.toLowerCase() || word === word.toUpperCase(), label)
    }
    assert.equal(new Set(labels.map((l) => l.toLowerCase())).size, labels.length)
  })
})

describe('NEED_REASON_MAX', () => {
  test('a reason may be up to 1000 characters, as the need and need_event columns allow', () => {
    // The columns' checks (migrations 0008-health-checks.ts and 0013-need-history.ts) are length 1 to 1000: a longer
    // limit here would let a form accept a reason the database then refuses.
    assert.equal(NEED_REASON_MAX, 1000)
  })
})
