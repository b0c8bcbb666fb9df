import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { dayWords, personalisationFor, preview, render, templates } from './messages.content.ts'
import { messageChannels, messagePurposes } from './messages.tables.ts'

const base = {
  preferredName: 'Sam',
  givenName: 'Samuel',
  naming: 'neither' as const,
  startsAt: new Date('2026-12-04T10:30:00Z'),
  place: '12 High Street, Cambridge CB1 1AA',
  phone: '01223 000000',
}

test('the reminder says the name, day, time, place and how to rearrange, and nothing else', () => {
  const words = preview('reminder', 'sms', personalisationFor(base))
  assert.equal(
    words.body,
    'Hello Sam. You have an appointment at 10:30am on Friday 4 December at 12 High Street, Cambridge CB1 1AA. To change it call 01223 000000.',
  )
  assert.equal(words.subject, undefined)
})

test('naming follows the person’s choice; the default names neither', () => {
  const said = (naming: 'neither' | 'probation' | 'health-hub') =>
    preview('reminder', 'sms', personalisationFor({ ...base, naming })).body
  assert.doesNotMatch(said('neither'), /probation|hub/i)
  assert.match(said('probation'), /appointment with probation at/)
  assert.match(said('health-hub'), /appointment with the health hub at/)
})

test('the given name is used without a preferred one; no name, no greeting', () => {
  assert.match(
    preview('missed', 'sms', personalisationFor({ ...base, preferredName: null })).body,
    /^Hello Samuel\. Sorry/,
  )
  assert.match(
    preview('missed', 'sms', personalisationFor({ ...base, preferredName: ' ', givenName: '' })).body,
    /^Sorry/,
  )
})

test('the day and time are UK time, across the clock change', () => {
  // 23:30 UTC on Saturday 24 October 2026 is 00:30 BST on Sunday 25 October.
  assert.equal(dayWords(new Date('2026-10-24T23:30:00Z')), 'Sunday 25 October')
  assert.equal(personalisationFor({ ...base, startsAt: new Date('2026-10-24T23:30:00Z') }).time, '12:30am')
  // After the clocks go back, 10:30 UTC is 10:30am GMT.
  assert.equal(personalisationFor({ ...base, startsAt: new Date('2026-10-26T10:30:00Z') }).time, '10:30am')
})

test('a placeholder without a value is an error, never sent half-filled', () => {
  assert.throws(() => render('At ((time)) on ((day))', { time: '10am' }), /\(\(day\)\)/)
})

test('no template carries a health word', () => {
  for (const purpose of messagePurposes) {
    for (const channel of messageChannels) {
      const { subject = '', body } = templates[purpose][channel]
      assert.doesNotMatch(
        `${subject} ${body}`,
        /health|clinic|probation|treatment|referral|screen|drug|alcohol|mental/i,
      )
    }
  }
})

test('docs/notify-templates.md holds every template word for word', () => {
  const doc = readFileSync(new URL('../../../docs/notify-templates.md', import.meta.url), 'utf8')
  // Indented blocks of four spaces are the templates' bodies.
  const indented = doc.replace(/\n {4}/g, '\n')
  for (const purpose of messagePurposes) {
    for (const channel of messageChannels) {
      const { subject, body } = templates[purpose][channel]
      assert.ok(indented.includes(body), `${purpose} ${channel} body is in the document`)
      if (subject !== undefined) assert.ok(doc.includes(`subject \`${subject}\``), `${purpose} ${channel} subject`)
    }
  }
})
