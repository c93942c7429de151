/**
 * Properties of the codec over generated objects of every message of both generations: decode(encode(x)) = x; the
 * generic decoder (fields in any order, some missing) agrees with the compiled one; random and mutated bytes are
 * decoded or rejected with a DecodeError, never anything else.
 */
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import fc from 'fast-check'
import {DecodeError} from '../../../src/lib/errors.js'
import {codecFor} from '../../../src/lib/sandesh/codec.js'
import {objectFromJson, objectToJson} from '../../../src/lib/sandesh/json.js'
import {type MessageName, VARIANTS, schemaFor} from '../../../src/lib/sandesh/schema.js'
import {anyObject, objectArbitrary} from '../../arbitraries.js'
import {decodesOrRejects, fuzz, savedInputs} from '../../fuzz.js'

for (const variant of VARIANTS) {
  const codec = codecFor(variant)
  describe(`round trip, ${variant} generation`, () => {
    for (const name of schemaFor(variant).messages.keys()) {
      test(name, () => {
        fc.assert(
          fc.property(objectArbitrary(name as MessageName, variant), (object) => {
            const bytes = codec.encode(object)
            assert.equal(bytes.length, codec.encodedSize(object))
            assert.deepEqual(codec.decodePayload(bytes), [object])
            assert.deepEqual(objectFromJson(JSON.parse(JSON.stringify(objectToJson(object))), '$', codec.schema), object, 'JSON form')
          }),
          {numRuns: 60},
        )
      })
    }
  })
}

describe('generic decoder', () => {
  const codec = codecFor('current')
  test('fields in any order, some left out: the same object, missing fields zero', () => {
    fc.assert(
      fc.property(
        anyObject('current').chain((object) => {
          const n = schemaFor('current').messages.get(object.name)!.wireFields.length
          return fc.tuple(fc.constant(object), fc.shuffledSubarray([...Array(n).keys()], {minLength: 0, maxLength: n}))
        }),
        ([object, order]) => {
          const bytes = codec.encode(object)
          const segments = codec.segments(bytes)
          const [name, ...fieldsAndStop] = segments
          const fields = fieldsAndStop.slice(0, -1)
          const kept = order.map((i) => fields[i])
          const reordered = Buffer.concat([bytes.subarray(0, name.length), ...kept.map((s) => bytes.subarray(s.offset, s.offset + s.length)), Uint8Array.of(0)])
          const expected = codec.defaults(object.name)
          const def = schemaFor('current').messages.get(object.name)!
          for (const i of order) {
            const f = def.wireFields[i]
            ;(expected.fields as Record<string, unknown>)[f.name] = (object.fields as Record<string, unknown>)[f.name]
          }
          assert.deepEqual(codec.decodePayload(new Uint8Array(reordered)), [expected])
        },
      ),
      {numRuns: 300},
    )
  })

  test('unknown fields of every wire type are skipped and reported', () => {
    const base = codec.encode(codec.defaults('vr_mpls_req'))
    const extras: [number, number[]][] = [
      [2, [1]],
      [3, [7]],
      [4, [0, 0, 0, 0, 0, 0, 0, 0]],
      [6, [0, 1]],
      [8, [0, 0, 0, 1]],
      [9, [1, 2, 3, 4, 5, 6, 7, 8]],
      [10, [1, 2, 3, 4, 5, 6, 7, 8]],
      [11, [0, 0, 0, 2, 0x41, 0x42]],
      [12, [8, 0, 1, 0, 0, 0, 1, 0]],
      [13, [8, 8, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2]],
      [14, [6, 0, 0, 0, 2, 0, 1, 0, 2]],
      [15, [11, 0, 0, 0, 1, 0, 0, 0, 1, 0x5a]],
      [19, [0, 1]],
      [20, [0, 0, 0, 1]],
      [22, [10, 0, 0, 1]],
      [23, Array(16).fill(0xab)],
      [24, [2, 10, 0, 0, 1]],
    ]
    for (const [type, value] of extras) {
      // Insert field 99 of this type right after the name.
      const withExtra = Buffer.concat([base.subarray(0, 15), Uint8Array.of(type, 0, 99, ...value), base.subarray(15)])
      const notes: {id: number; wireType: number; reason: string}[] = []
      const [object] = codecFor('current').decodePayload(new Uint8Array(withExtra), 0, withExtra.length, notes as never)
      assert.deepEqual(object, codec.defaults('vr_mpls_req'), `type ${type}`)
      assert.deepEqual(notes.map((n) => [n.id, n.wireType, n.reason]), [[99, type, 'unknown-field']], `type ${type}`)
    }
  })

  test('a scalar where a list is declared, and a list where a scalar is (the generations disagree)', () => {
    const windows = codecFor('windows')
    const tf = codec.defaults('vr_nexthop_req')
    tf.fields.nhr_encap_oif_id = [7, 8]
    // A current-generation list read by the Windows schema: the first element.
    assert.deepEqual((windows.decodePayload(codec.encode(tf))[0].fields as {nhr_encap_oif_id: number[]}).nhr_encap_oif_id, [7])
    const win = windows.defaults('vr_nexthop_req')
    win.fields.nhr_encap_oif_id = [9]
    // A Windows-era scalar read by the current schema: a one-element list.
    assert.deepEqual((codec.decodePayload(windows.encode(win))[0].fields as {nhr_encap_oif_id: number[]}).nhr_encap_oif_id, [9])
  })

  test('errors carry a stable code and the offset', () => {
    const bytes = codec.encode(codec.defaults('vr_mpls_req'))
    const cases: [Uint8Array, string, number][] = [
      [bytes.subarray(0, 3), 'TRUNCATED', 0],
      [bytes.subarray(0, 10), 'TRUNCATED', 4],
      [bytes.subarray(0, 40), 'TRUNCATED', 37],
      [Uint8Array.of(0, 0, 0, 0), 'BAD_NAME_LENGTH', 0],
      [Uint8Array.of(0xff, 0xff, 0xff, 0xff), 'BAD_NAME_LENGTH', 0],
      [Uint8Array.of(0, 0, 0, 2, 0x76, 0x78, 0), 'UNKNOWN_OBJECT', 0],
      [Uint8Array.from([...bytes.subarray(0, 15), 7, 0, 99, 0]), 'BAD_TYPE', 15],
      [Uint8Array.from([...bytes.subarray(0, 15), 11, 0, 99, 0xff, 0xff, 0xff, 0xfe, 0]), 'BAD_LENGTH', 18],
      [Uint8Array.from([...bytes.subarray(0, 15), 15, 0, 99, 8, 0, 0, 1, 0, 0]), 'LIST_TOO_LONG', 19],
    ]
    for (const [input, code, offset] of cases) {
      assert.throws(
        () => codec.decodePayload(input),
        (e: unknown) => e instanceof DecodeError && e.code === code && e.offset === offset,
        `${code} at ${offset}`,
      )
    }
  })
})

