/**
 * The flow stage's work end to end: the emulator (the demo scenario plus a TCP connection's two flows and a NAT
 * pair), `emulator inject` on both VMs' interfaces, and the real `flow -l`, `dropstats`. A handshake makes the two
 * flows SSrEEr; the close makes them DEAD, then evicted (seen only with --show-evicted); a NAT flow sends the
 * packet out with the reverse flow's address and port (seen by a test endpoint on the wire, checksums valid); a NAT
 * flow without a reverse flow drops as "Flow NAT no rflow".
 */
import assert from 'node:assert/strict'
import {after, before, describe, test} from 'node:test'
import {DEMO_SCENARIO} from '../../src/emulator/scenario/demo.js'
import {loadScenario} from '../../src/emulator/scenario/load.js'
import {WireClient} from '../../src/emulator/traffic/wire.js'
import {decodePacket, encodePacket} from '../../src/lib/pkt0/packet.js'
import {runCliAsync} from '../cli.js'
import {type Emulator, type Traffic, startEmulator, startTraffic} from '../emulator/harness.js'

// Appended to the demo's 12 flows: positions 12 and 13 a connection, 14 and 15 a NAT pair.
const FLOWS = `
  - {source: 10.1.1.5, destination: 10.1.1.6, flow_sport: 45000, flow_dport: 80, flow_proto: 6, flow_nh_id: 21, flow_vrf: 2, action: forward, src_nh_index: 21, reverse: 13}
  - {source: 10.1.1.6, destination: 10.1.1.5, flow_sport: 80, flow_dport: 45000, flow_proto: 6, flow_nh_id: 22, flow_vrf: 2, action: forward, src_nh_index: 22}
  - {source: 10.1.1.5, destination: 10.1.1.6, flow_sport: 46000, flow_dport: 80, flow_proto: 6, flow_nh_id: 21, flow_vrf: 2, action: nat, flags: [active, snat, spat], src_nh_index: 21, reverse: 15}
  - {source: 10.1.1.6, destination: 10.1.100.5, flow_sport: 80, flow_dport: 5555, flow_proto: 6, flow_nh_id: 22, flow_vrf: 2, action: nat, flags: [active, dnat, dpat], src_nh_index: 22}
`

interface FlowJson {
  index: number
  tcp_flags: string[]
  flags: string[]
}

describe('TCP state, eviction and NAT against the running emulator', () => {
  let emu: Emulator
  let traffic: Traffic
  before(async () => {
    const scenario = DEMO_SCENARIO.replace('\ndrop_stats:', `${FLOWS}\ndrop_stats:`)
    emu = await startEmulator({state: loadScenario(`${scenario}\nconfig: {flowEntries: 1024, flowOverflowEntries: 256}\n`, 'demo-flows.yaml')})
    traffic = await startTraffic(emu)
  })
  after(async () => {
    await traffic.close()
    await emu.close()
  })
  const sock = () => ['--sock-dir', emu.dir]
  const run = async (argv: string[]) => {
    const r = await runCliAsync([...argv, ...sock()])
    assert.equal(r.status, 0, `${argv.join(' ')}: ${r.stderr}`)
    return r.stdout
  }
  /** A segment from VM 3 (10.1.1.5:45000) or VM 4 (10.1.1.6:80) of the connection. */
  const segment = (fromVm3: boolean, flags: string, seq: number, ack: number) =>
    run(['emulator', 'inject', '--vif', fromVm3 ? '3' : '4', '--proto', 'tcp', '--dst', fromVm3 ? '10.1.1.6' : '10.1.1.5', '--sport', fromVm3 ? '45000' : '80', '--dport', fromVm3 ? '80' : '45000', '--flags', flags, '--seq', String(seq), '--ack', String(ack)])
  const flows = async (extra: string[] = []) => JSON.parse(await run(['flow', '-l', '--match', '10.1.1.5:45000', ...extra, '--json'])) as FlowJson[]

  test('a handshake: TCP:SSrEEr on both flows (text and JSON); the close: DEAD, then evicted', async () => {
    assert.match(await segment(true, 'S', 100, 0), /→ sent out of vif 4/)
    await segment(false, 'S.', 500, 101)
    await segment(true, '.', 101, 501)
    const text = await run(['flow', '-l', '--match', '10.1.1.5:45000'])
    assert.equal(text.match(/TCP:SSrEEr,/g)?.length, 2, text)
    const established = ['SYN', 'SYN_R', 'ESTABLISHED', 'ESTABLISHED_R']
    assert.deepEqual((await flows()).map((f) => f.tcp_flags), [established, established])

    await segment(true, 'F.', 101, 501)
    await segment(false, '.', 501, 102)
    const halfClosed = await flows()
    assert.ok(halfClosed.some((f) => f.tcp_flags.includes('HALF_CLOSE') && f.tcp_flags.includes('FIN')), JSON.stringify(halfClosed))
    await segment(false, 'F.', 501, 102)
    assert.match(await segment(true, '.', 102, 502), /→ sent out of vif 4/, 'the last ack goes')
    // The eviction the dp schedules has run by the time the next request is answered.
    assert.deepEqual(await flows(), [], 'evicted flows are not listed')
    const evicted = await flows(['--show-evicted'])
    assert.deepEqual(evicted.map((f) => [f.flags.includes('EVICTED'), f.tcp_flags]), [[true, []], [true, []]])
    assert.match(await segment(true, 'S', 9000, 0), /trapped to the agent as FLOW_MISS/, 'the key is free for a new flow')
  })

  test('SNAT+SPAT: the packet leaves vif 4 from the reverse flow\'s address and port, checksums valid; NAT without a reverse flow is dropped', async () => {
    const watcher = await WireClient.connect(traffic.wirePath)
    const seen: Uint8Array[] = []
    const arrived = new Promise<void>((resolve) => watcher.on('transmit', (_vif, packet) => resolve(void seen.push(packet))))
    watcher.watch(4)
    try {
      await run(['emulator', 'inject', '--vif', '3', '--proto', 'tcp', '--dst', '10.1.1.6', '--sport', '46000', '--dport', '80', '--flags', 'S', '--length', '11'])
      await arrived
    } finally {
      watcher.close()
    }
    const layers = decodePacket(seen[0]).layers
    const ip = layers.find((l) => l.layer === 'ipv4')!
    const tcp = layers.find((l) => l.layer === 'tcp')!
    assert.deepEqual([ip.src, ip.dst, tcp.srcPort, tcp.dstPort], ['10.1.100.5', '10.1.1.6', 5555, 80])
    assert.deepEqual(encodePacket(layers, {fill: true}), seen[0], 'lengths and checksums as computed afresh')

    const before = JSON.parse(await run(['dropstats', '--json'])) as {counters: Record<string, number>}
    assert.match(await run(['emulator', 'inject', '--vif', '3', '--proto', 'tcp', '--dst', '169.254.169.254', '--sport', '34000', '--dport', '80', '--flags', '.']), /→ dropped: VP_DROP_FLOW_NAT_NO_RFLOW\n$/)
    const text = await run(['dropstats'])
    assert.match(text, new RegExp(`Flow NAT no rflow +${before.counters.flow_nat_no_rflow + 1}\n`))
  })
})
