/**
 * The literal example outputs of the specification (cli.md), each rebuilt byte for byte by our renderers from the
 * objects the example shows (field values read back out of the example; values it leaves out chosen to agree with
 * it). The texts are the fixtures under test/fixtures/spec-examples (see its README for the section of each);
 * test/cli/spec-examples.test.ts prints the same texts through the real commands against the emulator.
 */
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {test} from 'node:test'
import {VrouterError} from '../../../src/lib/errors.js'
import {parseIpv4, parseIpv6, parseMac, u64FromMemoryBytes} from '../../../src/lib/model/addresses.js'
import {dropBlock, dropstatsUsage} from '../../../src/lib/render/drops.js'
import {MIRROR_HEADER} from '../../../src/lib/render/mirror.js'
import {MPLS_COMMAND_USAGE, MPLS_HEADER, MPLS_USAGE, mplsLine} from '../../../src/lib/render/mpls.js'
import {NH_COMMAND_USAGE, NH_USAGE, nhBlock} from '../../../src/lib/render/nh.js'
import {RT_USAGE, maskedTo, rtHeader, rtLine} from '../../../src/lib/render/rt.js'
import {VIF_LEGEND, VIF_USAGE, type VifRenderOptions, vifBlock, vifClearMessage} from '../../../src/lib/render/vif.js'
import {vrfStatsBlock} from '../../../src/lib/render/vrfstats.js'
import {VRFTABLE_HEADER} from '../../../src/lib/render/vrftable.js'
import {VRMEMSTATS_USAGE, memStatsText} from '../../../src/lib/render/vrmemstats.js'
import {VROUTER_USAGE, vrouterInfo} from '../../../src/lib/render/vrouter.js'
import {VXLAN_HEADER} from '../../../src/lib/render/vxlan.js'
import type {MessageFields} from '../../../src/lib/sandesh/schema.js'
import {ROOT, objectOf} from '../../helpers.js'

const example = (name: string) => readFileSync(`${ROOT}test/fixtures/spec-examples/${name}`, 'utf8')
const mac = (text: string) => Array.from(parseMac(text)!)
/** An IPv4 address as the host-order integer vifr_ip and nhr_tun_sip carry. */
const ip4 = (text: string) => new DataView(parseIpv4(text)!.buffer).getUint32(0, true)
/** The halves vifr_ip6_u / vifr_ip6_l of an IPv6 address (its bytes in memory order). */
const ip6Halves = (text: string) => {
  const bytes = parseIpv6(text)!
  return {vifr_ip6_u: u64FromMemoryBytes(bytes.subarray(0, 8)), vifr_ip6_l: u64FromMemoryBytes(bytes.subarray(8))}
}
const hex = (text: string) => text.split(' ').map((b) => parseInt(b, 16))
const text = (s: string) => Array.from(new TextEncoder().encode(s))

const vif = (fields: Partial<MessageFields<'vr_interface_req'>>) =>
  objectOf('vr_interface_req', {vifr_os_idx: -1, vifr_parent_vif_idx: -1, vifr_speed: -1, vifr_duplex: -1, vifr_qos_map_index: -1, vifr_mcast_vrf: 65535, vifr_vlan_tag: 0xffff, ...fields}).fields
const kernel: VifRenderOptions = {dpdk: false, dpdkProper: false, ifname: (index) => ({2: 'eth0', 14: 'tapa1b2c3d4-e5'})[index]}

// vif0/0 of §2.4 (its kernel and DPDK forms share these).
const fabric = {
  vifr_idx: 0, vifr_type: 2, vifr_speed: 10000, vifr_duplex: 1, vifr_mac: mac('52:54:00:12:34:56'), vifr_vrf: 0, vifr_flags: 0x2e0,
  vifr_ipackets: 1834421, vifr_ibytes: 923114227, vifr_opackets: 1702233, vifr_obytes: 411238891, vifr_dpackets: 17,
}

test('vif: the legend (§2.3) and the usage (§2.7)', () => {
  assert.equal(VIF_LEGEND, example('vif-legend.txt'))
  assert.equal(VIF_USAGE, example('vif-usage.txt'))
})

