/**
 * The packet behind the agent header, header by header: Ethernet, VLAN tags, ARP, IPv4, IPv6 (and its extension
 * headers), ICMP, ICMPv6, TCP, UDP, DHCP. Decoding never throws: a header cut short or a field no packet can have
 * ends the layers there, the rest of the bytes become a payload layer, and `issue` says where and why (traps are
 * often cut to 190 bytes on purpose). Encoding writes every field as given, so encode(decode(b)) = b; with
 * `fill`, lengths and checksums are computed instead (building packets).
 */
import {DecodeError, EncodeError} from '../errors.js'
import {formatMac} from '../model/addresses.js'
import {
  DHCP_MAGIC,
  DHCP_OPTION,
  DHCP_PORT,
  type DecodedPacket,
  type DhcpLayer,
  type DhcpOption,
  ETHERTYPE,
  IP_PROTO,
  type Layer,
  type PacketIssue,
  layerLength,
} from '../model/packet.js'
import {checkUint, checksum, hex, ipv4Bytes, ipv4Text, ipv6Bytes, ipv6Text, macBytes, macText, onesSum, unhex} from './bytes.js'

/** IPv6 extension headers the decoder steps over: hop-by-hop, routing, fragment, destination options. */
const IPV6_EXTENSIONS = new Set([0, 43, 44, 60])
const DHCP_FIXED = 236

class Stop extends Error {
  constructor(readonly issue: PacketIssue) {
    super(issue.message)
  }
}

function stop(code: 'TRUNCATED' | 'BAD_HEADER', offset: number, message: string): never {
  throw new Stop({code, offset, message: new DecodeError(code, offset, message).message})
}