describe('untrusted bytes', () => {
  const codec = codecFor('current')
  const decode = (bytes: Uint8Array) => codec.decodePayload(bytes)

  test('saved inputs still decode or are rejected cleanly', () => {
    for (const {bytes} of savedInputs('sandesh')) decodesOrRejects(bytes, decode)
  })

  test('random bytes', () => fuzz('sandesh', fc.uint8Array({maxLength: 96}), decode, 2000))

  test('random bytes after a valid object name', () => {
    const names = [...schemaFor('current').messages.values()].map((d) => Uint8Array.from([0, 0, 0, d.nameBytes.length, ...d.nameBytes]))
    fuzz('sandesh', fc.tuple(fc.constantFrom(...names), fc.uint8Array({maxLength: 200})).map(([n, rest]) => Uint8Array.from([...n, ...rest])), decode, 2000)
  })

  test('valid objects with bytes flipped, cut, or inserted', () => {
    const mutated = fc
      .tuple(anyObject('current'), fc.array(fc.tuple(fc.nat(), fc.integer({min: 0, max: 255}), fc.constantFrom('flip', 'cut', 'insert')), {minLength: 1, maxLength: 4}))
      .map(([object, edits]) => {
        let bytes = Array.from(codec.encode(object))
        for (const [at, value, kind] of edits) {
          const i = at % (bytes.length + 1)
          if (kind === 'flip') bytes[Math.min(i, bytes.length - 1)] = value
          else if (kind === 'cut') bytes = bytes.slice(0, i)
          else bytes.splice(i, 0, value)
        }
        return Uint8Array.from(bytes)
      })
    fuzz('sandesh', mutated, decode, 1500)
  })
})
