/**
 * The stock `nh` command line walked without a forwarding plane (TF utils/nh.c parse_long_opts, validate_options and
 * utils/vr_util.c vr_send_nexthop_*): which faults in which order, and the ADD request fields each type gets.
 */
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {getopt} from '../../src/cli/legacy/getopt.js'
import {NH_OPTIONS, type NhWalk, walkNhOptions} from '../../src/cli/legacy/nh-options.js'

const walk = (...argv: string[]): NhWalk => walkNhOptions(getopt('nh', argv, NH_OPTIONS))
const fault = (...argv: string[]) => {
  const w = walk(...argv)
  return 'fault' in w ? w.fault : w.ok.verb
}
/** The fields of a create (fails the test for anything else). */
const created = (...argv: string[]) => {
  const w = walk('--create', ...argv)
  assert.ok('ok' in w && w.ok.verb === 'create', `not a create: ${JSON.stringify(w)}`)
  return w.ok.fields
}
const TUNNEL = ['--oif', '0', '--smac', '00:1b:21:aa:bb:01', '--dmac', '00:1b:21:cc:dd:02', '--sip', '192.168.10.7', '--dip', '192.168.10.8']

test('verbs by priority create > delete > get > list; what is left over fails validation', () => {
  assert.deepEqual(walk('--list'), {ok: {verb: 'list'}})
  assert.deepEqual(walk('--get', '0x28'), {ok: {verb: 'get', id: 40}})
  assert.deepEqual(walk('--delete', '7'), {ok: {verb: 'delete', id: 7}})
  assert.equal(fault(), 'usage')
  assert.equal(fault('--get', '1', '--list'), 'usage', 'a get takes no other option')
  assert.equal(fault('--delete', '1', '--get', '2'), 'command-usage', 'a delete with leftovers: the low-level usage')
  assert.equal(fault('--list', '--oif', '1'), 'usage')
  assert.deepEqual(walk('--list', '--sock-dir', '/tmp/x'), {ok: {verb: 'list'}}, '--sock-dir is never a leftover')
  // One id for all three verbs: the last one given.
  assert.equal(created('5', '--delete', '3', '--type', '7', '--vrf', '0').nhr_id, 3)
})

test('faults act in command-line order, as the stock getopt loop does', () => {
  assert.equal(fault('--cmd', '--help'), 'command-usage')
  assert.equal(fault('--help', '--cmd'), 'help')
  assert.equal(fault('--bogus', '--cmd'), 'usage')
  assert.equal(fault('--cmd', '--bogus'), 'command-usage')
  assert.equal(fault('--smac', 'zz', '--help'), 'command-usage', 'an invalid MAC ends the run where it stands')
  assert.equal(fault('--get'), 'usage', 'a missing argument')
  assert.equal(fault('--c', '1'), 'usage', 'an ambiguous abbreviation')
  assert.deepEqual(walk('--li'), {ok: {verb: 'list'}}, 'an unambiguous abbreviation')
})

test('numbers: strtoul base 0 without a check but ERANGE; atoi for interfaces', () => {
  assert.equal(created('abc', '--type', '5', '--vrf', '0').nhr_id, 0, 'no digits: 0, as the stock tool sends')
  assert.equal(created('0x10', '--type', '5', '--vrf', '010').nhr_vrf, 8)
  assert.equal(created('-1', '--type', '5', '--vrf', '0').nhr_id, -1, 'strtoul wraps; the int keeps -1')
  assert.equal(fault('--create', '99999999999999999999', '--type', '5', '--vrf', '0'), 'usage', 'out of range (ERANGE)')
  assert.equal(fault('--get', '18446744073709551616'), 'usage')
  assert.deepEqual(walk('--get', '18446744073709551615'), {ok: {verb: 'get', id: -1}})
  assert.equal(fault('--create', '1', '--type', '1', '--vrf', '0', '--oif', '99999999999999999999'), 'usage', 'atoi out of range')
  assert.deepEqual(created('1', '--type', '1', '--vrf', '0', '--oif', 'x').nhr_encap_oif_id, [0], 'atoi of no digits is 0')
})

