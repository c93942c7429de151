/**
 * Capture files: classic pcap (microsecond, little-endian, LINKTYPE_ETHERNET) and pcapng (a section, one Ethernet
 * interface "pkt0", one enhanced packet block per packet with an optional comment), as tcpdump, tshark and
 * Wireshark read them; and a reader of both (either byte order, micro- or nanosecond pcap, any pcapng time
 * resolution) for `pkt0 decode`.
 *
 * What a pkt0 capture holds is the packet behind the agent header, so that the tools show the traffic itself; a
 * pcapng file also keeps each frame's 44 bytes of outer and agent header in its comment (a line
 * "pkt0-headers: <hex>"), from which `pkt0 decode` restores the whole frame.
 */
import {DecodeError} from '../errors.js'
import {PKT0_HEADROOM, type Pkt0Direction} from '../model/pkt0.js'
import {hex} from './bytes.js'

export const LINKTYPE_ETHERNET = 1
export const CAPTURE_FORMATS = ['pcap', 'pcapng'] as const
export type CaptureFormat = (typeof CAPTURE_FORMATS)[number]

const PCAP_MAGIC_US = 0xa1b2c3d4
const PCAP_MAGIC_NS = 0xa1b23c4d
const PCAPNG_SHB = 0x0a0d0d0a
const PCAPNG_BYTE_ORDER = 0x1a2b3c4d
const PCAPNG_IDB = 1
const PCAPNG_SPB = 3
const PCAPNG_EPB = 6
const OPT_END = 0
const OPT_COMMENT = 1
/** epb_flags: bits 0-1 are the direction, 1 inbound and 2 outbound (of the interface "pkt0"). */
const EPB_FLAGS = 2
const EPB_INBOUND = 1
const EPB_OUTBOUND = 2
const SHB_USERAPPL = 4
const IF_NAME = 2
const IF_TSRESOL = 9
const SNAPLEN = 262144
const HEADERS_LINE = 'pkt0-headers: '

const utf8 = new TextEncoder()

const pad4 = (n: number) => (n + 3) & ~3

/** One option of a pcapng block: code, length, value, padding. */
function option(code: number, value: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + pad4(value.length))
  const v = new DataView(out.buffer)
  v.setUint16(0, code, true)
  v.setUint16(2, value.length, true)
  out.set(value, 4)
  return out
}

function block(type: number, body: Uint8Array, options: readonly Uint8Array[]): Uint8Array {
  const withOptions = options.length > 0 ? [...options, new Uint8Array(4)] : []
  const length = 12 + body.length + withOptions.reduce((n, o) => n + o.length, 0)
  const out = new Uint8Array(length)
  const v = new DataView(out.buffer)
  v.setUint32(0, type, true)
  v.setUint32(4, length, true)
  out.set(body, 8)
  let at = 8 + body.length
  for (const o of withOptions) {
    out.set(o, at)
    at += o.length
  }
  v.setUint32(length - 4, length, true)
  return out
}

/** Writes a capture as byte chunks: the file header once, then one record per packet. */
export class CaptureWriter {
  constructor(readonly format: CaptureFormat) {}

  header(): Uint8Array {
    if (this.format === 'pcap') {
      const out = new Uint8Array(24)
      const v = new DataView(out.buffer)
      v.setUint32(0, PCAP_MAGIC_US, true)
      v.setUint16(4, 2, true)
      v.setUint16(6, 4, true)
      v.setUint32(16, SNAPLEN, true)
      v.setUint32(20, LINKTYPE_ETHERNET, true)
      return out
    }
    const shb = new Uint8Array(16)
    const s = new DataView(shb.buffer)
    s.setUint32(0, PCAPNG_BYTE_ORDER, true)
    s.setUint16(4, 1, true)
    s.setBigInt64(8, -1n, true)
    const idb = new Uint8Array(8)
    const i = new DataView(idb.buffer)
    i.setUint16(0, LINKTYPE_ETHERNET, true)
    i.setUint32(4, SNAPLEN, true)
    const section = block(PCAPNG_SHB, shb, [option(SHB_USERAPPL, utf8.encode('vrouter-utils pkt0'))])
    const iface = block(PCAPNG_IDB, idb, [option(IF_NAME, utf8.encode('pkt0')), option(IF_TSRESOL, Uint8Array.of(6))])
    const out = new Uint8Array(section.length + iface.length)
    out.set(section)
    out.set(iface, section.length)
    return out
  }

