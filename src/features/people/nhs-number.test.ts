import { test } from 'node:test'
import assert from 'node:assert/strict'
import { nhsCheckDigit, nhsNumberProblem, normaliseNhsNumber } from './nhs-number.ts'

test('accepts the published valid example 9434765919', () => {
  assert.equal(nhsNumberProblem('9434765919'), undefined)
})

test('accepts an NHS number typed with spaces or hyphens', () => {
  assert.equal(nhsNumberProblem('943 476 5919'), undefined)
  assert.equal(nhsNumberProblem(' 943-476-5919 '), undefined)
  assert.equal(normaliseNhsNumber('943 476 5919'), '9434765919')
})

test('refuses a number whose check digit does not match', () => {
  assert.equal(nhsNumberProblem('9434765918'), 'checksum')
  assert.equal(nhsNumberProblem('4010232138'), 'checksum')
})

test('refuses a number whose first nine digits give a remainder of 10, whatever the last digit', () => {
  // 4*10 + 8*2 = 56; 56 mod 11 = 1; 11 - 1 = 10: no check digit can make this valid.
  const firstNine = '400000008'
  assert.equal(nhsCheckDigit(firstNine), undefined)
  for (let d = 0; d <= 9; d++) assert.equal(nhsNumberProblem(`${firstNine}${d}`), 'checksum')
})

test('refuses all ten repeated-digit numbers even though they pass the checksum', () => {
  for (let d = 0; d <= 9; d++) {
    const number = String(d).repeat(10)
    assert.equal(nhsNumberProblem(number), 'repeated-digits', number)
  }
})

test('refuses numbers in the Scottish CHI range 0101000000 to 3112999999 as not England or Wales', () => {
  // Both pass modulus 11, so only the range rule refuses them.
  assert.equal(nhsCheckDigit('010100000'), 6)
  assert.equal(nhsNumberProblem('0101000006'), 'scottish-chi')
  assert.equal(nhsCheckDigit('311299999'), 1)
  assert.equal(nhsNumberProblem('3112999991'), 'scottish-chi')
})

test('refuses numbers in the Northern Ireland range 3200000001 to 3999999999 as not England or Wales', () => {
  assert.equal(nhsCheckDigit('320000001'), 5)
  assert.equal(nhsNumberProblem('3200000015'), 'northern-ireland')
  assert.equal(nhsCheckDigit('399999999'), 3)
  assert.equal(nhsNumberProblem('3999999993'), 'northern-ireland')
})

test('accepts England numbers just outside the CHI and Northern Ireland ranges', () => {
  assert.equal(nhsCheckDigit('311300000'), 9)
  assert.equal(nhsNumberProblem('3113000009'), undefined)
  assert.equal(nhsCheckDigit('400000000'), 4)
  assert.equal(nhsNumberProblem('4000000004'), undefined)
})

test('accepts numbers in the 999 test range that pass the checksum', () => {
  assert.equal(nhsCheckDigit('999000001'), 8)
  assert.equal(nhsNumberProblem('9990000018'), undefined)
  assert.equal(nhsNumberProblem('999 000 0026'), undefined)
  assert.equal(nhsNumberProblem('9990000019'), 'checksum')
})

test('refuses anything that is not 10 digits', () => {
  for (const bad of ['', '943476591', '94347659190', '943476591A', '943.476.5919']) {
    assert.equal(nhsNumberProblem(bad), 'format', bad)
  }
})

test('the never-issued test range passes the checksum and is refused only when asked', () => {
  assert.equal(nhsNumberProblem('9990000018'), undefined)
  assert.equal(nhsNumberProblem('9990000018', { refuseTestRange: true }), 'test-range')
  assert.equal(nhsNumberProblem('9434765919', { refuseTestRange: true }), undefined)
})