test('create needs --type and --vrf, a known type, and the options of its type', () => {
  assert.equal(fault('--create', '1', '--vrf', '0', '--oif', '1'), 'command-usage', 'no --type')
  assert.equal(fault('--create', '1', '--type', '1', '--oif', '1'), 'command-usage', 'no --vrf')
  assert.equal(fault('--create', '1', '--type', '0', '--vrf', '0'), 'command-usage', 'type 0 (dead)')
  assert.equal(fault('--create', '1', '--type', '9', '--vrf', '0'), 'command-usage')
  assert.equal(fault('--create', '1', '--type', '1', '--vrf', '0'), 'command-usage', 'a receive next hop needs --oif')
  assert.equal(fault('--create', '1', '--type', '8', '--vrf', '0', '--oif', '1'), 'command-usage', 'an L2 receive takes no --oif')
  assert.equal(fault('--create', '1', '--type', '5', '--vrf', '0', '--cni', '3'), 'command-usage')
  assert.equal(fault('--create', '1', '--type', '2', '--vrf', '0', '--oif', '1', '--smac', '1:2:3:4:5:6'), 'command-usage', 'an encap needs both MACs')
  assert.equal(fault('--create', '1', '--type', '3', '--vrf', '0', ...TUNNEL.slice(0, 8)), 'command-usage', 'a tunnel needs --dip')
  assert.equal(fault('--create', '1', '--type', '3', '--vrf', '0', ...TUNNEL, '--vxlan', '--sport', '1'), 'command-usage', 'VXLAN needs both ports')
  assert.equal(fault('--create', '1', '--type', '3', '--vrf', '0', ...TUNNEL, '--udp', '--dport', '1'), 'command-usage', '--dport alone is left over')
  assert.equal(fault('--create', '1', '--type', '3', '--vrf', '0', ...TUNNEL, '--udp', '--vxlan'), 'command-usage')
  assert.equal(fault('--create', '1', '--type', '3', '--vrf', '0', '--pbb', '--cni', '2', '--cni', '3', '--lbl', '1', '--dmac', '1:2:3:4:5:6'), 'command-usage', 'PBB: one member')
  assert.equal(fault('--create', '1', '--type', '6', '--vrf', '0', '--ecmp'), 'command-usage', 'a composite needs --cni')
  assert.equal(fault('--create', '1', '--type', '6', '--vrf', '0', '--ecmp', '--cni', '2', '--lbl', '5'), 'command-usage', 'labels only with --cevpn or --tor')
  assert.equal(fault('--create', '1', '--type', '6', '--vrf', '0', '--cevpn', '--cni', '2'), 'command-usage', 'EVPN needs --lbl')
  assert.equal(fault('--create', '1', '--type', '6', '--vrf', '0', '--cevpn', '--tor', '--cni', '2', '--lbl', '5'), 'command-usage', 'EVPN takes the one --lbl from TOR')
  // The stock tool's arrays hold 3 interfaces and MACs and 32 members: more would overrun them, so we refuse.
  assert.equal(fault('--create', '1', '--type', '3', '--vrf', '0', '--oif', '1,2,3,4'), 'command-usage')
  assert.equal(fault('--create', '1', '--type', '3', '--vrf', '0', '--smac', '1:1:1:1:1:1,2:2:2:2:2:2,3:3:3:3:3:3,4:4:4:4:4:4'), 'command-usage')
  assert.equal(fault('--create', '1', '--type', '6', '--vrf', '0', ...Array.from({length: 33}, (_, i) => ['--cni', String(i)]).flat()), 'command-usage')
  assert.equal(created('1', '--type', '6', '--vrf', '0', ...Array.from({length: 32}, (_, i) => ['--cni', String(i)]).flat()).nhr_nh_list?.length, 32)
})

test('flags common to every type, and the ones of each type', () => {
  const flags = (...argv: string[]) => created('1', '--vrf', '0', ...argv).nhr_flags
  assert.equal(flags('--type', '4', '--pol', '--rpol', '--mc', '--rlkup', '--ml', '--root'), 0x1 | 0x2 | 0x100 | 0x20 | 0x8000 | 0x100000 | 0x200000)
  assert.equal(flags('--type', '7', '--uucf', '--vxlan', '--oif', '4'), 0x10001, 'a VRF translate ignores what it does not use (--vxlan too)')
  assert.equal(flags('--type', '3', ...TUNNEL), 0x9, 'GRE by default')
  assert.equal(flags('--type', '3', ...TUNNEL, '--udp'), 0x41, 'UDP without ports: MPLSoUDP')
  assert.equal(flags('--type', '3', ...TUNNEL, '--udp', '--sport', '1', '--dport', '2'), 0x11)
  assert.equal(flags('--type', '3', ...TUNNEL, '--udp', '--sport', '1'), 0x41)
  assert.equal(flags('--type', '3', ...TUNNEL, '--vxlan', '--sport', '1', '--dport', '2', '--l3_vxlan', '2:0:0:0:0:9'), 0x2000081)
  assert.equal(flags('--type', '3', ...TUNNEL, '--oif', '0,1'), 0x10000009, 'two interfaces: underlay ECMP')
  assert.equal(flags('--type', '3', '--pbb', '--cni', '2', '--lbl', '1', '--dmac', '1:2:3:4:5:6', '--ind'), 0x480001)
  assert.equal(flags('--type', '6', '--cni', '2', '--cmc', '--cfa', '--cen', '--cevpn', '--lbl', '1', '--ecmp'), 0x1 | 0x20 | 0x200 | 0x2000 | 0x1000 | 0x400)
  assert.equal(flags('--type', '6', '--cni', '2', '--tor', '--lbl', '1'), 0x4001)
  assert.equal(flags('--type', '2', '--oif', '1', '--smac', '1:2:3:4:5:6', '--dmac', '1:2:3:4:5:6', '--l3_vxlan', '2:0:0:0:0:9'), 0x2000001)
  assert.equal(flags('--type', '2', '--l2', '--oif', '1', '--cni', '5', '--udp'), 0x1, 'a bridge encap ignores the rest')
})

