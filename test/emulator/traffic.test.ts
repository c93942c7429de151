/**
 * The emulated datapath in-process: the flow stage's lifecycle over the state's flow table (FLOW_SET requests as the
 * agent sends them), ARP and DHCP rules, agent commands, drops counted per reason and interface.
 */
import assert from 'node:assert/strict'
import {beforeEach, describe, test} from 'node:test'
import {DEMO_SCENARIO} from '../../src/emulator/scenario/demo.js'
import {loadScenario} from '../../src/emulator/scenario/load.js'
import type {VrouterState} from '../../src/emulator/state/index.js'
import {Datapath} from '../../src/emulator/traffic/datapath.js'
import {startTraffic} from '../../src/emulator/traffic/scenario.js'
import {ERRNO} from '../../src/lib/errors.js'
import {u64FromMemoryBytes} from '../../src/lib/model/addresses.js'
import {AF_INET} from '../../src/lib/model/constants.js'
import {FLOW_ACTION, FLOW_FLAG} from '../../src/lib/model/flow.js'
import {AGENT, trapMeaning} from '../../src/lib/model/pkt0.js'
import {buildPacket} from '../../src/lib/pkt0/build.js'
import {decodePkt0Frame} from '../../src/lib/pkt0/frame.js'
import {req} from './harness.js'

const VM3 = {srcMac: '02:00:00:00:00:03', dstMac: '00:00:5e:00:01:00', src: '10.1.1.5'}
const ip4 = (text: string) => u64FromMemoryBytes(Uint8Array.from([...text.split('.').map(Number), 0, 0, 0, 0]))

/** The agent's FLOW_SET for an IPv4 flow of the demo's vif 3 (key next hop 21, VRF 2), as `flow -f` sends it; returns the errno. */
function flowSet(state: VrouterState, index: number, genId: number, fields: {dst: string; proto: number; sport: number; dport: number; action: number; flags?: number}): number {
  const swap = (port: number) => ((port & 0xff) << 8) | (port >>> 8)
  const [[response]] = state.dispatch(
    req('vr_flow_req', {fr_op: 0, fr_index: index, fr_gen_id: genId, fr_family: AF_INET, fr_flow_proto: fields.proto, fr_flow_sip_l: ip4('10.1.1.5'), fr_flow_dip_l: ip4(fields.dst), fr_flow_sport: swap(fields.sport), fr_flow_dport: swap(fields.dport), fr_flow_nh_id: 21, fr_flow_vrf: 2, fr_flags: fields.flags ?? FLOW_FLAG.ACTIVE, fr_action: fields.action}),
  )
  return Math.abs((response.fields as {resp_code: number}).resp_code)
}

