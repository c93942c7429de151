/**
 * Every object kind through the real emulator on a real socket: ADD → GET → DUMP over at least 5 pages → DEL →
 * GET refused, and the error codes of the ksync spec (§3.5, and the forwarding plane's ADD/DEL checks).
 */
import assert from 'node:assert/strict'
import {after, before, describe, test} from 'node:test'
import type {KsyncClient} from '../../src/lib/ksync/client.js'
import {VrouterError} from '../../src/lib/errors.js'
import type {MessageName, SandeshObject} from '../../src/lib/sandesh/schema.js'
import {type Emulator, req, startEmulator} from './harness.js'

const ADD = 0
const GET = 1
const DEL = 2
const DUMP = 3
const mac = (i: number) => [0x02, 0, 0, 0, (i >> 8) & 0xff, i & 0xff]

let emu: Emulator
let client: KsyncClient

before(async () => {
  emu = await startEmulator()
  client = await emu.client()
})
after(() => emu.close())

async function expectErrno(promise: Promise<unknown>, errno: string): Promise<void> {
  await assert.rejects(promise, (e: unknown) => e instanceof VrouterError && e.errnoName === errno, `expected ${errno}`)
}

/** Dumps and counts the requests it took (pages). */
async function dumpAll(request: SandeshObject): Promise<{objects: SandeshObject[]; pages: number}> {
  const before = emu.requests()
  const objects: SandeshObject[] = []
  for await (const o of client.dump(request)) objects.push(o)
  return {objects, pages: emu.requests() - before}
}

async function ok(request: SandeshObject): Promise<void> {
  const [response] = await client.request(request)
  assert.equal((response as SandeshObject<'vr_response'>).fields.resp_code, 0)
}

