/** vr_hash and bucket placement against the test vectors of the shared-memory spec (§5.3). */
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {bridgeKey, bucketBase, defaultOverflow, vrHash} from '../../../src/lib/shm/hash.js'
import {parseHex} from '../../../src/lib/ksync/hex.js'

const VECTORS: [string, number, number, number][] = [
  ['02 01 00 00 1a 2b 00 00 0c 00 00 00 0a 00 00 01 0a 00 00 02', 0x71a9d61f, 120348, 120348],
  ['0a 06 00 00 30 39 00 50 14 00 00 00 20 01 0d b8' + ' 00'.repeat(11) + ' 01 20 01 0d b8' + ' 00'.repeat(11) + ' 02', 0x0bf3d4d0, 251088, 251088],
  ['02 00 00 00 00 01 01 00', 0x25483467, 13412, 13412],
  ['01 02 03 04 05 06 07 08 09 0a 0b 0c', 0x2471b813, 112656, 112656],
  ['00', 0x8ba9414b, 82248, 82248],
  ['', 0xdeadbeef, 376556, 114412],
]

test('vr_hash and bucket bases of the spec vectors', () => {
  for (const [hex, hash, base524288, base262144] of VECTORS) {
    const key = parseHex(hex)
    assert.equal(vrHash(key), hash, hex)
    assert.equal(bucketBase(key, 524288), base524288, hex)
    assert.equal(bucketBase(key, 262144), base262144, hex)
  }
})

test('the bridge key and the default overflow sizes', () => {
  assert.deepEqual(bridgeKey(Uint8Array.of(2, 0, 0, 0, 0, 1), 1), parseHex('02 00 00 00 00 01 01 00'))
  assert.equal(defaultOverflow(524288), 105472)
  // The spec's size table says 52,224 for the bridge table; its own formula (and `vrouter --info` output) give 53,248.
  assert.equal(defaultOverflow(262144), 53248)
})