  /**
   * A packet captured at `micros` (microseconds since the epoch); pcapng keeps `comment` and `direction` (as the
   * direction of the interface pkt0: a frame to the agent goes out of it), pcap cannot.
   */
  record(packet: Uint8Array, micros: number, comment?: string, direction?: Pkt0Direction): Uint8Array {
    const seconds = Math.floor(micros / 1e6)
    if (this.format === 'pcap') {
      const out = new Uint8Array(16 + packet.length)
      const v = new DataView(out.buffer)
      v.setUint32(0, seconds, true)
      v.setUint32(4, micros - seconds * 1e6, true)
      v.setUint32(8, packet.length, true)
      v.setUint32(12, packet.length, true)
      out.set(packet, 16)
      return out
    }
    const body = new Uint8Array(20 + pad4(packet.length))
    const v = new DataView(body.buffer)
    v.setUint32(4, Math.floor(micros / 2 ** 32), true)
    v.setUint32(8, micros % 2 ** 32, true)
    v.setUint32(12, packet.length, true)
    v.setUint32(16, packet.length, true)
    body.set(packet, 20)
    const options = comment === undefined ? [] : [option(OPT_COMMENT, utf8.encode(comment))]
    if (direction) options.push(option(EPB_FLAGS, Uint8Array.of(direction === 'to-agent' ? EPB_OUTBOUND : EPB_INBOUND, 0, 0, 0)))
    return block(PCAPNG_EPB, body, options)
  }
}

/** The comment of a pkt0 frame in pcapng: a summary line, then the line that keeps its headers. */
export function pkt0Comment(summary: string, frame: Uint8Array): string {
  return `${summary}\n${HEADERS_LINE}${hex(frame.subarray(0, PKT0_HEADROOM))}`
}

/** The 44 header bytes a pcapng comment kept, if it kept them. */
export function headersFromComment(comment: string | undefined): Uint8Array | undefined {
  const m = comment?.match(/^pkt0-headers: ([0-9a-f]+)$/m)
  if (!m || m[1].length !== 2 * PKT0_HEADROOM) return undefined
  return Uint8Array.from(m[1].match(/../g)!, (h) => parseInt(h, 16))
}

export interface CaptureRecord {
  /** Microseconds since the epoch. */
  readonly micros: number
  readonly data: Uint8Array
  readonly originalLength: number
  readonly linktype: number
  readonly comment?: string
  readonly direction?: Pkt0Direction
}

export interface Capture {
  readonly format: CaptureFormat
  readonly records: readonly CaptureRecord[]
}

/** Whether bytes start like a capture file. */
export function isCapture(bytes: Uint8Array): boolean {
  if (bytes.length < 4) return false
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.length)
  const le = v.getUint32(0, true)
  const be = v.getUint32(0, false)
  return [PCAP_MAGIC_US, PCAP_MAGIC_NS].includes(le) || [PCAP_MAGIC_US, PCAP_MAGIC_NS].includes(be) || le === PCAPNG_SHB
}

export function readCapture(bytes: Uint8Array): Capture {
  if (bytes.length < 4) throw new DecodeError('TRUNCATED', bytes.length, 'a capture file starts with a 4-byte magic number')
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.length)
  return v.getUint32(0, true) === PCAPNG_SHB ? readPcapng(bytes, v) : readPcap(bytes, v)
}

function readPcap(bytes: Uint8Array, v: DataView): Capture {
  const magic = v.getUint32(0, true)
  const le = magic === PCAP_MAGIC_US || magic === PCAP_MAGIC_NS
  const m = le ? magic : v.getUint32(0, false)
  if (m !== PCAP_MAGIC_US && m !== PCAP_MAGIC_NS) throw new DecodeError('BAD_CAPTURE', 0, `magic 0x${v.getUint32(0, false).toString(16).padStart(8, '0')} is neither pcap nor pcapng`)
  if (bytes.length < 24) throw new DecodeError('TRUNCATED', bytes.length, 'a pcap file header has 24 bytes')
  const divisor = m === PCAP_MAGIC_NS ? 1000 : 1
  const linktype = v.getUint32(20, le) & 0x0fffffff
  const records: CaptureRecord[] = []
  for (let at = 24; at < bytes.length; ) {
    if (at + 16 > bytes.length) throw new DecodeError('TRUNCATED', at, 'a pcap record header has 16 bytes')
    const length = v.getUint32(at + 8, le)
    if (at + 16 + length > bytes.length) throw new DecodeError('TRUNCATED', at + 16, `a pcap record of ${length} bytes runs past the file`)
    records.push({
      micros: v.getUint32(at, le) * 1e6 + Math.floor(v.getUint32(at + 4, le) / divisor),
      data: bytes.subarray(at + 16, at + 16 + length),
      originalLength: v.getUint32(at + 12, le),
      linktype,
    })
    at += 16 + length
  }
  return {format: 'pcap', records}
}

