/**
 * The emulated datapath in-process: the flow stage's lifecycle against a flow table (here a minimal one standing in
 * for the state's), ARP and DHCP rules, agent commands, drops counted per reason and interface.
 */
import assert from 'node:assert/strict'
import {beforeEach, describe, test} from 'node:test'
import {DEMO_SCENARIO} from '../../src/emulator/scenario/demo.js'
import {loadScenario} from '../../src/emulator/scenario/load.js'
import type {VrouterState} from '../../src/emulator/state/index.js'
import {Datapath} from '../../src/emulator/traffic/datapath.js'
import {FLOW_ACTION, FlowStage, type FlowTable} from '../../src/emulator/traffic/flows.js'
import {startTraffic} from '../../src/emulator/traffic/scenario.js'
import {AGENT, FLOW_HOLD_LIMIT, trapMeaning} from '../../src/lib/model/pkt0.js'
import {buildPacket} from '../../src/lib/pkt0/build.js'
import {decodePkt0Frame} from '../../src/lib/pkt0/frame.js'

/** Slots in order, keyed by the key's bytes; what a FLOW_SET would do is `set`. */
class TestFlows implements FlowTable {
  readonly slots: {key: string; action: number; genId: number; newFlow: boolean; bytes: number; packets: number}[] = []
  capacity = 100
  find(key: Uint8Array) {
    const i = this.slots.findIndex((s) => s.key === Buffer.from(key).toString('hex'))
    return i < 0 ? undefined : i
  }
  entry(index: number) {
    return this.slots[index]
  }
  allocate(key: Uint8Array) {
    if (this.slots.length >= this.capacity) return undefined
    this.slots.push({key: Buffer.from(key).toString('hex'), action: FLOW_ACTION.HOLD, genId: 7, newFlow: true, bytes: 0, packets: 0})
    return this.slots.length - 1
  }
  count(index: number, bytes: number) {
    const s = this.slots[index]
    s.bytes += bytes
    s.packets++
    return {bytes: s.bytes, packets: s.packets}
  }
  trapped(index: number) {
    this.slots[index].newFlow = false
  }
  held() {
    return this.slots.filter((s) => s.action === FLOW_ACTION.HOLD).length
  }
}

const VM3 = {srcMac: '02:00:00:00:00:03', dstMac: '00:00:5e:00:01:00', src: '10.1.1.5'}

describe('flow stage', () => {
  let state: VrouterState
  let datapath: Datapath
  let flows: TestFlows
  let stage: FlowStage
  let traps: Uint8Array[]
  let sent: number[]
  beforeEach(() => {
    state = loadScenario(DEMO_SCENARIO, 'demo')
    datapath = new Datapath(state)
    flows = new TestFlows()
    stage = new FlowStage(datapath, flows, FLOW_HOLD_LIMIT.dpdk)
    datapath.flows = stage
    traps = []
    sent = []
    datapath.on('trap', (f) => traps.push(f))
    datapath.on('transmit', (vif) => sent.push(vif))
  })

  test('a miss: HOLD, FLOW_MISS with index, key next hop and generation; 3 held; a 4th dropped; released on FORWARD', () => {
    const syn = buildPacket({proto: 'tcp', dst: '10.1.1.6', dport: 80}, VM3)
    assert.deepEqual(datapath.receive(3, syn), [{fate: 'trapped', trap: 'FLOW_MISS', vif: 2}, {fate: 'held', flow: 0, vif: 3}])
    const trap = decodePkt0Frame(traps[0])
    assert.deepEqual([trap.header.cmd, trap.header.ifindex, trap.header.vrf], [AGENT.FLOW_MISS, 3, 2])
    assert.deepEqual(trapMeaning(trap.header), {flowIndex: 0, nexthop: 21, bytes: syn.length, packets: 1, genId: 7})
    assert.deepEqual(trap.packet, syn)
    assert.deepEqual(datapath.receive(3, syn), [{fate: 'held', flow: 0, vif: 3}])
    assert.deepEqual(datapath.receive(3, syn), [{fate: 'held', flow: 0, vif: 3}])
    assert.deepEqual(datapath.receive(3, syn), [{fate: 'dropped', reason: 'VP_DROP_FLOW_QUEUE_LIMIT_EXCEEDED', vif: 3}])
    assert.equal(state.drops.drops.vds_flow_queue_limit_exceeded, 1)
    assert.equal(traps.length, 1, 'only the first held packet is trapped')
    assert.equal(stage.queued(0), 3)
    flows.slots[0].action = FLOW_ACTION.FORWARD
    assert.deepEqual(stage.release(0).map((o) => o.fate), ['sent', 'sent', 'sent'])
    assert.deepEqual(sent, [4, 4, 4], 'out of the destination VM\'s interface')
    assert.equal(stage.queued(0), 0)
  })

  test('a HOLD flow whose NEW_FLOW is consumed traps FLOW_ACTION_HOLD; DROP drops with its reason', () => {
    const udp = buildPacket({proto: 'udp', dst: '10.1.1.6'}, VM3)
    datapath.receive(3, udp)
    flows.slots[0].action = FLOW_ACTION.DROP
    stage.release(0)
    flows.slots[0].action = FLOW_ACTION.HOLD
    datapath.receive(3, udp)
    assert.equal(decodePkt0Frame(traps[1]).header.cmd, AGENT.FLOW_ACTION_HOLD)
    flows.slots[0].action = FLOW_ACTION.DROP
    stage.release(0)
    assert.deepEqual(datapath.receive(3, udp), [{fate: 'dropped', reason: 'VP_DROP_FLOW_ACTION_DROP', vif: 3}])
    assert.ok(state.interfaces.get(3)!.drops.vds_flow_action_drop! >= 18)
  })

  test('hold limit reached: new flows dropped as FLOW_UNUSABLE; no slot: FLOW_TABLE_FULL', () => {
    const limited = new FlowStage(datapath, flows, 2)
    datapath.flows = limited
    for (let port = 1; port <= 3; port++) datapath.receive(3, buildPacket({proto: 'udp', dst: '10.1.1.6', sport: port}, VM3))
    assert.deepEqual(datapath.receive(3, buildPacket({proto: 'udp', dst: '10.1.1.6', sport: 9}, VM3)), [{fate: 'dropped', reason: 'VP_DROP_FLOW_UNUSABLE', vif: 3}])
    flows.capacity = 3
    datapath.flows = stage
    assert.deepEqual(datapath.receive(3, buildPacket({proto: 'udp', dst: '10.1.1.6', sport: 10}, VM3)), [{fate: 'dropped', reason: 'VP_DROP_FLOW_TABLE_FULL', vif: 3}])
    assert.equal(state.drops.drops.vds_flow_unusable, 1)
    assert.equal(state.drops.drops.vds_flow_table_full, 1)
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
