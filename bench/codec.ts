/**
 * Codec throughput, ours against npm thrift's TBinaryProtocol (extended for Sandesh), side by side in one run:
 * objects/s encoded and decoded for a vr_route_req, a vr_interface_req and a full 3968-byte dump page of
 * vr_nexthop_req. Targets (issue 4): ≥ 50× thrift both ways, ≥ 3 M small objects/s decoded.
 * Run: npx tsx bench/codec.ts [--rounds N] [--ms N]
 */
import {parseArgs} from 'node:util'
import {codecFor} from '../src/lib/sandesh/codec.js'
import type {SandeshObject} from '../src/lib/sandesh/schema.js'
import {objectOf} from '../test/helpers.js'
import {thriftDecode, thriftEncode} from '../test/thrift-oracle.js'
import {compare, formatRate, printTable} from './measure.js'

const {values} = parseArgs({options: {rounds: {type: 'string', default: '25'}, ms: {type: 'string', default: '100'}}})
const rounds = Number(values.rounds)
const ms = Number(values.ms)
const codec = codecFor('current')

const route = objectOf('vr_route_req', {
  h_op: 3, rtr_vrf_id: 2, rtr_family: 2, rtr_prefix: [10, 1, 1, 0], rtr_prefix_len: 24, rtr_label_flags: 1,
  rtr_label: 25, rtr_nh_id: 12, rtr_replace_plen: 24, rtr_index: -1,
})
const vif = objectOf('vr_interface_req', {
  vifr_type: 3, vifr_flags: 0x101c1, vifr_vrf: 2, vifr_idx: 7, vifr_os_idx: 31, vifr_mtu: 9000, vifr_name: 'tapa1b2c3d4-e5',
  vifr_ibytes: 424242424242, vifr_ipackets: 4242424242, vifr_obytes: 313131313131, vifr_opackets: 3131313131,
  vifr_mac: [0, 0, 0x5e, 0, 1, 0], vifr_ip: 0x05010a0a, vifr_ip6_u: 72058693817991421n, vifr_ip6_l: 360287970189639680n,
  vifr_mir_id: -1, vifr_speed: -1, vifr_duplex: -1, vifr_vlan_id: -1, vifr_parent_vif_idx: -1, vifr_nh_id: 21, vifr_mcast_vrf: 2,
})
const nexthop = (id: number) =>
  objectOf('vr_nexthop_req', {
    h_op: 3, nhr_type: 2, nhr_family: 2, nhr_id: id, nhr_encap_oif_id: [2], nhr_encap_len: 14, nhr_encap_family: 0x0806, nhr_vrf: 2,
    nhr_ref_cnt: 5, nhr_flags: 3, nhr_encap: [0, 0, 0x5e, 0, 1, 0, 0, 0, 0x5e, 0, 1, 0, 8, 0], nhr_encap_crypt_oif_id: -1,
  })
const page: SandeshObject[] = []
for (let size = 0, id = 1; ; id++) {
  const next = nexthop(id)
  if (size + codec.encodedSize(next) > 3968) break
  page.push(next)
  size += codec.encodedSize(next)
}

const workloads: {name: string; objects: SandeshObject[]}[] = [
  {name: 'vr_route_req', objects: [route]},
  {name: 'vr_interface_req', objects: [vif]},
  {name: `vr_nexthop_req page (${page.length} objects, ${codec.encode(...page).length} B)`, objects: page},
]

const rows: string[][] = []
for (const {name, objects} of workloads) {
  const bytes = codec.encode(...objects)
  const n = objects.length
  const results = compare(
    [
      {name: 'ours encode', run: () => (codec.encode(...objects), n)},
      {name: 'thrift encode', run: () => (objects.forEach((o) => thriftEncode(o)), n)},
      {name: 'ours decode', run: () => codec.decodePayload(bytes).length},
      {name: 'thrift decode', run: () => thriftDecode(bytes).length},
    ],
    rounds,
    ms,
  )
  rows.push([
    name,
    formatRate(results.best('ours encode')),
    formatRate(results.best('thrift encode')),
    `${results.ratio('ours encode', 'thrift encode').toFixed(0)}×`,
    formatRate(results.best('ours decode')),
    formatRate(results.best('thrift decode')),
    `${results.ratio('ours decode', 'thrift decode').toFixed(0)}×`,
  ])
}
console.log(`codec objects/s, best of ${rounds} alternating rounds of ${ms} ms; ratios: median of the rounds' (node ${process.version})\n`)
printTable(['workload', 'ours enc', 'thrift enc', 'ratio', 'ours dec', 'thrift dec', 'ratio'], rows)