function readPcapng(bytes: Uint8Array, v: DataView): Capture {
  let le = true
  const interfaces: {linktype: number; unitsPerSecond: number}[] = []
  const records: CaptureRecord[] = []
  const text = new TextDecoder()
  for (let at = 0; at < bytes.length; ) {
    if (at + 12 > bytes.length) throw new DecodeError('TRUNCATED', at, 'a pcapng block has at least 12 bytes')
    const type = v.getUint32(at, le)
    if (type === PCAPNG_SHB) {
      if (at + 16 > bytes.length) throw new DecodeError('TRUNCATED', at, 'a section header block has at least 28 bytes')
      const order = v.getUint32(at + 8, true)
      if (order !== PCAPNG_BYTE_ORDER && v.getUint32(at + 8, false) !== PCAPNG_BYTE_ORDER) throw new DecodeError('BAD_CAPTURE', at + 8, 'a section header without the byte-order magic')
      le = order === PCAPNG_BYTE_ORDER
      interfaces.length = 0
    }
    const length = v.getUint32(at + 4, le)
    if (length < 12 || length % 4 !== 0) throw new DecodeError('BAD_CAPTURE', at + 4, `a pcapng block length of ${length}`)
    if (at + length > bytes.length) throw new DecodeError('TRUNCATED', at, `a pcapng block of ${length} bytes runs past the file`)
    const options = (from: number): Map<number, Uint8Array[]> => {
      const found = new Map<number, Uint8Array[]>()
      for (let o = from; o + 4 <= at + length - 4; ) {
        const code = v.getUint16(o, le)
        const size = v.getUint16(o + 2, le)
        if (code === OPT_END || o + 4 + size > at + length - 4) break
        found.set(code, [...(found.get(code) ?? []), bytes.subarray(o + 4, o + 4 + size)])
        o += 4 + pad4(size)
      }
      return found
    }
    if (type === PCAPNG_IDB) {
      const resolution = options(at + 16).get(IF_TSRESOL)?.[0]?.[0] ?? 6
      // The high bit says a power of two; else a power of ten.
      const unitsPerSecond = resolution & 0x80 ? 2 ** (resolution & 0x7f) : 10 ** resolution
      interfaces.push({linktype: v.getUint16(at + 8, le), unitsPerSecond})
    } else if (type === PCAPNG_EPB || type === PCAPNG_SPB) {
      const epb = type === PCAPNG_EPB
      const iface = interfaces[epb ? v.getUint32(at + 8, le) : 0]
      if (!iface) throw new DecodeError('BAD_CAPTURE', at + 8, 'a packet of an interface no block described')
      const dataAt = at + (epb ? 28 : 12)
      const captured = epb ? v.getUint32(at + 20, le) : Math.min(v.getUint32(at + 8, le), length - 16)
      if (dataAt + captured > at + length - 4) throw new DecodeError('TRUNCATED', dataAt, `a packet of ${captured} bytes runs past its block`)
      const units = epb ? v.getUint32(at + 12, le) * 2 ** 32 + v.getUint32(at + 16, le) : 0
      const found = epb ? options(dataAt + pad4(captured)) : new Map<number, Uint8Array[]>()
      const comment = found.get(OPT_COMMENT)?.[0]
      const flags = found.get(EPB_FLAGS)?.[0]
      const bound = flags?.length === 4 ? new DataView(flags.buffer, flags.byteOffset, 4).getUint32(0, le) & 3 : 0
      const direction = bound === EPB_OUTBOUND ? 'to-agent' : bound === EPB_INBOUND ? 'from-agent' : undefined
      records.push({
        micros: Math.floor((units * 1e6) / iface.unitsPerSecond),
        data: bytes.subarray(dataAt, dataAt + captured),
        originalLength: epb ? v.getUint32(at + 24, le) : v.getUint32(at + 8, le),
        linktype: iface.linktype,
        ...(comment ? {comment: text.decode(comment)} : {}),
        ...(direction ? {direction} : {}),
      })
    }
    at += length
  }
  return {format: 'pcapng', records}
}