test('request fields per type, as vr_send_nexthop_* fill them', () => {
  assert.deepEqual(created('70', '--type', '1', '--vrf', '0', '--oif', '1'), {
    nhr_id: 70,
    nhr_vrf: 0,
    nhr_flags: 1,
    nhr_type: 1,
    nhr_family: 2,
    nhr_encap_oif_id: [1],
    nhr_encap_len: 14,
  })
  assert.deepEqual(created('74', '--type', '8', '--vrf', '0', '--l2').nhr_encap_oif_id, [-1], 'no --oif: -1')
  assert.equal(created('74', '--type', '8', '--vrf', '0', '--l2').nhr_family, 7)
  assert.deepEqual(created('62', '--type', '6', '--vrf', '2', '--cevpn', '--cni', '10', '--cni', '11', '--lbl', '40', '--l2'), {
    nhr_id: 62,
    nhr_vrf: 2,
    nhr_flags: 0x1001,
    nhr_type: 6,
    nhr_family: 7,
    nhr_nh_list: [10, 11],
    nhr_label_list: [40, 0],
  })
  const encap = created('60', '--type', '2', '--vrf', '2', '--oif', '3', '--smac', '00:1b:21:aa:bb:01', '--dmac', '0:0:5e:0:1:0')
  assert.deepEqual(encap.nhr_encap, [0, 0, 0x5e, 0, 1, 0, 0, 0x1b, 0x21, 0xaa, 0xbb, 1, 8, 0], 'destination MAC, source MAC, 0x0800')
  assert.deepEqual([encap.nhr_encap_family, encap.nhr_encap_len, encap.nhr_family, encap.nhr_encap_oif_id], [0x0806, 14, 2, [3]])
  const tunnel = created('63', '--type', '3', '--vrf', '0', ...TUNNEL, '--oif', '0,,1', '--smac', '0:0:0:0:0:1,0:0:0:0:0:2', '--dmac', '0:0:0:0:0:3,0:0:0:0:0:4')
  assert.deepEqual([tunnel.nhr_encap_oif_id, tunnel.nhr_encap_valid, tunnel.nhr_family], [[0, 1, -1], [1, 1, 0], undefined])
  assert.deepEqual(tunnel.nhr_encap, [0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 1, 8, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 1, 8, 0], 'each rewrite of the first MACs')
  assert.deepEqual([tunnel.nhr_tun_sip, tunnel.nhr_tun_dip], [0x070aa8c0, 0x080aa8c0], 's_addr of 192.168.10.7 and .8')
  const ports = created('64', '--type', '3', '--vrf', '0', ...TUNNEL, '--udp', '--sport', '1000', '--dport', '6635')
  assert.deepEqual([ports.nhr_tun_sport, ports.nhr_tun_dport], [-6141, -5351], 'htons(1000) = 0xe803 and htons(6635) = 0xeb19, as i16')
  assert.equal(created('64', '--type', '3', '--vrf', '0', ...TUNNEL, '--udp', '--sport', '5').nhr_tun_sport, 0x500, 'a port without its pair is still sent')
  const later = created('63', '--type', '3', '--vrf', '0', ...TUNNEL, '--oif', '4,5', '--oif', '6')
  assert.deepEqual([later.nhr_encap_oif_id, later.nhr_flags! & 0x10000000, later.nhr_encap?.length], [[6], 0, 14], 'the last --oif counts, over the first')
  const pbb = created('75', '--type', '3', '--vrf', '0', '--pbb', '--cni', '61', '--lbl', '100', '--dmac', '00:aa:bb:cc:dd:ee', '--ind')
  assert.deepEqual(pbb, {
    nhr_id: 75,
    nhr_vrf: 0,
    nhr_flags: 0x480001,
    nhr_type: 3,
    nhr_family: 7,
    nhr_encap_oif_id: [0],
    nhr_nh_list: [61],
    nhr_label_list: [100],
    nhr_pbb_mac: [0, 0xaa, 0xbb, 0xcc, 0xdd, 0xee],
  })
  const sip = (text: string) => created('1', '--type', '3', '--vrf', '0', ...TUNNEL, '--sip', text).nhr_tun_sip
  assert.deepEqual([sip('10.1'), sip('0x0a.010.0.1'), sip('300.1.1.1')], [0x0100000a, 0x0100080a, 0x070aa8c0], 'inet_aton forms; a bad one keeps the last address')
})