describe('flow stage over the state\'s flow table', () => {
  let state: VrouterState
  let datapath: Datapath
  let traps: Uint8Array[]
  let sent: number[]
  beforeEach(() => {
    state = loadScenario(DEMO_SCENARIO, 'demo')
    datapath = new Datapath(state)
    traps = []
    sent = []
    datapath.on('trap', (f) => traps.push(f))
    datapath.on('transmit', (vif) => sent.push(vif))
  })

  test('a miss: HOLD, FLOW_MISS with index, key next hop and generation; 3 held; a 4th dropped; a stale FLOW_SET refused; FORWARD releases', () => {
    const syn = buildPacket({proto: 'tcp', dst: '10.1.1.6', sport: 41000, dport: 80, flags: 'S'}, VM3)
    const counters = {...state.flows.counters}
    const [trapped, held] = datapath.receive(3, syn)
    assert.equal(held.fate, 'held')
    const index = (held as {flow: number}).flow
    assert.deepEqual(trapped, {fate: 'trapped', trap: 'FLOW_MISS', vif: 2, flow: index})
    const trap = decodePkt0Frame(traps[0])
    assert.deepEqual([trap.header.cmd, trap.header.ifindex, trap.header.vrf], [AGENT.FLOW_MISS, 3, 2])
    assert.deepEqual(trapMeaning(trap.header), {flowIndex: index, nexthop: 21, bytes: 0, packets: 0, genId: 1}, 'a never-used slot: no previous counters')
    assert.deepEqual(trap.packet, syn)
    const entry = state.flows.table.at(index)!.value
    assert.deepEqual([entry.fe_action, entry.fe_flags, entry.fe_gen_id, entry.fe_vrf, entry.fe_src_info, entry.key_sport, entry.key_nh_id], [FLOW_ACTION.HOLD, FLOW_FLAG.ACTIVE, 1, 2, 3, 41000, 21])
    assert.deepEqual(datapath.receive(3, syn), [{fate: 'held', flow: index, vif: 3}])
    assert.deepEqual(datapath.receive(3, syn), [{fate: 'held', flow: index, vif: 3}])
    assert.deepEqual(datapath.receive(3, syn), [{fate: 'dropped', reason: 'VP_DROP_FLOW_QUEUE_LIMIT_EXCEEDED', vif: 3}])
    assert.equal(state.drops.drops.vds_flow_queue_limit_exceeded, 1)
    assert.equal(traps.length, 1, 'only the first held packet is trapped')
    assert.equal(datapath.flows.queued(index), 3)
    assert.deepEqual([entry.flow_packets, entry.flow_bytes], [4, 4 * syn.length], 'the dropped 4th counts on the flow too')

    const key = {dst: '10.1.1.6', proto: 6, sport: 41000, dport: 80, action: FLOW_ACTION.FORWARD}
    assert.equal(flowSet(state, index, 2, key), ERRNO.EBADF)
    assert.equal(flowSet(state, index, 1, {...key, sport: 41001}), ERRNO.EFAULT)
    assert.deepEqual([entry.fe_action, datapath.flows.queued(index), sent.length], [FLOW_ACTION.HOLD, 3, 0])
    assert.equal(flowSet(state, index, 1, key), 0)
    assert.deepEqual(sent, [4, 4, 4], 'out of the destination VM\'s interface')
    // vr_flow_table_info: one flow went HOLD, one left it; refused requests count nowhere.
    assert.deepEqual(state.flows.counters, {...counters, created: counters.created + 1, processed: counters.processed + 1})
    assert.equal(datapath.flows.queued(index), 0)
    assert.deepEqual([entry.flow_packets, entry.fe_action], [4, FLOW_ACTION.FORWARD], 'released packets are not counted again')
    assert.deepEqual(datapath.receive(3, syn), [{fate: 'sent', vif: 4, why: 'next hop 22 (encap)'}])
    assert.equal(entry.flow_packets, 5)
  })

  test('a packet of a scenario flow finds it by its key (the packet\'s key is the request\'s); a HOLD flow traps FLOW_ACTION_HOLD', () => {
    assert.deepEqual(datapath.receive(3, buildPacket({proto: 'tcp', dst: '10.1.1.6', sport: 40000, dport: 80}, VM3)), [{fate: 'sent', vif: 4, why: 'next hop 22 (encap)'}])
    const v6 = buildPacket({proto: 'udp', src: 'fd00:10:1:1::5', dst: 'fd00:10:1:2::7', sport: 5353, dport: 53}, {...VM3, src: 'fd00:10:1:1::5'})
    assert.deepEqual(datapath.receive(3, v6), [{fate: 'dropped', reason: 'VP_DROP_FLOW_ACTION_DROP', vif: 3}])
    const ping = buildPacket({proto: 'icmp', dst: '10.1.2.9', id: 6699}, VM3)
    const [trapped] = datapath.receive(3, ping)
    const trap = decodePkt0Frame(traps[0])
    assert.equal(trap.header.cmd, AGENT.FLOW_ACTION_HOLD)
    assert.deepEqual(trapMeaning(trap.header), {flowIndex: (trapped as {flow: number}).flow, nexthop: 21, bytes: 98 + ping.length, packets: 2, genId: 1})
    assert.equal(traps.length, 1)
  })

  test('deleting a HOLD flow drops its held packets; the slot\'s next flow has the next generation', () => {
    const udp = buildPacket({proto: 'udp', dst: '10.1.1.6', sport: 7000, dport: 53}, VM3)
    const drops = state.drops.drops.vds_flow_action_drop
    const index = (datapath.receive(3, udp)[1] as {flow: number}).flow
    datapath.receive(3, udp)
    assert.equal(flowSet(state, index, 1, {dst: '10.1.1.6', proto: 17, sport: 7000, dport: 53, action: FLOW_ACTION.DROP, flags: 0}), 0)
    assert.equal(state.flows.table.at(index), undefined)
    assert.equal(state.drops.drops.vds_flow_action_drop, drops + 2)
    const [again] = datapath.receive(3, udp)
    assert.deepEqual(again, {fate: 'trapped', trap: 'FLOW_MISS', vif: 2, flow: index})
    assert.equal(trapMeaning(decodePkt0Frame(traps[1]).header).genId, 2)
  })

  test('hold limit exceeded: new flows dropped as FLOW_UNUSABLE; 0 is no limit', () => {
    state.ops.ops.vo_flow_hold_limit = 2
    const miss = (sport: number) => datapath.receive(3, buildPacket({proto: 'udp', dst: '10.1.1.6', sport}, VM3))
    // The demo holds one flow already: two more make three in HOLD, more than the limit.
    assert.deepEqual([miss(1), miss(2)].map((o) => o[0].fate), ['trapped', 'trapped'])
    assert.deepEqual(miss(3), [{fate: 'dropped', reason: 'VP_DROP_FLOW_UNUSABLE', vif: 3}])
    assert.equal(state.drops.drops.vds_flow_unusable, 1)
    state.ops.ops.vo_flow_hold_limit = 0
    assert.equal(miss(3)[0].fate, 'trapped')
  })

  test('no free slot: FLOW_TABLE_FULL', () => {
    const small = loadScenario(`${DEMO_SCENARIO}\nconfig: {flowEntries: 16, flowOverflowEntries: 16}\n`, 'small.yaml')
    const dp = new Datapath(small)
    let full
    for (let sport = 1; sport < 100 && !full; sport++) {
      const out = dp.receive(3, buildPacket({proto: 'udp', dst: '10.1.1.6', sport}, VM3))
      if (out[0].fate === 'dropped') full = out
    }
    assert.deepEqual(full, [{fate: 'dropped', reason: 'VP_DROP_FLOW_TABLE_FULL', vif: 3}])
    assert.equal(small.flows.usage().overflow, 16, 'a bucket is full and so is the overflow area')
    assert.equal(small.drops.drops.vds_flow_table_full, 1)
  })
})

