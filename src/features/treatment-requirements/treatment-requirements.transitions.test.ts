import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  allowedTransitions,
  checkTransition,
  findTransition,
  isOpen,
  transitions,
  type TreatmentRequirementStatus,
} from './treatment-requirements.transitions.ts'
import { staffRoles, type StaffRole } from '../../platform/http/roles.ts'
import { treatmentRequirementStatuses } from './treatment-requirements.tables.ts'

type S = TreatmentRequirementStatus
const health: StaffRole[] = ['clinician', 'hub_manager']
const probation: StaffRole[] = ['probation_practitioner']

/** The lifecycle as the brief and domain reference §8 give it, written out independently of the module. */
const expected: Record<string, { roles: StaffRole[]; reason: boolean; referral: boolean }> = {
  'proposed>assessed-suitable': { roles: health, reason: false, referral: false },
  'proposed>assessed-unsuitable': { roles: health, reason: true, referral: false },
  'assessed-suitable>made': { roles: probation, reason: false, referral: false },
  'assessed-suitable>assessed-unsuitable': { roles: health, reason: true, referral: false },
  'assessed-unsuitable>assessed-suitable': { roles: health, reason: true, referral: false },
  'made>started': { roles: probation, reason: false, referral: true },
  'started>completed': { roles: probation, reason: false, referral: false },
  'started>breached': { roles: probation, reason: true, referral: false },
  'breached>started': { roles: probation, reason: true, referral: true },
}

for (const from of treatmentRequirementStatuses) {
  for (const to of treatmentRequirementStatuses) {
    const key = `${from}>${to}`
    const rule = expected[key]
    test(`${from} → ${to} is ${rule === undefined ? 'not allowed' : `allowed for ${rule.roles.join(' and ')}`}`, () => {
      const transition = findTransition(from, to)
      if (rule === undefined) {
        assert.equal(transition, undefined)
        for (const role of staffRoles) {
          assert.deepEqual(checkTransition(from, to, role), {
            ok: false,
            reason: 'not-allowed',
            allowed: allowedTransitions(from),
          })
        }
        return
      }
      assert.ok(transition)
      assert.deepEqual([...transition.roles].sort(), [...rule.roles].sort())
      assert.equal(transition.reasonRequired, rule.reason)
      assert.equal(transition.needsReferral, rule.referral)
      assert.ok(transition.label.length > 0)
      for (const role of staffRoles) {
        const check = checkTransition(from, to, role)
        if (rule.roles.includes(role)) assert.deepEqual(check, { ok: true, transition })
        else assert.deepEqual(check, { ok: false, reason: 'wrong-role', transition })
      }
    })
  }
}

test('the table holds exactly the expected transitions, each once', () => {
  assert.deepEqual(transitions.map((t) => `${t.from}>${t.to}`).sort(), Object.keys(expected).sort())
})

test('completed is final; breached can only continue (the reference gives no breached → completed)', () => {
  assert.deepEqual(allowedTransitions('completed'), [])
  assert.deepEqual(
    allowedTransitions('breached').map((t) => t.to),
    ['started'],
  )
  assert.match(findTransition('breached', 'started')?.label ?? '', /court allowed it to continue/)
})

test('allowed transitions by role: each team sees only its own', () => {
  const tos = (from: S, role: StaffRole) => allowedTransitions(from, role).map((t) => t.to)
  assert.deepEqual(tos('proposed', 'clinician'), ['assessed-suitable', 'assessed-unsuitable'])
  assert.deepEqual(tos('proposed', 'probation_practitioner'), [])
  assert.deepEqual(tos('assessed-suitable', 'hub_manager'), ['assessed-unsuitable'])
  assert.deepEqual(tos('assessed-suitable', 'probation_practitioner'), ['made'])
  assert.deepEqual(tos('started', 'probation_practitioner'), ['completed', 'breached'])
  assert.deepEqual(tos('started', 'clinician'), [])
  for (const role of ['partner', 'analyst', 'admin', 'auditor'] as const) {
    for (const from of treatmentRequirementStatuses) assert.deepEqual(tos(from, role), [])
  }
})

test('open statuses: proposed, assessed-suitable, made, started', () => {
  assert.deepEqual(
    treatmentRequirementStatuses.filter((s) => isOpen(s)),
    ['proposed', 'assessed-suitable', 'made', 'started'],
  )
})
