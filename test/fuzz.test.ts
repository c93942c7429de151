/** The fuzz helper itself: a decoder that fails other than with a DecodeError is caught and its input saved. */
import assert from 'node:assert/strict'
import {existsSync, readFileSync, rmSync} from 'node:fs'
import {test} from 'node:test'
import fc from 'fast-check'
import {DecodeError} from '../src/lib/errors.js'
import {parseHex} from '../src/lib/ksync/hex.js'
import {fuzz, savedInputs} from './fuzz.js'

test('a crash is saved as a fixture and fails the test', () => {
  const crashing = (bytes: Uint8Array) => {
    if (bytes.length > 3) throw new RangeError('boom')
    throw new DecodeError('TRUNCATED', 0)
  }
  let message = ''
  try {
    fuzz('selftest', fc.uint8Array({maxLength: 16}), crashing, 200)
  } catch (error) {
    message = (error as Error).message
  }
  const file = message.match(/saved as (\S+\.hex)/)?.[1]
  assert.ok(file && existsSync(file), `the failing input was saved: ${message}`)
  try {
    const saved = savedInputs('selftest')
    assert.equal(saved.length, 1)
    assert.equal(saved[0].bytes.length, 4, 'shrunk to the smallest crashing input')
    assert.match(readFileSync(file, 'utf8'), /^# selftest: RangeError: boom/)
    assert.deepEqual(parseHex(readFileSync(file, 'utf8')), saved[0].bytes)
  } finally {
    rmSync(file)
  }
})

test('a decoder that only rejects with DecodeError passes', () => {
  fuzz('selftest', fc.uint8Array({maxLength: 16}), () => {
    throw new DecodeError('TRUNCATED', 0)
  }, 100)
  assert.equal(savedInputs('selftest').length, 0)
})
