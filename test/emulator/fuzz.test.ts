/**
 * A bounded fuzz run at the live emulator: random bytes, mutated requests of the stock tools, and well-framed
 * requests of every message with random field values (any op, any index, any length). The server must never fault
 * (a fault is saved as a fixture and fails the test), must close only the connections that sent bad frames, and a
 * session opened before the run must keep working throughout.
 */
import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {writeFileSync} from 'node:fs'
import {connect} from 'node:net'
import {after, before, test} from 'node:test'
import fc from 'fast-check'
import type {KsyncClient} from '../../src/lib/ksync/client.js'
import {encodeRequest} from '../../src/lib/ksync/frame.js'
import {codecFor} from '../../src/lib/sandesh/codec.js'
import {anyObject} from '../arbitraries.js'
import {FUZZ_DIR, FUZZ_SCALE, savedInputs} from '../fuzz.js'
import {peerCases} from '../helpers.js'
import {type Emulator, req, startEmulator} from './harness.js'

const codec = codecFor('current')
let emu: Emulator
let witness: KsyncClient
const faults: {error: Error; input: Uint8Array}[] = []
let current: Uint8Array = new Uint8Array(0)

before(async () => {
  emu = await startEmulator()
  // Faults are recorded here (with the input that caused them) instead of failing emu.close().
  emu.server.removeAllListeners('fault')
  emu.server.on('fault', (error) => faults.push({error, input: current}))
  witness = await emu.client()
})
after(() => emu.close())

/** Sends one input on its own connection; resolves when the server answered, closed, or stayed silent 50 ms. */
function send(bytes: Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(emu.path)
    const finish = () => {
      socket.destroy()
      resolve()
    }
    socket.on('error', finish)
    socket.on('close', finish)
    socket.on('data', () => undefined)
    socket.once('connect', () => {
      current = bytes
      socket.write(bytes)
      setTimeout(finish, 50)
    })
  })
}

function saveAndFail(): void {
  if (faults.length === 0) return
  const {error, input} = faults[0]
  const hex = Buffer.from(input).toString('hex')
  const file = `${FUZZ_DIR}/server-${createHash('sha1').update(hex).digest('hex').slice(0, 12)}.hex`
  writeFileSync(file, `# server: ${String(error).split('\n')[0]}\n${hex.replace(/(..)(?!$)/g, '$1 ')}\n`)
  assert.fail(`the emulator faulted on an input saved as ${file}: ${error.stack}`)
}

async function run(inputs: Uint8Array[]): Promise<void> {
  for (let i = 0; i < inputs.length; i += 25) await Promise.all(inputs.slice(i, i + 25).map(send))
  saveAndFail()
  // The fuzzed requests may change any state; table sizes they cannot change.
  assert.equal((await witness.get(req('vrouter_ops', {h_op: 1}))).fields.vo_interfaces, 4355, 'the witness session still works')
}

const frame = (payload: Uint8Array) => encodeRequest(payload, {family: 0, seq: 0})

test('saved server inputs', () => run(savedInputs('server').map((s) => s.bytes)))

test('random bytes', () => run(fc.sample(fc.uint8Array({minLength: 1, maxLength: 200}), 300 * FUZZ_SCALE)))

test('requests of the stock tools, mutated', () => {
  const requests = peerCases().flatMap((c) => c.requests)
  const mutated = fc.sample(
    fc.tuple(fc.constantFrom(...requests), fc.array(fc.tuple(fc.nat(), fc.integer({min: 0, max: 255})), {minLength: 1, maxLength: 4})).map(([r, edits]) => {
      const out = r.slice()
      // Keep the length word intact half of the time, so that mutations reach the payload.
      for (const [at, v] of edits) out[4 + (at % (out.length - 4))] = v
      return out
    }),
    600 * FUZZ_SCALE,
  )
  return run(mutated)
})

test('well-framed requests of every message with random values and ops', () => {
  const objects = fc.sample(
    fc.tuple(anyObject('current'), fc.integer({min: 0, max: 6})).map(([o, op]) => {
      const fields = o.fields as Record<string, unknown>
      if ('h_op' in fields) fields.h_op = op
      return frame(codec.encode(o))
    }),
    2500 * FUZZ_SCALE,
  )
  return run(objects)
})
