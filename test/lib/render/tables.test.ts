/** The small table renderers (mirror, vxlan, mpls, vrftable, vrfstats, vrmemstats): stock text byte for byte, from the stock format strings. */
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {MIRROR_HEADER, mirrorJson, mirrorLine} from '../../../src/lib/render/mirror.js'
import {mplsLine} from '../../../src/lib/render/mpls.js'
import {vrfStatsBlock, vrfStatsJson} from '../../../src/lib/render/vrfstats.js'
import {VRFTABLE_HEADER, vrftableLine} from '../../../src/lib/render/vrftable.js'
import {memStatsJson, memStatsText} from '../../../src/lib/render/vrmemstats.js'
import {VXLAN_HEADER, vxlanLine} from '../../../src/lib/render/vxlan.js'
import {tableText} from '../../../src/lib/render/table.js'
import {codecFor} from '../../../src/lib/sandesh/codec.js'

const mirror = {mirr_index: 1, mirr_nhid: 12, mirr_flags: 0, mirr_vni: -1, mirr_vlan: 0}

test('mirror: the VNI column appears only when a VNI is set, flags right-aligned in 4', () => {
  assert.equal(mirrorLine(mirror), '    1         12               0\n')
  assert.equal(mirrorLine({...mirror, mirr_flags: 1, mirr_vni: 5001, mirr_vlan: 100}), '    1         12       D       5001     100\n')
  assert.equal(mirrorLine({...mirror, mirr_flags: 5, mirr_vni: 0}), '    1         12     DHw          0       0\n')
  assert.ok(MIRROR_HEADER.includes('Assisted Mirroring \n'), 'the legend keeps its trailing space')
  assert.equal(MIRROR_HEADER.split('\n').at(-2), '-'.repeat(48))
})

test('mirror JSON: flag names, null VNI when unset', () => {
  assert.deepEqual(mirrorJson(mirror), {index: 1, nexthop: 12, flags: [], vni: null, vlan: 0})
  assert.deepEqual(mirrorJson({...mirror, mirr_flags: 0x11, mirr_vni: 7}), {index: 1, nexthop: 12, flags: ['DYNAMIC', '0x10'], vni: 7, vlan: 0})
})

test('vxlan: VNI in 7 columns, next hop unpadded; mpls: 8 and 6', () => {
  assert.equal(VXLAN_HEADER, 'VXLAN Table\n\n VNID    NextHop\n----------------\n')
  assert.equal(vxlanLine({vxlanr_vnid: 5001, vxlanr_nhid: 12}), '   5001    12\n')
  assert.equal(vxlanLine({vxlanr_vnid: 16777215, vxlanr_nhid: 123456}), '16777215    123456\n')
  assert.equal(mplsLine({mr_label: 16, mr_nhid: 21}), '      16        21\n')
})

test('vrftable: flags, HBS sides as "-" when not valid', () => {
  const vrf = {vrf_idx: 5, vrf_flags: 0x7, vrf_hbfl_vif_idx: 1, vrf_hbfr_vif_idx: 2}
  assert.equal(vrftableLine(vrf), '    5    VHlHr          1       2\n')
  assert.equal(vrftableLine({...vrf, vrf_flags: 0x5}), '    5     VHr          -       2\n')
  assert.equal(VRFTABLE_HEADER.split('\n').at(-3), '   Vrf   Flags      HBS-L   HBS-R')
})

// The specification's example (cli.md §9) is rebuilt byte for byte in spec-examples.test.ts.
test('vrfstats: a negative counter printed as %lu prints it; the JSON form', () => {
  const stats = codecFor('current').defaults('vr_vrf_stats_req').fields
  Object.assign(stats, {
    vsr_vrf: 2, vsr_resolves: 4, vsr_l2_mcast_composites: 120, vsr_fabric_composites: 118, vsr_encap_composites: 2,
    vsr_udp_mpls_tunnels: 5522, vsr_l2_encaps: 210, vsr_encaps: 5398, vsr_arp_virtual_proxy: 3, vsr_arp_virtual_stitch: 12,
  })
  assert.equal(vrfStatsBlock({...stats, vsr_discards: -1}).split('\n')[1].split(',')[0], 'Discards 18446744073709551615', '%lu of a negative')
  assert.deepEqual([vrfStatsJson(stats).vrf, vrfStatsJson(stats).udp_mpls_tunnels, vrfStatsJson({...stats, vsr_gros: 2n ** 60n}).gros], [2, 5522, '1152921504606846976'])
})

test('vrmemstats: totals, 68 object lines padded to 32 columns, the stock overlong label kept', () => {
  const stats = codecFor('current').defaults('vr_mem_stats_req').fields
  Object.assign(stats, {vms_alloced: 25, vms_freed: 3, vms_interface_object: 7, vms_interface_req_mirror_meta_object: 2, vms_interface_fat_flow_ipv6_exclude_list_object: 9})
  const lines = memStatsText(stats).split('\n')
  assert.deepEqual(lines.slice(0, 5), ['vRouter memory usage statistics', '', 'Alloced 25 Freed 3', 'Outstanding memory/object:', ''])
  assert.equal(lines.length, 5 + 68 + 1)
  assert.equal(lines[5], 'Assembler Table                 0')
  assert.ok(lines.includes('Interface                       7'))
  assert.ok(lines.includes('Interface Mirror Req Meta Objects   2'), 'the label longer than its column')
  assert.equal(lines.at(-2), 'Fatflow v6 exclude list object  9')
  const json = memStatsJson(stats)
  assert.deepEqual([Object.keys(json).length, json.alloced, json.interface_object], [70, 25, 7])
})

test('--table: the JSON form as a boxed table, columns in first-seen key order, no colour codes', () => {
  const text = tableText([mirrorJson(mirror), mirrorJson({...mirror, mirr_index: 2, mirr_flags: 1, mirr_vni: 5001})])
  const lines = text.split('\n')
  assert.equal(lines[1], '│ index │ nexthop │ flags   │ vni  │ vlan │')
  assert.equal(lines[3], '│ 1     │ 12      │ -       │ -    │ 0    │', 'empty lists and null as "-"')
  assert.equal(lines[5], '│ 2     │ 12      │ DYNAMIC │ 5001 │ 0    │')
  assert.ok(!text.includes('\x1b'), 'no escape codes, piped or not')
})
