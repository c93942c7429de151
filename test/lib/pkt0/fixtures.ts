/**
 * The codec's fixtures: pkt0 frames of every kind the emulator traps or the agent sends, built from descriptions,
 * kept as annotated hex in test/golden/pkt0/<name>.hex (written by `npm run update-golden`, reviewed in the diff and
 * checked against tcpdump by test/lib/pkt0/pcap.test.ts).
 */
import {readFileSync, writeFileSync} from 'node:fs'
import {type PacketSpec, buildPacket} from '../../../src/lib/pkt0/build.js'
import {frameRuns} from '../../../src/lib/pkt0/annotate.js'
import {decodePkt0Frame, encodePkt0Frame, trapFrame} from '../../../src/lib/pkt0/frame.js'
import {decodePacket} from '../../../src/lib/pkt0/packet.js'
import {AGENT, CMD_PARAM_1_DIAG, CMD_PARAM_PACKET_CTRL, flowTrapParams} from '../../../src/lib/model/pkt0.js'
import type {AgentHeader} from '../../../src/lib/model/packet.js'
import {parseHex} from '../../../src/lib/ksync/hex.js'
import {renderAnnotatedHex} from '../../../src/lib/render/annotated-hex.js'
import {GOLDEN} from '../../helpers.js'

const VM = {srcMac: '02:aa:bb:cc:dd:01', dstMac: '00:00:5e:00:01:00', src: '10.1.1.5'}
const PKT0_MAC = '00:00:5e:00:00:02'
const header = (cmd: number, params: AgentHeader['params'] = [0, 0, 0, 0, 0, 0], ifindex = 3, vrf = 2) => ({ifindex, vrf, cmd, params})

export interface Fixture {
  readonly name: string
  readonly header: Omit<AgentHeader, 'pad'>
  readonly spec: PacketSpec
  /** The frame's line as `pkt0 decode` prints it. */
  readonly line: string
}

export const FIXTURES: readonly Fixture[] = [
  {name: 'arp-request', header: header(AGENT.ARP), spec: {proto: 'arp', dst: '10.1.1.1'}, line: 'ARP vif 3 vrf 2: ARP, Request who-has 10.1.1.1 tell 10.1.1.5, length 28'},
  {name: 'arp-gratuitous', header: header(AGENT.ARP), spec: {proto: 'arp', op: 'gratuitous'}, line: 'ARP vif 3 vrf 2: ARP, Request who-has 10.1.1.5 tell 10.1.1.5, length 28'},
  {name: 'arp-reply', header: header(AGENT.ARP), spec: {proto: 'arp', op: 'reply', dst: '10.1.1.1'}, line: 'ARP vif 3 vrf 2: ARP, Reply 10.1.1.5 is-at 02:aa:bb:cc:dd:01, length 28'},
  {name: 'dhcp-discover', header: header(AGENT.L3_PROTOCOLS), spec: {proto: 'dhcp'}, line: 'L3_PROTOCOLS vif 3 vrf 2: IP 0.0.0.0.68 > 255.255.255.255.67: BOOTP/DHCP, Request from 02:aa:bb:cc:dd:01, length 300, Discover'},
  {name: 'dhcp-request', header: header(AGENT.L3_PROTOCOLS), spec: {proto: 'dhcp', dhcp: 'request'}, line: 'L3_PROTOCOLS vif 3 vrf 2: IP 0.0.0.0.68 > 255.255.255.255.67: BOOTP/DHCP, Request from 02:aa:bb:cc:dd:01, length 300, Request'},
  {
    name: 'tcp-syn-flow-miss',
    header: header(AGENT.FLOW_MISS, flowTrapParams(120348, 21, 0, 0, 1)),
    spec: {proto: 'tcp', dst: '10.1.1.6', sport: 40000, dport: 80},
    line: 'FLOW_MISS vif 3 vrf 2 flow 120348 gen 1 nh 21: IP 10.1.1.5.40000 > 10.1.1.6.80: Flags [S], seq 1000, win 64240, length 0',
  },
  {
    name: 'udp-flow-action-hold',
    header: header(AGENT.FLOW_ACTION_HOLD, flowTrapParams(524290, 21, 5_000_000_000, 300, 9)),
    spec: {proto: 'udp', dst: '10.1.2.9', sport: 40001, dport: 5001, length: 12},
    line: 'FLOW_ACTION_HOLD vif 3 vrf 2 flow 524290 gen 9 nh 21 stats 300/5000000000: IP 10.1.1.5.40001 > 10.1.2.9.5001: UDP, length 12',
  },
  {name: 'icmp-echo-resolve', header: header(AGENT.RESOLVE), spec: {proto: 'icmp', dst: '192.168.10.8', id: 0x1a2b, seq: 7, length: 8}, line: 'RESOLVE vif 3 vrf 2: IP 10.1.1.5 > 192.168.10.8: ICMP echo request, id 6699, seq 7, length 16'},
  {
    name: 'icmp6-echo-zero-ttl',
    header: header(AGENT.ZERO_TTL),
    spec: {proto: 'icmp', src: 'fd00:10:1:1::5', dst: 'fd00:10:1:2::9', ttl: 1, length: 4},
    line: 'ZERO_TTL vif 3 vrf 2: IP6 fd00:10:1:1::5 > fd00:10:1:2::9: ICMP6, echo request, id 1, seq 1, length 12',
  },
  {
    name: 'tcp6-vlan-handle-df',
    header: header(AGENT.HANDLE_DF, [1400, 77, 0, 0, 0, 0]),
    spec: {proto: 'tcp', src: 'fd00:10:1:1::5', dst: 'fd00:10:1:2::9', dport: 5001, flags: 'P.', vlan: 100, length: 20},
    line: 'HANDLE_DF vif 3 vrf 2 flow 77 mtu 1400: vlan 100, p 0, IP6 fd00:10:1:1::5.40000 > fd00:10:1:2::9.5001: Flags [P.], seq 1000:1020, ack 0, win 64240, length 20',
  },
  {
    name: 'route-diag',
    header: header(AGENT.ROUTE, [CMD_PARAM_PACKET_CTRL, CMD_PARAM_1_DIAG, 0, 0, 0, 0], 0, 0),
    spec: {proto: 'udp', src: '192.168.10.7', dst: '192.168.10.8', sport: 50000, dport: 33434, ttl: 1},
    line: 'ROUTE vif 0 vrf 0 diag: IP 192.168.10.7.50000 > 192.168.10.8.33434: UDP, length 0',
  },
]

export function buildFixture(f: Fixture): Uint8Array {
  return encodePkt0Frame(trapFrame(PKT0_MAC, f.header, buildPacket(f.spec, VM)))
}

export function goldenFixture(name: string): Uint8Array {
  return parseHex(readFileSync(`${GOLDEN}/pkt0/${name}.hex`, 'utf8'))
}

/** Rewrites every fixture file from the current codec. */
export function writeFixtures(): void {
  for (const f of FIXTURES) {
    const bytes = buildFixture(f)
    const frame = decodePkt0Frame(bytes)
    const lines = renderAnnotatedHex(bytes, frameRuns(frame, decodePacket(frame.packet)))
    writeFileSync(`${GOLDEN}/pkt0/${f.name}.hex`, `# ${f.line}\n${lines.join('\n')}\n`)
  }
}