class Decoder {
  readonly layers: Layer[] = []
  readonly view: DataView
  /** The start of what is not yet in a layer. */
  at = 0

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length)
  }

  need(count: number, end: number, what: string): void {
    if (this.at + count > end) stop('TRUNCATED', Math.min(end, this.bytes.length), `${what} needs ${count} bytes; ${Math.max(0, end - this.at)} remain`)
  }

  rest(end: number, layer: 'payload' | 'padding' = 'payload'): void {
    if (this.at < end) this.layers.push({layer, data: hex(this.bytes.subarray(this.at, end))})
    this.at = Math.max(this.at, end)
  }

  ethernet(): void {
    const b = this.bytes
    this.need(14, b.length, 'an Ethernet header')
    let ethertype = this.view.getUint16(12)
    this.layers.push({layer: 'ethernet', dst: macText(b, 0), src: macText(b, 6), ethertype})
    this.at = 14
    while (ethertype === ETHERTYPE.VLAN || ethertype === ETHERTYPE.QINQ) {
      this.need(4, b.length, 'a VLAN tag')
      const tci = this.view.getUint16(this.at)
      const tpid = ethertype
      ethertype = this.view.getUint16(this.at + 2)
      this.layers.push({layer: 'vlan', tpid, pcp: tci >>> 13, dei: (tci >>> 12) & 1, vid: tci & 0xfff, ethertype})
      this.at += 4
    }
    this.network(ethertype)
  }

  network(ethertype: number): void {
    if (ethertype === ETHERTYPE.ARP) this.arp()
    else if (ethertype === ETHERTYPE.IPV4) this.ipv4()
    else if (ethertype === ETHERTYPE.IPV6) this.ipv6()
    this.rest(this.bytes.length)
  }

  arp(): void {
    const b = this.bytes
    const v = this.view
    this.need(8, b.length, 'an ARP header')
    const hlen = b[this.at + 4]
    const plen = b[this.at + 5]
    this.need(8 + 2 * (hlen + plen), b.length, 'an ARP message')
    const address = (at: number, length: number, kind: 'h' | 'p') =>
      kind === 'h' && length === 6 ? macText(b, at) : kind === 'p' && length === 4 ? ipv4Text(b, at) : hex(b.subarray(at, at + length))
    const a = this.at + 8
    this.layers.push({
      layer: 'arp',
      htype: v.getUint16(this.at),
      ptype: v.getUint16(this.at + 2),
      hlen,
      plen,
      op: v.getUint16(this.at + 6),
      sha: address(a, hlen, 'h'),
      spa: address(a + hlen, plen, 'p'),
      tha: address(a + hlen + plen, hlen, 'h'),
      tpa: address(a + 2 * hlen + plen, plen, 'p'),
    })
    this.at = a + 2 * (hlen + plen)
    this.rest(this.bytes.length, 'padding')
  }

  ipv4(): void {
    const b = this.bytes
    const v = this.view
    const start = this.at
    this.need(20, b.length, 'an IPv4 header')
    const version = b[start] >>> 4
    const ihl = b[start] & 0xf
    if (version !== 4) stop('BAD_HEADER', start, `IP version ${version} in an IPv4 header`)
    if (ihl < 5) stop('BAD_HEADER', start, `IPv4 header length ${ihl * 4} is shorter than 20`)
    this.need(ihl * 4, b.length, 'the IPv4 options')
    const totalLength = v.getUint16(start + 2)
    if (totalLength < ihl * 4) stop('BAD_HEADER', start + 2, `IPv4 total length ${totalLength} is shorter than its header (${ihl * 4})`)
    const fragment = v.getUint16(start + 6)
    const protocol = b[start + 9]
    this.layers.push({
      layer: 'ipv4',
      ihl,
      tos: b[start + 1],
      totalLength,
      id: v.getUint16(start + 4),
      flags: fragment >>> 13,
      fragmentOffset: fragment & 0x1fff,
      ttl: b[start + 8],
      protocol,
      checksum: v.getUint16(start + 10),
      src: ipv4Text(b, start + 12),
      dst: ipv4Text(b, start + 16),
      options: hex(b.subarray(start + 20, start + ihl * 4)),
    })
    this.at = start + ihl * 4
    const end = start + totalLength
    // Only the first fragment carries the transport header.
    if ((fragment & 0x1fff) === 0) this.transport(protocol, Math.min(end, b.length))
    this.rest(Math.min(end, b.length))
    if (end > b.length) stop('TRUNCATED', b.length, `the IPv4 packet has ${totalLength} bytes; ${b.length - start} were captured`)
    this.rest(b.length, 'padding')
  }

  ipv6(): void {
    const b = this.bytes
    const v = this.view
    const start = this.at
    this.need(40, b.length, 'an IPv6 header')
    const first = v.getUint32(start)
    if (first >>> 28 !== 6) stop('BAD_HEADER', start, `IP version ${first >>> 28} in an IPv6 header`)
    const payloadLength = v.getUint16(start + 4)
    let next = b[start + 6]
    this.layers.push({
      layer: 'ipv6',
      trafficClass: (first >>> 20) & 0xff,
      flowLabel: first & 0xfffff,
      payloadLength,
      nextHeader: next,
      hopLimit: b[start + 7],
      src: ipv6Text(b, start + 8),
      dst: ipv6Text(b, start + 24),
    })
    this.at = start + 40
    const end = start + 40 + payloadLength
    const bound = Math.min(end, b.length)
    let fragmented = false
    while (IPV6_EXTENSIONS.has(next)) {
      this.need(8, bound, 'an IPv6 extension header')
      const length = next === 44 ? 8 : (b[this.at + 1] + 1) * 8
      this.need(length, bound, 'an IPv6 extension header')
      if (next === 44) fragmented = (v.getUint16(this.at + 2) & 0xfff8) !== 0
      const header = next
      next = b[this.at]
      this.layers.push({layer: 'ipv6-ext', header, nextHeader: next, hdrExtLen: b[this.at + 1], data: hex(b.subarray(this.at + 2, this.at + length))})
      this.at += length
    }
    if (!fragmented) this.transport(next, bound)
    this.rest(bound)
    if (end > b.length) stop('TRUNCATED', b.length, `the IPv6 packet has ${40 + payloadLength} bytes; ${b.length - start} were captured`)
    this.rest(b.length, 'padding')
  }

  transport(protocol: number, end: number): void {
    const b = this.bytes
    const v = this.view
    const start = this.at
    switch (protocol) {
      case IP_PROTO.TCP: {
        this.need(20, end, 'a TCP header')
        const word = v.getUint16(start + 12)
        const dataOffset = word >>> 12
        if (dataOffset < 5) stop('BAD_HEADER', start + 12, `TCP data offset ${dataOffset * 4} is shorter than 20`)
        this.need(dataOffset * 4, end, 'the TCP options')
        this.layers.push({
          layer: 'tcp',
          srcPort: v.getUint16(start),
          dstPort: v.getUint16(start + 2),
          seq: v.getUint32(start + 4),
          ack: v.getUint32(start + 8),
          dataOffset,
          flags: word & 0xfff,
          window: v.getUint16(start + 14),
          checksum: v.getUint16(start + 16),
          urgent: v.getUint16(start + 18),
          options: hex(b.subarray(start + 20, start + dataOffset * 4)),
        })
        this.at = start + dataOffset * 4
        return
      }
      case IP_PROTO.UDP: {
        this.need(8, end, 'a UDP header')
        const srcPort = v.getUint16(start)
        const dstPort = v.getUint16(start + 2)
        this.layers.push({layer: 'udp', srcPort, dstPort, length: v.getUint16(start + 4), checksum: v.getUint16(start + 6)})
        this.at = start + 8
        const dhcpPorts = [DHCP_PORT.SERVER, DHCP_PORT.CLIENT] as number[]
        if (dhcpPorts.includes(srcPort) && dhcpPorts.includes(dstPort) && end - this.at >= DHCP_FIXED + 4 && v.getUint32(this.at + DHCP_FIXED) === DHCP_MAGIC) {
          this.dhcp(end)
        }
        return
      }
      case IP_PROTO.ICMP:
      case IP_PROTO.ICMPV6: {
        this.need(8, end, protocol === IP_PROTO.ICMP ? 'an ICMP header' : 'an ICMPv6 header')
        const type = b[start]
        const fields = {type, code: b[start + 1], checksum: v.getUint16(start + 2), rest: v.getUint32(start + 4)}
        this.at = start + 8
        if (protocol === IP_PROTO.ICMP) {
          this.layers.push({layer: 'icmp', ...fields})
        } else if ((type === 135 || type === 136) && end - this.at >= 16) {
          this.layers.push({layer: 'icmpv6', ...fields, target: ipv6Text(b, this.at)})
          this.at += 16
        } else {
          this.layers.push({layer: 'icmpv6', ...fields})
        }
        return
      }
      default:
    }
  }

  dhcp(end: number): void {
    const b = this.bytes
    const v = this.view
    const s = this.at
    const hlen = b[s + 2]
    const chaddr = b.subarray(s + 28, s + 44)
    let used = 16
    while (used > Math.min(hlen, 16) && chaddr[used - 1] === 0) used--
    const trimmed = (from: number, length: number) => {
      let n = length
      while (n > 0 && b[from + n - 1] === 0) n--
      return hex(b.subarray(from, from + n))
    }
    const options: DhcpOption[] = []
    let at = s + DHCP_FIXED + 4
    let ended = false
    while (at < end && !ended) {
      const code = b[at]
      if (code === DHCP_OPTION.PAD || code === DHCP_OPTION.END) {
        options.push({code})
        ended = code === DHCP_OPTION.END
        at++
        continue
      }
      if (at + 2 > end || at + 2 + b[at + 1] > end) stop('TRUNCATED', Math.min(at + 2, end), `DHCP option ${code} runs past the packet`)
      options.push({code, data: hex(b.subarray(at + 2, at + 2 + b[at + 1]))})
      at += 2 + b[at + 1]
    }
    const layer: DhcpLayer = {
      layer: 'dhcp',
      op: b[s],
      htype: b[s + 1],
      hlen,
      hops: b[s + 3],
      xid: v.getUint32(s + 4),
      secs: v.getUint16(s + 8),
      flags: v.getUint16(s + 10),
      ciaddr: ipv4Text(b, s + 12),
      yiaddr: ipv4Text(b, s + 16),
      siaddr: ipv4Text(b, s + 20),
      giaddr: ipv4Text(b, s + 24),
      chaddr: formatMac(chaddr.subarray(0, used)),
      sname: trimmed(s + 44, 64),
      file: trimmed(s + 108, 128),
      options,
      trailer: hex(b.subarray(at, end)),
    }
    this.layers.push(layer)
    this.at = end
  }
}