test('vif --list, kernel (§2.4): a physical interface and a VM tap, names of the local host', () => {
  const tap = vif({
    vifr_idx: 3, vifr_type: 3, vifr_os_idx: 14, vifr_nh_id: 23, vifr_mac: mac('00:00:5e:00:01:00'), vifr_ip: ip4('10.1.1.3'), ...ip6Halves('fd00::3'),
    vifr_vrf: 2, vifr_mcast_vrf: 2, vifr_flags: 0x2001c1, vifr_ref_cnt: 6,
    vifr_ipackets: 5521, vifr_ibytes: 498120, vifr_opackets: 5398, vifr_obytes: 512004, vifr_dpackets: 4,
  })
  const list = VIF_LEGEND + vifBlock(vif({...fabric, vifr_os_idx: 2, vifr_ref_cnt: 7}), kernel) + vifBlock(tap, kernel)
  assert.equal(list, example('vif-list-kernel.txt'))
})

test('vif, DPDK (§2.4): the PCI address, device and port counters, lcores, the fabric line', () => {
  const v = vif({
    ...fabric, vifr_os_idx: 0x20, vifr_nh_id: 4, vifr_ref_cnt: 12, vifr_queue_ierrors_to_lcore: [0, 0],
    vifr_dev_ipackets: 1834500, vifr_dev_ibytes: 930450112, vifr_port_ipackets: 1834421,
    vifr_port_opackets: 1702233, vifr_dev_opackets: 1702233, vifr_dev_obytes: 418047823,
    vifr_fab_name: text('0000:00:04.0'), vifr_fab_drv_name: text('net_virtio'), vifr_intf_status: 1,
  })
  assert.equal(vifBlock(v, {...kernel, dpdk: true, dpdkProper: true}), example('vif-block-dpdk.txt'))
})

test('vif --clear (§2.5): all interfaces on all cores, on one core (typo kept), one interface', () => {
  const echo = (fields: Partial<MessageFields<'vr_interface_req'>>) => objectOf('vr_interface_req', {h_op: 4, vifr_idx: -1, ...fields}).fields
  assert.equal(vifClearMessage(echo({}), false), example('vif-clear-all.txt'))
  assert.equal(vifClearMessage(echo({vifr_core: 2}), false), example('vif-clear-core.txt'))
  assert.equal(vifClearMessage(echo({vifr_idx: 3, vifr_name: 'tapa1b2c3d4-e5'}), true), example('vif-clear-one.txt'))
})

/** The VRF 2 routes of §3.3; `index` is the bridge-table slot of the stitched MAC. */
function routes(stitched: {vm: number; remote: number}) {
  const route = (prefix: string, plen: number, fields: Partial<MessageFields<'vr_route_req'>>) =>
    objectOf('vr_route_req', {rtr_vrf_id: 2, rtr_family: prefix.includes(':') ? 10 : 2, rtr_prefix: Array.from(prefix.includes(':') ? parseIpv6(prefix)! : parseIpv4(prefix)!), rtr_prefix_len: plen, rtr_index: -1, ...fields}).fields
  const subnet = {rtr_replace_plen: 24, rtr_label_flags: 0x8, rtr_nh_id: 1}
  const vm = {rtr_label_flags: 0x2, rtr_nh_id: 23, rtr_mac: mac('00:00:5e:00:01:00'), rtr_index: stitched.vm}
  const remote = {rtr_label_flags: 0x3, rtr_label: 25, rtr_nh_id: 18}
  return {
    inet: [
      route('0.0.0.0', 8, {}),
      route('10.1.1.1', 32, subnet),
      route('10.1.1.2', 32, subnet),
      route('10.1.1.3', 32, {...vm, rtr_replace_plen: 32}),
      route('10.1.1.4', 32, {...remote, rtr_replace_plen: 32, rtr_mac: mac('02:aa:bb:cc:dd:01'), rtr_index: stitched.remote}),
    ],
    inet6: [
      route('fd00::3', 128, {...vm, rtr_replace_plen: 128}),
      route('fd00:1234:5678:9abc:def0:1234:5678:9abc', 128, {...remote, rtr_replace_plen: 128}),
    ],
  }
}

