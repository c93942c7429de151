/**
 * The packet drop log's records as the forwarding plane hands them out in vdl_pkt_droplog_arr: the C struct
 * vr_pkt_drop_log (TF include/vr_pkt_droplog.h) in the x86-64 host layout, copied out of the per-core ring as is.
 * Numbers are little-endian; addresses keep network order; a packet type of 0 marks a slot nothing was logged in.
 */

/** One record. */
export interface DropLogRecord {
  /** Seconds since the epoch (time_t). */
  readonly timestamp: number
  /** VP_TYPE_* of the dropped packet (0: an empty slot). */
  readonly vpType: number
  /** VP_DROP_* */
  readonly dropReason: number
  readonly vifIdx: number
  readonly nhId: number
  /** 16 bytes: an IPv4 address in the first 4, an IPv6 address in all. */
  readonly src: Uint8Array
  readonly dst: Uint8Array
  readonly sport: number
  readonly dport: number
  /** Index into DROP_LOG_FILES, and the line that dropped the packet. */
  readonly file: number
  readonly line: number
  /** Length of the packet, of which up to 100 bytes of its network header on are kept. */
  readonly pktLen: number
  readonly header: Uint8Array
}

/** sizeof(vr_pkt_drop_log_t): 166 bytes of fields, padded to the 8-byte alignment of its time_t. */
export const DROP_LOG_RECORD_SIZE = 168
/** Bytes of a packet a record keeps. */
export const DROP_LOG_HEADER_BYTES = 100
/** Records per reply (VR_PKT_DROPLOG_MAX_ALLOW_BUFSZ: what fits a 4 KB message). */
export const DROP_LOG_PAGE = 20
/** The default ring size per core (VR_PKT_DROP_LOG_MAX). */
export const DROP_LOG_MAX = 200

const OFFSET = {timestamp: 0, vpType: 8, dropReason: 10, vifIdx: 12, nhId: 16, src: 20, dst: 36, sport: 52, dport: 54, file: 56, line: 60, pktLen: 64, header: 66} as const

/** A record with every field zero (an empty slot), with `fields` over it. */
export function dropLogRecord(fields: Partial<DropLogRecord> = {}): DropLogRecord {
  return {
    timestamp: 0, vpType: 0, dropReason: 0, vifIdx: 0, nhId: 0, src: new Uint8Array(16), dst: new Uint8Array(16), sport: 0, dport: 0,
    file: 0, line: 0, pktLen: 0, header: new Uint8Array(DROP_LOG_HEADER_BYTES), ...fields,
  }
}

/** The records of an array (a trailing partial record is ignored). */
export function decodeDropLog(array: ArrayLike<number>): DropLogRecord[] {
  const bytes = Uint8Array.from(array)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const records: DropLogRecord[] = []
  for (let at = 0; at + DROP_LOG_RECORD_SIZE <= bytes.length; at += DROP_LOG_RECORD_SIZE) {
    const slice = (offset: number, length: number) => bytes.slice(at + offset, at + offset + length)
    records.push({
      timestamp: Number(view.getBigInt64(at + OFFSET.timestamp, true)),
      vpType: view.getUint8(at + OFFSET.vpType),
      dropReason: view.getUint16(at + OFFSET.dropReason, true),
      vifIdx: view.getUint16(at + OFFSET.vifIdx, true),
      nhId: view.getUint32(at + OFFSET.nhId, true),
      src: slice(OFFSET.src, 16),
      dst: slice(OFFSET.dst, 16),
      sport: view.getUint16(at + OFFSET.sport, true),
      dport: view.getUint16(at + OFFSET.dport, true),
      file: view.getUint32(at + OFFSET.file, true),
      line: view.getUint32(at + OFFSET.line, true),
      pktLen: view.getUint16(at + OFFSET.pktLen, true),
      header: slice(OFFSET.header, DROP_LOG_HEADER_BYTES),
    })
  }
  return records
}

export function encodeDropLog(records: readonly DropLogRecord[]): Uint8Array {
  const bytes = new Uint8Array(records.length * DROP_LOG_RECORD_SIZE)
  const view = new DataView(bytes.buffer)
  records.forEach((r, i) => {
    const at = i * DROP_LOG_RECORD_SIZE
    view.setBigInt64(at + OFFSET.timestamp, BigInt(r.timestamp), true)
    view.setUint8(at + OFFSET.vpType, r.vpType)
    view.setUint16(at + OFFSET.dropReason, r.dropReason, true)
    view.setUint16(at + OFFSET.vifIdx, r.vifIdx, true)
    view.setUint32(at + OFFSET.nhId, r.nhId, true)
    bytes.set(r.src.subarray(0, 16), at + OFFSET.src)
    bytes.set(r.dst.subarray(0, 16), at + OFFSET.dst)
    view.setUint16(at + OFFSET.sport, r.sport, true)
    view.setUint16(at + OFFSET.dport, r.dport, true)
    view.setUint32(at + OFFSET.file, r.file, true)
    view.setUint32(at + OFFSET.line, r.line, true)
    view.setUint16(at + OFFSET.pktLen, r.pktLen, true)
    bytes.set(r.header.subarray(0, DROP_LOG_HEADER_BYTES), at + OFFSET.header)
  })
  return bytes
}
