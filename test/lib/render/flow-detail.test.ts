/**
 * `flow --get` text with everything the stock tool fetches (utils/flow.c flow_dump_entry): the expected source (an
 * ECMP composite with the reverse flow's member marked and shown, or a tunnel with its interface), the source and
 * destination routes with their next hops, interfaces and Layer 2 parts, both mirrors, the drop sums; and its JSON.
 */
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {ipv4ToHostInteger} from '../../../src/lib/model/addresses.js'
import {FLOW_FLAG, type FlowEntry} from '../../../src/lib/model/flow.js'
import {type FlowDetailContext, flowDetail, flowDetailJson} from '../../../src/lib/render/flow.js'
import type {MessageFields} from '../../../src/lib/sandesh/schema.js'
import {objectOf} from '../../helpers.js'

const S = ' '.repeat(30)
const nh = (fields: Partial<MessageFields<'vr_nexthop_req'>>) => objectOf('vr_nexthop_req', {nhr_family: 2, nhr_flags: 1, ...fields}).fields
const vif = (fields: Partial<MessageFields<'vr_interface_req'>>) => objectOf('vr_interface_req', fields).fields
const route = (fields: Partial<MessageFields<'vr_route_req'>>) => objectOf('vr_route_req', {rtr_family: 2, ...fields}).fields
const ip = (text: string) => text.split('.').map(Number)
/** A host-order u32 whose memory bytes are the address (as nhr_tun_sip/dip travel). */
const tun = (text: string) => ipv4ToHostInteger(ip(text))

function entry(fields: Partial<FlowEntry>): FlowEntry {
  return {
    hentry_index: 0, hentry_bucket_index: 0, hentry_next_index: 0, hentry_flags: 0,
    fe_ttl: 64, fe_qos_id: -1, key_family: 2, key_proto: 6, key_sport: 40000, key_dport: 80, key_nh_id: 21,
    key_ip: Uint8Array.of(10, 1, 1, 5, 10, 1, 2, 9), key_len: 0, fe_gen_id: 3, fe_tcp_flags: 0, fe_tcp_seq: 0,
    fe_rflow: 77, fe_flags: FLOW_FLAG.ACTIVE | FLOW_FLAG.RFLOW_VALID, fe_action: 2, fe_vrf: 2, fe_dvrf: 0,
    fe_mirror_id: 255, fe_sec_mirror_id: 255, fe_src_nh_index: 40, flow_bytes: 1500, flow_packets: 10,
    flow_bytes_oflow: 0, flow_packets_oflow: 0, fe_ecmp_nh_index: -1, fe_drop_reason: 0, fe_type: 2,
    fe_udp_src_port: 52000, fe_src_info: 3, fe_underlay_ecmp_index: -1,
    ...fields,
  }
}

const encap21 = nh({nhr_id: 21, nhr_type: 2, nhr_vrf: 2, nhr_encap_oif_id: [3]})
const tunnel10 = nh({nhr_id: 10, nhr_type: 3, nhr_vrf: 0, nhr_encap_oif_id: [0], nhr_tun_sip: tun('192.168.10.7'), nhr_tun_dip: tun('192.168.10.8')})
const vm = {fields: vif({vifr_idx: 3, vifr_vrf: 2, vifr_os_idx: 14, vifr_opackets: 31310, vifr_ipackets: 42420, vifr_ierrors: 2, vifr_oerrors: 1}), name: 'tapa1b2c3d4-e5'}
const fabric = {fields: vif({vifr_idx: 0, vifr_vrf: 0, vifr_os_idx: 2, vifr_opackets: 8765432, vifr_ipackets: 9876543}), name: 'eth0'}
const drops = objectOf('vr_drop_stats_req', {vds_discard: 12, vds_invalid_arp: 3, vds_flow_action_drop: 17, vds_drop_new_flow: 4, vds_invalid_source: 5, vds_flow_evict: 1000}).fields