/** The layers of a packet that starts with an Ethernet header. */
export function decodePacket(bytes: Uint8Array): DecodedPacket {
  const d = new Decoder(bytes)
  try {
    d.ethernet()
    return {layers: d.layers, length: bytes.length}
  } catch (error) {
    if (!(error instanceof Stop)) throw error
    // Whatever was not decoded is kept, so that the layers still cover every byte.
    d.rest(bytes.length)
    return {layers: d.layers, length: bytes.length, issue: error.issue}
  }
}

export interface EncodeOptions {
  /** Compute the lengths (IPv4 header and total, IPv6 payload, TCP data offset, UDP) and every checksum. */
  readonly fill?: boolean
}

/** The bytes of a packet's layers (the inverse of decodePacket). */
export function encodePacket(layers: readonly Layer[], options: EncodeOptions = {}): Uint8Array {
  const starts: number[] = []
  let size = 0
  for (const l of layers) {
    starts.push(size)
    size += layerLength(l)
  }
  const out = new Uint8Array(size)
  const v = new DataView(out.buffer)
  layers.forEach((l, i) => writeLayer(out, v, starts[i], l, `layers[${i}]`))
  if (options.fill) fill(out, v, layers, starts)
  return out
}

function writeAddress(out: Uint8Array, at: number, text: string, length: number, kind: 'h' | 'p', path: string): void {
  const bytes = kind === 'h' && length === 6 ? macBytes(text, path) : kind === 'p' && length === 4 ? ipv4Bytes(text, path) : unhex(text, path)
  if (bytes.length !== length) throw new EncodeError(path, `${length} bytes expected, ${bytes.length} given`)
  out.set(bytes, at)
}