describe('object lifecycles', () => {
  test('interfaces', async () => {
    await ok(req('vr_interface_req', {h_op: ADD, vifr_idx: 0, vifr_type: 2, vifr_name: 'eth0', vifr_mac: mac(0), vifr_transport: 1}))
    for (let i = 1; i <= 30; i++) await ok(req('vr_interface_req', {h_op: ADD, vifr_idx: i, vifr_type: 3, vifr_name: `tap${i}`, vifr_mac: mac(i), vifr_vrf: 2}))
    const got = await client.get(req('vr_interface_req', {h_op: GET, vifr_idx: 7}))
    assert.equal(got.fields.vifr_name, 'tap7')
    assert.equal(got.fields.vifr_flags, 0xc0, 'L2 and L3 when neither is asked for')
    assert.equal((await client.get(req('vr_interface_req', {h_op: GET, vifr_idx: 0}))).fields.vifr_flags, 0xe0, 'a physical interface: its NIC offloads checksums (Tc)')
    await ok(req('vr_interface_req', {h_op: ADD, vifr_idx: 0, vifr_type: 2, vifr_name: 'eth0', vifr_mac: mac(0), vifr_transport: 1, vifr_flags: 0x1}))
    assert.equal((await client.get(req('vr_interface_req', {h_op: GET, vifr_idx: 0}))).fields.vifr_flags, 0xe1, 'a change keeps the capability')
    assert.equal(got.fields.vifr_mtu, 9160, 'a virtual interface without an MTU gets 9160')
    assert.equal(got.fields.vifr_core, 0xffffffff, 'core 0 (all) comes back as core - 1')
    const {objects, pages} = await dumpAll(req('vr_interface_req', {h_op: DUMP}))
    assert.deepEqual(objects.map((o) => (o as SandeshObject<'vr_interface_req'>).fields.vifr_idx), [...Array(31).keys()])
    assert.ok(pages >= 5, `${pages} pages`)
    await ok(req('vr_interface_req', {h_op: DEL, vifr_idx: 7}))
    await expectErrno(client.get(req('vr_interface_req', {h_op: GET, vifr_idx: 7})), 'ENOENT')
    await expectErrno(client.request(req('vr_interface_req', {h_op: DEL, vifr_idx: 7})), 'ENODEV')
    await expectErrno(client.request(req('vr_interface_req', {h_op: ADD, vifr_idx: 5000})), 'EINVAL')
    // An index out of range is a lookup by OS index.
    await ok(req('vr_interface_req', {h_op: ADD, vifr_idx: 40, vifr_type: 3, vifr_os_idx: 77, vifr_name: 'tap40'}))
    assert.equal((await client.get(req('vr_interface_req', {h_op: GET, vifr_idx: -1, vifr_os_idx: 77}))).fields.vifr_idx, 40)
  })

  test('interface GET with drop statistics, and RESET', async () => {
    emu.state.interfaces.get(1)!.drops.vds_invalid_arp = 6
    const objects = await client.request(req('vr_interface_req', {h_op: GET, vifr_idx: 1, vifr_flags: 1}))
    assert.deepEqual(objects.map((o) => o.name), ['vr_response', 'vr_interface_req', 'vr_drop_stats_req'])
    assert.equal((objects[2] as SandeshObject<'vr_drop_stats_req'>).fields.vds_invalid_arp, 6)
    const reset = await client.request(req('vr_interface_req', {h_op: 5, vifr_idx: 1}))
    assert.equal((reset[1] as SandeshObject<'vr_interface_req'>).fields.h_op, 5)
    assert.equal(emu.state.interfaces.get(1)!.drops.vds_invalid_arp, 0)
  })

  test('next hops', async () => {
    for (let id = 1; id <= 100; id++) {
      await ok(req('vr_nexthop_req', {h_op: ADD, nhr_id: id, nhr_type: 2, nhr_family: 2, nhr_flags: 1, nhr_encap_oif_id: [1], nhr_encap: Array(14).fill(0), nhr_vrf: 2}))
    }
    const nh = await client.get(req('vr_nexthop_req', {h_op: GET, nhr_id: 50}))
    assert.equal(nh.fields.nhr_encap_len, 14)
    assert.equal(nh.fields.nhr_ref_cnt, 1)
    const {objects, pages} = await dumpAll(req('vr_nexthop_req', {h_op: DUMP}))
    assert.equal(objects.length, 101, 'next hop 0 (discard) exists from the start')
    assert.ok(pages >= 5, `${pages} pages`)
    assert.equal((await client.get(req('vr_interface_req', {h_op: GET, vifr_idx: 1}))).fields.vifr_ref_cnt, 101, 'each next hop holds its interface')
    await ok(req('vr_nexthop_req', {h_op: DEL, nhr_id: 50}))
    await expectErrno(client.get(req('vr_nexthop_req', {h_op: GET, nhr_id: 50})), 'ENOENT')
    await expectErrno(client.get(req('vr_nexthop_req', {h_op: GET, nhr_id: 600000})), 'ENODEV')
    await expectErrno(client.request(req('vr_nexthop_req', {h_op: DEL, nhr_id: 50})), 'EINVAL')
    await expectErrno(client.request(req('vr_nexthop_req', {h_op: ADD, nhr_id: 200, nhr_type: 1, nhr_flags: 1, nhr_encap_oif_id: [999]})), 'ENODEV')
    await expectErrno(client.request(req('vr_nexthop_req', {h_op: ADD, nhr_id: 201, nhr_type: 3, nhr_family: 2, nhr_flags: 0x41, nhr_encap_oif_id: [1]})), 'EINVAL')
    // An ECMP composite of two members, one of which is missing (allowed; reported as -1).
    await ok(req('vr_nexthop_req', {h_op: ADD, nhr_id: 300, nhr_type: 6, nhr_family: 2, nhr_flags: 0x401, nhr_nh_list: [10, 50], nhr_label_list: [25, 26]}))
    const composite = await client.get(req('vr_nexthop_req', {h_op: GET, nhr_id: 300}))
    assert.deepEqual(composite.fields.nhr_nh_list, [10, -1])
    assert.equal((await client.get(req('vr_nexthop_req', {h_op: GET, nhr_id: 10}))).fields.nhr_ref_cnt, 2)
  })

  test('IPv4 routes: trie dump, longest-prefix match, delete', async () => {
    await ok(req('vr_route_req', {h_op: ADD, rtr_family: 2, rtr_vrf_id: 2, rtr_prefix: [10, 1, 1, 0], rtr_prefix_len: 24, rtr_nh_id: 12, rtr_label_flags: 1, rtr_label: 25}))
    await ok(req('vr_route_req', {h_op: ADD, rtr_family: 2, rtr_vrf_id: 2, rtr_prefix: [10, 1, 1, 5], rtr_prefix_len: 32, rtr_nh_id: 21}))
    const lpm = (a: number[], plen: number) => client.get(req('vr_route_req', {h_op: GET, rtr_family: 2, rtr_vrf_id: 2, rtr_prefix: a, rtr_prefix_len: plen}))
    assert.deepEqual(
      [await lpm([10, 1, 1, 5], 32), await lpm([10, 1, 1, 9], 32), await lpm([10, 2, 0, 1], 32)].map((r) => [r.fields.rtr_nh_id, r.fields.rtr_prefix_len, r.fields.rtr_label]),
      [[21, 32, 0xffffff], [12, 24, 25], [0, 0, 0xffffff]],
    )
    const {objects, pages} = await dumpAll(req('vr_route_req', {h_op: DUMP, rtr_family: 2, rtr_vrf_id: 2}))
    const rows = objects.map((o) => {
      const f = (o as SandeshObject<'vr_route_req'>).fields
      return `${[...f.rtr_prefix].join('.')}/${f.rtr_prefix_len}`
    })
    // 255 /8 leaves, 255 /16, 255 /24 and 256 /32 under 10.1.1, with /8 rows repeated at page boundaries.
    assert.equal(new Set(rows).size, 255 + 255 + 255 + 256)
    assert.ok(pages >= 5, `${pages} pages`)
    assert.ok(rows.includes('10.1.1.5/32') && rows.includes('10.1.1.4/32') && rows.includes('10.1.0.0/24'))
    // Delete the /32, restoring the /24 over it.
    await ok(req('vr_route_req', {h_op: DEL, rtr_family: 2, rtr_vrf_id: 2, rtr_prefix: [10, 1, 1, 5], rtr_prefix_len: 32, rtr_nh_id: 12, rtr_replace_plen: 24, rtr_label_flags: 1, rtr_label: 25}))
    assert.equal((await lpm([10, 1, 1, 5], 32)).fields.rtr_nh_id, 12)
    await expectErrno(client.request(req('vr_route_req', {h_op: ADD, rtr_family: 2, rtr_vrf_id: 2, rtr_prefix: [1, 2, 3, 4], rtr_prefix_len: 32, rtr_nh_id: 4242})), 'ENOENT')
    await expectErrno(client.request(req('vr_route_req', {h_op: ADD, rtr_family: 2, rtr_vrf_id: 2, rtr_prefix: [1, 2, 3, 4], rtr_prefix_len: 33, rtr_nh_id: 12})), 'EINVAL')
    await expectErrno(client.request(req('vr_route_req', {h_op: GET, rtr_family: 99, rtr_vrf_id: 2, rtr_prefix: [1, 2, 3, 4]})), 'EINVAL')
  })

  test('IPv6 routes', async () => {
    const prefix = [0xfd, 0, 0, 0x10, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 5]
    await ok(req('vr_route_req', {h_op: ADD, rtr_family: 10, rtr_vrf_id: 2, rtr_prefix: prefix, rtr_prefix_len: 128, rtr_nh_id: 21}))
    const got = await client.get(req('vr_route_req', {h_op: GET, rtr_family: 10, rtr_vrf_id: 2, rtr_prefix: prefix, rtr_prefix_len: 128}))
    assert.equal(got.fields.rtr_nh_id, 21)
    const {objects, pages} = await dumpAll(req('vr_route_req', {h_op: DUMP, rtr_family: 10, rtr_vrf_id: 2}))
    assert.equal(new Set(objects.map((o) => `${(o as SandeshObject<'vr_route_req'>).fields.rtr_prefix}/${(o as SandeshObject<'vr_route_req'>).fields.rtr_prefix_len}`)).size, 16 * 255 + 1)
    assert.ok(pages >= 5)
  })

  test('bridge routes', async () => {
    for (let i = 1; i <= 200; i++) await ok(req('vr_route_req', {h_op: ADD, rtr_family: 7, rtr_vrf_id: 2, rtr_mac: mac(i), rtr_nh_id: 12, rtr_label_flags: 2, rtr_label: 5000 + i}))
    const got = await client.get(req('vr_route_req', {h_op: GET, rtr_family: 7, rtr_vrf_id: 2, rtr_mac: mac(9), rtr_index: -1}))
    assert.deepEqual([got.fields.rtr_nh_id, got.fields.rtr_label, got.fields.rtr_label_flags], [12, 5009, 3])
    const {objects, pages} = await dumpAll(req('vr_route_req', {h_op: DUMP, rtr_family: 7, rtr_vrf_id: 2}))
    assert.equal(objects.length, 200)
    assert.ok(pages >= 5)
    const indexes = objects.map((o) => (o as SandeshObject<'vr_route_req'>).fields.rtr_index >>> 0)
    assert.deepEqual(indexes, [...indexes].sort((a, b) => a - b), 'in hash-index order')
    await ok(req('vr_route_req', {h_op: DEL, rtr_family: 7, rtr_vrf_id: 2, rtr_mac: mac(9)}))
    await expectErrno(client.get(req('vr_route_req', {h_op: GET, rtr_family: 7, rtr_vrf_id: 2, rtr_mac: mac(9), rtr_index: -1})), 'ENOENT')
    await expectErrno(client.request(req('vr_route_req', {h_op: ADD, rtr_family: 7, rtr_vrf_id: 2, rtr_mac: Array(6).fill(0), rtr_nh_id: 12})), 'EINVAL')
  })

  /** Tables keyed by an integer: ADD n entries, GET one, DUMP all over ≥ 5 pages, DEL one, GET it refused. */
  const indexed: {
    name: MessageName
    n: number
    add: (i: number) => SandeshObject
    get: (i: number) => SandeshObject
    del: (i: number) => SandeshObject
    dump: SandeshObject
    key: (o: SandeshObject) => number
    missing: string
  }[] = [
    {
      name: 'vr_mpls_req', n: 450, key: (o) => (o as SandeshObject<'vr_mpls_req'>).fields.mr_label, missing: 'ENOENT',
      add: (i) => req('vr_mpls_req', {h_op: ADD, mr_label: i, mr_nhid: 12}), get: (i) => req('vr_mpls_req', {h_op: GET, mr_label: i}),
      del: (i) => req('vr_mpls_req', {h_op: DEL, mr_label: i}), dump: req('vr_mpls_req', {h_op: DUMP}),
    },
    {
      name: 'vr_mirror_req', n: 255, key: (o) => (o as SandeshObject<'vr_mirror_req'>).fields.mirr_index, missing: 'ENOENT',
      add: (i) => req('vr_mirror_req', {h_op: ADD, mirr_index: i, mirr_nhid: 12, mirr_vni: -1}), get: (i) => req('vr_mirror_req', {h_op: GET, mirr_index: i}),
      del: (i) => req('vr_mirror_req', {h_op: DEL, mirr_index: i}), dump: req('vr_mirror_req', {h_op: DUMP}),
    },
    {
      name: 'vr_vxlan_req', n: 500, key: (o) => (o as SandeshObject<'vr_vxlan_req'>).fields.vxlanr_vnid, missing: 'ENOENT',
      add: (i) => req('vr_vxlan_req', {h_op: ADD, vxlanr_vnid: 4096 + i, vxlanr_nhid: 12}), get: (i) => req('vr_vxlan_req', {h_op: GET, vxlanr_vnid: 4096 + i}),
      del: (i) => req('vr_vxlan_req', {h_op: DEL, vxlanr_vnid: 4096 + i}), dump: req('vr_vxlan_req', {h_op: DUMP}),
    },
    {
      name: 'vr_vrf_req', n: 350, key: (o) => (o as SandeshObject<'vr_vrf_req'>).fields.vrf_idx, missing: 'ENOENT',
      add: (i) => req('vr_vrf_req', {h_op: ADD, vrf_idx: i}), get: (i) => req('vr_vrf_req', {h_op: GET, vrf_idx: i}),
      del: (i) => req('vr_vrf_req', {h_op: DEL, vrf_idx: i}), dump: req('vr_vrf_req', {h_op: DUMP}),
    },
    {
      name: 'vr_qos_map_req', n: 80, key: (o) => (o as SandeshObject<'vr_qos_map_req'>).fields.qmr_id, missing: 'ENOENT',
      add: (i) => req('vr_qos_map_req', {h_op: ADD, qmr_id: i, qmr_dscp: [10, 46], qmr_dscp_fc_id: [1, 5]}),
      get: (i) => req('vr_qos_map_req', {h_op: GET, qmr_id: i}), del: (i) => req('vr_qos_map_req', {h_op: DEL, qmr_id: i}), dump: req('vr_qos_map_req', {h_op: DUMP}),
    },
    {
      name: 'vr_fc_map_req', n: 256, key: (o) => (o as SandeshObject<'vr_fc_map_req'>).fields.fmr_id[0], missing: 'ENOENT',
      add: (i) => req('vr_fc_map_req', {h_op: ADD, fmr_id: [i], fmr_dscp: [i % 64], fmr_mpls_qos: [i % 8], fmr_dotonep: [i % 8], fmr_queue_id: [i % 8]}),
      get: (i) => req('vr_fc_map_req', {h_op: GET, fmr_id: [i]}), del: (i) => req('vr_fc_map_req', {h_op: DEL, fmr_id: [i]}), dump: req('vr_fc_map_req', {h_op: DUMP}),
    },
    {
      name: 'vr_vrf_assign_req', n: 350, key: (o) => (o as SandeshObject<'vr_vrf_assign_req'>).fields.var_vlan_id, missing: 'EINVAL',
      add: (i) => req('vr_vrf_assign_req', {h_op: ADD, var_vif_index: 2, var_vlan_id: i, var_vif_vrf: 3}),
      get: (i) => req('vr_vrf_assign_req', {h_op: GET, var_vif_index: 2, var_vlan_id: i}),
      del: (i) => req('vr_vrf_assign_req', {h_op: DEL, var_vif_index: 2, var_vlan_id: i}), dump: req('vr_vrf_assign_req', {h_op: DUMP, var_vif_index: 2}),
    },
  ]

  for (const t of indexed) {
    test(t.name, async () => {
      for (let i = 0; i < t.n; i++) await ok(t.add(i))
      assert.equal(t.key(await client.get(t.get(17))), t.name === 'vr_vxlan_req' ? 4096 + 17 : 17)
      const {objects, pages} = await dumpAll(t.dump)
      assert.equal(objects.length, t.n)
      assert.ok(pages >= 5, `${pages} pages`)
      await ok(t.del(17))
      if (t.name === 'vr_vrf_assign_req') {
        // A cleared VLAN reads back as VRF -1.
        assert.equal((await client.get(t.get(17)) as SandeshObject<'vr_vrf_assign_req'>).fields.var_vif_vrf, -1)
      } else {
        await expectErrno(client.get(t.get(17)), t.missing)
      }
    })
  }
})

