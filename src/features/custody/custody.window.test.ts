import { test } from 'node:test'
import assert from 'node:assert/strict'
import { addMonths, releaseWindow } from './custody.window.ts'

const released = (actualReleaseDate: string, recalledOn: string | null = null) => ({
  expectedReleaseDate: null,
  actualReleaseDate,
  recalledOn,
})
const expecting = (expectedReleaseDate: string) => ({ expectedReleaseDate, actualReleaseDate: null, recalledOn: null })

test('support and referral open exactly 84 days before release, not 85', () => {
  const episode = expecting('2027-03-01')
  assert.equal(releaseWindow(episode, '2026-12-07').supportFrom, '2026-12-07')
  assert.deepEqual(
    [releaseWindow(episode, '2026-12-06').phase, releaseWindow(episode, '2026-12-06').referralOpen],
    ['not-yet-open', false],
  )
  assert.deepEqual(
    [releaseWindow(episode, '2026-12-07').phase, releaseWindow(episode, '2026-12-07').referralOpen],
    ['before-release', true],
  )
  assert.equal(releaseWindow(episode, '2026-12-07').expected, true)
})

test('the release day itself is after release; an actual date replaces the expected one', () => {
  const window = releaseWindow(
    { expectedReleaseDate: '2027-03-01', actualReleaseDate: '2027-02-26', recalledOn: null },
    '2027-02-26',
  )
  assert.deepEqual(
    [window.releaseDate, window.expected, window.phase, window.referralOpen],
    ['2027-02-26', false, 'referral-open', true],
  )
  assert.equal(releaseWindow(released('2027-02-26'), '2027-02-25').phase, 'before-release')
})

test('referral closes after the 28th day after release; support goes on', () => {
  const episode = released('2027-01-10')
  const last = releaseWindow(episode, '2027-02-07')
  assert.deepEqual([last.referralUntil, last.phase, last.referralOpen], ['2027-02-07', 'referral-open', true])
  const after = releaseWindow(episode, '2027-02-08')
  assert.deepEqual([after.phase, after.referralOpen], ['support-only', false])
})

test('support lasts to the same day 6 calendar months after release, clamped to the end of a shorter month', () => {
  const episode = released('2027-01-10')
  assert.equal(releaseWindow(episode, '2027-07-10').phase, 'support-only')
  assert.equal(releaseWindow(episode, '2027-07-11').phase, 'closed')
  assert.equal(addMonths('2026-08-31', 6), '2027-02-28')
  assert.equal(addMonths('2027-08-31', 6), '2028-02-29')
  assert.equal(addMonths('2026-12-15', 6), '2027-06-15')
  assert.equal(releaseWindow(released('2026-08-31'), '2027-02-28').supportUntil, '2027-02-28')
})

test('a recall ends the community phase from its day, and no referral is open', () => {
  const episode = released('2027-01-10', '2027-01-20')
  assert.deepEqual(
    [releaseWindow(episode, '2027-01-19').phase, releaseWindow(episode, '2027-01-19').referralOpen],
    ['referral-open', true],
  )
  assert.deepEqual(
    [releaseWindow(episode, '2027-01-20').phase, releaseWindow(episode, '2027-01-20').referralOpen],
    ['recalled', false],
  )
})

test('on the expected day itself, with no release recorded, the release is still coming up', () => {
  const window = releaseWindow(expecting('2027-01-10'), '2027-01-10')
  assert.deepEqual([window.phase, window.referralOpen], ['before-release', true])
})

test('an expected date passed with no release recorded is said so, and referral stays open to 28 days after it', () => {
  const episode = expecting('2027-01-10')
  const window = releaseWindow(episode, '2027-01-11')
  assert.deepEqual([window.phase, window.referralOpen], ['release-not-recorded', true])
  assert.equal(releaseWindow(episode, '2027-02-08').referralOpen, false)
})