function writeLayer(out: Uint8Array, v: DataView, at: number, l: Layer, path: string): void {
  const u = (value: number, bits: number, field: string) => checkUint(value, bits, `${path}.${field}`)
  switch (l.layer) {
    case 'ethernet':
      out.set(macBytes(l.dst, `${path}.dst`), at)
      out.set(macBytes(l.src, `${path}.src`), at + 6)
      v.setUint16(at + 12, u(l.ethertype, 16, 'ethertype'))
      return
    case 'vlan':
      v.setUint16(at, (u(l.pcp, 3, 'pcp') << 13) | (u(l.dei, 1, 'dei') << 12) | u(l.vid, 12, 'vid'))
      v.setUint16(at + 2, u(l.ethertype, 16, 'ethertype'))
      return
    case 'arp': {
      v.setUint16(at, u(l.htype, 16, 'htype'))
      v.setUint16(at + 2, u(l.ptype, 16, 'ptype'))
      out[at + 4] = u(l.hlen, 8, 'hlen')
      out[at + 5] = u(l.plen, 8, 'plen')
      v.setUint16(at + 6, u(l.op, 16, 'op'))
      const a = at + 8
      writeAddress(out, a, l.sha, l.hlen, 'h', `${path}.sha`)
      writeAddress(out, a + l.hlen, l.spa, l.plen, 'p', `${path}.spa`)
      writeAddress(out, a + l.hlen + l.plen, l.tha, l.hlen, 'h', `${path}.tha`)
      writeAddress(out, a + 2 * l.hlen + l.plen, l.tpa, l.plen, 'p', `${path}.tpa`)
      return
    }
    case 'ipv4':
      out[at] = 0x40 | u(l.ihl, 4, 'ihl')
      out[at + 1] = u(l.tos, 8, 'tos')
      v.setUint16(at + 2, u(l.totalLength, 16, 'totalLength'))
      v.setUint16(at + 4, u(l.id, 16, 'id'))
      v.setUint16(at + 6, (u(l.flags, 3, 'flags') << 13) | u(l.fragmentOffset, 13, 'fragmentOffset'))
      out[at + 8] = u(l.ttl, 8, 'ttl')
      out[at + 9] = u(l.protocol, 8, 'protocol')
      v.setUint16(at + 10, u(l.checksum, 16, 'checksum'))
      out.set(ipv4Bytes(l.src, `${path}.src`), at + 12)
      out.set(ipv4Bytes(l.dst, `${path}.dst`), at + 16)
      out.set(unhex(l.options, `${path}.options`), at + 20)
      return
    case 'ipv6':
      v.setUint32(at, ((6 << 28) | (u(l.trafficClass, 8, 'trafficClass') << 20) | u(l.flowLabel, 20, 'flowLabel')) >>> 0)
      v.setUint16(at + 4, u(l.payloadLength, 16, 'payloadLength'))
      out[at + 6] = u(l.nextHeader, 8, 'nextHeader')
      out[at + 7] = u(l.hopLimit, 8, 'hopLimit')
      out.set(ipv6Bytes(l.src, `${path}.src`), at + 8)
      out.set(ipv6Bytes(l.dst, `${path}.dst`), at + 24)
      return
    case 'ipv6-ext':
      out[at] = u(l.nextHeader, 8, 'nextHeader')
      out[at + 1] = u(l.hdrExtLen, 8, 'hdrExtLen')
      out.set(unhex(l.data, `${path}.data`), at + 2)
      return
    case 'icmp':
    case 'icmpv6':
      out[at] = u(l.type, 8, 'type')
      out[at + 1] = u(l.code, 8, 'code')
      v.setUint16(at + 2, u(l.checksum, 16, 'checksum'))
      v.setUint32(at + 4, u(l.rest, 32, 'rest'))
      if (l.layer === 'icmpv6' && l.target !== undefined) out.set(ipv6Bytes(l.target, `${path}.target`), at + 8)
      return
    case 'tcp':
      v.setUint16(at, u(l.srcPort, 16, 'srcPort'))
      v.setUint16(at + 2, u(l.dstPort, 16, 'dstPort'))
      v.setUint32(at + 4, u(l.seq, 32, 'seq'))
      v.setUint32(at + 8, u(l.ack, 32, 'ack'))
      v.setUint16(at + 12, (u(l.dataOffset, 4, 'dataOffset') << 12) | u(l.flags, 12, 'flags'))
      v.setUint16(at + 14, u(l.window, 16, 'window'))
      v.setUint16(at + 16, u(l.checksum, 16, 'checksum'))
      v.setUint16(at + 18, u(l.urgent, 16, 'urgent'))
      out.set(unhex(l.options, `${path}.options`), at + 20)
      return
    case 'udp':
      v.setUint16(at, u(l.srcPort, 16, 'srcPort'))
      v.setUint16(at + 2, u(l.dstPort, 16, 'dstPort'))
      v.setUint16(at + 4, u(l.length, 16, 'length'))
      v.setUint16(at + 6, u(l.checksum, 16, 'checksum'))
      return
    case 'dhcp': {
      out[at] = u(l.op, 8, 'op')
      out[at + 1] = u(l.htype, 8, 'htype')
      out[at + 2] = u(l.hlen, 8, 'hlen')
      out[at + 3] = u(l.hops, 8, 'hops')
      v.setUint32(at + 4, u(l.xid, 32, 'xid'))
      v.setUint16(at + 8, u(l.secs, 16, 'secs'))
      v.setUint16(at + 10, u(l.flags, 16, 'flags'))
      ;(['ciaddr', 'yiaddr', 'siaddr', 'giaddr'] as const).forEach((f, i) => out.set(ipv4Bytes(l[f], `${path}.${f}`), at + 12 + 4 * i))
      const fixed = (text: string, from: number, length: number, field: string) => {
        const bytes = unhex(text, `${path}.${field}`)
        if (bytes.length > length) throw new EncodeError(`${path}.${field}`, `at most ${length} bytes, ${bytes.length} given`)
        out.set(bytes, from)
      }
      fixed(l.chaddr.replaceAll(':', ''), at + 28, 16, 'chaddr')
      fixed(l.sname, at + 44, 64, 'sname')
      fixed(l.file, at + 108, 128, 'file')
      v.setUint32(at + DHCP_FIXED, DHCP_MAGIC)
      let o = at + DHCP_FIXED + 4
      l.options.forEach((opt, i) => {
        out[o++] = u(opt.code, 8, `options[${i}].code`)
        if (opt.data === undefined) return
        const data = unhex(opt.data, `${path}.options[${i}].data`)
        if (data.length > 255) throw new EncodeError(`${path}.options[${i}].data`, `at most 255 bytes, ${data.length} given`)
        out[o++] = data.length
        out.set(data, o)
        o += data.length
      })
      out.set(unhex(l.trailer, `${path}.trailer`), o)
      return
    }
    case 'payload':
    case 'padding':
      out.set(unhex(l.data, `${path}.data`), at)
  }
}

