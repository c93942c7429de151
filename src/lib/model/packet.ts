/**
 * Packets as the pkt0 codec decodes them: a pkt0 frame (outer Ethernet header, agent header, the packet) and the
 * packet's headers as a list of layers, outermost first. Every field the bytes hold is kept (lengths, checksums,
 * reserved bits, padding), so that encoding a decoded packet gives back its bytes. Addresses are text (MACs with
 * colons, dotted IPv4, RFC 5952 IPv6); byte strings are lowercase hex.
 */
import type {DecodeErrorCode} from '../errors.js'

export interface EthernetLayer {
  readonly layer: 'ethernet'
  readonly dst: string
  readonly src: string
  readonly ethertype: number
}

/** An 802.1Q (TPID 0x8100) or 802.1ad (0x88a8) tag; `ethertype` is what follows it. */
export interface VlanLayer {
  readonly layer: 'vlan'
  readonly tpid: number
  readonly pcp: number
  readonly dei: number
  readonly vid: number
  readonly ethertype: number
}

/** ARP; addresses of other sizes than Ethernet/IPv4 are hex. */
export interface ArpLayer {
  readonly layer: 'arp'
  readonly htype: number
  readonly ptype: number
  readonly hlen: number
  readonly plen: number
  readonly op: number
  readonly sha: string
  readonly spa: string
  readonly tha: string
  readonly tpa: string
}

export interface Ipv4Layer {
  readonly layer: 'ipv4'
  readonly ihl: number
  readonly tos: number
  readonly totalLength: number
  readonly id: number
  /** The three flag bits (0x2 DF, 0x1 MF). */
  readonly flags: number
  readonly fragmentOffset: number
  readonly ttl: number
  readonly protocol: number
  readonly checksum: number
  readonly src: string
  readonly dst: string
  /** Option bytes (ihl > 5), hex. */
  readonly options: string
}

export interface Ipv6Layer {
  readonly layer: 'ipv6'
  readonly trafficClass: number
  readonly flowLabel: number
  readonly payloadLength: number
  readonly nextHeader: number
  readonly hopLimit: number
  readonly src: string
  readonly dst: string
}

/** An IPv6 extension header (hop-by-hop 0, routing 43, fragment 44, destination options 60). */
export interface Ipv6ExtensionLayer {
  readonly layer: 'ipv6-ext'
  readonly header: number
  readonly nextHeader: number
  /** Its length in 8-byte units beyond the first (a fragment header's reserved byte). */
  readonly hdrExtLen: number
  /** Its bytes after the first two, hex. */
  readonly data: string
}

/** ICMP; `rest` is the header's second word (echo: identifier << 16 | sequence). */
export interface IcmpLayer {
  readonly layer: 'icmp'
  readonly type: number
  readonly code: number
  readonly checksum: number
  readonly rest: number
}

/** ICMPv6; neighbour solicitation and advertisement (135, 136) also carry their target address. */
export interface Icmpv6Layer {
  readonly layer: 'icmpv6'
  readonly type: number
  readonly code: number
  readonly checksum: number
  readonly rest: number
  readonly target?: string
}

export interface TcpLayer {
  readonly layer: 'tcp'
  readonly srcPort: number
  readonly dstPort: number
  readonly seq: number
  readonly ack: number
  readonly dataOffset: number
  /** The nine flag bits, NS (0x100) to FIN (0x001), and the three reserved bits above them. */
  readonly flags: number
  readonly window: number
  readonly checksum: number
  readonly urgent: number
  readonly options: string
}

export interface UdpLayer {
  readonly layer: 'udp'
  readonly srcPort: number
  readonly dstPort: number
  readonly length: number
  readonly checksum: number
}

export interface DhcpOption {
  readonly code: number
  /** Absent for PAD (0) and END (255), which have no length. */
  readonly data?: string
}

/** BOOTP/DHCP (UDP 67/68 with the magic cookie). */
export interface DhcpLayer {
  readonly layer: 'dhcp'
  readonly op: number
  readonly htype: number
  readonly hlen: number
  readonly hops: number
  readonly xid: number
  readonly secs: number
  readonly flags: number
  readonly ciaddr: string
  readonly yiaddr: string
  readonly siaddr: string
  readonly giaddr: string
  /** The 16-byte client hardware address field, colon hex, without the zero bytes past `hlen` at its end. */
  readonly chaddr: string
  /** The 64-byte server name and 128-byte file fields, hex without their trailing zero bytes. */
  readonly sname: string
  readonly file: string
  readonly options: readonly DhcpOption[]
  /** Bytes after the END option, hex. */
  readonly trailer: string
}

