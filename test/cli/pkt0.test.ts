/**
 * pkt0 end to end: the emulator (demo scenario) with its datapath, pkt0 endpoint and wire; the real `emulator
 * inject`, `pkt0 capture`, `pkt0 decode` and `pkt0 send`. ARP and DHCP are trapped with their codes, the capture's
 * lines, JSON and pcap agree (the pcap read back by pcap-parser and tcpdump), counters move in `vif` and
 * `dropstats`, agent frames come out of the right interface (seen by a test endpoint on the wire).
 */
import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {DEMO_SCENARIO} from '../../src/emulator/scenario/demo.js'
import {loadScenario} from '../../src/emulator/scenario/load.js'
import {WireClient} from '../../src/emulator/traffic/wire.js'
import type {Layer} from '../../src/lib/model/packet.js'
import {parseHex} from '../../src/lib/ksync/hex.js'
import {decodePacket, encodePacket} from '../../src/lib/pkt0/packet.js'
import {CaptureWriter} from '../../src/lib/pkt0/pcap.js'
import {runCliAsync, startCli} from '../cli.js'
import {type Emulator, type Traffic, startEmulator, startTraffic} from '../emulator/harness.js'
import {ROOT} from '../helpers.js'
import {TCPDUMP, pcapParserRead, tcpdumpRead} from '../lib/pkt0/readers.js'

function vifCounters(emu: Emulator, vif: number) {
  const f = emu.state.interfaces.get(vif)!.fields
  return {rx: Number(f.vifr_ipackets), tx: Number(f.vifr_opackets), txErrors: Number(f.vifr_oerrors)}
}