/** Lengths and checksums, innermost first, so that each covers the final bytes of what it spans. */
function fill(out: Uint8Array, v: DataView, layers: readonly Layer[], starts: number[]): void {
  const paddingAt = layers.findIndex((l) => l.layer === 'padding')
  const end = paddingAt < 0 ? out.length : starts[paddingAt]
  // The pseudo-header sum of the innermost IP layer before each transport layer.
  let pseudo = (_protocol: number, _length: number) => 0
  const transport: (() => void)[] = []
  layers.forEach((l, i) => {
    const at = starts[i]
    const next = i + 1 < layers.length ? starts[i + 1] : out.length
    switch (l.layer) {
      case 'ipv4': {
        out[at] = 0x40 | ((next - at) / 4)
        v.setUint16(at + 2, end - at)
        const src = at + 12
        pseudo = (protocol, length) => onesSum(out, src, src + 8, protocol + length)
        transport.push(() => {
          v.setUint16(at + 10, 0)
          v.setUint16(at + 10, checksum(onesSum(out, at, next)))
        })
        return
      }
      case 'ipv6': {
        v.setUint16(at + 4, end - at - 40)
        pseudo = (protocol, length) => onesSum(out, at + 8, at + 40, protocol + (length >>> 16) + (length & 0xffff))
        return
      }
      case 'tcp':
      case 'udp':
      case 'icmpv6': {
        if (l.layer === 'tcp') v.setUint16(at + 12, (((next - at) / 4) << 12) | l.flags)
        if (l.layer === 'udp') v.setUint16(at + 4, end - at)
        const protocol = l.layer === 'tcp' ? IP_PROTO.TCP : l.layer === 'udp' ? IP_PROTO.UDP : IP_PROTO.ICMPV6
        const sumAt = at + (l.layer === 'tcp' ? 16 : l.layer === 'udp' ? 6 : 2)
        const base = pseudo
        transport.unshift(() => {
          v.setUint16(sumAt, 0)
          const sum = checksum(onesSum(out, at, end, base(protocol, end - at)))
          // A UDP checksum of 0 means none; a computed 0 is sent as 0xffff.
          v.setUint16(sumAt, l.layer === 'udp' && sum === 0 ? 0xffff : sum)
        })
        return
      }
      case 'icmp':
        transport.unshift(() => {
          v.setUint16(at + 2, 0)
          v.setUint16(at + 2, checksum(onesSum(out, at, end)))
        })
        return
      default:
    }
  })
  for (const compute of transport) compute()
}