const full: FlowDetailContext = {
  ecmpIndex: 1,
  expectedSource: {nexthop: nh({nhr_id: 40, nhr_type: 6, nhr_vrf: 2, nhr_flags: 0x401, nhr_nh_list: [21, 10, 22]}), member: {nexthop: tunnel10}},
  components: [encap21, tunnel10, nh({nhr_id: 22, nhr_type: 2, nhr_vrf: 2, nhr_encap_oif_id: [4]})],
  source: {
    route: route({rtr_vrf_id: 2, rtr_prefix: ip('10.1.1.5'), rtr_prefix_len: 32, rtr_nh_id: 21, rtr_mac: [0, 0, 0x5e, 0, 1, 0]}),
    hop: {nexthop: encap21, vif: vm},
    bridge: {route: route({rtr_family: 7, rtr_vrf_id: 2, rtr_mac: [0, 0, 0x5e, 0, 1, 0], rtr_nh_id: 21}), hop: {nexthop: encap21, vif: vm}},
  },
  destination: {
    // The reply's prefix is the address asked for: printed masked to the matching length.
    route: route({rtr_vrf_id: 2, rtr_prefix: ip('10.1.2.9'), rtr_prefix_len: 24, rtr_nh_id: 10, rtr_mac: Array(6).fill(0)}),
    hop: {nexthop: tunnel10, vif: fabric},
  },
  primaryMirror: {index: 1, nexthop: nh({nhr_id: 11, nhr_type: 3, nhr_vrf: -1, nhr_tun_sip: tun('192.168.10.7'), nhr_tun_dip: tun('192.168.10.9')})},
  secondaryMirror: {index: 2, nexthop: nh({nhr_id: 22, nhr_type: 2, nhr_vrf: 2})},
  drops,
}

test('everything fetched: ECMP source with its member, routes with Layer 2 parts, both mirrors, the drop sums', () => {
  const e = entry({fe_flags: FLOW_FLAG.ACTIVE | FLOW_FLAG.RFLOW_VALID | FLOW_FLAG.MIRROR, fe_mirror_id: 1, fe_sec_mirror_id: 2})
  assert.equal(
    flowDetail(616, e, entry({fe_ecmp_nh_index: 1}), full),
    [
      'Flow Index:                   616',
      'Flow Generation ID:           3',
      'Reverse Flow Index:           77',
      'VRF:                          2',
      'Destination VRF:              2',
      'Flow Source:                  [10.1.1.5]:40000',
      'Flow Destination:             [10.1.2.9]:80   ',
      'Flow Protocol:                TCP',
      'Flow Action:                  FORWARD',
      'Expected Source:              NextHop(Index, VRF, Type): 40, 2, COMPOSITE',
      `${S}ECMP`,
      `${S}21, 10*, 22, `,
      `${S}NextHop(Index, VRF, Type): 10, 0, TUNNEL`,
      `${S}Tunnel Source: 192.168.10.8`,
      'Source Information:           VRF: 2',
      `${S}Layer 3 Route Information`,
      `${S}Matching Route: 10.1.1.5/32`,
      `${S}NextHop(Index, VRF, Type): 21, 2, ENCAP`,
      `${S}Ingress Interface(Index, VRF, OS): vif0/3, 2, tapa1b2c3d4-e5`,
      `${S}Interface Statistics(Out, In, Errors): 31310, 42420, 3`,
      '',
      `${S}Layer 2 Route Information`,
      `${S}SourceMAC: 0:0:5e:0:1:0`,
      `${S}NextHop(Index, VRF, Type): 21, 2, ENCAP`,
      `${S}Ingress Interface(Index, VRF, OS): vif0/3, 2, tapa1b2c3d4-e5`,
      `${S}Interface Statistics(Out, In, Errors): 31310, 42420, 3`,
      'Destination Information:      VRF: 2',
      `${S}Layer 3 Route Information`,
      `${S}Matching Route: 10.1.2.0/24`,
      `${S}NextHop(Index, VRF, Type): 10, 0, TUNNEL`,
      `${S}Tunnel Source: 192.168.10.8`,
      `${S}Egress Interface(Index, VRF, OS): vif0/0, 0, eth0`,
      `${S}Interface Statistics(Out, In, Errors): 8765432, 9876543, 0`,
      '',
      `${S}Layer 2 Route Information`,
      // A MAC of zeros is shown but was not looked up.
      `${S}DestinationMAC: 0:0:0:0:0:0`,
      '',
      'Flow Flags:                   MIRROR ',
      'TCP FLAGS:                    ',
      'UDP Source Port:              52000',
      '',
      'Mirror Index:                 1, 2, Primary Mirror:               NextHop 11',
      `${S}To Destination 192.168.10.9 in the same VRF (-1)`,
      `${S}Tunnel Source IP 192.168.10.7 Secondary Mirror:             NextHop 22 of type 2`,
      'Flow Statistics:              10/1500',
      // 12 + 3 + 17 + 4 + 5 (flow_evict is not in the stock sum); the flow block: 17 + 4.
      'System Wide Packet Drops:     41',
      `${S}Reverse Path Failures: 5`,
      `${S}Flow Block Drops: 21`,
      '',
    ].join('\n'),
  )
})