describe('pkt0 over the DPDK datagram sockets', () => {
  let emu: Emulator
  let traffic: Traffic
  before(async () => {
    emu = await startEmulator({state: loadScenario(DEMO_SCENARIO, 'demo')})
    traffic = await startTraffic(emu)
  })
  after(async () => {
    await traffic.close()
    await emu.close()
  })
  const sock = () => ['--sock-dir', emu.dir]

  test('ARP and DHCP are trapped with their codes; capture, JSON, pcap and counters agree', async () => {
    const pcap = join(emu.dir, 'traps.pcap')
    const agentBefore = vifCounters(emu, 2)
    const vmBefore = vifCounters(emu, 3)
    const capture = await startCli(['pkt0', 'capture', ...sock(), '--count', '3', '--json', '--no-timestamp', '-w', pcap], /capturing on/)
    // An ARP reply to the vRouter's MAC (trapped), a DHCP discover (trapped), a vhost packet to a RESOLVE route.
    const arp = await runCliAsync(['emulator', 'inject', ...sock(), '--vif', '3', '--proto', 'arp', '--op', 'reply', '--dst', '10.1.1.1', '--dst-mac', '00:00:5e:00:01:00'])
    assert.deepEqual([arp.status, arp.stderr], [0, ''])
    assert.equal(arp.stdout, 'vif 3: ARP, Reply 10.1.1.5 is-at 02:00:00:00:00:03, length 28 → trapped to the agent as ARP\n')
    const dhcp = await runCliAsync(['emulator', 'inject', ...sock(), '--vif', '3', '--proto', 'dhcp'])
    assert.equal(dhcp.stdout, 'vif 3: IP 0.0.0.0.68 > 255.255.255.255.67: BOOTP/DHCP, Request from 02:00:00:00:00:03, length 300, Discover → trapped to the agent as L3_PROTOCOLS\n')
    const resolve = await runCliAsync(['emulator', 'inject', ...sock(), '--vif', '1', '--proto', 'icmp', '--dst', '192.168.10.8'])
    assert.match(resolve.stdout, /→ trapped to the agent as RESOLVE\n$/)
    const r = await capture.done
    assert.equal(r.status, 0, r.stderr)
    assert.match(r.stderr, /pkt0: 3 frame\(s\) shown of 3 received\n$/)
    const frames = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as {trap: string; cmd: number; ifindex: number; vrf: number; layers: Layer[]; summary: string})
    assert.deepEqual(frames.map((f) => [f.trap, f.cmd, f.ifindex, f.vrf]), [['ARP', 2, 3, 2], ['L3_PROTOCOLS', 7, 3, 2], ['RESOLVE', 5, 1, 0]])
    assert.equal(frames[0].summary, 'ARP, Reply 10.1.1.5 is-at 02:00:00:00:00:03, length 28')

    // The pcap, read by independent readers: the same packets, byte for byte.
    const packets = frames.map((f) => encodePacket(f.layers))
    const read = await pcapParserRead(pcap)
    assert.equal(read.packets.length, 3)
    read.packets.forEach((p, i) => assert.deepEqual(new Uint8Array(p.data), packets[i]))
    if (TCPDUMP) assert.deepEqual(tcpdumpRead(pcap), frames.map((f) => f.summary.replace(/, Discover$/, '')))
    const decoded = await runCliAsync(['pkt0', 'decode', pcap])
    assert.deepEqual(decoded.stdout.trim().split('\n'), frames.map((f) => f.summary))

    // Counters: the VM's interface received 2, the agent interface sent 3 traps.
    assert.equal(vifCounters(emu, 3).rx, vmBefore.rx + 2)
    assert.equal(vifCounters(emu, 2).tx, agentBefore.tx + 3)
    const vif = await runCliAsync(['vif', ...sock(), '--get', '2'])
    assert.match(vif.stdout, new RegExp(`TX packets:${agentBefore.tx + 3} `))
  })

  test('a trap nobody takes is lost and counted as an output error of the agent interface', async () => {
    const before = vifCounters(emu, 2)
    const r = await runCliAsync(['emulator', 'inject', ...sock(), '--vif', '3', '--proto', 'dhcp', '--count', '2'])
    assert.equal(r.status, 0)
    await new Promise((resolve) => setTimeout(resolve, 100))
    assert.equal(vifCounters(emu, 2).txErrors, before.txErrors + 2)
    assert.ok(traffic.pkt0.counters.lost >= 2)
  })

  test('filters: only the traps asked for; a second capture is refused while one holds the socket', async () => {
    const capture = await startCli(['pkt0', 'capture', ...sock(), '--filter', 'trap=L3_PROTOCOLS', '--count', '1', '--no-timestamp'], /capturing on/)
    const second = await runCliAsync(['pkt0', 'capture', ...sock(), '--count', '1'])
    assert.equal(second.status, 4)
    assert.match(second.stderr, /agent_pkt0 exists: it is the agent's socket .* never takes over or removes/)
    await runCliAsync(['emulator', 'inject', ...sock(), '--vif', '1', '--proto', 'icmp', '--dst', '192.168.10.8'])
    await runCliAsync(['emulator', 'inject', ...sock(), '--vif', '4', '--proto', 'dhcp', '--dhcp', 'request'])
    const r = await capture.done
    assert.equal(r.stdout, 'L3_PROTOCOLS vif 4 vrf 2: IP 0.0.0.0.68 > 255.255.255.255.67: BOOTP/DHCP, Request from 02:00:00:00:00:04, length 300, Request\n')
    assert.match(r.stderr, /1 frame\(s\) shown of 2 received/)
    const bad = await runCliAsync(['pkt0', 'capture', ...sock(), '--filter', 'trap=NOPE'])
    assert.equal(bad.status, 1)
  })

  test('the vRouter answers ARP for a proxied address out of the same interface; drops are counted', async () => {
    const watcher = await WireClient.connect(traffic.wirePath)
    const seen: [number, Uint8Array][] = []
    watcher.on('transmit', (vif, packet) => seen.push([vif, packet]))
    watcher.watch()
    const r = await runCliAsync(['emulator', 'inject', ...sock(), '--vif', '3', '--proto', 'arp', '--dst', '10.1.1.6'])
    assert.equal(r.stdout, 'vif 3: ARP, Request who-has 10.1.1.6 tell 10.1.1.5, length 28 → sent out of vif 3 (ARP proxy: 10.1.1.6 is-at 00:00:5e:00:01:00)\n')
    // The demo's IPv6 DNS flow, dropped by policy.
    const drops = await runCliAsync(['emulator', 'inject', ...sock(), '--vif', '3', '--proto', 'udp', '--src', 'fd00:10:1:1::5', '--dst', 'fd00:10:1:2::7', '--sport', '5353', '--dport', '53', '--json'])
    assert.deepEqual(JSON.parse(drops.stdout).outcomes, [{fate: 'dropped', reason: 'VP_DROP_FLOW_ACTION_DROP', vif: 3}])
    const stats = await runCliAsync(['dropstats', ...sock()])
    assert.match(stats.stdout, /Flow Action Drop +18\n/, 'the demo\'s 17 and ours')
    await new Promise((resolve) => setTimeout(resolve, 50))
    watcher.close()
    assert.equal(seen.length, 1)
    assert.equal(seen[0][0], 3)
    const reply = decodePacket(seen[0][1]).layers[1]
    assert.deepEqual(reply, {layer: 'arp', htype: 1, ptype: 0x0800, hlen: 6, plen: 4, op: 2, sha: '00:00:5e:00:01:00', spa: '10.1.1.6', tha: '02:00:00:00:00:03', tpa: '10.1.1.5'})
  })

  test('pkt0 send: SWITCH comes out of the interface named, ROUTE goes in as if received there', async () => {
    const watcher = await WireClient.connect(traffic.wirePath)
    const seen: [number, Uint8Array][] = []
    watcher.on('transmit', (vif, packet) => seen.push([vif, packet]))
    watcher.watch(4)
    const sw = await runCliAsync(['pkt0', 'send', ...sock(), '--cmd', 'switch', '--vif', '4', '--proto', 'arp', '--op', 'reply', '--src', '10.1.1.1', '--dst', '10.1.1.6', '--dst-mac', '02:00:00:00:00:04'])
    assert.equal(sw.status, 0, sw.stderr)
    assert.match(sw.stdout, /^sent SWITCH vif 4 vrf 2 to .*dpdk_pkt0 ↔ .*agent_pkt0: ARP, Reply 10.1.1.1 is-at 00:00:5e:00:01:01, length 28\n$/)
    const resolveBefore = traffic.pkt0.counters.received
    const capture = await startCli(['pkt0', 'capture', ...sock(), '--count', '1', '--no-timestamp'], /capturing on/)
    const route = await runCliAsync(['pkt0', 'send', ...sock(), '--cmd', 'route', '--vif', '1', '--diag', '--proto', 'icmp', '--src', '192.168.10.7', '--dst', '192.168.10.8'])
    assert.equal(route.status, 0, route.stderr)
    const r = await capture.done
    assert.equal(r.stdout, 'RESOLVE vif 1 vrf 0: IP 192.168.10.7 > 192.168.10.8: ICMP echo request, id 1, seq 1, length 8\n')
    assert.equal(traffic.pkt0.counters.received, resolveBefore + 1)
    watcher.close()
    assert.equal(seen.length, 1)
    assert.deepEqual([seen[0][0], decodePacket(seen[0][1]).layers[0]], [4, {layer: 'ethernet', dst: '02:00:00:00:00:04', src: '00:00:5e:00:01:01', ethertype: 0x0806}])
  })

  test('pkt0 decode: the spec\'s FLOW_MISS example as hex, annotated, as JSON; bad input is one line, exit 1', async () => {
    const hex = readFileSync(`${ROOT}test/golden/pkt0/flow-miss.hex`, 'utf8')
    const line = await runCliAsync(['pkt0', 'decode', '-'], {input: hex})
    assert.equal(line.stdout, 'FLOW_MISS vif 3 vrf 1 flow 1234 gen 7 nh 12: IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 6699, seq 1, length 16\n')
    const annotated = await runCliAsync(['pkt0', 'decode', '-', '--annotate'], {input: hex})
    assert.match(annotated.stdout, /^00 06 +# hdr_cmd 6 \(FLOW_MISS\)$/m)
    const again = await runCliAsync(['pkt0', 'decode', '-'], {input: annotated.stdout})
    assert.equal(again.stdout, line.stdout, 'the annotation is input again')
    const json = await runCliAsync(['pkt0', 'decode', '-', '--json'], {input: hex})
    assert.deepEqual(JSON.parse(json.stdout)[0].genId, 7)
    const short = await runCliAsync(['pkt0', 'decode', '--hex', '00 01 02'])
    assert.deepEqual([short.status, short.stderr], [1, 'pkt0 decode: TRUNCATED at offset 3: a pkt0 frame has 44 bytes of headers; this one has 3 bytes\n'])
  })
})

describe('pkt0 over a pipe (the Windows flavour, on a Unix stream socket)', () => {
  let emu: Emulator
  let traffic: Traffic
  let pipe: string
  before(async () => {
    emu = await startEmulator({state: loadScenario(DEMO_SCENARIO, 'demo')})
    pipe = join(emu.dir, 'vrouterPkt0')
    traffic = await startTraffic(emu, {pipe})
  })
  after(async () => {
    await traffic.close()
    await emu.close()
  })

  test('one opener captures; a second is turned away; agent frames come in', async () => {
    const capture = await startCli(['pkt0', 'capture', '--pipe', pipe, '--count', '2', '--no-timestamp'], /capturing on/)
    const second = await startCli(['pkt0', 'capture', '--pipe', pipe, '--no-timestamp'], /capturing on/)
    const refused = await second.done
    assert.match(refused.stderr, /0 frame\(s\) shown of 0 received/, 'closed at once by the emulator')
    await runCliAsync(['emulator', 'inject', '--sock-dir', emu.dir, '--vif', '3', '--proto', 'dhcp'])
    await runCliAsync(['emulator', 'inject', '--sock-dir', emu.dir, '--vif', '3', '--proto', 'arp', '--op', 'reply', '--dst', '10.1.1.1', '--dst-mac', '00:00:5e:00:01:00'])
    const r = await capture.done
    assert.deepEqual(r.stdout.split('\n').map((l) => l.split(':')[0]), ['L3_PROTOCOLS vif 3 vrf 2', 'ARP vif 3 vrf 2', ''])
    const sent = await runCliAsync(['pkt0', 'send', '--sock-dir', emu.dir, '--pipe', pipe, '--cmd', 'switch', '--vif', '4', '--proto', 'udp', '--dst', '10.1.1.6'])
    assert.equal(sent.status, 0, sent.stderr)
    await new Promise((resolve) => setTimeout(resolve, 100))
    assert.equal(traffic.pkt0.counters.received, 1)
  })
})

test('pkt0 decode --frames: a capture of whole frames (tcpdump on a kernel vRouter\'s pkt0 tap)', async () => {
  const frame = parseHex(readFileSync(`${ROOT}test/golden/pkt0/flow-miss.hex`, 'utf8'))
  const w = new CaptureWriter('pcap')
  const dir = mkdtempSync(join(tmpdir(), 'pkt0-tap-'))
  writeFileSync(join(dir, 'tap.pcap'), Buffer.concat([w.header(), w.record(frame, 0)]))
  const r = await runCliAsync(['pkt0', 'decode', join(dir, 'tap.pcap'), '--frames'])
  rmSync(dir, {recursive: true, force: true})
  assert.equal(r.stdout, 'FLOW_MISS vif 3 vrf 1 flow 1234 gen 7 nh 12: IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 6699, seq 1, length 16\n')
})
