/**
 * Packets built from a short description, for `emulator inject`, a scenario's traffic and `pkt0 send`: ARP
 * (request, reply, gratuitous), DHCP from a client, TCP, UDP, ICMP echo (v4 and v6), with lengths and checksums
 * computed. The same keys serve the command line (--src-mac) and scenarios (src_mac).
 */
import {EncodeError} from '../errors.js'
import {parseIp, parseIpv4, parseMac} from '../model/addresses.js'
import {ARP_OP, DHCP_MESSAGE_TYPES, DHCP_OPTION, DHCP_PORT, ETHERTYPE, IP_PROTO, type Layer, TCP_FLAG} from '../model/packet.js'
import {hex} from './bytes.js'
import {encodePacket} from './packet.js'

export const PACKET_KINDS = ['arp', 'dhcp', 'tcp', 'udp', 'icmp'] as const
export type PacketKind = (typeof PACKET_KINDS)[number]

export interface PacketSpec {
  readonly proto: PacketKind
  readonly src_mac?: string
  readonly dst_mac?: string
  /** IPv4 or IPv6 (the family of the packet). */
  readonly src?: string
  readonly dst?: string
  readonly sport?: number
  readonly dport?: number
  /** TCP flags as tcpdump prints them: S, F, R, P, . or A (ACK), U, E, W. */
  readonly flags?: string
  /** ARP: request (default), reply, or gratuitous (an announcement of src). */
  readonly op?: 'request' | 'reply' | 'gratuitous'
  /** DHCP message type name (discover, request, …). */
  readonly dhcp?: string
  readonly vlan?: number
  readonly ttl?: number
  /** Bytes of payload after the transport header. */
  readonly length?: number
  /** TCP sequence number, ICMP echo sequence. */
  readonly seq?: number
  /** TCP acknowledgement number. */
  readonly ack?: number
  /** IPv4 identification, ICMP echo identifier, DHCP transaction id. */
  readonly id?: number
}

/** The keys of a packet description and what each takes (for flags, scenario schemas and messages). */
export const PACKET_SPEC_KEYS: Readonly<Record<keyof PacketSpec, string>> = {
  proto: `${PACKET_KINDS.join(', ')}`,
  src_mac: 'source MAC',
  dst_mac: 'destination MAC',
  src: 'source IPv4 or IPv6 address',
  dst: 'destination address',
  sport: 'source port',
  dport: 'destination port',
  flags: 'TCP flags, as tcpdump prints them (S, S., F., R, P.)',
  op: 'ARP: request, reply or gratuitous',
  dhcp: 'DHCP message type (discover, request, …)',
  vlan: 'an 802.1Q tag with this VLAN id',
  ttl: 'IPv4 TTL / IPv6 hop limit',
  length: 'payload bytes',
  seq: 'TCP sequence / ICMP echo sequence',
  ack: 'TCP acknowledgement number',
  id: 'IPv4 id / ICMP echo id / DHCP xid',
}

/** Addresses to use where the description names none: the sending interface's and its gateway's. */
export interface PacketDefaults {
  readonly srcMac: string
  readonly dstMac: string
  readonly src: string
  readonly dst?: string
}

const GATEWAY_MAC = '00:00:5e:00:01:00'

/**
 * The addresses of a VM behind interface `vif` (its MAC and IP as the interface holds them: `vifr_mac`, `vifr_ip`
 * as a host integer in network order): a locally administered MAC made of the index, the VM's IP, and the
 * interface's own MAC as the gateway's (the vRouter answers for the gateway).
 */
export function vmDefaults(vif: number, mac: ArrayLike<number>, ip: number): PacketDefaults & {gatewayMac: string} {
  const hex2 = (n: number) => n.toString(16).padStart(2, '0')
  const gatewayMac = mac.length === 6 ? Array.from(mac, hex2).join(':') : GATEWAY_MAC
  return {srcMac: `02:00:00:00:${hex2((vif >> 8) & 0xff)}:${hex2(vif & 0xff)}`, dstMac: gatewayMac, gatewayMac, src: [ip & 0xff, (ip >>> 8) & 0xff, (ip >>> 16) & 0xff, ip >>> 24].join('.')}
}