describe('datapath without flows', () => {
  test('no agent interface: traps are dropped as TRAP_NO_IF; agent SWITCH to a missing interface: INVALID_IF', () => {
    const state = loadScenario(DEMO_SCENARIO, 'demo')
    state.interfaces.table.delete(2)
    const datapath = new Datapath(state)
    const dhcp = buildPacket({proto: 'dhcp'}, VM3)
    assert.deepEqual(datapath.receive(3, dhcp), [{fate: 'dropped', reason: 'VP_DROP_TRAP_NO_IF', vif: 3}])
    assert.equal(state.drops.drops.vds_trap_no_if, 1)
    assert.deepEqual(datapath.receive(99, dhcp), [{fate: 'dropped', reason: 'VP_DROP_INVALID_IF', vif: 99}])
  })

  test('TTL 1 is trapped as ZERO_TTL, cut to 190 bytes; the DHCP of an interface without DHCP is not trapped', () => {
    const state = loadScenario(DEMO_SCENARIO, 'demo')
    const datapath = new Datapath(state)
    const traps: Uint8Array[] = []
    datapath.on('trap', (f) => traps.push(f))
    assert.deepEqual(datapath.receive(3, buildPacket({proto: 'udp', dst: '10.1.1.6', ttl: 1, length: 500}, VM3)).map((o) => o.fate), ['trapped'])
    assert.equal(decodePkt0Frame(traps[0]).packet.length, 190)
    state.interfaces.get(3)!.fields.vifr_flags &= ~0x100
    assert.notDeepEqual(datapath.receive(3, buildPacket({proto: 'dhcp'}, VM3))[0], {fate: 'trapped', trap: 'L3_PROTOCOLS', vif: 2})
  })
})

describe('scenario traffic', () => {
  const scenario = (traffic: string) => `${DEMO_SCENARIO}\ntraffic:\n${traffic}`

  test('entries are checked at load and sent when the datapath starts, again every N seconds', () => {
    const state = loadScenario(scenario('  - {vif: 3, proto: dhcp, count: 2}\n  - {vif: 4, proto: arp, op: reply, dst: 10.1.1.1, dst_mac: "00:00:5e:00:01:01", every: 3600}\n'), 'lab.yaml')
    assert.equal(state.traffic.length, 2)
    const datapath = new Datapath(state)
    const traps: number[] = []
    datapath.on('trap', (f) => traps.push(decodePkt0Frame(f).header.cmd))
    const stop = startTraffic(state, datapath, state.traffic)
    stop()
    assert.deepEqual(traps, [AGENT.L3_PROTOCOLS, AGENT.L3_PROTOCOLS, AGENT.ARP])
  })

  test('an entry that cannot be built is an error at its place', () => {
    assert.throws(() => loadScenario(scenario('  - {vif: 3, proto: tcp}\n'), 'lab.yaml'), /lab\.yaml:\d+:\d+: traffic\[0\]: .*destination/)
    assert.throws(() => loadScenario(scenario('  - {vif: 77, proto: dhcp}\n'), 'lab.yaml'), /no interface 77/)
    assert.throws(() => loadScenario(scenario('  - {vif: 3, proto: smtp}\n'), 'lab.yaml'), /proto/)
  })
})
