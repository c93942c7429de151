/** MAC and IPv4 text read as glibc's ether_aton and inet_aton read it (the cases checked against glibc 2.36). */
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {etherAton, inetAton} from '../../../src/lib/model/addresses.js'

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
