/**
 * `nh --create` for every next-hop type, the real command against the real emulator: the request it sends is the one
 * the stock tool sends (fields as TF utils/vr_util.c vr_send_nexthop_* fill them; three as golden bytes), `nh --get`
 * shows what was created, the forwarding plane's refusals surface as the stock tool prints them, and a command line
 * the stock tool rejects prints its usage and sends nothing.
 */
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import {encodeReplyBatch} from '../../src/lib/ksync/frame.js'
import {NH_COMMAND_USAGE, NH_USAGE} from '../../src/lib/render/nh.js'
import {codecFor} from '../../src/lib/sandesh/codec.js'
import type {MessageFields} from '../../src/lib/sandesh/schema.js'
import {hexFixture, objectOf} from '../helpers.js'
import {replay} from '../peer-server.js'
import {runCliAsync} from '../cli.js'
import {useDemoEmulator} from './demo-emulator.js'

type Nh = MessageFields<'vr_nexthop_req'>

const demo = useDemoEmulator()

async function nh(...argv: string[]) {
  const r = await demo.run(['nh', ...argv])
  return {...r, sent: r.received.map((o) => o.fields as Nh)}
}

/** The whole ADD request: every field zero or empty but these (so equal fields are equal bytes). */
const add = (fields: Partial<Nh>): Nh => ({...codecFor('current').defaults('vr_nexthop_req').fields, h_op: 0, ...fields})
const MAC_VHOST = [0x00, 0x1b, 0x21, 0xaa, 0xbb, 0x01]
const MAC_PEER = [0x00, 0x1b, 0x21, 0xcc, 0xdd, 0x02]
/** One rewrite: destination MAC, source MAC, ethertype 0x0800. */
const REWRITE = [...MAC_PEER, ...MAC_VHOST, 0x08, 0x00]
/** s_addr of 192.168.10.7 and 192.168.10.8 (network order in a little-endian host integer). */
const SIP = 0x070aa8c0
const DIP = 0x080aa8c0
const TUNNEL = ['--oif', '0', '--smac', '00:1b:21:aa:bb:01', '--dmac', '00:1b:21:cc:dd:02', '--sip', '192.168.10.7', '--dip', '192.168.10.8']
const TUNNEL_FIELDS = {nhr_type: 3, nhr_vrf: 0, nhr_encap_oif_id: [0], nhr_encap_len: 14, nhr_encap: REWRITE, nhr_encap_family: 0x0806, nhr_tun_sip: SIP, nhr_tun_dip: DIP}

/** Creates (it must succeed), checks the request sent, and returns `nh --get <id>`'s text. */
async function created(id: number, argv: string[], expected: Partial<Nh>): Promise<string> {
  const create = await nh('--create', String(id), ...argv)
  assert.deepEqual([create.status, create.stdout, create.stderr], [0, '', ''])
  assert.deepEqual(create.sent, [add({nhr_id: id, ...expected})])
  const get = await nh('--get', String(id))
  assert.equal(get.status, 0)
  return get.stdout
}

