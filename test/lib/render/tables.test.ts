/** The small table renderers (mirror, vxlan, mpls): stock text byte for byte, from the stock format strings. */
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {MIRROR_HEADER, mirrorJson, mirrorLine} from '../../../src/lib/render/mirror.js'
import {mplsLine} from '../../../src/lib/render/mpls.js'
import {VXLAN_HEADER, vxlanLine} from '../../../src/lib/render/vxlan.js'

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
