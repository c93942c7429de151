/**
 * Next-hop ADD and GET as the forwarding plane does them (TF dp-core/vr_nexthop.c): the tunnel kinds in their order
 * of precedence, the fields a GET reports per type and kind (vr_nexthop_make_req), and a change that must keep the
 * rewrite size the next hop was created with (vr_nexthop_valid_change).
 */
import assert from 'node:assert/strict'
import {after, before, test} from 'node:test'
import {VrouterError} from '../../src/lib/errors.js'
import type {KsyncClient} from '../../src/lib/ksync/client.js'
import type {MessageFields, SandeshObject} from '../../src/lib/sandesh/schema.js'
import {type Emulator, req, startEmulator} from './harness.js'

type Nh = MessageFields<'vr_nexthop_req'>
const ADD = 0
const GET = 1
const DEL = 2
const VALID = 0x1
const GRE = 0x8
const UDP = 0x10
const MPLSOUDP = 0x40
const VXLAN = 0x80
const ECMP = 0x400
const PBB = 0x80000
const INDIRECT = 0x400000
const MPLS_O_MPLS = 0x4000000
const REWRITE = Array(14).fill(1)

let emu: Emulator
let client: KsyncClient
before(async () => {
  emu = await startEmulator()
  client = await emu.client()
  for (const idx of [0, 1]) await client.request(req('vr_interface_req', {h_op: ADD, vifr_idx: idx, vifr_type: 2, vifr_name: `eth${idx}`, vifr_mac: [2, 0, 0, 0, 0, idx]}))
})
after(() => emu.close())

const create = (fields: Partial<Nh>) => client.request(req('vr_nexthop_req', {h_op: ADD, nhr_flags: VALID, ...fields}))
const get = async (id: number) => (await client.get(req('vr_nexthop_req', {h_op: GET, nhr_id: id}))).fields
const refused = (fields: Partial<Nh>, errno: string) =>
  assert.rejects(create(fields), (e: unknown) => e instanceof VrouterError && e.errnoName === errno, `expected ${errno}`)
const tunnel = (id: number, flags: number, fields: Partial<Nh> = {}): Partial<Nh> => ({
  nhr_id: id,
  nhr_type: 3,
  nhr_family: 2,
  nhr_flags: VALID | flags,
  nhr_encap_oif_id: [1],
  nhr_encap: REWRITE,
  nhr_tun_sip: 0x0100000a,
  nhr_tun_dip: 0x0200000a,
  nhr_tun_sport: 0x1234,
  nhr_tun_dport: 0x5678,
  nhr_transport_label: 77,
  ...fields,
})

test('tunnel kinds in the dp order: GRE, then UDP (no interface needed), then MPLSoUDP and VXLAN', async () => {
  await refused(tunnel(10, GRE | UDP, {nhr_encap_oif_id: [9]}), 'ENODEV')
  await create(tunnel(11, UDP | MPLSOUDP, {nhr_encap_oif_id: [9]}))
  const udp = await get(11)
  assert.deepEqual([udp.nhr_encap_oif_id, udp.nhr_tun_sport, udp.nhr_tun_dport, udp.nhr_transport_label], [[0], 0x1234, 0x5678, 0], 'a UDP tunnel holds no interface')
  await refused(tunnel(12, UDP, {nhr_family: 0}), 'EINVAL')
  await refused(tunnel(13, MPLSOUDP, {nhr_encap_oif_id: [9]}), 'ENODEV')
})