describe('each type: the request sent, then nh --get', () => {
  test('encap (AF_INET, both MACs)', async () => {
    const text = await created(60, ['--type', '2', '--vrf', '2', '--oif', '3', '--smac', '00:1b:21:aa:bb:01', '--dmac', '00:00:5e:00:01:00', '--pol'], {
      nhr_type: 2,
      nhr_family: 2,
      nhr_vrf: 2,
      nhr_flags: 0x3,
      nhr_encap_oif_id: [3],
      nhr_encap_len: 14,
      nhr_encap: [0, 0, 0x5e, 0, 1, 0, ...MAC_VHOST, 8, 0],
      nhr_encap_family: 0x0806,
    })
    assert.equal(
      text,
      'Id:60         Type:Encap          Fmly: AF_INET  Rid:0  Ref_cnt:1          Vrf:2\n' +
        '              Flags:Valid, Policy, \n' +
        '              EncapFmly:0806 Oif:3 Len:14\n' +
        '              Encap Data: 00 00 5e 00 01 00 00 1b 21 aa bb 01 08 00 \n\n',
    )
  })

  test('tunnel, GRE by default: no family (so no addresses shown)', async () => {
    const text = await created(61, ['--type', '3', '--vrf', '0', ...TUNNEL], {...TUNNEL_FIELDS, nhr_flags: 0x9})
    assert.equal(
      text,
      'Id:61         Type:Tunnel         Fmly:AF_UNSPEC  Rid:0  Ref_cnt:1          Vrf:0\n' +
        '              Flags:Valid, MPLSoGRE, \n' +
        '              Oif:0 Len:14 Data:00 1b 21 cc dd 02 00 1b 21 aa bb 01 08 00 \n' +
        '              \n\n',
    )
    const json = JSON.parse((await nh('--get', '61', '--json')).stdout) as Record<string, unknown>[]
    assert.deepEqual(json, [
      {
        id: 61,
        type: 'Tunnel',
        family: 'AF_UNSPEC',
        vrf: 0,
        ref_count: 1,
        flags: ['Valid', 'MPLSoGRE'],
        interfaces: [0],
        encap: '00 1b 21 cc dd 02 00 1b 21 aa bb 01 08 00',
        source: '192.168.10.7',
        destination: '192.168.10.8',
      },
    ])
  })

  test('tunnel, MPLSoUDP (--udp without ports)', async () => {
    const text = await created(62, ['--type', '3', '--vrf', '0', ...TUNNEL, '--udp'], {...TUNNEL_FIELDS, nhr_flags: 0x41})
    assert.match(text, /^Id:62 +Type:Tunnel +Fmly:AF_UNSPEC .*\n {14}Flags:Valid, MPLSoUDP, \n {14}Oif:0 Len:14 Data:00 1b 21 cc dd 02/)
  })

  test('tunnel, UDP with ports: sent in network order; the forwarding plane refuses a UDP tunnel without a family', async () => {
    const r = await nh('--create', '64', '--type', '3', '--vrf', '0', ...TUNNEL, '--udp', '--sport', '1000', '--dport', '6635')
    assert.deepEqual(r.sent, [add({nhr_id: 64, ...TUNNEL_FIELDS, nhr_flags: 0x11, nhr_tun_sport: -6141, nhr_tun_dport: -5351})])
    assert.deepEqual([r.status, r.stdout], [3, 'vRouter(Response): Invalid argument (22)\n'])
    const legacy = await nh('--create', '64', '--type', '3', '--vrf', '0', ...TUNNEL, '--udp', '--sport', '1000', '--dport', '6635', '--legacy-exit')
    assert.deepEqual([legacy.status, legacy.stdout], [0, 'vRouter(Response): Invalid argument (22)\n'])
    assert.equal((await nh('--get', '64')).stdout, 'vRouter(Response): No such file or directory (2)\n')
  })

  test('tunnel, VXLAN with an L3 VXLAN MAC', async () => {
    const argv = ['--type', '3', '--vrf', '0', ...TUNNEL, '--vxlan', '--sport', '1', '--dport', '4789', '--l3_vxlan', '02:00:00:00:00:09']
    const text = await created(65, argv, {...TUNNEL_FIELDS, nhr_flags: 0x2000081, nhr_tun_sport: 0x100, nhr_tun_dport: -19182, nhr_rw_dst_mac: [2, 0, 0, 0, 0, 9]})
    assert.equal(
      text,
      'Id:65         Type:Tunnel         Fmly:AF_UNSPEC  Rid:0  Ref_cnt:1          Vrf:0\n' +
        '              Flags:Valid, Vxlan, l3_vxlan, \n' +
        '              Oif:0 Len:14 Data:00 1b 21 cc dd 02 00 1b 21 aa bb 01 08 00 \n' +
        '               L3_Vxlan_Mac: 02:00:00:00:00:09\n\n',
    )
  })

  test('tunnel with two interfaces: underlay ECMP, one rewrite each (of the first MACs)', async () => {
    const argv = ['--type', '3', '--vrf', '0', ...TUNNEL, '--oif', '0,1', '--smac', '00:1b:21:aa:bb:01,00:1b:21:aa:bb:02', '--dmac', '00:1b:21:cc:dd:02,00:1b:21:cc:dd:03']
    const text = await created(63, argv, {
      ...TUNNEL_FIELDS,
      nhr_flags: 0x10000009,
      nhr_encap_oif_id: [0, 1, -1],
      nhr_encap_valid: [1, 1, 0],
      nhr_encap: [...REWRITE, ...REWRITE],
    })
    assert.equal(
      text,
      'Id:63         Type:Tunnel         Fmly:AF_UNSPEC  Rid:0  Ref_cnt:1          Vrf:0\n' +
        '              Flags:Valid, MPLSoGRE, Underlay Ecmp, \n' +
        '              Oif:0 EncapValid:1 Len:14 Data:00 1b 21 cc dd 02 00 1b 21 aa bb 01 08 00 \n' +
        '              Oif:1 EncapValid:1 Len:14 Data:00 1b 21 cc dd 02 00 1b 21 aa bb 01 08 00 \n' +
        '              Oif:-1 EncapValid:0 Len:0 Data:NULL\n' +
        '              \n\n',
    )
  })

  test('composite ECMP with --cni: labels 0; --get shows the members too', async () => {
    const text = await created(66, ['--type', '6', '--vrf', '2', '--ecmp', '--cni', '21', '--cni', '61'], {
      nhr_type: 6,
      nhr_family: 2,
      nhr_vrf: 2,
      nhr_flags: 0x401,
      nhr_nh_list: [21, 61],
      nhr_label_list: [0, 0],
    })
    const blocks = text.split('\n\n').filter(Boolean)
    assert.equal(blocks[0], 'Id:66         Type:Composite      Fmly: AF_INET  Rid:0  Ref_cnt:1          Vrf:2\n              Flags:Valid, Ecmp, \n              Sub NH(label): 21(0) 61(0)')
    assert.deepEqual(
      blocks.map((b) => Number(/^Id:(\d+)/.exec(b)?.[1])),
      [66, 21, 61],
    )
    const json = JSON.parse((await nh('--get', '66', '--json')).stdout) as {id: number; members?: unknown}[]
    assert.deepEqual(json[0].members, [{nexthop: 21, label: 0}, {nexthop: 61, label: 0}])
  })

  test('composite EVPN with labels (L2), then an L2 multicast composite over it', async () => {
    const evpn = await created(67, ['--type', '6', '--vrf', '2', '--l2', '--cevpn', '--cni', '61', '--lbl', '4097', '--cni', '63', '--lbl', '4098'], {
      nhr_type: 6,
      nhr_family: 7,
      nhr_vrf: 2,
      nhr_flags: 0x1001,
      nhr_nh_list: [61, 63],
      nhr_label_list: [4097, 4098],
    })
    assert.match(evpn, /^Id:67 +Type:Composite +Fmly:AF_BRIDGE .*\n {14}Flags:Valid, Evpn, \n {14}Sub NH\(label\): 61\(4097\) 63\(4098\)\n\n/)
    const mcast = await created(68, ['--type', '6', '--vrf', '2', '--l2', '--cmc', '--cni', '67'], {
      nhr_type: 6,
      nhr_family: 7,
      nhr_vrf: 2,
      nhr_flags: 0x21,
      nhr_nh_list: [67],
      nhr_label_list: [0],
    })
    assert.match(mcast, /^Id:68 +Type:Composite .*\n {14}Flags:Valid, Multicast, \n {14}Sub NH\(label\): 67\(0\)\n\n/)
    // A multicast composite holds composites only: the forwarding plane refuses an encap member.
    const refused = await nh('--create', '69', '--type', '6', '--vrf', '2', '--cmc', '--cni', '21')
    assert.deepEqual([refused.status, refused.stdout, refused.sent.length], [3, 'vRouter(Response): Invalid argument (22)\n', 1])
  })

  test('receive, and one on an interface that does not exist', async () => {
    const text = await created(70, ['--type', '1', '--vrf', '0', '--oif', '1'], {nhr_type: 1, nhr_family: 2, nhr_flags: 1, nhr_encap_oif_id: [1], nhr_encap_len: 14})
    assert.equal(text, 'Id:70         Type:Receive        Fmly: AF_INET  Rid:0  Ref_cnt:1          Vrf:0\n              Flags:Valid, \n              Oif:1\n\n')
    const missing = await nh('--create', '71', '--type', '1', '--vrf', '0', '--oif', '77', '--json')
    assert.equal(missing.status, 3)
    assert.deepEqual(JSON.parse(missing.stdout), {error: {kind: 'vrouter', message: 'vRouter(Response): No such device (19)', errno: 19, errno_name: 'ENODEV'}})
  })

  test('discard, resolve, VRF translate, L2 receive: one interface (-1 unless given), nhr_encap_len 14', async () => {
    const simple = (type: number, fields: Partial<Nh>) => ({nhr_type: type, nhr_family: 2, nhr_flags: 1, nhr_encap_oif_id: [-1], nhr_encap_len: 14, ...fields})
    const discard = await created(72, ['--type', '5', '--vrf', '2'], simple(5, {nhr_vrf: 2}))
    assert.equal(discard, 'Id:72         Type:Drop           Fmly: AF_INET  Rid:0  Ref_cnt:1          Vrf:2\n              Flags:Valid, \n\n')
    const resolve = await created(73, ['--type', '4', '--vrf', '2', '--pol', '--rlkup'], simple(4, {nhr_vrf: 2, nhr_flags: 0x8003}))
    assert.match(resolve, /^Id:73 +Type:Resolve .*\n {14}Flags:Valid, Policy, RouteLookup, \n\n$/)
    // --vxlan is in the VRF translate usage, but the stock tool ignores it.
    const translate = await created(74, ['--type', '7', '--vrf', '3', '--uucf', '--vxlan'], simple(7, {nhr_vrf: 3, nhr_flags: 0x10001}))
    assert.equal(translate, 'Id:74         Type:Vrf_Translate  Fmly: AF_INET  Rid:0  Ref_cnt:1          Vrf:3\n              Flags:Valid, Unicast Flood, \n              Vrf:3\n\n')
    const l2 = await created(75, ['--type', '8', '--vrf', '0', '--l2'], simple(8, {nhr_family: 7}))
    assert.equal(l2, 'Id:75         Type:L2 Receive     Fmly:AF_BRIDGE  Rid:0  Ref_cnt:1          Vrf:0\n              Flags:Valid, \n\n')
    const json = JSON.parse((await nh('--get', '75', '--json')).stdout) as {interfaces: number[]}[]
    assert.deepEqual(json[0].interfaces, [0], 'a next hop without a device reports interface 0')
  })

  test('indirect (PBB tunnel): the direct next hop and its label; --get follows it', async () => {
    const text = await created(76, ['--type', '3', '--vrf', '0', '--pbb', '--cni', '61', '--lbl', '100', '--dmac', '00:aa:bb:cc:dd:ee', '--ind'], {
      nhr_type: 3,
      nhr_family: 7,
      nhr_flags: 0x480001,
      nhr_encap_oif_id: [0],
      nhr_nh_list: [61],
      nhr_label_list: [100],
      nhr_pbb_mac: [0, 0xaa, 0xbb, 0xcc, 0xdd, 0xee],
    })
    const [first, second] = text.split('\n\n')
    assert.equal(
      first,
      'Id:76         Type:Tunnel         Fmly:AF_BRIDGE  Rid:0  Ref_cnt:1          Vrf:0\n' +
        '              Flags:Valid, Pbb, Indirect, \n' +
        '              Direct NH(label): 61(100)\n' +
        '              Bmac:00:aa:bb:cc:dd:ee Label:100',
    )
    assert.match(second, /^Id:61 +Type:Tunnel/)
    // Without --ind the forwarding plane refuses a PBB tunnel.
    const refused = await nh('--create', '77', '--type', '3', '--vrf', '0', '--pbb', '--cni', '61', '--lbl', '100', '--dmac', '00:aa:bb:cc:dd:ee')
    assert.deepEqual([refused.status, refused.stdout], [3, 'vRouter(Response): Invalid argument (22)\n'])
  })

  test('delete what was created', async () => {
    for (const id of [76, 68, 67, 66, 60, 61, 62, 63, 65, 70, 72, 73, 74, 75]) {
      const r = await nh('--delete', String(id))
      assert.deepEqual([r.status, r.sent], [0, [add({h_op: 2, nhr_id: id})]])
    }
  })
})