test('a tunnel source with its interface; a route to a next hop of another type prints only its indentation', () => {
  const context: FlowDetailContext = {
    ecmpIndex: -1,
    expectedSource: {nexthop: tunnel10, vif: {...fabric, name: ''}},
    components: [],
    source: {route: route({rtr_vrf_id: 2, rtr_prefix: ip('10.1.1.5'), rtr_prefix_len: 0, rtr_nh_id: 0}), hop: {nexthop: nh({nhr_id: 0, nhr_type: 5})}},
    drops: objectOf('vr_drop_stats_req', {}).fields,
  }
  const text = flowDetail(9, entry({fe_src_nh_index: 10, fe_flags: FLOW_FLAG.ACTIVE, key_proto: 17}), undefined, context)
  assert.ok(
    text.includes(
      [
        'Flow Action:                  FORWARD',
        'Expected Source:              NextHop(Index, VRF, Type): 10, 0, TUNNEL',
        `${S}Tunnel Source: 192.168.10.8`,
        // An OS index the host has no name for: if_indextoname leaves the name empty.
        `${S}Ingress Interface(Index, VRF, OS): vif0/0, 0, `,
        `${S}Interface Statistics(Out, In, Errors): 8765432, 9876543, 0`,
        'Source Information:           VRF: 2',
        `${S}Layer 3 Route Information`,
        `${S}Matching Route: 0.0.0.0/0 `,
        `${S}`,
        'Flow Flags:                   ',
      ].join('\n'),
    ),
    text,
  )
  assert.ok(text.endsWith(`System Wide Packet Drops:     0\n${S}Reverse Path Failures: 0\n${S}Flow Block Drops: 0\n`))
  assert.equal(flowDetail(9, entry({}), undefined).includes('System Wide'), false, 'without a context (--file): the flow only')
})

test('an ECMP composite without a member index: the list unmarked and the line left open', () => {
  const context: FlowDetailContext = {...full, ecmpIndex: -1, expectedSource: {nexthop: full.expectedSource!.nexthop}, source: undefined, destination: undefined}
  const text = flowDetail(616, entry({}), undefined, context)
  assert.ok(text.includes(`Expected Source:              NextHop(Index, VRF, Type): 40, 2, COMPOSITE\n${S}ECMP\n${S}21, 10, 22, \n${S}\nFlow Flags:`), text)
})

test('--get --json: what was fetched, structured', () => {
  const e = entry({fe_flags: FLOW_FLAG.ACTIVE | FLOW_FLAG.RFLOW_VALID | FLOW_FLAG.MIRROR, fe_mirror_id: 1, fe_sec_mirror_id: 2})
  const json = flowDetailJson(616, e, full) as Record<string, any>
  assert.equal(json.index, 616)
  assert.equal(json.expected_source.ecmp_index, 1)
  assert.deepEqual(json.expected_source.components.map((c: {id: number}) => c.id), [21, 10, 22])
  assert.equal(json.expected_source.member.nexthop.id, 10)
  assert.deepEqual(json.source_information.path.interface, {index: 3, vrf: 2, os_index: 14, os_name: 'tapa1b2c3d4-e5', out_packets: 31310, in_packets: 42420, errors: 3})
  assert.deepEqual([json.source_information.prefix, json.source_information.mac, json.source_information.bridge.mac], ['10.1.1.5/32', '0:0:5e:0:1:0', '0:0:5e:0:1:0'])
  assert.deepEqual([json.destination_information.prefix, json.destination_information.bridge], ['10.1.2.0/24', null])
  assert.deepEqual([json.mirrors.primary.index, json.mirrors.secondary.nexthop.id], [1, 22])
  assert.deepEqual(json.drops, {system_wide: 41, reverse_path_failures: 5, flow_block: 21})
  assert.equal('drops' in flowDetailJson(616, e), false, 'no context, no fetched members')
})