describe('error codes of GET out of range (spec §3.5)', () => {
  const cases: [string, SandeshObject, string][] = [
    ['mpls label beyond the table', req('vr_mpls_req', {h_op: GET, mr_label: 6000}), 'EINVAL'],
    ['mirror index beyond the table', req('vr_mirror_req', {h_op: GET, mirr_index: 300}), 'ENODEV'],
    ['vrf beyond the table', req('vr_vrf_req', {h_op: GET, vrf_idx: 5000}), 'ENODEV'],
    ['qos map beyond the table', req('vr_qos_map_req', {h_op: GET, qmr_id: 5000}), 'EINVAL'],
    ['fc map without id', req('vr_fc_map_req', {h_op: GET}), 'EINVAL'],
    ['vrf stats beyond the table', req('vr_vrf_stats_req', {h_op: GET, vsr_family: 2, vsr_vrf: 5000}), 'EINVAL'],
    ['vrf stats of another family', req('vr_vrf_stats_req', {h_op: GET, vsr_family: 10}), 'EINVAL'],
    ['vrf assign of a missing interface', req('vr_vrf_assign_req', {h_op: GET, var_vif_index: 999}), 'EINVAL'],
    ['vxlan vni not in use', req('vr_vxlan_req', {h_op: GET, vxlanr_vnid: 77}), 'ENOENT'],
  ]
  for (const [what, request, errno] of cases) test(what, () => expectErrno(client.request(request), errno))
})

