import { test } from 'node:test'
import assert from 'node:assert/strict'
import { contactMessages, normalisePhone, validateEmail, validatePhone } from './contact-details.ts'

function phoneValue(text: string): string | undefined {
  const result = validatePhone(text)
  return result.ok ? result.value : undefined
}

function phoneMessage(text: string): string | undefined {
  const result = validatePhone(text)
  return result.ok ? undefined : result.message
}

test('normalisePhone drops spaces, brackets, dashes, dots and invisible characters but keeps a leading +', () => {
  assert.equal(normalisePhone('+44 (0)7700-900.982'), '+4407700900982')
  assert.equal(normalisePhone('07700\u00a0900\u200b982\t'), '07700900982')
  assert.equal(normalisePhone('0770O 900 982'), '0770O900982')
})

test('accepts UK mobile numbers written in the usual ways, stored as 07 and nine digits', () => {
  const ways = [
    '07700900982',
    '07700 900 982',
    '07700 900982',
    '(07700) 900-982',
    '07700.900.982',
    '(0)7700-900-982',
    '+447700900982',
    '+44 7700 900 982',
    '+44 (0)7700 900 982',
    '+4407700900982',
    '00447700900982',
    '0044 7700 900982',
    '447700900982',
    '44 7700 900 982',
    '7700900982',
    ' 07700 900 982 ',
    '07700\u00a0900\u00a0982',
    '\u200b07700900982\ufeff',
  ]
  for (const way of ways) assert.equal(phoneValue(way), '07700900982', way)
})

test('accepts the Notify test and smoke-test numbers', () => {
  for (const number of ['07700900002', '07700900003', '07700900000', '07700900111', '07700900222']) {
    assert.equal(phoneValue(number), number, number)
  }
  assert.equal(phoneValue('+44 7700 900003'), '07700900003')
  assert.equal(phoneValue('07624 369 000'), '07624369000', 'Isle of Man mobiles are UK 07 numbers')
})

test('refuses letters and symbols with the characters a number may have', () => {
  for (const bad of [
    '0770O900982',
    'phone me',
    '07700 900 982 ext 2',
    '07700#900982',
    '07700/900982',
    '0770+0900982',
  ]) {
    assert.equal(phoneMessage(bad), contactMessages.phoneCharacters, bad)
  }
})

test('refuses UK mobile numbers with too many or too few digits', () => {
  for (const long of ['077009009821', '0770090098212', '+4477009009821', '00447700900982 1']) {
    assert.equal(phoneMessage(long), contactMessages.phoneTooLong, long)
  }
  for (const short of ['0770090098', '07700 9001', '+44 7700 90098', '07', '0', '+44', '-']) {
    assert.equal(phoneMessage(short), contactMessages.phoneTooShort, short)
  }
})

test('refuses UK numbers that are not mobiles: a text cannot reach them', () => {
  const landlines = [
    '01632 960 001',
    '01632960001',
    '020 7946 0404',
    '+44 20 7946 0404',
    '0044 1632 960001',
    '03000 123 456',
    '0800 123 4567',
    '0845 123 4567',
    '0900 123 4567',
    '05612 345 678',
    '06123456789',
    '12345',
    '1632960001',
  ]
  for (const landline of landlines) assert.equal(phoneMessage(landline), contactMessages.phoneNotUkMobile, landline)
})

test('accepts international numbers of 8 to 15 digits after + or 00, kept as + and the digits', () => {
  assert.equal(phoneValue('+1 202 555 0100'), '+12025550100')
  assert.equal(phoneValue('+33 6 12 34 56 78'), '+33612345678')
  assert.equal(phoneValue('0033 6 12 34 56 78'), '+33612345678')
  assert.equal(phoneValue('+353 85 123 4567'), '+353851234567')
  assert.equal(phoneValue('+48 512 345 678'), '+48512345678')
  assert.equal(phoneValue('+1 234 567 8'), '+12345678', '8 digits')
  assert.equal(phoneValue('+123456789012345'), '+123456789012345', '15 digits')
})

test('refuses international numbers that are too short, too long or have no country code', () => {
  assert.equal(phoneMessage('+1234567'), contactMessages.phoneTooShort)
  assert.equal(phoneMessage('00 33 612'), contactMessages.phoneTooShort)
  assert.equal(phoneMessage('+1234567890123456'), contactMessages.phoneTooLong)
  assert.equal(phoneMessage('+07700 900982'), contactMessages.phoneCountryCode)
  assert.equal(phoneMessage('+'), contactMessages.phoneTooShort)
})

test('accepts email addresses Notify sends to, trimmed and otherwise as written', () => {
  const good = [
    'name@example.com',
    'Name.Surname@Example.COM',
    'first.last+reminders@example.co.uk',
    "o'brien@example.org",
    'a@bc.de',
    'x_y-z@sub.domain.example.nhs.uk',
    "!#$%&'*+/=?^_`{|}~-@example.com",
    'name@xn--80ak6aa92e.com',
    'name@my--double-hyphen.example',
    'name@123.example.com',
    'name@example.museum',
    'perm-fail@simulator.notify',
    'temp-fail@simulator.notify',
    'simulate-delivered@notifications.service.gov.uk',
    'simulate-delivered-2@notifications.service.gov.uk',
    'name@例え.jp',
    'name@bücher.de',
    'name@xn--bcher-kva.de',
  ]
  for (const address of good) {
    const result = validateEmail(address)
    assert.deepEqual(result, { ok: true, value: address }, address)
  }
  assert.deepEqual(validateEmail('  name@example.com \u200b'), { ok: true, value: 'name@example.com' })
})

test('refuses email addresses Notify would refuse', () => {
  const bad = [
    '',
    'name',
    'name@',
    '@example.com',
    'name@example',
    'name@localhost',
    'name@@example.com',
    'na@me@example.com',
    'name example@example.com',
    'name@exa mple.com',
    'name..surname@example.com',
    '.name@example.com',
    'name.@example.com',
    'name@example..com',
    'name@.example.com',
    'name@example.com.',
    'name@-example.com',
    'name@example-.com',
    'name@exa_mple.com',
    'name@example.c',
    'name@example.123',
    'name@123.456',
    'name@example.c0m',
    '"quoted"@example.com',
    'name(comment)@example.com',
    'nàme@example.com',
    'name@[127.0.0.1]',
    'name@127.0.0.1',
    'name,other@example.com',
    'name@example.com, other@example.com',
    `name@${'a'.repeat(64)}.com`,
    `name@${'abc.'.repeat(63)}com`,
    `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(63)}.com`,
  ]
  for (const address of bad) {
    assert.deepEqual(validateEmail(address), { ok: false, message: contactMessages.emailFormat }, address)
  }
})

test('accepts a hostname part of exactly 63 characters and an address of exactly 320', () => {
  assert.equal(validateEmail(`name@${'a'.repeat(63)}.com`).ok, true)
  const domain = `${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(57)}.com` // 253 characters
  assert.equal(domain.length, 253)
  const address = `${'a'.repeat(320 - 254)}@${domain}`
  assert.equal(address.length, 320)
  assert.equal(validateEmail(address).ok, true)
  assert.equal(validateEmail(`a${address}`).ok, false)
})
