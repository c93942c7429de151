/** What each byte run of a pkt0 frame is: the outer header and agent header field by field, then one run per layer. */
import {type DecodedPacket, type Layer, type Pkt0Frame, layerLength} from '../model/packet.js'
import {agentCommandName} from '../model/pkt0.js'

export interface ByteRun {
  readonly offset: number
  readonly length: number
  readonly label: string
}

function layerLabel(l: Layer): string {
  const hex16 = (n: number) => `0x${n.toString(16).padStart(4, '0')}`
  switch (l.layer) {
    case 'ethernet':
      return `Ethernet: dst ${l.dst}, src ${l.src}, type ${hex16(l.ethertype)}`
    case 'vlan':
      return `VLAN ${l.vid}, priority ${l.pcp}, type ${hex16(l.ethertype)}`
    case 'arp':
      return `ARP op ${l.op}: ${l.sha} ${l.spa} → ${l.tha} ${l.tpa}`
    case 'ipv4':
      return `IPv4: ${l.src} → ${l.dst}, length ${l.totalLength}, id ${l.id}, flags ${l.flags}, TTL ${l.ttl}, protocol ${l.protocol}, checksum ${hex16(l.checksum)}`
    case 'ipv6':
      return `IPv6: ${l.src} → ${l.dst}, payload ${l.payloadLength}, next header ${l.nextHeader}, hop limit ${l.hopLimit}`
    case 'ipv6-ext':
      return `IPv6 extension header ${l.header}, next header ${l.nextHeader}`
    case 'icmp':
    case 'icmpv6':
      return `${l.layer === 'icmp' ? 'ICMP' : 'ICMPv6'} type ${l.type}, code ${l.code}, checksum ${hex16(l.checksum)}, rest 0x${l.rest.toString(16).padStart(8, '0')}${l.layer === 'icmpv6' && l.target ? `, target ${l.target}` : ''}`
    case 'tcp':
      return `TCP ${l.srcPort} → ${l.dstPort}, seq ${l.seq}, ack ${l.ack}, flags 0x${l.flags.toString(16).padStart(3, '0')}, window ${l.window}, checksum ${hex16(l.checksum)}`
    case 'udp':
      return `UDP ${l.srcPort} → ${l.dstPort}, length ${l.length}, checksum ${hex16(l.checksum)}`
    case 'dhcp':
      return `DHCP op ${l.op}, xid 0x${l.xid.toString(16).padStart(8, '0')}, client ${l.chaddr}, options ${l.options.map((o) => o.code).join(' ')}`
    case 'payload':
      return `payload, ${l.data.length / 2} bytes`
    case 'padding':
      return `padding, ${l.data.length / 2} bytes`
  }
}

/** Runs of a packet's layers from `base` on. */
export function packetRuns(packet: DecodedPacket, base = 0): ByteRun[] {
  let at = base
  return packet.layers.map((l) => {
    const run = {offset: at, length: layerLength(l), label: layerLabel(l)}
    at += run.length
    return run
  })
}

/** Runs of a whole frame: outer header, every agent header field, then the packet's layers. */
export function frameRuns(frame: Pkt0Frame, packet: DecodedPacket): ByteRun[] {
  const h = frame.header
  const field = (offset: number, length: number, label: string) => ({offset, length, label})
  return [
    field(0, 6, `outer dst ${frame.outer.dst}`),
    field(6, 6, `outer src ${frame.outer.src}`),
    field(12, 2, `outer ethertype 0x${frame.outer.ethertype.toString(16).padStart(4, '0')}`),
    field(14, 2, `hdr_ifindex ${h.ifindex}`),
    field(16, 2, `hdr_vrf ${h.vrf}`),
    field(18, 2, `hdr_cmd ${h.cmd} (${agentCommandName(h.cmd)})`),
    ...h.params.map((p, i) => field(20 + 4 * i, i === 5 ? 1 : 4, `hdr_cmd_param${i === 0 ? '' : `_${i}`} ${p}`)),
    field(41, 3, 'pad'),
    ...packetRuns(packet, 44),
  ]
}