describe('statistics and settings', () => {
  test('drop statistics: GET, per core, RESET', async () => {
    emu.state.drops.drops.vds_discard = 11
    const all = await client.get(req('vr_drop_stats_req', {h_op: GET}))
    assert.equal(all.fields.vds_discard, 11)
    const core0 = await client.get(req('vr_drop_stats_req', {h_op: GET, vds_core: 1}))
    const core1 = await client.get(req('vr_drop_stats_req', {h_op: GET, vds_core: 2}))
    assert.equal(Number(core0.fields.vds_discard) + Number(core1.fields.vds_discard), 11)
    const reset = await client.request(req('vr_drop_stats_req', {h_op: 5}))
    assert.equal((reset[1] as SandeshObject<'vr_drop_stats_req'>).fields.h_op, 5)
    assert.equal((await client.get(req('vr_drop_stats_req', {h_op: GET}))).fields.vds_discard, 0)
  })

  test('VRF statistics: GET of any VRF, DUMP of the non-zero ones over pages', async () => {
    assert.equal((await client.get(req('vr_vrf_stats_req', {h_op: GET, vsr_family: 2, vsr_vrf: 33}))).fields.vsr_vrf, 33)
    for (let v = 0; v < 60; v++) emu.state.vrfStats.add(v, 'vsr_receives', v + 1)
    const {objects, pages} = await dumpAll(req('vr_vrf_stats_req', {h_op: DUMP, vsr_family: 2}))
    assert.equal(objects.length, 60)
    assert.ok(pages >= 5)
  })

  test('vrouter_ops: GET, ADD of knobs (-1 = unchanged)', async () => {
    const ops = await client.get(req('vrouter_ops', {h_op: GET}))
    assert.deepEqual([ops.fields.vo_interfaces, ops.fields.vo_nexthops, ops.fields.vo_flow_hold_limit], [4355, 524288, 1000])
    const knobs = Object.fromEntries(['vo_perfr', 'vo_perfs', 'vo_from_vm_mss_adj', 'vo_to_vm_mss_adj', 'vo_perfr1', 'vo_perfr2', 'vo_perfr3', 'vo_perfp', 'vo_perfq1', 'vo_perfq2', 'vo_perfq3', 'vo_udp_coff', 'vo_mudp', 'vo_burst_tokens', 'vo_burst_interval', 'vo_burst_step', 'vo_packet_dump'].map((k) => [k, -1]))
    await ok(req('vrouter_ops', {h_op: ADD, ...knobs, vo_flow_hold_limit: 512}))
    const after = await client.get(req('vrouter_ops', {h_op: GET}))
    assert.deepEqual([after.fields.vo_flow_hold_limit, after.fields.vo_perfr], [512, 1])
    await expectErrno(client.request(req('vrouter_ops', {h_op: DUMP})), 'EOPNOTSUPP')
  })

  test('memory statistics, and the two replies to an unsupported op', async () => {
    const mem = await client.get(req('vr_mem_stats_req', {h_op: GET}))
    assert.ok(Number(mem.fields.vms_interface_object) > 0)
    const messages = await client.exchange([req('vr_drop_stats_req', {h_op: DEL})])
    assert.deepEqual(messages.map((m) => m.objects.map((o) => o.name)), [['vr_response'], ['vr_response', 'vr_drop_stats_req']])
  })

  test('vr_info text in chunks', async () => {
    const chunks: SandeshObject[] = []
    for await (const o of client.dump(req('vr_info_req', {h_op: DUMP, vdu_msginfo: 1}))) chunks.push(o)
    const text = chunks.map((c) => new TextDecoder().decode(Uint8Array.from((c as SandeshObject<'vr_info_req'>).fields.vdu_proc_info))).join('')
    assert.match(text, /vRouter emulator/)
  })
})
