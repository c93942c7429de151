/**
 * The flow stage's work on packets, in-process over the demo scenario (VM 10.1.1.5 behind vif 3, 10.1.1.6 behind
 * vif 4, both in VRF 2 with policy; 172.16.5.10 behind vif 5 in VRF 3): TCP state of a flow and its reverse
 * (handshake, close, reset), eviction of a dead pair, NAT from the reverse flow's key (IPv4, IPv6, an ICMP error's
 * inner header), TTL rewrite and VRF translation. Flows are added as the agent adds them (FLOW_SET).
 */
import assert from 'node:assert/strict'
import {beforeEach, describe, test} from 'node:test'
import {DEMO_SCENARIO} from '../../src/emulator/scenario/demo.js'
import {loadScenario} from '../../src/emulator/scenario/load.js'
import type {VrouterState} from '../../src/emulator/state/index.js'
import {Datapath, type Outcome} from '../../src/emulator/traffic/datapath.js'
import {natRewrite} from '../../src/emulator/traffic/nat.js'
import {FLOW_TCP} from '../../src/emulator/traffic/tcp.js'
import {parseIp, swap16, u64FromMemoryBytes} from '../../src/lib/model/addresses.js'
import {AF_INET, AF_INET6} from '../../src/lib/model/constants.js'
import {FLOW_ACTION, FLOW_FLAG} from '../../src/lib/model/flow.js'
import type {Layer} from '../../src/lib/model/packet.js'
import {type PacketSpec, buildPacket} from '../../src/lib/pkt0/build.js'
import {checksum, onesSum} from '../../src/lib/pkt0/bytes.js'
import {decodePacket, encodePacket} from '../../src/lib/pkt0/packet.js'
import {req} from './harness.js'

const VM3 = {srcMac: '02:00:00:00:00:03', dstMac: '00:00:5e:00:01:00', src: '10.1.1.5'}
const VM4 = {srcMac: '02:00:00:00:00:04', dstMac: '00:00:5e:00:01:01', src: '10.1.1.6'}

interface FlowSpec {
  src: string
  dst: string
  proto: number
  sport: number
  dport: number
  nh: number
  vrf?: number
  action?: number
  flags?: number
  dvrf?: number
  ttl?: number
}

/** A FLOW_SET adding a flow (fr_index -1), or changing flow `index`; returns the flow's index. */
function flowSet(state: VrouterState, f: FlowSpec, index = -1, reverse?: number): number {
  const v6 = f.src.includes(':')
  const halves = (text: string) => {
    const b = parseIp(text)!
    return v6 ? [u64FromMemoryBytes(b.subarray(0, 8)), u64FromMemoryBytes(b.subarray(8))] : [0, u64FromMemoryBytes(Uint8Array.from([...b, 0, 0, 0, 0]))]
  }
  const [sipU, sipL] = halves(f.src)
  const [dipU, dipL] = halves(f.dst)
  const genId = index < 0 ? 0 : state.flows.value(index)!.fe_gen_id
  const flags = FLOW_FLAG.ACTIVE | (f.flags ?? 0) | (reverse === undefined ? 0 : FLOW_FLAG.RFLOW_VALID)
  const replies = state.dispatch(
    req('vr_flow_req', {
      fr_op: 0, fr_index: index, fr_gen_id: genId, fr_family: v6 ? AF_INET6 : AF_INET, fr_flow_proto: f.proto,
      fr_flow_sip_u: sipU, fr_flow_sip_l: sipL, fr_flow_dip_u: dipU, fr_flow_dip_l: dipL, fr_flow_sport: swap16(f.sport), fr_flow_dport: swap16(f.dport),
      fr_flow_nh_id: f.nh, fr_flow_vrf: f.vrf ?? 2, fr_flow_dvrf: f.dvrf ?? 0, fr_flags: flags, fr_rindex: reverse ?? -1, fr_action: f.action ?? FLOW_ACTION.FORWARD, fr_ttl: f.ttl ?? 0,
    }),
  )
  const [[response, flow]] = replies
  assert.equal((response.fields as {resp_code: number}).resp_code, 0)
  return (flow.fields as {fresp_index: number}).fresp_index
}

/** A flow and its reverse, linked both ways as the agent links them. */
function flowPair(state: VrouterState, forward: FlowSpec, backward: FlowSpec): [number, number] {
  const f = flowSet(state, forward)
  const r = flowSet(state, backward, -1, f)
  flowSet(state, forward, f, r)
  return [f, r]
}

