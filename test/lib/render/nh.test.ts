/**
 * `nh` text as TF utils/nh.c nexthop_req_process prints it, for the cases the peer capture does not cover: PBB
 * tunnels, tunnels without a family (as the stock tool creates them), underlay ECMP rewrites, long member lists.
 */
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {NH_COMMAND_USAGE, nhBlock} from '../../../src/lib/render/nh.js'
import type {MessageFields} from '../../../src/lib/sandesh/schema.js'
import {objectOf} from '../../helpers.js'

const nh = (fields: Partial<MessageFields<'vr_nexthop_req'>>) => objectOf('vr_nexthop_req', fields).fields
const I = ' '.repeat(14)
const rewrite = (last: number) => [0, 0x1b, 0x21, 0xcc, 0xdd, last, 0, 0x1b, 0x21, 0xaa, 0xbb, 1, 8, 0]

test('a PBB tunnel: the indentation line, then its backbone MAC and label (no interface, no addresses)', () => {
  const text = nhBlock(nh({nhr_id: 7, nhr_type: 3, nhr_family: 7, nhr_flags: 0x480001, nhr_nh_list: [61], nhr_label_list: [100], nhr_pbb_mac: [0, 0xaa, 0xbb, 0xcc, 0xdd, 0xee]}))
  assert.equal(
    text,
    `Id:7          Type:Tunnel         Fmly:AF_BRIDGE  Rid:0  Ref_cnt:0          Vrf:0\n${I}Flags:Valid, Pbb, Indirect, \n${I}Direct NH(label): 61(100)\n${I}Bmac:00:aa:bb:cc:dd:ee Label:100\n\n`,
  )
})

test('a tunnel of neither IPv4 nor IPv6 family shows no addresses', () => {
  const text = nhBlock(nh({nhr_id: 8, nhr_type: 3, nhr_family: 0, nhr_flags: 0x9, nhr_encap_oif_id: [0], nhr_encap: rewrite(2), nhr_tun_sip: 0x070aa8c0}))
  assert.equal(text.split('\n').slice(2).join('\n'), `${I}Oif:0 Len:14 Data:00 1b 21 cc dd 02 00 1b 21 aa bb 01 08 00 \n${I}\n\n`)
})

test('underlay ECMP: each valid interface shows the nhr_encap_len bytes of its slot', () => {
  const text = nhBlock(
    nh({nhr_type: 3, nhr_family: 2, nhr_flags: 0x10000009, nhr_encap_oif_id: [0, -1, 1], nhr_encap_valid: [1, 0, 1], nhr_encap_len: 14, nhr_encap: [...rewrite(2), ...Array<number>(14).fill(0xff), ...rewrite(3)]}),
  )
  assert.deepEqual(text.split('\n').slice(2, 6), [
    `${I}Oif:0 EncapValid:1 Len:14 Data:00 1b 21 cc dd 02 00 1b 21 aa bb 01 08 00 `,
    `${I}Oif:-1 EncapValid:0 Len:0 Data:NULL`,
    `${I}Oif:1 EncapValid:1 Len:14 Data:00 1b 21 cc dd 03 00 1b 21 aa bb 01 08 00 `,
    `${I}Sip:0.0.0.0 Dip:0.0.0.0`,
  ])
})

test('composite members: a new line once more than 60 characters of members were printed on one', () => {
  const members = Array.from({length: 10}, (_, i) => 100 + i)
  const text = nhBlock(nh({nhr_type: 6, nhr_family: 2, nhr_flags: 0x401, nhr_nh_list: members, nhr_label_list: members.map(() => 1000), nhr_nh_count: 10}))
  // Each member prints 10 characters: after seven (70 > 60) the next goes on a new line.
  assert.deepEqual(text.split('\n').slice(2, 4), [
    `${I}Sub NH(label): 100(1000) 101(1000) 102(1000) 103(1000) 104(1000) 105(1000) 106(1000)`,
    `${I}${I} 107(1000) 108(1000) 109(1000)`,
  ])
})

test('the low-level usage starts and ends as the stock one, with its trailing spaces', () => {
  const lines = NH_COMMAND_USAGE.split('\n')
  assert.deepEqual([lines[0], lines.length, lines.at(-2)], ['Usage: [--create <nhid> create nexthop', 54, '                    [--uucf Unknown Unicast Flood]'])
  assert.equal(lines[8], '       [--type <type> type of the tunnel 1 - rcv, 2 - encap ')
  assert.equal(lines[10], '                       7 - VRF Translate, 8 - L2 Rcv NH] ')
})
