/** Frames: reply batches per flavour, error and control messages, limits, and fuzzing of the stream parser. */
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import fc from 'fast-check'
import {DecodeError} from '../../../src/lib/errors.js'
import {decodeKsync, encodeDocument} from '../../../src/lib/ksync/document.js'
import {
  FLAVOURS,
  FrameParser,
  NLM_F_MULTI,
  NLMSG_DONE,
  decodeMessage,
  encodeMessage,
  encodeReplyBatch,
  encodeRequest,
} from '../../../src/lib/ksync/frame.js'
import {decodesOrRejects, fuzz, savedInputs} from '../../fuzz.js'
import {hexFixture} from '../../helpers.js'

const request = {type: 0x20, seq: 9, cmd: 1, version: 0, reserved: 0}
const payload = (n: number) => Uint8Array.from({length: n}, (_, i) => i)

describe('reply batches', () => {
  for (const count of [1, 2, 3]) {
    test(`${count} message(s)`, () => {
      const payloads = Array.from({length: count}, (_, i) => payload(30 + i))
      const dpdk = encodeReplyBatch('dpdk', request, payloads).map((m) => decodeMessage(m))
      assert.deepEqual(dpdk.map((m) => m.flags), payloads.map((_, i) => (i < count - 1 ? NLM_F_MULTI : 0)), 'DPDK: MULTI on all but the last, no DONE')
      assert.ok(dpdk.every((m) => m.kind === 'sandesh' && m.padding.length === 0 && m.pid === 0))
      for (const flavour of ['linux', 'windows'] as const) {
        const msgs = encodeReplyBatch(flavour, request, payloads, 77).map((m) => decodeMessage(m))
        const expectedFlags = count > 1 ? [...payloads.map(() => NLM_F_MULTI), 0] : [0]
        assert.deepEqual(msgs.map((m) => m.flags), expectedFlags, `${flavour}: sticky MULTI then DONE`)
        assert.equal(msgs.at(-1)!.type === NLMSG_DONE, count > 1)
        assert.ok(msgs.every((m) => m.pid === (flavour === 'linux' ? 77 : 0)))
        assert.ok(encodeReplyBatch(flavour, request, payloads).every((m) => m.length % 4 === 0), `${flavour}: padded to 4`)
      }
    })
  }
})

describe('messages', () => {
  test('an NLMSG_ERROR carries a negative errno and the request header', () => {
    const bytes = encodeMessage({kind: 'error', type: 2, flags: 0, seq: 4, pid: 0, error: -1, body: payload(16)})
    const m = decodeMessage(bytes)
    assert.equal(m.kind, 'error')
    assert.equal(m.kind === 'error' && m.error, -1)
    assert.deepEqual(encodeMessage(m), bytes)
  })

  test('requests count the attribute header in nla_len, replies do not', () => {
    const req = decodeMessage(encodeRequest(payload(49), {family: 0, seq: 3}))
    assert.equal(req.kind === 'sandesh' && req.nlaLengthStyle, 'with-header')
    const [reply] = encodeReplyBatch('dpdk', request, [payload(49)])
    assert.equal(new DataView(reply.buffer, reply.byteOffset).getUint16(20, true), 49)
  })

  test('a message whose nla_len includes the header on a reply (Linux multicast) is read too', () => {
    const multicast = encodeMessage({
      kind: 'sandesh', type: 0x1a, flags: 0, seq: 0, pid: 0, cmd: 1, version: 1, reserved: 0, nlaType: 1,
      nlaLengthStyle: 'with-header', payload: payload(30), padding: new Uint8Array(2),
    })
    const m = decodeMessage(multicast)
    assert.ok(m.kind === 'sandesh' && m.payload.length === 30 && m.nlaLengthStyle === 'with-header')
    assert.deepEqual(encodeMessage(m), multicast)
  })

  test('bad lengths are DecodeErrors with the offset', () => {
    const good = encodeRequest(payload(8), {family: 0x20, seq: 0})
    const short = good.slice()
    new DataView(short.buffer).setUint32(0, 12, true)
    assert.throws(() => new FrameParser().push(Uint8Array.from([...good, ...short])), (e: unknown) => e instanceof DecodeError && e.code === 'BAD_FRAME_LENGTH' && e.offset === good.length)
    const huge = good.slice()
    new DataView(huge.buffer).setUint32(0, 5000, true)
    assert.throws(() => new FrameParser({maxMessageLength: 4096}).push(huge), (e: unknown) => e instanceof DecodeError && e.code === 'BAD_FRAME_LENGTH')
    const badNla = good.slice()
    new DataView(badNla.buffer).setUint16(20, 200, true)
    assert.throws(() => decodeMessage(badNla), (e: unknown) => e instanceof DecodeError && e.code === 'BAD_ATTRIBUTE' && e.offset === 20)
  })

  test('a failed parser stays failed', () => {
    const parser = new FrameParser()
    assert.throws(() => parser.push(new Uint8Array(16)))
    assert.throws(() => parser.push(encodeRequest(payload(4), {family: 0, seq: 0})), DecodeError)
  })
})