/** Lengths and checksums as a fresh encoding computes them: the packet's are all valid. */
function assertChecksumsValid(bytes: Uint8Array): void {
  assert.deepEqual(encodePacket(decodePacket(bytes).layers, {fill: true}), bytes)
}

const layerOf = <K extends Layer['layer']>(bytes: Uint8Array, kind: K) => decodePacket(bytes).layers.find((l) => l.layer === kind) as Extract<Layer, {layer: K}>

describe('the flow stage: TCP state, eviction, NAT, TTL, VRF translation', () => {
  let state: VrouterState
  let datapath: Datapath
  let sent: [number, Uint8Array][]
  beforeEach(() => {
    state = loadScenario(DEMO_SCENARIO, 'demo')
    datapath = new Datapath(state)
    sent = []
    datapath.on('transmit', (vif, bytes) => sent.push([vif, bytes]))
  })

  const tcp = (flags: string, seq: number, ack = 0, extra: Partial<PacketSpec> = {}) => ({proto: 'tcp' as const, flags, seq, ack, ...extra})
  /** A segment of the connection 10.1.1.5:45000 ⇄ 10.1.1.6:80: from VM 3 (`out`) or VM 4. */
  const segment = (out: boolean, spec: PacketSpec): Outcome[] =>
    out ? datapath.receive(3, buildPacket({...spec, dst: '10.1.1.6', sport: 45000, dport: 80}, VM3)) : datapath.receive(4, buildPacket({...spec, dst: '10.1.1.5', sport: 80, dport: 45000}, VM4))
  const connection = () => flowPair(state, {src: '10.1.1.5', dst: '10.1.1.6', proto: 6, sport: 45000, dport: 80, nh: 21}, {src: '10.1.1.6', dst: '10.1.1.5', proto: 6, sport: 80, dport: 45000, nh: 22})
  const tcpFlags = (index: number) => state.flows.value(index)!.fe_tcp_flags
  const handshake = () => {
    segment(true, tcp('S', 100))
    segment(false, tcp('S.', 500, 101))
    segment(true, tcp('.', 101, 501))
  }
  const ESTABLISHED_BOTH = FLOW_TCP.SYN | FLOW_TCP.SYN_R | FLOW_TCP.ESTABLISHED | FLOW_TCP.ESTABLISHED_R

  test('a handshake both ways: SYN/SYN_R, then ESTABLISHED on the ack of each SYN; the SYN\'s number and the last ack kept', () => {
    const [f, r] = connection()
    assert.deepEqual(segment(true, tcp('S', 100)), [{fate: 'sent', vif: 4, why: 'next hop 22 (encap)'}])
    assert.deepEqual([tcpFlags(f), tcpFlags(r)], [FLOW_TCP.SYN, FLOW_TCP.SYN_R])
    assert.equal(state.flows.value(f)!.fe_tcp_seq, 100)
    segment(false, tcp('S.', 500, 101))
    assert.deepEqual([tcpFlags(f), tcpFlags(r)], [FLOW_TCP.SYN | FLOW_TCP.SYN_R | FLOW_TCP.ESTABLISHED, FLOW_TCP.SYN | FLOW_TCP.SYN_R | FLOW_TCP.ESTABLISHED_R])
    segment(true, tcp('.', 101, 501))
    assert.deepEqual([tcpFlags(f), tcpFlags(r)], [ESTABLISHED_BOTH, ESTABLISHED_BOTH])
    const [fe, rfe] = [state.flows.value(f)!, state.flows.value(r)!]
    assert.deepEqual([fe.fe_tcp_seq, fe.fe_tcp_ack, rfe.fe_tcp_seq, rfe.fe_tcp_ack], [100, 501, 500, 101])
    assert.deepEqual(sent.map(([vif]) => vif), [4, 3, 4])
  })

  test('a close both ways: FIN/FIN_R, HALF_CLOSE on the ack of a FIN, DEAD on the last ack; marked for eviction, its packets dropped, then evicted', async () => {
    const [f, r] = connection()
    handshake()
    segment(true, tcp('F.', 101, 501, {length: 10}))
    assert.equal(state.flows.value(f)!.fe_tcp_seq, 111, 'the FIN\'s number is past its data')
    assert.deepEqual([tcpFlags(f) & ~ESTABLISHED_BOTH, tcpFlags(r) & ~ESTABLISHED_BOTH], [FLOW_TCP.FIN, FLOW_TCP.FIN_R])
    segment(false, tcp('.', 501, 112))
    assert.equal(tcpFlags(f) & FLOW_TCP.HALF_CLOSE, FLOW_TCP.HALF_CLOSE, 'the ack of its FIN half-closes the flow')
    segment(false, tcp('F.', 501, 112))
    assert.deepEqual([tcpFlags(f) & ~ESTABLISHED_BOTH, tcpFlags(r) & ~ESTABLISHED_BOTH], [FLOW_TCP.FIN | FLOW_TCP.FIN_R | FLOW_TCP.HALF_CLOSE, FLOW_TCP.FIN | FLOW_TCP.FIN_R])
    assert.equal(state.flows.value(f)!.fe_flags & FLOW_FLAG.EVICT_CANDIDATE, 0)
    assert.deepEqual(segment(true, tcp('.', 112, 502)), [{fate: 'sent', vif: 4, why: 'next hop 22 (encap)'}], 'the last ack goes')
    const [fe, rfe] = [state.flows.value(f)!, state.flows.value(r)!]
    for (const e of [fe, rfe]) {
      assert.equal(e.fe_tcp_flags, ESTABLISHED_BOTH | FLOW_TCP.FIN | FLOW_TCP.FIN_R | FLOW_TCP.HALF_CLOSE | FLOW_TCP.DEAD)
      assert.equal(e.fe_flags & (FLOW_FLAG.EVICT_CANDIDATE | FLOW_FLAG.MODIFIED | FLOW_FLAG.EVICTED), FLOW_FLAG.EVICT_CANDIDATE | FLOW_FLAG.MODIFIED)
    }
    const evictDrops = state.drops.drops.vds_flow_evict
    const packets = fe.flow_packets
    assert.deepEqual(segment(true, tcp('.', 112, 502)), [{fate: 'dropped', reason: 'VP_DROP_FLOW_EVICT', vif: 3}])
    assert.deepEqual([state.drops.drops.vds_flow_evict, fe.flow_packets], [evictDrops + 1, packets], 'dropped before it counts on the flow')

    await new Promise((resolve) => setImmediate(resolve))
    assert.deepEqual([state.flows.value(f), state.flows.value(r)], [undefined, undefined], 'both slots released')
    for (const e of [fe, rfe]) {
      assert.equal(e.fe_flags, FLOW_FLAG.ACTIVE | FLOW_FLAG.EVICTED)
      assert.deepEqual([e.fe_tcp_flags, e.fe_rflow, e.fe_action, e.key_len], [0, -1, FLOW_ACTION.DROP, 0])
    }
    const [trapped] = segment(true, tcp('S', 7000))
    assert.equal((trapped as {trap: string}).trap, 'FLOW_MISS', 'the key is free for a new flow')
  })

  test('a reset: accepted when its number is the one the other side acked (RFC 5961), or unconditionally with vo_uncond_close_flow_on_tcp_rst', () => {
    const [f, r] = connection()
    handshake()
    segment(false, tcp('R', 999))
    assert.equal(tcpFlags(r), ESTABLISHED_BOTH, 'an out-of-window RST is ignored')
    segment(false, tcp('R', 501))
    assert.deepEqual([tcpFlags(f), tcpFlags(r)], [ESTABLISHED_BOTH | FLOW_TCP.RST | FLOW_TCP.DEAD, ESTABLISHED_BOTH | FLOW_TCP.RST | FLOW_TCP.DEAD])
    assert.equal(state.flows.value(r)!.fe_flags & FLOW_FLAG.EVICT_CANDIDATE, FLOW_FLAG.EVICT_CANDIDATE)

    state = loadScenario(DEMO_SCENARIO, 'demo')
    state.ops.ops.vo_uncond_close_flow_on_tcp_rst = 1
    datapath = new Datapath(state)
    const [f2, r2] = connection()
    handshake()
    segment(false, tcp('R', 999))
    assert.deepEqual([tcpFlags(f2) & FLOW_TCP.DEAD, tcpFlags(r2) & FLOW_TCP.RST], [FLOW_TCP.DEAD, FLOW_TCP.RST])
  })

  test('a reset in SYN-SENT must acknowledge the SYN', () => {
    const [f, r] = connection()
    segment(true, tcp('S', 100))
    segment(false, tcp('R.', 0, 100))
    assert.equal(tcpFlags(f), FLOW_TCP.SYN)
    segment(false, tcp('R.', 0, 101))
    assert.deepEqual([tcpFlags(f), tcpFlags(r)], [FLOW_TCP.SYN | FLOW_TCP.RST | FLOW_TCP.DEAD, FLOW_TCP.SYN_R | FLOW_TCP.RST | FLOW_TCP.DEAD])
  })

  test('a flow the agent adds for an existing reverse flow takes over its TCP state', () => {
    const f = flowSet(state, {src: '10.1.1.5', dst: '10.1.1.6', proto: 6, sport: 45000, dport: 80, nh: 21})
    datapath.receive(3, buildPacket({proto: 'tcp', dst: '10.1.1.6', sport: 45000, dport: 80, flags: 'S'}, VM3))
    const r = flowSet(state, {src: '10.1.1.6', dst: '10.1.1.5', proto: 6, sport: 80, dport: 45000, nh: 22}, -1, f)
    assert.equal(tcpFlags(r), FLOW_TCP.SYN_R)
  })

  test('SNAT+SPAT out, DNAT+DPAT back (IPv4): addresses and ports from the reverse flow\'s key, checksums valid', () => {
    const NAT = FLOW_FLAG.SNAT | FLOW_FLAG.SPAT
    flowPair(
      state,
      {src: '10.1.1.5', dst: '10.1.1.6', proto: 6, sport: 46000, dport: 80, nh: 21, action: FLOW_ACTION.NAT, flags: NAT},
      {src: '10.1.1.6', dst: '10.1.100.5', proto: 6, sport: 80, dport: 5555, nh: 22, action: FLOW_ACTION.NAT, flags: FLOW_FLAG.DNAT | FLOW_FLAG.DPAT},
    )
    datapath.receive(3, buildPacket({proto: 'tcp', dst: '10.1.1.6', sport: 46000, dport: 80, flags: 'S', length: 5}, VM3))
    datapath.receive(4, buildPacket({proto: 'tcp', dst: '10.1.100.5', sport: 80, dport: 5555, flags: 'S.'}, VM4))
    assert.deepEqual(sent.map(([vif]) => vif), [4, 3])
    const out = sent[0][1]
    assert.deepEqual([layerOf(out, 'ipv4').src, layerOf(out, 'ipv4').dst, layerOf(out, 'tcp').srcPort, layerOf(out, 'tcp').dstPort], ['10.1.100.5', '10.1.1.6', 5555, 80])
    const back = sent[1][1]
    assert.deepEqual([layerOf(back, 'ipv4').src, layerOf(back, 'ipv4').dst, layerOf(back, 'tcp').srcPort, layerOf(back, 'tcp').dstPort], ['10.1.1.6', '10.1.1.5', 80, 46000])
    for (const [, bytes] of sent) assertChecksumsValid(bytes)
  })

  test('DNAT+DPAT (IPv6 over UDP) to the server the reverse flow names, checksums valid', () => {
    flowPair(
      state,
      {src: 'fd00:10:1:1::5', dst: 'fd00:10:1:9::1', proto: 17, sport: 47000, dport: 53, nh: 21, action: FLOW_ACTION.NAT, flags: FLOW_FLAG.DNAT | FLOW_FLAG.DPAT},
      {src: 'fd00:10:1:1::5', dst: 'fd00:10:1:1::5', proto: 17, sport: 5353, dport: 47000, nh: 21, action: FLOW_ACTION.NAT, flags: FLOW_FLAG.SNAT | FLOW_FLAG.SPAT},
    )
    const packet = buildPacket({proto: 'udp', src: 'fd00:10:1:1::5', dst: 'fd00:10:1:9::1', sport: 47000, dport: 53, length: 7}, {...VM3, src: 'fd00:10:1:1::5'})
    assert.deepEqual(datapath.receive(3, packet), [{fate: 'sent', vif: 3, why: 'next hop 21 (encap)'}])
    const out = sent[0][1]
    assert.deepEqual([layerOf(out, 'ipv6').dst, layerOf(out, 'udp').dstPort, layerOf(out, 'udp').srcPort], ['fd00:10:1:1::5', 5353, 47000])
    assertChecksumsValid(out)
  })

  test('NAT without a reverse flow drops as FLOW_NAT_NO_RFLOW (the demo\'s link-local flow)', () => {
    const before = state.drops.drops.vds_flow_nat_no_rflow
    const packet = buildPacket({proto: 'tcp', dst: '169.254.169.254', sport: 34000, dport: 80, flags: '.'}, VM3)
    assert.deepEqual(datapath.receive(3, packet), [{fate: 'dropped', reason: 'VP_DROP_FLOW_NAT_NO_RFLOW', vif: 3}])
    assert.equal(state.drops.drops.vds_flow_nat_no_rflow, before + 1)
  })

  test('TTL rewrite: an IPv4 packet leaves with the flow\'s fe_ttl, its header checksum updated; fe_ttl 0 leaves it', () => {
    flowSet(state, {src: '10.1.1.5', dst: '10.1.1.6', proto: 17, sport: 7001, dport: 53, nh: 21, ttl: 9})
    flowSet(state, {src: '10.1.1.5', dst: '10.1.1.6', proto: 17, sport: 7002, dport: 53, nh: 21})
    datapath.receive(3, buildPacket({proto: 'udp', dst: '10.1.1.6', sport: 7001, dport: 53, ttl: 64}, VM3))
    datapath.receive(3, buildPacket({proto: 'udp', dst: '10.1.1.6', sport: 7002, dport: 53, ttl: 64}, VM3))
    assert.deepEqual(sent.map(([, bytes]) => layerOf(bytes, 'ipv4').ttl), [9, 64])
    assertChecksumsValid(sent[0][1])
  })

  test('VRF translation: with VRFT the (NATed) packet is routed in fe_dvrf; without, in the flow\'s VRF', () => {
    const forward = {src: '10.1.1.5', dst: '10.1.1.77', proto: 6, sport: 48000, dport: 80, nh: 21, action: FLOW_ACTION.NAT, flags: FLOW_FLAG.DNAT | FLOW_FLAG.VRFT, dvrf: 3}
    const [f, r] = flowPair(state, forward, {src: '172.16.5.10', dst: '10.1.1.5', proto: 6, sport: 80, dport: 48000, nh: 31, vrf: 3, action: FLOW_ACTION.NAT, flags: FLOW_FLAG.SNAT})
    const syn = buildPacket({proto: 'tcp', dst: '10.1.1.77', sport: 48000, dport: 80, flags: 'S'}, VM3)
    assert.deepEqual(datapath.receive(3, syn), [{fate: 'sent', vif: 5, why: 'next hop 31 (encap)'}])
    assert.equal(layerOf(sent[0][1], 'ipv4').dst, '172.16.5.10')
    assertChecksumsValid(sent[0][1])
    flowSet(state, {...forward, flags: FLOW_FLAG.DNAT}, f, r)
    assert.deepEqual(datapath.receive(3, syn), [{fate: 'dropped', reason: 'VP_DROP_DISCARD', vif: 3}], 'VRF 2 has no route to 172.16.5.10')
  })

  test('an ICMP error of a SNATed flow: the inner header\'s destination too (its checksum recomputed; the ICMP checksum left as the dp leaves it)', () => {
    const [f, r] = flowPair(
      state,
      {src: '10.1.1.5', dst: '10.1.1.6', proto: 1, sport: 0, dport: 3, nh: 21, action: FLOW_ACTION.NAT, flags: FLOW_FLAG.SNAT},
      {src: '10.1.1.6', dst: '10.1.100.5', proto: 1, sport: 0, dport: 3, nh: 22, action: FLOW_ACTION.NAT, flags: FLOW_FLAG.DNAT},
    )
    // Port unreachable from 10.1.1.5 about a UDP packet 10.1.1.6:53 → 10.1.1.5:7000: its IP header and 8 bytes of UDP.
    const inner = buildPacket({proto: 'udp', src: '10.1.1.6', dst: '10.1.1.5', sport: 53, dport: 7000}, VM4).subarray(14, 14 + 28)
    const [eth, ip] = decodePacket(buildPacket({proto: 'icmp', dst: '10.1.1.6'}, VM3)).layers
    const icmp: Layer = {layer: 'icmp', type: 3, code: 3, checksum: 0, rest: 0}
    const bytes = encodePacket([eth, ip, icmp, {layer: 'payload', data: Buffer.from(inner).toString('hex')}], {fill: true})
    const before = bytes.slice()
    natRewrite(bytes, 14, state.flows.value(f)!, state.flows.value(r)!)
    const innerAt = 14 + 20 + 8
    assert.equal(layerOf(bytes, 'ipv4').src, '10.1.100.5')
    assert.equal(checksum(onesSum(bytes, 14, 34)), 0, 'the outer header checksum is valid')
    assert.deepEqual([...bytes.subarray(innerAt + 16, innerAt + 20)], [10, 1, 100, 5], 'the inner destination')
    assert.equal(checksum(onesSum(bytes, innerAt, innerAt + 20)), 0, 'the inner header checksum is valid')
    assert.deepEqual([...bytes.subarray(36, 38)], [...before.subarray(36, 38)], 'the ICMP checksum is not updated')
  })
})