test('rt --dump 2 (§3.3): trie leaves, PPL of the covering route, stitched MACs unpadded; the IPv6 overflow', () => {
  // As the example has them, and where the forwarding plane's hash puts those MACs in VRF 2 (the corrected text).
  for (const [stitched, suffix] of [[{vm: 27012, remote: 11876}, ''], [{vm: 31264, remote: 256564}, '.corrected']] as const) {
    const {inet, inet6} = routes(stitched)
    assert.equal(rtHeader('inet', 2) + inet.map((r) => rtLine(r)).join(''), example(`rt-dump-excerpt${suffix}.txt`))
    assert.equal(inet6.map((r) => rtLine(r)).join(''), example(`rt-inet6-lines${suffix}.txt`))
  }
  assert.equal(RT_USAGE, example('rt-usage.txt'))
})

test('rt --get 10.1.1.77/32 --vrf 2 (§3.3): the matching /24 printed masked to its length', () => {
  const answer = objectOf('vr_route_req', {rtr_family: 2, rtr_vrf_id: 2, rtr_prefix: Array.from(parseIpv4('10.1.1.77')!), rtr_prefix_len: 24, rtr_label_flags: 0x8, rtr_nh_id: 1}).fields
  assert.match(rtLine(answer, maskedTo(answer.rtr_prefix, answer.rtr_prefix_len)), /^10\.1\.1\.0\/24 /)
})

test('nh --list (§4.3): six next hops, trailing separators kept; the usages (§4.4)', () => {
  const nh = (fields: Partial<MessageFields<'vr_nexthop_req'>>) => nhBlock(objectOf('vr_nexthop_req', {nhr_family: 2, nhr_flags: 0x1, ...fields}).fields)
  const list = [
    nh({nhr_id: 0, nhr_type: 5, nhr_ref_cnt: 1520}),
    nh({nhr_id: 1, nhr_type: 1, nhr_ref_cnt: 9, nhr_vrf: 1, nhr_flags: 0x3, nhr_encap_oif_id: [1]}),
    nh({nhr_id: 3, nhr_type: 8, nhr_family: 7, nhr_ref_cnt: 5}),
    nh({
      nhr_id: 18, nhr_type: 3, nhr_ref_cnt: 12, nhr_flags: 0x41, nhr_encap_oif_id: [0], nhr_encap: hex('52 54 00 ab cd ef 52 54 00 12 34 56 08 00'),
      nhr_tun_sip: ip4('192.168.1.10'), nhr_tun_dip: ip4('192.168.1.20'),
    }),
    nh({nhr_id: 23, nhr_type: 2, nhr_ref_cnt: 4, nhr_vrf: 2, nhr_flags: 0x3, nhr_encap_family: 0x0806, nhr_encap_oif_id: [3], nhr_encap: hex('00 00 5e 00 01 00 52 54 00 12 34 56 08 00')}),
    nh({nhr_id: 40, nhr_type: 6, nhr_ref_cnt: 3, nhr_vrf: 2, nhr_flags: 0x403, nhr_ecmp_config_hash: 0x1f, nhr_nh_list: [18, 19], nhr_label_list: [25, 31], nhr_nh_count: 2}),
  ]
  assert.equal(list.join(''), example('nh-list.txt'))
  assert.equal(NH_USAGE, example('nh-usage.txt'))
  assert.ok(NH_COMMAND_USAGE.startsWith('Usage: [--create <nhid> create nexthop\n'))
  assert.equal(`${new VrouterError(-2).message}\n`, example('nh-get-absent.txt'))
})

test('mpls (§5.3, §5.4): the header, a dump of three labels, an absent label, both usages', () => {
  assert.equal(MPLS_HEADER, example('mpls-header.txt'))
  // The example puts the next hop one column further right than the format it gives (%8d    %6d, utils/mpls.c:39).
  const dump = MPLS_HEADER + [[16, 12], [25, 23], [31, 27]].map(([mr_label, mr_nhid]) => mplsLine({mr_label, mr_nhid})).join('')
  assert.equal(dump, example('mpls-dump.corrected.txt'))
  assert.equal(dump.replace(/^( {6}\d\d {4})/gm, '$1 '), example('mpls-dump.txt'))
  assert.equal(`${MPLS_HEADER}${new VrouterError(-2).message}\n`, example('mpls-get-absent.txt'))
  assert.equal(MPLS_USAGE, example('mpls-usage.txt'))
  assert.equal(MPLS_COMMAND_USAGE, example('mpls-usage-cmd.txt'))
})

