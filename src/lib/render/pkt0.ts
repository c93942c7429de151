/**
 * pkt0 frames as text: one line per frame, the agent header first (trap name, interface, VRF, what the parameters
 * say), then the packet as tcpdump summarises it ("IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000, …"); and
 * the same as a JSON object for NDJSON.
 */
import {
  ARP_OP,
  DHCP_MESSAGE_TYPES,
  DHCP_OPTION,
  type DecodedPacket,
  type DhcpLayer,
  type Layer,
  type Pkt0Frame,
  TCP_FLAG,
  layerLength,
} from '../model/packet.js'
import {type Pkt0Direction, agentCommandName, trapMeaning} from '../model/pkt0.js'

const TCP_FLAG_LETTERS: readonly [number, string][] = [
  [TCP_FLAG.FIN, 'F'],
  [TCP_FLAG.SYN, 'S'],
  [TCP_FLAG.RST, 'R'],
  [TCP_FLAG.PSH, 'P'],
  [TCP_FLAG.ACK, '.'],
  [TCP_FLAG.URG, 'U'],
  [TCP_FLAG.ECE, 'E'],
  [TCP_FLAG.CWR, 'W'],
]

const ICMP_TYPES: Readonly<Record<number, string>> = {0: 'echo reply', 3: 'unreachable', 5: 'redirect', 8: 'echo request', 11: 'time exceeded'}
const ICMP6_TYPES: Readonly<Record<number, string>> = {
  1: 'destination unreachable',
  2: 'packet too big',
  3: 'time exceeded',
  128: 'echo request',
  129: 'echo reply',
  133: 'router solicitation',
  134: 'router advertisement',
  135: 'neighbor solicitation',
  136: 'neighbor advertisement',
}

/** Bytes of a layer's payload: everything after layer `i` up to the padding. */
function bytesAfter(layers: readonly Layer[], i: number): number {
  let n = 0
  for (const l of layers.slice(i + 1)) {
    if (l.layer === 'padding') break
    n += layerLength(l)
  }
  return n
}

function dhcpType(d: DhcpLayer): string | undefined {
  const data = d.options.find((o) => o.code === DHCP_OPTION.MESSAGE_TYPE)?.data
  return data === undefined ? undefined : (DHCP_MESSAGE_TYPES[parseInt(data.slice(0, 2), 16)] || `type ${parseInt(data, 16)}`)
}

/** The packet as tcpdump -n summarises it. */
export function packetSummary(packet: DecodedPacket): string {
  const {layers} = packet
  const parts: string[] = []
  let ip: {version: '' | '6'; src: string; dst: string} | undefined
  let ports = ''
  // What the IP header says its payload holds (a trap may carry less): the lengths tcpdump prints.
  let ipPayload = 0
  let text = ''
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i]
    const length = bytesAfter(layers, i)
    switch (l.layer) {
      case 'ethernet':
        if (![0x0800, 0x0806, 0x86dd, 0x8100, 0x88a8].includes(l.ethertype)) text = `ethertype 0x${l.ethertype.toString(16).padStart(4, '0')}, length ${length}`
        continue
      case 'vlan':
        parts.push(`vlan ${l.vid}, p ${l.pcp}`)
        if (![0x0800, 0x0806, 0x86dd, 0x8100, 0x88a8].includes(l.ethertype)) text = `ethertype 0x${l.ethertype.toString(16).padStart(4, '0')}, length ${length}`
        continue
      case 'arp':
        if (l.op === ARP_OP.REQUEST) text = `ARP, Request who-has ${l.tpa}${l.tha !== '00:00:00:00:00:00' ? ` (${l.tha})` : ''} tell ${l.spa}, length ${8 + 2 * (l.hlen + l.plen)}`
        else if (l.op === ARP_OP.REPLY) text = `ARP, Reply ${l.spa} is-at ${l.sha}, length ${8 + 2 * (l.hlen + l.plen)}`
        else text = `ARP, op ${l.op}, length ${8 + 2 * (l.hlen + l.plen)}`
        continue
      case 'ipv4':
      case 'ipv6':
        ip = {version: l.layer === 'ipv4' ? '' : '6', src: l.src, dst: l.dst}
        ipPayload = l.layer === 'ipv4' ? l.totalLength - 4 * l.ihl : l.payloadLength
        text = `IP${ip.version} ${l.src} > ${l.dst}: ${l.layer === 'ipv4' ? `ip-proto-${l.protocol}` : `ip-proto-${l.nextHeader}`} ${length}`
        if (l.layer === 'ipv4' && l.fragmentOffset !== 0) text = `IP ${l.src} > ${l.dst}: ip-proto-${l.protocol}, frag offset ${l.fragmentOffset * 8}, length ${length}`
        continue
      case 'ipv6-ext':
        ipPayload -= layerLength(l)
        if (ip) text = `IP6 ${ip.src} > ${ip.dst}: ip-proto-${l.nextHeader} ${length}`
        continue
      case 'tcp': {
        const length = ipPayload - layerLength(l)
        const flags = TCP_FLAG_LETTERS.filter(([bit]) => l.flags & bit).map(([, c]) => c).join('') || 'none'
        const ack = l.flags & TCP_FLAG.ACK ? `, ack ${l.ack}` : ''
        // Data bearing segments show the sequence range, as tcpdump does.
        const seq = length > 0 ? `${l.seq}:${(l.seq + length) >>> 0}` : `${l.seq}`
        text = `IP${ip?.version ?? ''} ${ip?.src}.${l.srcPort} > ${ip?.dst}.${l.dstPort}: Flags [${flags}], seq ${seq}${ack}, win ${l.window}, length ${length}`
        continue
      }
      case 'udp':
        ports = `${l.srcPort} > ${ip?.dst}.${l.dstPort}`
        text = `IP${ip?.version ?? ''} ${ip?.src}.${l.srcPort} > ${ip?.dst}.${l.dstPort}: UDP, length ${l.length - 8}`
        continue
      case 'dhcp': {
        const type = dhcpType(l)
        const mac = l.chaddr.slice(0, Math.max(0, 3 * Math.min(l.hlen, 16) - 1))
        text = `IP ${ip?.src}.${ports}: BOOTP/DHCP, ${l.op === 1 ? 'Request' : 'Reply'} from ${mac}, length ${layerLength(l)}${type ? `, ${type}` : ''}`
        continue
      }
      case 'icmp': {
        const name = ICMP_TYPES[l.type] ?? `type-#${l.type}`
        const echo = l.type === 0 || l.type === 8 ? `, id ${l.rest >>> 16}, seq ${l.rest & 0xffff}` : ''
        text = `IP ${ip?.src} > ${ip?.dst}: ICMP ${name}${echo}, length ${ipPayload}`
        continue
      }
      case 'icmpv6': {
        const name = ICMP6_TYPES[l.type] ?? `icmp6 type ${l.type}`
        const detail = l.type === 135 ? `, who has ${l.target}` : l.type === 136 ? `, tgt is ${l.target}` : l.type === 128 || l.type === 129 ? `, id ${l.rest >>> 16}, seq ${l.rest & 0xffff}` : ''
        text = `IP6 ${ip?.src} > ${ip?.dst}: ICMP6, ${name}${detail}, length ${ipPayload}`
        continue
      }
      default:
        continue
    }
  }
  if (text === '') text = `length ${packet.length}`
  if (packet.issue) text += ` [${packet.issue.code === 'TRUNCATED' ? 'truncated' : 'bad header'} at byte ${packet.issue.offset}]`
  return [...parts, text].join(', ')
}