describe('command lines the stock tool rejects: its usage, exit 2 (234 with --legacy-exit), nothing sent', () => {
  const cases: [string, string[], string][] = [
    ['no --type', ['--create', '80', '--vrf', '0', '--oif', '1'], NH_COMMAND_USAGE],
    ['no --vrf', ['--create', '80', '--type', '1', '--oif', '1'], NH_COMMAND_USAGE],
    ['an invalid MAC', ['--create', '80', '--type', '2', '--vrf', '0', '--oif', '1', '--smac', '00:1b:21:aa:bb', '--dmac', '00:00:5e:00:01:00'], NH_COMMAND_USAGE],
    ['an invalid L3 VXLAN MAC', ['--create', '80', '--type', '3', '--vrf', '0', ...TUNNEL, '--vxlan', '--sport', '1', '--dport', '2', '--l3_vxlan', 'x'], NH_COMMAND_USAGE],
    ['an id out of range', ['--create', '99999999999999999999', '--type', '5', '--vrf', '0'], NH_USAGE],
    ['labels on a plain ECMP composite', ['--create', '80', '--type', '6', '--vrf', '2', '--ecmp', '--cni', '21', '--lbl', '5'], NH_COMMAND_USAGE],
    ['an unknown type', ['--create', '80', '--type', '9', '--vrf', '0'], NH_COMMAND_USAGE],
    ['an option the type does not take', ['--create', '80', '--type', '5', '--vrf', '0', '--oif', '1'], NH_COMMAND_USAGE],
    ['--cmd', ['--cmd'], NH_COMMAND_USAGE],
    ['no verb', [], NH_USAGE],
  ]
  for (const [name, argv, usage] of cases) {
    test(name, async () => {
      const r = await nh(...argv)
      assert.deepEqual([r.status, r.stdout, r.sent.length], [2, usage, 0])
    })
  }

  test('--legacy-exit: the stock status 234, for either usage', async () => {
    for (const argv of [['--create', '80', '--vrf', '0'], ['--get', '1', '--list']]) {
      const r = await nh(...argv, '--legacy-exit')
      assert.deepEqual([r.status, r.sent.length], [234, 0])
    }
  })

  test('--json: one error object', async () => {
    const r = await nh('--create', '80', '--vrf', '0', '--json')
    assert.equal(r.status, 2)
    assert.equal((JSON.parse(r.stdout) as {error: {kind: string}}).error.kind, 'usage')
  })
})

