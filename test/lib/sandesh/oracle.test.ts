/**
 * Our codec against npm thrift's TBinaryProtocol (extended with Sandesh's u16/u32/u64): for random values of every
 * message, both generations, thrift's bytes equal ours and each decodes the other's bytes to the same object.
 */
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import fc from 'fast-check'
import {codecFor} from '../../../src/lib/sandesh/codec.js'
import {type MessageName, VARIANTS, schemaFor} from '../../../src/lib/sandesh/schema.js'
import {objectArbitrary} from '../../arbitraries.js'
import {thriftDecode, thriftEncode} from '../../thrift-oracle.js'

for (const variant of VARIANTS) {
  const codec = codecFor(variant)
  describe(`thrift oracle, ${variant} generation`, () => {
    for (const name of schemaFor(variant).messages.keys()) {
      test(name, () => {
        fc.assert(
          fc.property(objectArbitrary(name as MessageName, variant), (object) => {
            const ours = codec.encode(object)
            const theirs = new Uint8Array(thriftEncode(object, variant))
            assert.deepEqual(ours, theirs)
            assert.deepEqual(thriftDecode(ours, variant), [object])
            assert.deepEqual(codec.decodePayload(theirs), [object])
          }),
          {numRuns: 40},
        )
      })
    }
  })
}