test('each tunnel kind reports its own fields', async () => {
  // GRE (no family, as the stock nh tool sends it): addresses, rewrite, interface, transport label of MPLSoMPLS.
  await create(tunnel(20, GRE | MPLS_O_MPLS, {nhr_family: 0}))
  const gre = await get(20)
  assert.deepEqual(
    [gre.nhr_family, gre.nhr_tun_sip, gre.nhr_encap, gre.nhr_encap_len, gre.nhr_encap_oif_id, gre.nhr_transport_label, gre.nhr_tun_sport],
    [0, 0x0100000a, REWRITE, 14, [1], 77, 0],
  )
  await create(tunnel(21, VXLAN | MPLS_O_MPLS))
  assert.equal((await get(21)).nhr_transport_label, 0, 'VXLAN reports no transport label')
  // PBB: the backbone MAC and label, the direct next hop; no addresses, rewrite or interface.
  await create(tunnel(22, PBB | INDIRECT, {nhr_family: 7, nhr_pbb_mac: [0, 0xaa, 0, 0, 0, 1], nhr_nh_list: [20], nhr_label_list: [100]}))
  const pbb = await get(22)
  assert.deepEqual(
    [pbb.nhr_tun_sip, pbb.nhr_encap.length, pbb.nhr_encap_oif_id, pbb.nhr_nh_list, pbb.nhr_label_list, pbb.nhr_pbb_mac],
    [0, 0, [0], [20], [100], [0, 0xaa, 0, 0, 0, 1]],
  )
  await create(tunnel(23, PBB | INDIRECT, {nhr_family: 7, nhr_pbb_mac: [0, 0xaa, 0, 0, 0, 1], nhr_label_list: [-1]}))
  assert.deepEqual((await get(23)).nhr_label_list, [], 'label -1 is no label')
  // Underlay ECMP: one interface per valid slot, -1 for the others.
  await create(tunnel(24, GRE | 0x10000000, {nhr_encap_oif_id: [0, 1, 5], nhr_encap_valid: [1, 1, 0], nhr_encap: Array(28).fill(0)}))
  const underlay = await get(24)
  assert.deepEqual([underlay.nhr_encap_oif_id, underlay.nhr_encap_valid, underlay.nhr_encap.length], [[0, 1, -1], [1, 1, 0], 28])
})

test('only a next hop with a device reports an interface; only an ECMP composite its hash', async () => {
  const simple = (id: number, type: number) => create({nhr_id: id, nhr_type: type, nhr_family: 2, nhr_encap_oif_id: [-1], nhr_encap_len: 14})
  for (const [id, type] of [[30, 4], [31, 5], [32, 7], [33, 8]]) {
    await simple(id, type)
    assert.deepEqual((await get(id)).nhr_encap_oif_id, [0], `type ${type}`)
  }
  await create({nhr_id: 34, nhr_type: 1, nhr_family: 2, nhr_encap_oif_id: [1]})
  assert.deepEqual((await get(34)).nhr_encap_oif_id, [1], 'a receive next hop holds its interface')
  await create({nhr_id: 35, nhr_type: 6, nhr_family: 2, nhr_flags: VALID | ECMP, nhr_nh_list: [34], nhr_label_list: [0], nhr_ecmp_config_hash: 0xff})
  await create({nhr_id: 36, nhr_type: 6, nhr_family: 2, nhr_nh_list: [34], nhr_label_list: [0], nhr_ecmp_config_hash: 0x3})
  assert.deepEqual([(await get(35)).nhr_ecmp_config_hash, (await get(36)).nhr_ecmp_config_hash], [0x1f, 0])
})

test('a change keeps the rewrite size the next hop was created with', async () => {
  await create(tunnel(40, GRE))
  await refused(tunnel(40, GRE, {nhr_encap: Array(28).fill(0)}), 'EINVAL')
  await create(tunnel(40, GRE, {nhr_encap: Array(14).fill(2)}))
  assert.equal((await get(40)).nhr_encap[0], 2)
  // A multicast encap may come without a rewrite; it cannot get one later.
  await create({nhr_id: 41, nhr_type: 2, nhr_family: 2, nhr_flags: VALID | 0x20, nhr_encap_oif_id: [1]})
  await refused({nhr_id: 41, nhr_type: 2, nhr_family: 2, nhr_flags: VALID | 0x20, nhr_encap_oif_id: [1], nhr_encap: REWRITE}, 'EINVAL')
  const kept: SandeshObject<'vr_nexthop_req'>['fields'] = await get(41)
  assert.equal(kept.nhr_encap.length, 0)
})

test('a composite holds the members it was given: one missing then stays -1, one deleted later keeps its id', async () => {
  await create({nhr_id: 50, nhr_type: 1, nhr_family: 2, nhr_encap_oif_id: [1]})
  await create({nhr_id: 51, nhr_type: 6, nhr_family: 2, nhr_flags: VALID | ECMP, nhr_nh_list: [50, 52], nhr_label_list: [25, 31]})
  await create({nhr_id: 52, nhr_type: 1, nhr_family: 2, nhr_encap_oif_id: [1]})
  assert.deepEqual([(await get(51)).nhr_nh_list, (await get(50)).nhr_ref_cnt, (await get(52)).nhr_ref_cnt], [[50, -1], 2, 1])
  await client.request(req('vr_nexthop_req', {h_op: DEL, nhr_id: 50}))
  assert.deepEqual((await get(51)).nhr_nh_list, [50, -1], 'the deleted member is still held')
})