describe('golden request bytes (netlink frame and all)', () => {
  const ok = Buffer.concat(encodeReplyBatch('dpdk', {type: 0, seq: 0, cmd: 1, version: 0, reserved: 0}, [codecFor('current').encode(objectOf('vr_response', {h_op: 4, resp_code: 0}))]))
  const goldens: [string, string[]][] = [
    ['create-rcv-request', ['--create', '70', '--type', '1', '--vrf', '0', '--oif', '1']],
    [
      'create-underlay-tunnel-request',
      ['--create', '63', '--type', '3', '--vrf', '0', '--oif', '0,1', '--smac', '00:1b:21:aa:bb:01,00:1b:21:aa:bb:02', '--dmac', '00:1b:21:cc:dd:02,00:1b:21:cc:dd:03', '--sip', '192.168.10.7', '--dip', '192.168.10.8'],
    ],
    ['create-composite-tor-request', ['--create', '62', '--type', '6', '--vrf', '2', '--tor', '--cni', '12', '--lbl', '5001', '--cni', '13']],
  ]
  for (const [name, argv] of goldens) {
    test(name, async () => {
      const server = await replay({replies: [ok]})
      try {
        const r = await runCliAsync(['nh', ...argv, '--sock-dir', server.dir])
        assert.equal(r.status, 0)
        assert.deepEqual(
          server.requests.map((b) => Buffer.from(b).toString('hex')),
          [Buffer.from(hexFixture(`nh/${name}.hex`)).toString('hex')],
        )
      } finally {
        await server.close()
      }
    })
  }
})
