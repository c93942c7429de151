/**
 * The `drop_log` section of a scenario: the drop type the forwarding plane logs and the records in its per-core rings
 * (what `dropstats --log` shows), named as the stock tool names them — VP_DROP_* reasons, VP_TYPE_* packet types
 * (IP, IP6, ARP, …) and FILE_MAP source files (VR_FLOW_C, …) — with addresses as text and packet bytes as hex.
 */
import {formatIp, parseIp} from '../../lib/model/addresses.js'
import {DROP_LOG_FILES, DROP_REASONS, VP_DROP_MAX, VP_TYPE, VP_TYPES, dropReasonValue, enumName} from '../../lib/model/constants.js'
import {DROP_LOG_HEADER_BYTES, type DropLogRecord, dropLogRecord} from '../../lib/model/droplog.js'
import {ValueError, type JsonSchema} from './fields.js'

export interface DropLogSection {
  drop_type?: string
  entries?: Record<string, unknown>[]
}

const count = (maximum: number) => ({type: 'integer', minimum: 0, maximum})

export function dropLogSchema(): JsonSchema {
  return {
    type: 'object',
    description: 'the packet drop log (dropstats --log)',
    additionalProperties: false,
    properties: {
      drop_type: {enum: DROP_REASONS.slice(1).map(([name]) => name), description: 'the one drop type logged (dropstats --drop-type); VP_DROP_MAX: every type'},
      entries: {
        type: 'array',
        description: 'records, written into the rings of their cores in order',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['reason'],
          properties: {
            core: {type: 'integer', minimum: 0, description: 'the core that dropped the packet (from 0; default 0)'},
            time: {type: 'integer', description: 'seconds since the epoch'},
            packet: {enum: VP_TYPES.map(([, name]) => name), description: 'packet type (default IP, IP6 for IPv6 addresses)'},
            reason: {enum: DROP_REASONS.slice(1, VP_DROP_MAX).map(([name]) => name)},
            vif: count(0xffff),
            nh: count(0xffffffff),
            src: {type: 'string', description: 'IPv4 or IPv6 address'},
            dst: {type: 'string', description: 'IPv4 or IPv6 address'},
            sport: count(0xffff),
            dport: count(0xffff),
            file: {enum: DROP_LOG_FILES.slice(1), description: 'the source file that dropped it'},
            line: count(0xffffffff),
            length: {...count(0xffff), description: 'packet length (default: the bytes of data)'},
            data: {type: 'string', description: 'the first bytes of the packet from its network header on, hex (up to 100)'},
          },
        },
      },
    },
  }
}

function address(text: unknown, what: string): Uint8Array {
  const bytes = typeof text === 'string' ? parseIp(text) : undefined
  if (!bytes) throw new ValueError(`${what}: not an IPv4 or IPv6 address`)
  const out = new Uint8Array(16)
  out.set(bytes)
  return out
}

function hexBytes(text: string): Uint8Array {
  const digits = text.replace(/[\s:]/g, '')
  if (!/^([0-9a-fA-F]{2})*$/.test(digits) || digits.length / 2 > DROP_LOG_HEADER_BYTES) throw new ValueError(`data: up to ${DROP_LOG_HEADER_BYTES} bytes as hex`)
  return Uint8Array.from(digits.match(/../g) ?? [], (b) => parseInt(b, 16))
}

/** A scenario entry's record (a ValueError names what is wrong). */
export function recordOfEntry(e: Record<string, unknown>): DropLogRecord {
  const src = e.src === undefined ? new Uint8Array(16) : address(e.src, 'src')
  const dst = e.dst === undefined ? new Uint8Array(16) : address(e.dst, 'dst')
  const ipv6 = typeof e.src === 'string' && e.src.includes(':')
  const data = typeof e.data === 'string' ? hexBytes(e.data) : new Uint8Array(0)
  const header = new Uint8Array(DROP_LOG_HEADER_BYTES)
  header.set(data)
  const number = (key: string) => (typeof e[key] === 'number' ? (e[key] as number) : 0)
  return dropLogRecord({
    timestamp: number('time'),
    vpType: typeof e.packet === 'string' ? VP_TYPES.find(([, name]) => name === e.packet)![0] : ipv6 ? VP_TYPE.IP6 : VP_TYPE.IP,
    dropReason: dropReasonValue(String(e.reason))!,
    vifIdx: number('vif'),
    nhId: number('nh'),
    src,
    dst,
    sport: number('sport'),
    dport: number('dport'),
    file: typeof e.file === 'string' ? DROP_LOG_FILES.indexOf(e.file) : 0,
    line: number('line'),
    pktLen: typeof e.length === 'number' ? e.length : data.length,
    header,
  })
}

/** A record as a scenario entry (what `emulator save` writes): zero fields left out. */
export function entryOfRecord(core: number, r: DropLogRecord): Record<string, unknown> {
  const ip = r.vpType === VP_TYPE.IP ? (b: Uint8Array) => formatIp(b.subarray(0, 4)) : r.vpType === VP_TYPE.IP6 ? formatIp : undefined
  const entry: Record<string, unknown> = {
    core,
    time: r.timestamp,
    packet: enumName(r.vpType, VP_TYPES) ?? r.vpType,
    reason: DROP_REASONS[r.dropReason]?.[0] ?? r.dropReason,
    vif: r.vifIdx,
    nh: r.nhId,
    src: ip?.(r.src),
    dst: ip?.(r.dst),
    sport: r.sport,
    dport: r.dport,
    file: r.file ? (DROP_LOG_FILES[r.file] ?? r.file) : undefined,
    line: r.line,
    length: r.pktLen,
    data: Array.from(r.header.subarray(0, Math.min(r.pktLen, DROP_LOG_HEADER_BYTES)), (b) => b.toString(16).padStart(2, '0')).join(' '),
  }
  return Object.fromEntries(Object.entries(entry).filter(([k, v]) => v !== undefined && v !== '' && (v !== 0 || k === 'core')))
}