/** What no header claims: a transport payload, or bytes no decoder follows. */
export interface PayloadLayer {
  readonly layer: 'payload'
  readonly data: string
}

/** Bytes after the network packet's own length (Ethernet padding to 60 bytes, trailers). */
export interface PaddingLayer {
  readonly layer: 'padding'
  readonly data: string
}

export type Layer =
  | EthernetLayer
  | VlanLayer
  | ArpLayer
  | Ipv4Layer
  | Ipv6Layer
  | Ipv6ExtensionLayer
  | IcmpLayer
  | Icmpv6Layer
  | TcpLayer
  | UdpLayer
  | DhcpLayer
  | PayloadLayer
  | PaddingLayer

/** Where and why decoding stopped early; the bytes from there on are the last layer's payload. */
export interface PacketIssue {
  readonly code: DecodeErrorCode
  readonly offset: number
  readonly message: string
}

export interface DecodedPacket {
  readonly layers: readonly Layer[]
  /** Bytes decoded. */
  readonly length: number
  /** A header cut short, a length beyond the bytes, a field no packet can have. */
  readonly issue?: PacketIssue
}

/** The agent header (struct agent_hdr, packed, network order). */
export interface AgentHeader {
  readonly ifindex: number
  readonly vrf: number
  readonly cmd: number
  /** hdr_cmd_param … hdr_cmd_param_4 (u32) and hdr_cmd_param_5 (u8). */
  readonly params: readonly [number, number, number, number, number, number]
  /** The three pad bytes as one number (garbage from a real forwarding plane; 0 from ours). */
  readonly pad: number
}

/** One pkt0 frame: outer Ethernet header, agent header, and the packet behind them. */
export interface Pkt0Frame {
  readonly outer: EthernetLayer
  readonly header: AgentHeader
  readonly packet: Uint8Array
}

export const ETHERTYPE = {IPV4: 0x0800, ARP: 0x0806, VLAN: 0x8100, QINQ: 0x88a8, IPV6: 0x86dd} as const
export const IP_PROTO = {ICMP: 1, TCP: 6, UDP: 17, ICMPV6: 58} as const
export const TCP_FLAG = {FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20, ECE: 0x40, CWR: 0x80, NS: 0x100} as const
export const ARP_OP = {REQUEST: 1, REPLY: 2} as const
export const DHCP_PORT = {SERVER: 67, CLIENT: 68} as const
export const DHCP_MAGIC = 0x63825363
export const DHCP_OPTION = {PAD: 0, REQUESTED_IP: 50, MESSAGE_TYPE: 53, SERVER_ID: 54, PARAMETER_LIST: 55, HOSTNAME: 12, CLIENT_ID: 61, END: 255} as const
/** DHCP message types (option 53), by value. */
export const DHCP_MESSAGE_TYPES: readonly string[] = ['', 'Discover', 'Offer', 'Request', 'Decline', 'ACK', 'NACK', 'Release', 'Inform']

/** Bytes a layer takes on the wire (a header with its options; payload and padding: their bytes). */
export function layerLength(l: Layer): number {
  switch (l.layer) {
    case 'ethernet':
      return 14
    case 'vlan':
      return 4
    case 'arp':
      return 8 + 2 * (l.hlen + l.plen)
    case 'ipv4':
      return 20 + l.options.length / 2
    case 'ipv6':
      return 40
    case 'ipv6-ext':
      return 2 + l.data.length / 2
    case 'icmp':
      return 8
    case 'icmpv6':
      return l.target === undefined ? 8 : 24
    case 'tcp':
      return 20 + l.options.length / 2
    case 'udp':
      return 8
    case 'dhcp':
      return 240 + l.options.reduce((n, o) => n + (o.data === undefined ? 1 : 2 + o.data.length / 2), 0) + l.trailer.length / 2
    case 'payload':
    case 'padding':
      return l.data.length / 2
  }
}