test('dropstats (§7.2, §7.3): non-zero counters with the value at column 30; the usage with offloads enabled', () => {
  const drops = objectOf('vr_drop_stats_req', {vds_invalid_if: 12, vds_flow_action_drop: 341, vds_flow_evict: 7, vds_discard: 1520, vds_invalid_nh: 3}).fields
  assert.equal(dropBlock(drops, {dpdk: false}), example('dropstats.txt'))
  assert.equal(dropstatsUsage(true), example('dropstats-usage.txt'))
  // Without offloads the --offload lines go and line 2 keeps its trailing space (utils/dropstats.c:332-339).
  const offloadLines = '--offload\t\t Show statistics for pkts offloaded on NIC\n\t\t\t (offload stats included if no flags given)\n'
  assert.equal(dropstatsUsage(false), example('dropstats-usage.txt').replace(' [--offload|-o]\n', ' \n').replace(offloadLines, ''))
})

test('vrouter --info, kernel (§8.2): the build line, start-up and runtime parameters; the usage (§8.3)', () => {
  const ops = objectOf('vrouter_ops', {
    vo_build_info: '{"build-info": [{"build-time": "2023-05-10 10:11:12.123456", "build-hostname": "builder-07", "build-user": "contrail", "build-version": "21.4.1"}]}',
    vo_interfaces: 4352, vo_vrfs: 4096, vo_nexthops: 524288, vo_mpls_labels: 5120, vo_bridge_entries: 262144, vo_oflow_bridge_entries: 53248,
    vo_flow_entries: 524288, vo_oflow_entries: 105472, vo_mirror_entries: 255, vo_pkt_droplog_bufsz: 10000, vo_pkt_droplog_buf_en: 1,
    vo_perfr: 1, vo_perfs: 1, vo_from_vm_mss_adj: 1, vo_to_vm_mss_adj: 1, vo_perfr3: 1, vo_perfq1: -1, vo_perfq2: -1, vo_perfq3: -1,
    vo_flow_hold_limit: 1, vo_flow_used_entries: 1520, vo_flow_used_oentries: 3, vo_bridge_used_entries: 96, vo_priority_tagging: 1,
  }).fields
  assert.equal(vrouterInfo(ops, {dpdk: false}), example('vrouter-build-line.txt') + example('vrouter-info.txt'))
  assert.equal(VROUTER_USAGE, example('vrouter-usage.txt'))
})

test('vrfstats (§9): one VRF, Proxys and Stitchs spelled so', () => {
  const stats = objectOf('vr_vrf_stats_req', {
    vsr_vrf: 2, vsr_resolves: 4, vsr_l2_mcast_composites: 120, vsr_fabric_composites: 118, vsr_encap_composites: 2,
    vsr_udp_mpls_tunnels: 5522, vsr_l2_encaps: 210, vsr_encaps: 5398, vsr_arp_virtual_proxy: 3, vsr_arp_virtual_stitch: 12,
  }).fields
  assert.equal(vrfStatsBlock(stats), example('vrfstats.txt'))
})

test('vrmemstats (§10): the heading, labels padded to 32 columns, the usage', () => {
  const lines = memStatsText(objectOf('vr_mem_stats_req', {vms_alloced: 25, vms_freed: 3}).fields).split('\n')
  assert.deepEqual(lines.slice(0, 5), ['vRouter memory usage statistics', '', 'Alloced 25 Freed 3', 'Outstanding memory/object:', ''])
  assert.equal(lines[5], 'Assembler Table                 0')
  assert.equal(lines.at(-2), 'Fatflow v6 exclude list object  0')
  assert.equal(VRMEMSTATS_USAGE, example('vrmemstats-usage.txt'))
})

test('mirror, vxlan, vrftable (§11-13): the headers', () => {
  assert.equal(MIRROR_HEADER, example('mirror-header.txt'))
  assert.equal(VXLAN_HEADER, example('vxlan-header.txt'))
  assert.equal(VRFTABLE_HEADER, example('vrftable-header.txt'))
})
