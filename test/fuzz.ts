/**
 * Fuzzing helpers: run a property over byte strings and, when it fails, save the failing input as a fixture
 * (test/fixtures/fuzz) before failing the test, so the case is replayed on every later run.
 */
import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {readFileSync, readdirSync, writeFileSync} from 'node:fs'
import fc from 'fast-check'
import {DecodeError} from '../src/lib/errors.js'
import {parseHex} from '../src/lib/ksync/hex.js'
import {ROOT} from './helpers.js'

export const FUZZ_DIR = `${ROOT}test/fixtures/fuzz`

/** How many times the bounded runs of `npm test` a fuzz run makes (bench/fuzz.ts sets FUZZ_SCALE for long runs). */
export const FUZZ_SCALE = Math.max(1, Number(process.env.FUZZ_SCALE ?? 1))

/** Runs `decode` and accepts only success or a DecodeError with a sane offset. */
export function decodesOrRejects(bytes: Uint8Array, decode: (bytes: Uint8Array) => unknown): void {
  try {
    decode(bytes)
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error
    assert.ok(Number.isInteger(error.offset) && error.offset >= 0, `offset ${error.offset}`)
  }
}

/** Checks `decode` on generated inputs; a failure is saved as `<decoder>-<hash>.hex` and then fails the test. */
export function fuzz(decoder: string, inputs: fc.Arbitrary<Uint8Array>, decode: (bytes: Uint8Array) => unknown, numRuns: number): void {
  const details = fc.check(fc.property(inputs, (bytes) => decodesOrRejects(bytes, decode)), {numRuns: numRuns * FUZZ_SCALE})
  if (!details.failed || !details.counterexample) return
  const [bytes] = details.counterexample
  const hex = Buffer.from(bytes).toString('hex')
  const file = `${FUZZ_DIR}/${decoder}-${createHash('sha1').update(hex).digest('hex').slice(0, 12)}.hex`
  const reason = String(details.errorInstance).split('\n')[0]
  writeFileSync(file, `# ${decoder}: ${reason}\n${hex.replace(/(..)(?!$)/g, '$1 ')}\n`)
  assert.fail(`${decoder} failed on an input saved as ${file}: ${reason}`)
}

/** The saved failing inputs of a decoder. */
export function savedInputs(decoder: string): {file: string; bytes: Uint8Array}[] {
  return readdirSync(FUZZ_DIR)
    .filter((f) => f.startsWith(`${decoder}-`) && f.endsWith('.hex'))
    .map((f) => ({file: f, bytes: parseHex(readFileSync(`${FUZZ_DIR}/${f}`, 'utf8'))}))
}