const TCP_LETTERS: Readonly<Record<string, number>> = {S: TCP_FLAG.SYN, F: TCP_FLAG.FIN, R: TCP_FLAG.RST, P: TCP_FLAG.PSH, '.': TCP_FLAG.ACK, A: TCP_FLAG.ACK, U: TCP_FLAG.URG, E: TCP_FLAG.ECE, W: TCP_FLAG.CWR}

export function tcpFlagsOf(text: string): number {
  let flags = 0
  for (const c of text.toUpperCase()) {
    const bit = TCP_LETTERS[c]
    if (bit === undefined) throw new EncodeError('flags', `${JSON.stringify(text)}: TCP flags are letters of S F R P . U E W`)
    flags |= bit
  }
  return flags
}

const BROADCAST_MAC = 'ff:ff:ff:ff:ff:ff'

/** The layers of the described packet (lengths and checksums still 0: encode them with fill). */
export function packetLayers(spec: PacketSpec, defaults: PacketDefaults): Layer[] {
  const mac = (text: string | undefined, fallback: string, key: string) => {
    const m = text ?? fallback
    if (!parseMac(m)) throw new EncodeError(key, `${JSON.stringify(m)} is not a MAC address`)
    return m.toLowerCase().replaceAll('-', ':')
  }
  const srcMac = mac(spec.src_mac, defaults.srcMac, 'src_mac')
  const src = spec.src ?? defaults.src
  const dst = spec.dst ?? defaults.dst
  const special = spec.proto === 'dhcp' || (spec.proto === 'arp' && spec.op !== 'reply')
  const dstMac = mac(spec.dst_mac, special ? BROADCAST_MAC : defaults.dstMac, 'dst_mac')
  const l2: Layer[] = [{layer: 'ethernet', dst: dstMac, src: srcMac, ethertype: spec.vlan === undefined ? 0 : ETHERTYPE.VLAN}]
  if (spec.vlan !== undefined) l2.push({layer: 'vlan', tpid: ETHERTYPE.VLAN, pcp: 0, dei: 0, vid: spec.vlan, ethertype: 0})
  const chain = (layers: Layer[], ethertype: number): Layer[] => {
    const last = l2.length - 1
    l2[last] = {...l2[last], ethertype} as Layer
    return [...l2, ...layers]
  }
  if (spec.proto === 'arp') {
    const target = dst ?? src
    if (!parseIpv4(src) || !parseIpv4(target)) throw new EncodeError('src', 'ARP needs IPv4 addresses')
    const op = spec.op === 'reply' ? ARP_OP.REPLY : ARP_OP.REQUEST
    const tpa = spec.op === 'gratuitous' ? src : target
    const tha = spec.op === 'reply' ? dstMac : '00:00:00:00:00:00'
    return chain([{layer: 'arp', htype: 1, ptype: ETHERTYPE.IPV4, hlen: 6, plen: 4, op, sha: srcMac, spa: src, tha, tpa}], ETHERTYPE.ARP)
  }
  if (spec.proto === 'dhcp') return chain(dhcpLayers(spec, srcMac), ETHERTYPE.IPV4)
  if (dst === undefined) throw new EncodeError('dst', `a ${spec.proto} packet needs a destination address`)
  const v6 = src.includes(':')
  if (!parseIp(src) || !parseIp(dst) || v6 !== dst.includes(':')) throw new EncodeError('dst', `${src} and ${dst} are not two addresses of one family`)
  const payload: Layer[] = spec.length ? [{layer: 'payload', data: hex(Uint8Array.from({length: spec.length}, (_, i) => i & 0xff))}] : []
  let protocol: number
  let l4: Layer
  switch (spec.proto) {
    case 'tcp':
      protocol = IP_PROTO.TCP
      l4 = {layer: 'tcp', srcPort: spec.sport ?? 40000, dstPort: spec.dport ?? 80, seq: spec.seq ?? 1000, ack: spec.ack ?? 0, dataOffset: 5, flags: tcpFlagsOf(spec.flags ?? 'S'), window: 64240, checksum: 0, urgent: 0, options: ''}
      break
    case 'udp':
      protocol = IP_PROTO.UDP
      l4 = {layer: 'udp', srcPort: spec.sport ?? 40000, dstPort: spec.dport ?? 53, length: 0, checksum: 0}
      break
    default: {
      const echo = {code: 0, checksum: 0, rest: (((spec.id ?? 1) & 0xffff) << 16 | ((spec.seq ?? 1) & 0xffff)) >>> 0}
      protocol = v6 ? IP_PROTO.ICMPV6 : IP_PROTO.ICMP
      l4 = v6 ? {layer: 'icmpv6', type: 128, ...echo} : {layer: 'icmp', type: 8, ...echo}
    }
  }
  const ttl = spec.ttl ?? 64
  const l3: Layer = v6
    ? {layer: 'ipv6', trafficClass: 0, flowLabel: 0, payloadLength: 0, nextHeader: protocol, hopLimit: ttl, src, dst}
    : {layer: 'ipv4', ihl: 5, tos: 0, totalLength: 0, id: spec.id ?? 1, flags: 2, fragmentOffset: 0, ttl, protocol, checksum: 0, src, dst, options: ''}
  return chain([l3, l4, ...payload], v6 ? ETHERTYPE.IPV6 : ETHERTYPE.IPV4)
}