describe('untrusted streams', () => {
  const decode = (bytes: Uint8Array) => decodeKsync(bytes, {form: 'frames'})

  test('saved inputs still decode or are rejected cleanly', () => {
    for (const {bytes} of savedInputs('frames')) decodesOrRejects(bytes, decode)
  })

  test('random bytes', () => fuzz('frames', fc.uint8Array({minLength: 16, maxLength: 120}), decode, 1500))

  test('golden frames mutated', () => {
    const golden = ['spec-2.7-mpls-dump-dpdk-reply', 'spec-2.7-mpls-dump-linux-reply', 'spec-1.12-vif-get-dpdk-request'].map((n) => hexFixture(`ksync/${n}.hex`))
    const mutated = fc
      .tuple(fc.constantFrom(...golden), fc.array(fc.tuple(fc.nat(), fc.integer({min: 0, max: 255})), {minLength: 1, maxLength: 3}))
      .map(([bytes, edits]) => {
        const out = bytes.slice()
        for (const [at, value] of edits) out[at % out.length] = value
        return out
      })
    fuzz('frames', mutated, decode, 1500)
  })

  test('any stream cut into any chunks parses the same as whole, also when each chunk comes in one reused buffer', () => {
    const whole = hexFixture('ksync/spec-2.7-mpls-dump-dpdk-reply.hex')
    const expected = new FrameParser().push(whole)
    fc.assert(
      fc.property(fc.array(fc.nat({max: whole.length}), {maxLength: 6}), (cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), whole.length]
        const chunks = points.slice(1).map((end, i) => whole.subarray(points[i], end))
        const parser = new FrameParser()
        assert.deepEqual(chunks.flatMap((chunk) => parser.push(chunk)), expected)
        // The parser keeps no view of a chunk: the caller may overwrite it once pushed.
        const reusing = new FrameParser()
        const scratch = new Uint8Array(whole.length)
        const got = chunks.flatMap((chunk) => {
          scratch.set(chunk)
          const messages = reusing.push(scratch.subarray(0, chunk.length))
          scratch.fill(0xee)
          return messages
        })
        assert.deepEqual(got, expected)
      }),
    )
  })

  test('documents of every flavour survive decode → encode', () => {
    for (const flavour of FLAVOURS) {
      const batch = encodeReplyBatch(flavour, {...request, type: flavour === 'windows' ? 1 : 0x20}, [hexFixture('ksync/spec-1.13-response-dump-more-payload.hex'), hexFixture('ksync/spec-1.13-mpls-object-payload.hex')])
      const bytes = new Uint8Array(Buffer.concat(batch))
      assert.deepEqual(new Uint8Array(Buffer.concat(encodeDocument(decodeKsync(bytes, {flavour})))), bytes)
    }
  })
})
