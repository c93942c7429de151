/**
 * The byte layouts of the shared-memory tables as data: one offset table per layout (flow entry of 256 bytes, the
 * Windows port's 128-byte flow entry, the 64-byte bridge entry), which drives both decoding and encoding. Integers
 * are little-endian (host order on every real deployment), except the ports of a flow key, stored as on the wire.
 * Pointers (hentry_next, fe_hold_list, fe_mme) are not fields: readers ignore them and writers leave zeros.
 */
import type {BridgeEntry, FlowEntry, HashEntryHeader} from '../model/flow.js'

export type FieldKind = 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'u64' | 'be16' | 'bytes'

export interface FieldSpec {
  readonly offset: number
  readonly kind: FieldKind
  /** For 'bytes'. */
  readonly length?: number
}

/** Every field of E has a place, or undefined where the layout has no such field. */
export interface Layout<E> {
  readonly name: string
  readonly size: number
  readonly fields: Readonly<Record<keyof E, FieldSpec | undefined>>
}

const f = (offset: number, kind: FieldKind, length?: number): FieldSpec => ({offset, kind, ...(length === undefined ? {} : {length})})

const HENTRY: Readonly<Record<keyof HashEntryHeader, FieldSpec>> = {
  hentry_index: f(8, 'u32'),
  hentry_bucket_index: f(12, 'u32'),
  hentry_next_index: f(16, 'u32'),
  hentry_flags: f(20, 'u8'),
}

/** Offsets 0..83, the same in both flow layouts: header, TTL, QoS id, the 45-byte key at 24, gen id, TCP state. */
const FLOW_COMMON = {
  ...HENTRY,
  fe_ttl: f(21, 'u8'),
  fe_qos_id: f(22, 'i16'),
  key_family: f(24, 'u8'),
  key_proto: f(25, 'u8'),
  key_sport: f(28, 'be16'),
  key_dport: f(30, 'be16'),
  key_nh_id: f(32, 'u32'),
  key_ip: f(36, 'bytes', 32),
  key_len: f(68, 'u8'),
  fe_gen_id: f(69, 'u8'),
  fe_tcp_flags: f(70, 'u16'),
  fe_tcp_seq: f(80, 'u32'),
}

/** OpenSDN / Tungsten Fabric since about 2019 (shm-pkt0 spec §3.3). */
export const FLOW_ENTRY_256: Layout<FlowEntry> = {
  name: 'current',
  size: 256,
  fields: {
    ...FLOW_COMMON,
    fe_rflow: f(84, 'i32'),
    fe_flags: f(88, 'u16'),
    fe_flags1: f(90, 'u16'),
    fe_action: f(92, 'u16'),
    fe_vrf: f(94, 'u16'),
    fe_dvrf: f(96, 'u16'),
    fe_mirror_id: f(98, 'u8'),
    fe_sec_mirror_id: f(99, 'u8'),
    fe_src_nh_index: f(100, 'u32'),
    flow_bytes: f(104, 'u32'),
    flow_packets: f(108, 'u32'),
    flow_bytes_oflow: f(112, 'u16'),
    flow_packets_oflow: f(114, 'u8'),
    fe_ecmp_nh_index: f(115, 'i8'),
    fe_drop_reason: f(116, 'u8'),
    fe_type: f(117, 'u8'),
    fe_udp_src_port: f(118, 'u16'),
    fe_src_info: f(120, 'u32'),
    fe_tcp_ack: f(132, 'u32'),
    fe_underlay_ecmp_index: f(136, 'i8'),
    fe_bucket_lock: f(137, 'u8'),
  },
}

/** The Juniper Windows port (contrail-vrouter R1909, shm-pkt0 spec §3.4): no flags1, TCP ack, underlay ECMP, lock. */
export const FLOW_ENTRY_128: Layout<FlowEntry> = {
  name: 'windows',
  size: 128,
  fields: {
    ...FLOW_COMMON,
    fe_action: f(84, 'u16'),
    fe_flags: f(86, 'u16'),
    fe_rflow: f(88, 'i32'),
    fe_vrf: f(92, 'u16'),
    fe_dvrf: f(94, 'u16'),
    fe_src_nh_index: f(96, 'u16'),
    fe_mirror_id: f(98, 'u8'),
    fe_sec_mirror_id: f(99, 'u8'),
    flow_bytes: f(100, 'u32'),
    flow_packets: f(104, 'u32'),
    flow_bytes_oflow: f(108, 'u16'),
    flow_packets_oflow: f(110, 'u8'),
    fe_ecmp_nh_index: f(111, 'i8'),
    fe_drop_reason: f(112, 'u8'),
    fe_type: f(113, 'u8'),
    fe_udp_src_port: f(114, 'u16'),
    fe_src_info: f(116, 'u32'),
    fe_flags1: undefined,
    fe_tcp_ack: undefined,
    fe_underlay_ecmp_index: undefined,
    fe_bucket_lock: undefined,
  },
}

export const FLOW_LAYOUTS = {256: FLOW_ENTRY_256, 128: FLOW_ENTRY_128} as const
export type FlowEntrySize = keyof typeof FLOW_LAYOUTS

/** All platforms (shm-pkt0 spec §4). The hash key is the 8 bytes at 21: MAC, then VRF. */
export const BRIDGE_ENTRY: Layout<BridgeEntry> = {
  name: 'bridge',
  size: 64,
  fields: {
    ...HENTRY,
    be_mac: f(21, 'bytes', 6),
    be_vrf_id: f(27, 'u16'),
    be_packets: f(37, 'u64'),
    be_label: f(45, 'u32'),
    be_nh_id: f(49, 'i32'),
    be_flags: f(53, 'u16'),
  },
}

