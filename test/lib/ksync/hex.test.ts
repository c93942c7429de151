/** Hex text as operators paste it. */
import assert from 'node:assert/strict'
import {test} from 'node:test'
import fc from 'fast-check'
import {DecodeError} from '../../../src/lib/errors.js'
import {isHexText, parseHex, toHex} from '../../../src/lib/ksync/hex.js'

const bytes = Uint8Array.from([0x49, 0x00, 0x00, 0x00, 0x20, 0x00, 0x01, 0x00, 0x76, 0x72, 0x5f, 0x6d, 0x70, 0x6c, 0x73, 0x5f, 0x72, 0x65, 0x71])

test('plain hex in the usual spellings', () => {
  for (const text of ['49000000200001007672 5f6d706c735f726571', '49 00 00 00 20 00 01 00 76 72 5f 6d 70 6c 73 5f 72 65 71', '0x49,0x00,0x00,0x00,0x20,0x00,0x01,0x00,0x76,0x72,0x5f,0x6d,0x70,0x6c,0x73,0x5f,0x72,0x65,0x71', '\\x49\\x00\\x00\\x00\\x20\\x00\\x01\\x00\\x76\\x72\\x5f\\x6d\\x70\\x6c\\x73\\x5f\\x72\\x65\\x71', '49 00 00 00  # nlmsg_len\n20 00 01 00  # type, flags\n7672 5f6d 706c 735f 7265 71']) {
    assert.deepEqual(parseHex(text), bytes, text)
  }
})

test('dumps with offsets and an ASCII column', () => {
  const xxd = '00000000: 4900 0000 2000 0100 7672 5f6d 706c 735f  I... ...vr_mpls_\n00000010: 7265 71                                  req'
  const hexdump = '00000000  49 00 00 00 20 00 01 00  76 72 5f 6d 70 6c 73 5f  |I... ...vr_mpls_|\n00000010  72 65 71                                          |req|\n00000013'
  const tcpdump = '\t0x0000:  4900 0000 2000 0100 7672 5f6d 706c 735f  I.......vr_mpls_\n\t0x0010:  7265 71                                  req'
  const spec = '0000: 49 00 00 00 20 00 01 00 76 72 5f 6d\n000c: 70 6c 73 5f 72 65 71'
  for (const text of [xxd, hexdump, tcpdump, spec]) assert.deepEqual(parseHex(text), bytes, text)
})

test('an ASCII column that looks like hex is cut by the next offset', () => {
  const text = '00000000: 6162 6364 6162 6364 6162 6364 6162 6364  abcdabcdabcdabcd\n00000010: 00                                       .'
  assert.equal(parseHex(text).length, 17)
})

test('not hex: a BAD_HEX error naming the line', () => {
  assert.throws(() => parseHex('49 00\n00 zz'), (e: unknown) => e instanceof DecodeError && e.code === 'BAD_HEX' && /line 2/.test(e.message))
  assert.throws(() => parseHex('490'), (e: unknown) => e instanceof DecodeError && e.code === 'BAD_HEX')
})

test('toHex and parseHex are inverse; binary is not taken for text', () => {
  fc.assert(fc.property(fc.uint8Array(), (b) => assert.deepEqual(parseHex(toHex(b, ' ')), b)))
  assert.equal(isHexText(bytes), false)
  assert.equal(isHexText(new TextEncoder().encode('49 00 00 00\n')), true)
})