/** A client's DHCP message, broadcast from 0.0.0.0:68 as a booting VM sends it, padded to BOOTP's 300 bytes. */
function dhcpLayers(spec: PacketSpec, srcMac: string): Layer[] {
  const type = DHCP_MESSAGE_TYPES.findIndex((t, i) => i > 0 && t.toLowerCase() === (spec.dhcp ?? 'discover').toLowerCase())
  if (type < 0) throw new EncodeError('dhcp', `${JSON.stringify(spec.dhcp)}: a DHCP message type is one of ${DHCP_MESSAGE_TYPES.slice(1).join(', ')}`)
  const options = [
    {code: DHCP_OPTION.MESSAGE_TYPE, data: hex(Uint8Array.of(type))},
    ...(spec.src && type === 3 ? [{code: DHCP_OPTION.REQUESTED_IP, data: hex(parseIpv4(spec.src) ?? new Uint8Array(4))}] : []),
    {code: DHCP_OPTION.PARAMETER_LIST, data: '01031c06'},
    {code: DHCP_OPTION.END},
  ]
  const used = 236 + 4 + options.reduce((n, o) => n + (o.data === undefined ? 1 : 2 + o.data.length / 2), 0)
  const xid = spec.id ?? Number.parseInt(srcMac.replaceAll(':', '').slice(4), 16) >>> 0
  return [
    {layer: 'ipv4', ihl: 5, tos: 0x10, totalLength: 0, id: 0, flags: 0, fragmentOffset: 0, ttl: spec.ttl ?? 128, protocol: IP_PROTO.UDP, checksum: 0, src: '0.0.0.0', dst: '255.255.255.255', options: ''},
    {layer: 'udp', srcPort: DHCP_PORT.CLIENT, dstPort: DHCP_PORT.SERVER, length: 0, checksum: 0},
    {
      layer: 'dhcp',
      op: 1,
      htype: 1,
      hlen: 6,
      hops: 0,
      xid,
      secs: 0,
      flags: 0x8000,
      ciaddr: '0.0.0.0',
      yiaddr: '0.0.0.0',
      siaddr: '0.0.0.0',
      giaddr: '0.0.0.0',
      chaddr: srcMac,
      sname: '',
      file: '',
      options,
      trailer: '00'.repeat(Math.max(0, 300 - used)),
    },
  ]
}

/** The bytes of the described packet. */
export function buildPacket(spec: PacketSpec, defaults: PacketDefaults): Uint8Array {
  return encodePacket(packetLayers(spec, defaults), {fill: true})
}
