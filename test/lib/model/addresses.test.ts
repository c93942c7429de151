/**
 * MAC and IPv4 text read as glibc's ether_aton and inet_aton read it (the cases checked against glibc 2.36); IPv6
 * written as RFC 5952 and glibc's inet_ntop write it.
 */
import assert from 'node:assert/strict'
import {test} from 'node:test'
import fc from 'fast-check'
import {etherAton, formatIpv6, inetAton, inetNtop6, insideNetwork, parseNetwork} from '../../../src/lib/model/addresses.js'

const hex = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('hex') : undefined)

test('ether_aton: one or two hex digits per group; what may follow the sixth', () => {
  const cases: [string, string | undefined][] = [
    ['aa:bb:cc:dd:ee:ff', 'aabbccddeeff'],
    ['a:b:c:d:e:f', '0a0b0c0d0e0f'],
    ['AA:BB:CC:DD:EE:FF', 'aabbccddeeff'],
    ['aa:bb:cc:dd:ee:ffzz', 'aabbccddeeff'],
    ['aa:bb:cc:dd:ee:ff:11', 'aabbccddeeff'],
    ['aa:bb:cc:dd:ee:f', 'aabbccddee0f'],
    ['aa:bb:cc:dd:ee:f q', 'aabbccddee0f'],
    ['aa:bb:cc:dd:ee:fz', undefined],
    ['aa:bb:cc:dd:ee', undefined],
    ['AA-BB-CC-DD-EE-FF', undefined],
    ['aaa:bb:cc:dd:ee:ff', undefined],
    [' aa:bb:cc:dd:ee:ff', undefined],
    ['aa::cc:dd:ee:ff', undefined],
    ['', undefined],
  ]
  for (const [text, expected] of cases) assert.equal(hex(etherAton(text)), expected, JSON.stringify(text))
})

test('inet_aton: one to four parts in any base; the end or a space after them', () => {
  const cases: [string, string | undefined][] = [
    ['1.2.3.4', '01020304'],
    ['10', '0000000a'],
    ['10.1', '0a000001'],
    ['10.1.2', '0a010002'],
    ['0x0a.010.1.2', '0a080102'],
    ['1.2.3.4 junk', '01020304'],
    ['1.2.3.4\n', '01020304'],
    ['4294967295', 'ffffffff'],
    ['1.16777215', '01ffffff'],
    ['1.2.65535', '0102ffff'],
    ['07', '00000007'],
    ['1.2.3.4junk', undefined],
    ['256.1.1.1', undefined],
    ['1.2.3.256', undefined],
    ['1.16777216', undefined],
    ['4294967296', undefined],
    ['0x100000000', undefined],
    ['1.2.3.4.5', undefined],
    [' 1.2.3.4', undefined],
    ['1..2', undefined],
    ['08', undefined],
    ['0x', undefined],
    ['1.', undefined],
    ['', undefined],
  ]
  for (const [text, expected] of cases) assert.equal(hex(inetAton(text)), expected, JSON.stringify(text))
})

/** 16 address bytes, mostly zero groups, so that runs of zeros of every length and position come up. */
const ipv6Bytes = fc.array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({min: 0, max: 255})), {minLength: 16, maxLength: 16}).map((b) => Uint8Array.from(b))

test('IPv6 text is RFC 5952: the same as the WHATWG URL parser writes an IPv6 host', () => {
  fc.assert(
    fc.property(ipv6Bytes, (bytes) => {
      const groups = Array.from({length: 8}, (_, i) => ((bytes[2 * i] << 8) | bytes[2 * i + 1]).toString(16)).join(':')
      assert.equal(`[${formatIpv6(bytes)}]`, new URL(`http://[${groups}]/`).hostname)
    }),
    {numRuns: 2000},
  )
})

test('inet_ntop: a dotted quad for IPv4-mapped and IPv4-compatible addresses, as glibc writes them', () => {
  const at = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'))
  assert.equal(inetNtop6(at('00000000000000000000ffff0a000001')), '::ffff:10.0.0.1')
  assert.equal(inetNtop6(at('0000000000000000000000000a000001')), '::10.0.0.1')
  assert.equal(inetNtop6(at('00000000000000000000000000000001')), '::1')
  assert.equal(inetNtop6(at('00000000000000000000000000000100')), '::100')
  assert.equal(inetNtop6(at('00000000000000000000000000000000')), '::')
  assert.equal(inetNtop6(at('fd000010000000000000000000000001')), 'fd00:10::1')
  fc.assert(fc.property(ipv6Bytes, (bytes) => bytes.subarray(0, 10).some((b) => b !== 0) ? inetNtop6(bytes) === formatIpv6(bytes) : true))
})

test('parseNetwork: address/length of either family, the length within the address', () => {
  assert.deepEqual(parseNetwork('10.1.0.0/16'), {address: Uint8Array.of(10, 1, 0, 0), length: 16})
  assert.equal(parseNetwork('fd00::/8')?.length, 8)
  assert.equal(parseNetwork('fd00::/8')?.address.length, 16)
  for (const bad of ['10.1.0.0', '10.1.0.0/33', 'fd00::/129', '10.1.0.0/x', '10.1.0.0/16/1', 'host/8', '10.1.0.0/-1']) assert.equal(parseNetwork(bad), undefined, bad)
})

test('insideNetwork agrees with comparing the leading bits one by one', () => {
  const bits = (b: Uint8Array, n: number) => Array.from(b, (x) => x.toString(2).padStart(8, '0')).join('').slice(0, n)
  fc.assert(
    fc.property(fc.uint8Array({minLength: 4, maxLength: 4}), fc.integer({min: 0, max: 32}), fc.uint8Array({minLength: 4, maxLength: 4}), fc.integer({min: 0, max: 32}), (prefix, length, address, networkLength) => {
      const expected = length >= networkLength && bits(prefix, networkLength) === bits(address, networkLength)
      assert.equal(insideNetwork(prefix, length, {address, length: networkLength}), expected)
    }),
  )
  assert.equal(insideNetwork(new Uint8Array(16), 128, {address: new Uint8Array(4), length: 0}), false, 'another family is never inside')
})