/** The agent header as words: code name, interface, VRF, and what the code's parameters say. */
export function headerSummary(frame: Pkt0Frame): string {
  const h = frame.header
  const m = trapMeaning(h)
  const words = [agentCommandName(h.cmd), `vif ${h.ifindex}`, `vrf ${h.vrf}`]
  if (m.flowIndex !== undefined) words.push(`flow ${m.flowIndex}`)
  if (m.genId !== undefined) words.push(`gen ${m.genId}`)
  if (m.nexthop !== undefined) words.push(`nh ${m.nexthop}`)
  if (m.packets) words.push(`stats ${m.packets}/${m.bytes}`)
  if (m.mtu !== undefined) words.push(`mtu ${m.mtu}`)
  if (m.vif !== undefined) words.push(`diag vif ${m.vif}`)
  if (m.bridgeIndex !== undefined) words.push(`bridge ${m.bridgeIndex}`)
  if (m.argument) words.push(`arg ${m.argument}`)
  if (m.bfdState !== undefined) words.push(`bfd state ${m.bfdState}`)
  if (m.diag) words.push('diag')
  return words.join(' ')
}

/** A frame's line: time (when given, as tcpdump: HH:MM:SS.uuuuuu local), direction (when known), header, packet. */
export function frameLine(frame: Pkt0Frame, packet: DecodedPacket, micros?: number, direction?: Pkt0Direction): string {
  const time = micros === undefined ? '' : `${clock(micros)} `
  return `${time}${direction ? `${direction} ` : ''}${headerSummary(frame)}: ${packetSummary(packet)}`
}

function clock(micros: number): string {
  const d = new Date(Math.floor(micros / 1000))
  const two = (n: number) => String(n).padStart(2, '0')
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(Math.floor(micros % 1e6)).padStart(6, '0')}`
}

/** A frame as one JSON object: when, which way (when known), the outer header, the agent header with its meaning, the packet's layers. */
export function frameJson(frame: Pkt0Frame, packet: DecodedPacket, micros?: number, direction?: Pkt0Direction): Record<string, unknown> {
  const h = frame.header
  return {
    ...(micros === undefined ? {} : {time: new Date(Math.floor(micros / 1000)).toISOString(), micros}),
    ...(direction ? {direction} : {}),
    trap: agentCommandName(h.cmd),
    cmd: h.cmd,
    ifindex: h.ifindex,
    vrf: h.vrf,
    params: h.params,
    ...trapMeaning(h),
    outer: {dst: frame.outer.dst, src: frame.outer.src, ethertype: frame.outer.ethertype},
    length: packet.length,
    summary: packetSummary(packet),
    layers: packet.layers,
    ...(packet.issue ? {issue: packet.issue} : {}),
  }
}
