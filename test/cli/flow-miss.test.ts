/**
 * Issue 8's flow-miss lifecycle end to end: the emulator (the demo scenario, with a small flow table so that a copy
 * of its file is cheap) with its datapath, pkt0 endpoint and wire, and the real commands. A TCP SYN from VM 3 takes
 * a slot in HOLD and is trapped as FLOW_MISS (seen by `pkt0 capture`), its packets wait; a FLOW_SET with a stale
 * generation is refused and they keep waiting; `flow -f` sets the flow FORWARD — in VRF 0, as the stock tool's
 * request leaves fr_flow_vrf 0 and the dp routes a flow's packets in its fe_vrf — and they come out of vhost0 by VRF
 * 0's default route (seen by a test endpoint on the wire); `flow -l`, `vif` and `dropstats` show the counters. Then
 * the hold limit (`vrouter --flow_hold_limit`) and its drop reason.
 */
import assert from 'node:assert/strict'
import {copyFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {DEMO_SCENARIO} from '../../src/emulator/scenario/demo.js'
import {loadScenario} from '../../src/emulator/scenario/load.js'
import {WireClient} from '../../src/emulator/traffic/wire.js'
import {runCliAsync, startCli} from '../cli.js'
import {type Emulator, type Traffic, startEmulator, startTraffic} from '../emulator/harness.js'

interface Frame {
  trap: string
  cmd: number
  ifindex: number
  vrf: number
  flowIndex?: number
  genId?: number
  nexthop?: number
  summary: string
}

interface FlowJson {
  index: number
  action: string
  gen_id: number
  packets: number
  bytes: number
  flags: string[]
  key_nexthop: number
}

describe('the flow-miss lifecycle against the running emulator', () => {
  let emu: Emulator
  let traffic: Traffic
  before(async () => {
    emu = await startEmulator({state: loadScenario(`${DEMO_SCENARIO}\nconfig: {flowEntries: 1024, flowOverflowEntries: 256}\n`, 'demo-small.yaml')})
    traffic = await startTraffic(emu)
  })
  after(async () => {
    await traffic.close()
    await emu.close()
  })
  const sock = () => ['--sock-dir', emu.dir]
  const json = async <T>(argv: string[]): Promise<T> => {
    const r = await runCliAsync([...argv, ...sock(), '--json'])
    assert.equal(r.status, 0, `${argv.join(' ')}: ${r.stderr}`)
    return JSON.parse(r.stdout) as T
  }
  const vifTx = async (vif: number) => (await json<{tx: {packets: number}}>(['vif', '--get', String(vif)])).tx.packets
  const drops = async () => (await json<{counters: Record<string, number>}>(['dropstats'])).counters
  const flowOf = async (match: string) => {
    const flows = await json<FlowJson[]>(['flow', '-l', '--match', match])
    assert.equal(flows.length, 1, `one flow matches ${match}`)
    return flows[0]
  }

  test('SYN → FLOW_MISS (index, gen) → held; stale gen refused; flow set → held packets out of vhost0 (VRF 0) → FORWARD with counters', async () => {
    const watcher = await WireClient.connect(traffic.wirePath)
    const seen: [number, Uint8Array][] = []
    watcher.on('transmit', (vif, packet) => seen.push([vif, packet]))
    watcher.watch(1)
    try {
      await lifecycle(seen)
    } finally {
      watcher.close()
    }
  })

  async function lifecycle(seen: [number, Uint8Array][]) {
    const txBefore = await vifTx(1)
    const dropsBefore = await drops()

    // The SYN and two retransmissions; ARP and DHCP on the way, trapped with their own codes.
    const capture = await startCli(['pkt0', 'capture', ...sock(), '--count', '3', '--json', '--no-timestamp'], /capturing on/)
    const syn = ['emulator', 'inject', ...sock(), '--vif', '3', '--proto', 'tcp', '--dst', '10.1.1.6', '--sport', '41000', '--dport', '80', '--flags', 'S']
    // Nothing may fail before the capture has its 3 frames, or it would wait on.
    const first = await runCliAsync([...syn, '--count', '3', '--json'])
    await runCliAsync(['emulator', 'inject', ...sock(), '--vif', '3', '--proto', 'arp', '--op', 'reply', '--dst', '10.1.1.1', '--dst-mac', '00:00:5e:00:01:00'])
    await runCliAsync(['emulator', 'inject', ...sock(), '--vif', '3', '--proto', 'dhcp'])
    const captured = await capture.done
    assert.equal(first.status, 0, first.stderr)
    const outcomes = first.stdout.trim().split(/\n(?=\{)/).map((l) => (JSON.parse(l) as {outcomes: {fate: string; flow?: number; trap?: string}[]}).outcomes)
    const index = outcomes[0][1].flow!
    assert.deepEqual(outcomes, [[{fate: 'trapped', trap: 'FLOW_MISS', vif: 2, flow: index}, {fate: 'held', flow: index, vif: 3}], [{fate: 'held', flow: index, vif: 3}], [{fate: 'held', flow: index, vif: 3}]])
    assert.equal(captured.status, 0, captured.stderr)
    const frames = captured.stdout.trim().split('\n').map((l) => JSON.parse(l) as Frame)
    assert.deepEqual(frames.map((f) => [f.trap, f.cmd, f.ifindex, f.vrf]), [['FLOW_MISS', 6, 3, 2], ['ARP', 2, 3, 2], ['L3_PROTOCOLS', 7, 3, 2]])
    assert.deepEqual([frames[0].flowIndex, frames[0].genId, frames[0].nexthop], [index, 1, 21])
    assert.equal(frames[0].summary, 'IP 10.1.1.5.41000 > 10.1.1.6.80: Flags [S], seq 1000, win 64240, length 0')

    const held = await flowOf('10.1.1.5:41000,10.1.1.6:80')
    assert.deepEqual([held.index, held.action, held.gen_id, held.key_nexthop, held.packets, held.flags], [index, 'HOLD', 1, 21, 3, ['ACTIVE']])

    // The agent lets this flow go (the packets are dropped), and the next SYN takes the slot again with generation 2.
    const snapshot = join(emu.dir, 'gen1.shmem')
    copyFileSync(join(emu.dir, 'flow.shmem'), snapshot)
    const deleted = await runCliAsync(['flow', '-i', String(index), ...sock()])
    assert.equal(deleted.status, 0, deleted.stderr)
    assert.equal((await drops()).flow_action_drop, dropsBefore.flow_action_drop + 3, 'the held packets of a deleted flow are dropped')
    const again = await runCliAsync([...syn, '--count', '2'])
    assert.match(again.stdout, new RegExp(`→ trapped to the agent as FLOW_MISS \\(flow ${index}\\); held in flow ${index}\n.*→ held in flow ${index}\n$`))
    assert.equal((await flowOf('10.1.1.5:41000,10.1.1.6:80')).gen_id, 2)

    // A FLOW_SET built from the old table (generation 1) is refused as the forwarding plane refuses it: EBADF.
    const stale = await runCliAsync(['flow', '-f', String(index), '--file', snapshot, ...sock()])
    assert.equal(stale.status, 3, stale.stderr)
    assert.equal(stale.stdout, 'response_process: Bad file descriptor\n', 'the stock tool\'s words for EBADF')
    const still = await flowOf('10.1.1.5:41000,10.1.1.6:80')
    assert.deepEqual([still.action, still.gen_id], ['HOLD', 2])
    assert.equal(seen.length, 0, 'nothing left yet')

    // The set with the current generation: the held packets replay, routed in VRF 0 (fr_flow_vrf of `flow -f`), counted once.
    const set = await runCliAsync(['flow', '-f', String(index), ...sock()])
    assert.deepEqual([set.status, set.stderr], [0, ''])
    const forward = await flowOf('10.1.1.5:41000,10.1.1.6:80')
    assert.deepEqual([forward.action, forward.gen_id, forward.packets, forward.bytes], ['FORWARD', 2, 2, 2 * 54])
    const next = await runCliAsync([...syn])
    assert.match(next.stdout, / → sent out of vif 1 \(next hop 1 \(receive\)\)\n$/)
    assert.deepEqual([(await flowOf('10.1.1.5:41000,10.1.1.6:80')).packets, (await flowOf('10.1.1.5:41000,10.1.1.6:80')).bytes], [3, 3 * 54])
    assert.equal(await vifTx(1), txBefore + 3)
    await new Promise((resolve) => setTimeout(resolve, 50))
    assert.deepEqual(
      seen.map(([vif, p]) => [vif, p.length]),
      [[1, 54], [1, 54], [1, 54]],
    )
    // A receive next hop hands the packet on as it came.
    assert.deepEqual([...seen[0][1].subarray(0, 6)], [0x00, 0x00, 0x5e, 0x00, 0x01, 0x00])
  }

  test('a 4th packet of a HOLD flow, and a new flow beyond the hold limit, are dropped with their reasons', async () => {
    const before = await drops()
    const udp = (sport: number, count = 1) => runCliAsync(['emulator', 'inject', ...sock(), '--vif', '3', '--proto', 'udp', '--dst', '10.1.1.6', '--sport', String(sport), '--dport', '53', '--count', String(count)])
    const queue = await udp(5000, 4)
    assert.match(queue.stdout, /→ dropped: VP_DROP_FLOW_QUEUE_LIMIT_EXCEEDED\n$/)
    // In HOLD now: the demo's ping and the flow above, more than a limit of 1.
    const limit = await runCliAsync(['vrouter', '--flow_hold_limit', '1', ...sock()])
    assert.equal(limit.status, 0, limit.stderr)
    const refused = await udp(5001)
    assert.match(refused.stdout, /→ dropped: VP_DROP_FLOW_UNUSABLE\n$/)
    const after = await drops()
    assert.equal(after.flow_queue_limit_exceeded, before.flow_queue_limit_exceeded + 1)
    assert.equal(after.flow_unusable, before.flow_unusable + 1)
    const text = await runCliAsync(['dropstats', ...sock()])
    assert.match(text.stdout, new RegExp(`Flow Unusable +${after.flow_unusable}\n`))
    const none = await json<FlowJson[]>(['flow', '-l', '--match', '10.1.1.5:5001'])
    assert.deepEqual(none, [], 'no slot was taken')
    await runCliAsync(['vrouter', '--flow_hold_limit', '0', ...sock()])
    assert.match((await udp(5001)).stdout, /→ trapped to the agent as FLOW_MISS \(flow \d+\); held in flow \d+\n$/)
  })
})