/** Where the flow key starts in an entry (both layouts); its length byte follows the 44 key bytes. */
export const FLOW_KEY_OFFSET = 24
export const BRIDGE_KEY = {offset: 21, length: 8} as const

function placed<E>(layout: Layout<E>): [keyof E, FieldSpec][] {
  return (Object.entries(layout.fields) as [keyof E, FieldSpec | undefined][]).filter((e): e is [keyof E, FieldSpec] => e[1] !== undefined)
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

/** The expression that reads one field from `v` (a DataView of `b`) at entry offset `o`. */
function readExpression(spec: FieldSpec): string {
  const at = `o + ${spec.offset}`
  switch (spec.kind) {
    case 'u8':
      return `b[${at}]`
    case 'i8':
      return `v.getInt8(${at})`
    case 'u16':
      return `v.getUint16(${at}, true)`
    case 'i16':
      return `v.getInt16(${at}, true)`
    case 'u32':
      return `v.getUint32(${at}, true)`
    case 'i32':
      return `v.getInt32(${at}, true)`
    case 'be16':
      return `v.getUint16(${at}, false)`
    case 'u64':
      return `u64(v.getBigUint64(${at}, true))`
    case 'bytes':
      return `copy(b, ${at}, ${spec.length})`
  }
}

/**
 * Byte strings of decoded entries, cut from 16 KiB slabs: a fresh Uint8Array costs about a microsecond on Node 20,
 * a view of a slab a few tens of nanoseconds, and a scan decodes hundreds of thousands of entries.
 */
let slab = new Uint8Array(16384)
let slabUsed = 0
function copy(b: Uint8Array, at: number, length: number): Uint8Array {
  if (slabUsed + length > slab.length) {
    slab = new Uint8Array(16384)
    slabUsed = 0
  }
  const out = slab.subarray(slabUsed, slabUsed + length)
  out.set(b.subarray(at, at + length))
  slabUsed += length
  return out
}

type Decoder = (v: DataView, b: Uint8Array, o: number, u64: (x: bigint) => number | bigint, copy: (b: Uint8Array, at: number, length: number) => Uint8Array) => unknown
const decoders = new WeakMap<object, Decoder>()
const u64 = (x: bigint) => (x <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : x)

/**
 * The decoder of a layout, generated once from its offset table: one object literal of every field (absent ones
 * undefined, so that a reader can tell "absent" from 0), which keeps a scan of a million entries fast.
 */
function decoderOf<E>(layout: Layout<E>): Decoder {
  let decoder = decoders.get(layout)
  if (!decoder) {
    const body = Object.entries(layout.fields as Record<string, FieldSpec | undefined>)
      .map(([name, spec]) => `${name}: ${spec ? readExpression(spec) : 'undefined'}`)
      .join(',\n')
    decoder = new Function('v', 'b', 'o', 'u64', 'copy', `return {\n${body}\n}`) as Decoder
    decoders.set(layout, decoder)
  }
  return decoder
}

const views = new WeakMap<Uint8Array, DataView>()

/** Decodes the entry at byte `offset` of `bytes` (the caller checks that a whole entry is there). */
export function decodeEntry<E>(layout: Layout<E>, bytes: Uint8Array, offset: number): E {
  let view = views.get(bytes)
  if (!view) {
    view = viewOf(bytes)
    views.set(bytes, view)
  }
  return decoderOf(layout)(view, bytes, offset, u64, copy) as E
}

/**
 * Writes every field of `entry` that the layout places (fields it lacks are ignored) into the entry at byte
 * `offset`; bytes the layout does not describe are left as they are.
 */
export function encodeEntry<E>(layout: Layout<E>, entry: E, bytes: Uint8Array, offset: number): void {
  const view = viewOf(bytes)
  for (const [name, spec] of placed(layout)) {
    const value = entry[name] as unknown
    if (value === undefined) continue
    const at = offset + spec.offset
    switch (spec.kind) {
      case 'u8':
      case 'i8':
        view.setUint8(at, Number(value) & 0xff)
        break
      case 'u16':
      case 'i16':
        view.setUint16(at, Number(value) & 0xffff, true)
        break
      case 'be16':
        view.setUint16(at, Number(value) & 0xffff, false)
        break
      case 'u32':
      case 'i32':
        view.setUint32(at, Number(value) >>> 0, true)
        break
      case 'u64':
        view.setBigUint64(at, BigInt.asUintN(64, BigInt(value as number | bigint)), true)
        break
      case 'bytes': {
        const source = value as Uint8Array
        bytes.fill(0, at, at + spec.length!)
        bytes.set(source.subarray(0, spec.length!), at)
        break
      }
    }
  }
}

/** An unused entry as a forwarding plane leaves it at table creation: its own index, no chain, all else zero. */
export function writeUnusedEntry(bytes: Uint8Array, offset: number, index: number, flags = 0): void {
  const view = viewOf(bytes)
  view.setUint32(offset + HENTRY.hentry_index.offset, index >>> 0, true)
  view.setUint32(offset + HENTRY.hentry_next_index.offset, 0xffffffff, true)
  view.setUint8(offset + HENTRY.hentry_flags.offset, flags)
}
