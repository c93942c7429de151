/**
 * The netlink-style envelope of every ksync message, in its three flavours:
 *  - linux:   generic netlink (kernel module): replies padded to 4 bytes, NLM_F_MULTI on every message of a
 *             multi-message batch, then an NLMSG_DONE; pid = the client's port id.
 *  - dpdk:    Unix stream socket of the DPDK vRouter (and of vtest, family 0): no padding, NLM_F_MULTI on all but the
 *             last message of a batch, no DONE, pid 0.
 *  - windows: the ksync device: like linux but pid 0, one message per read, 4096-byte messages at most.
 * Header fields are little-endian (host order); the payload is Sandesh (big-endian).
 */
import {DecodeError} from '../errors.js'
import {allocBytes, copyBytes} from '../sandesh/codec.js'

export type Flavour = 'linux' | 'dpdk' | 'windows'
export const FLAVOURS: readonly Flavour[] = ['linux', 'dpdk', 'windows']

export const NLMSG_HDRLEN = 16
export const GENL_HDRLEN = 4
export const NLA_HDRLEN = 4
/** nlmsghdr + genlmsghdr + nlattr header: where the Sandesh payload starts. */
export const ENVELOPE_LENGTH = NLMSG_HDRLEN + GENL_HDRLEN + NLA_HDRLEN

export const NLM_F_REQUEST = 0x1
export const NLM_F_MULTI = 0x2
export const NLMSG_ERROR = 2
export const NLMSG_DONE = 3
export const GENL_ID_CTRL = 0x10
/** genl command of every ksync message. */
export const SANDESH_REQUEST = 1
/** nla_type of the attribute that carries the Sandesh payload. */
export const NL_ATTR_VR_MESSAGE_PROTOCOL = 1

/** Family ids (nlmsg_type) per transport; on Linux the id is resolved at run time through the controller. */
export const FAMILY_ID = {dpdk: 0x20, vtest: 0, windows: 1} as const

/** The size of a client's receive buffer in the stock tools, and the Windows device's message limit. */
export const NL_MSG_DEFAULT_SIZE = 4096

/** How nla_len counts: requests (and Linux multicasts) include the 4-byte attribute header, dp replies do not. */
export type NlaLengthStyle = 'with-header' | 'payload-only'

export interface NetlinkHeader {
  readonly type: number
  readonly flags: number
  readonly seq: number
  readonly pid: number
}

/** A message carrying Sandesh objects. */
export interface SandeshMessage extends NetlinkHeader {
  readonly kind: 'sandesh'
  readonly cmd: number
  readonly version: number
  readonly reserved: number
  readonly nlaType: number
  readonly nlaLengthStyle: NlaLengthStyle
  readonly payload: Uint8Array
  /** Bytes between the payload and nlmsg_len (Linux/Windows alignment; their content is unspecified). */
  readonly padding: Uint8Array
}

export interface DoneMessage extends NetlinkHeader {
  readonly kind: 'done'
}

export interface ErrorMessage extends NetlinkHeader {
  readonly kind: 'error'
  /** Negative errno (0 = an acknowledgement). */
  readonly error: number
  /** Whatever follows the error code (a copy of the offending request's header). */
  readonly body: Uint8Array
}

/** A generic netlink controller message (family resolution), with its attributes. */
export interface ControlMessage extends NetlinkHeader {
  readonly kind: 'control'
  readonly cmd: number
  readonly version: number
  readonly attributes: readonly {readonly type: number; readonly data: Uint8Array}[]
}

export type NetlinkMessage = SandeshMessage | DoneMessage | ErrorMessage | ControlMessage

const align4 = (n: number) => (n + 3) & ~3
const NO_BYTES = new Uint8Array(0)

// Header fields are read and written byte by byte: a DataView per message costs more than the rest of a small one.
const u16 = (u8: Uint8Array, p: number) => u8[p] | (u8[p + 1] << 8)
const u32 = (u8: Uint8Array, p: number) => (u8[p] | (u8[p + 1] << 8) | (u8[p + 2] << 16) | (u8[p + 3] << 24)) >>> 0

function putU16(u8: Uint8Array, p: number, value: number): void {
  u8[p] = value
  u8[p + 1] = value >>> 8
}

function putU32(u8: Uint8Array, p: number, value: number): void {
  u8[p] = value
  u8[p + 1] = value >>> 8
  u8[p + 2] = value >>> 16
  u8[p + 3] = value >>> 24
}

/**
 * Decodes one complete message (`u8` holds exactly nlmsg_len bytes, or more after it). `base` is the offset of u8
 * in the caller's input, for error offsets.
 */
export function decodeMessage(u8: Uint8Array, base = 0): NetlinkMessage {
  if (u8.length < NLMSG_HDRLEN) throw new DecodeError('TRUNCATED', base, `a netlink header needs ${NLMSG_HDRLEN} bytes, got ${u8.length}`)
  const length = u32(u8, 0)
  if (length < NLMSG_HDRLEN) throw new DecodeError('BAD_FRAME_LENGTH', base, `nlmsg_len ${length} is shorter than the header`)
  if (length > u8.length) throw new DecodeError('TRUNCATED', base, `nlmsg_len ${length} but only ${u8.length} bytes`)
  const type = u16(u8, 4)
  const flags = u16(u8, 6)
  const seq = u32(u8, 8)
  const pid = u32(u8, 12)
  if (type === NLMSG_DONE) return {kind: 'done', type, flags, seq, pid}
  if (type === NLMSG_ERROR) {
    if (length < NLMSG_HDRLEN + 4) throw new DecodeError('TRUNCATED', base + NLMSG_HDRLEN, 'an NLMSG_ERROR needs its error code')
    return {kind: 'error', type, flags, seq, pid, error: u32(u8, 16) | 0, body: copyBytes(u8, 20, length - 20)}
  }
  if (length < NLMSG_HDRLEN + GENL_HDRLEN) throw new DecodeError('BAD_FRAME_LENGTH', base, `nlmsg_len ${length} leaves no room for the genl header`)
  const cmd = u8[16]
  const version = u8[17]
  if (type === GENL_ID_CTRL) {
    const attributes: {type: number; data: Uint8Array}[] = []
    for (let p = NLMSG_HDRLEN + GENL_HDRLEN; p + NLA_HDRLEN <= length; ) {
      const nlaLength = u16(u8, p)
      if (nlaLength < NLA_HDRLEN || p + nlaLength > length) throw new DecodeError('BAD_ATTRIBUTE', base + p, `nla_len ${nlaLength}`)
      attributes.push({type: u16(u8, p + 2), data: copyBytes(u8, p + NLA_HDRLEN, nlaLength - NLA_HDRLEN)})
      p += align4(nlaLength)
    }
    return {kind: 'control', type, flags, seq, pid, cmd, version, attributes}
  }
  if (length < ENVELOPE_LENGTH) throw new DecodeError('BAD_FRAME_LENGTH', base, `nlmsg_len ${length} leaves no room for the attribute header`)
  const nlaLength = u16(u8, 20)
  const body = length - ENVELOPE_LENGTH
  let payloadLength: number
  let nlaLengthStyle: NlaLengthStyle
  // A dp reply's nla_len never exceeds the bytes after the attribute header; one that counts the header always does
  // unless it is a request (requests are never padded).
  if (flags & NLM_F_REQUEST || nlaLength > body) {
    payloadLength = nlaLength - NLA_HDRLEN
    nlaLengthStyle = 'with-header'
  } else {
    payloadLength = nlaLength
    nlaLengthStyle = 'payload-only'
  }
  if (payloadLength < 0 || payloadLength > body) {
    throw new DecodeError('BAD_ATTRIBUTE', base + 20, `nla_len ${nlaLength} does not fit nlmsg_len ${length}`)
  }
  return {
    kind: 'sandesh',
    type,
    flags,
    seq,
    pid,
    cmd,
    version,
    reserved: u16(u8, 18),
    nlaType: u16(u8, 22),
    nlaLengthStyle,
    payload: copyBytes(u8, ENVELOPE_LENGTH, payloadLength),
    padding: copyBytes(u8, ENVELOPE_LENGTH + payloadLength, length - ENVELOPE_LENGTH - payloadLength),
  }
}

/** Encodes any message exactly (nlmsg_len = everything written, padding included). */
export function encodeMessage(msg: NetlinkMessage): Uint8Array {
  let out: Uint8Array
  switch (msg.kind) {
    case 'done':
      out = allocBytes(NLMSG_HDRLEN)
      break
    case 'error':
      out = allocBytes(NLMSG_HDRLEN + 4 + msg.body.length)
      putU32(out, 16, msg.error)
      out.set(msg.body, 20)
      break
    case 'control': {
      const size = msg.attributes.reduce((n, a) => n + align4(NLA_HDRLEN + a.data.length), NLMSG_HDRLEN + GENL_HDRLEN)
      out = allocBytes(size)
      out[16] = msg.cmd
      out[17] = msg.version
      let p = NLMSG_HDRLEN + GENL_HDRLEN
      for (const a of msg.attributes) {
        putU16(out, p, NLA_HDRLEN + a.data.length)
        putU16(out, p + 2, a.type)
        out.set(a.data, p + NLA_HDRLEN)
        p += align4(NLA_HDRLEN + a.data.length)
      }
      break
    }
    case 'sandesh': {
      out = allocBytes(ENVELOPE_LENGTH + msg.payload.length + msg.padding.length)
      out[16] = msg.cmd
      out[17] = msg.version
      putU16(out, 18, msg.reserved)
      putU16(out, 20, msg.payload.length + (msg.nlaLengthStyle === 'with-header' ? NLA_HDRLEN : 0))
      putU16(out, 22, msg.nlaType)
      out.set(msg.payload, ENVELOPE_LENGTH)
      out.set(msg.padding, ENVELOPE_LENGTH + msg.payload.length)
      break
    }
  }
  putU32(out, 0, out.length)
  putU16(out, 4, msg.type)
  putU16(out, 6, msg.flags)
  putU32(out, 8, msg.seq)
  putU32(out, 12, msg.pid)
  return out
}

/** A request as every stock tool frames it: NLM_F_REQUEST, nla_len counting its header, no padding. */
export function encodeRequest(payload: Uint8Array, options: {family: number; seq: number; pid?: number}): Uint8Array {
  return encodeMessage({
    kind: 'sandesh',
    type: options.family,
    flags: NLM_F_REQUEST,
    seq: options.seq,
    pid: options.pid ?? 0,
    cmd: SANDESH_REQUEST,
    version: 0,
    reserved: 0,
    nlaType: NL_ATTR_VR_MESSAGE_PROTOCOL,
    nlaLengthStyle: 'with-header',
    payload,
    padding: NO_BYTES,
  })
}

/**
 * The reply messages a forwarding plane of the given flavour sends for one request: one message per payload,
 * flagged and terminated as that flavour does (see the module comment), echoing the request's type, seq and genl
 * header. `pid` is the client's port id (Linux only).
 */
export function encodeReplyBatch(
  flavour: Flavour,
  request: Pick<SandeshMessage, 'type' | 'seq' | 'cmd' | 'version' | 'reserved'>,
  payloads: readonly Uint8Array[],
  pid = 0,
): Uint8Array[] {
  const multi = payloads.length > 1
  const messages = payloads.map((payload, i) => {
    const last = i === payloads.length - 1
    const flags = flavour === 'dpdk' ? (last ? 0 : NLM_F_MULTI) : multi ? NLM_F_MULTI : 0
    const padded = flavour === 'dpdk' ? payload.length : align4(payload.length)
    return encodeMessage({
      kind: 'sandesh',
      type: request.type,
      flags,
      seq: request.seq,
      pid: flavour === 'linux' ? pid : 0,
      cmd: request.cmd,
      version: request.version,
      reserved: request.reserved,
      nlaType: NL_ATTR_VR_MESSAGE_PROTOCOL,
      nlaLengthStyle: 'payload-only',
      payload,
      padding: padded === payload.length ? NO_BYTES : allocBytes(padded - payload.length),
    })
  })
  if (multi && flavour !== 'dpdk') {
    messages.push(encodeMessage({kind: 'done', type: NLMSG_DONE, flags: 0, seq: request.seq, pid: flavour === 'linux' ? pid : 0}))
  }
  return messages
}

/** The flavour a message most likely came from, judged by its family id. */
export function guessFlavour(type: number): Flavour {
  if (type === FAMILY_ID.dpdk || type === FAMILY_ID.vtest) return 'dpdk'
  if (type === FAMILY_ID.windows) return 'windows'
  return 'linux'
}

export interface FrameParserOptions {
  /** Largest nlmsg_len accepted; a longer one is an error (the stream cannot be resynchronised). */
  readonly maxMessageLength?: number
  /** Messages start at 4-byte boundaries (netlink datagrams holding several messages). */
  readonly align?: boolean
}

/** Default largest message per flavour: the Windows device's limit, else a bound that no real message reaches. */
export function defaultMaxMessageLength(flavour: Flavour): number {
  return flavour === 'windows' ? NL_MSG_DEFAULT_SIZE : 65536
}

/**
 * A resumable parser of a byte stream of netlink messages: feed it chunks cut anywhere, get whole messages. After an
 * error it stays failed (a stream cannot be resynchronised): the caller drops the connection.
 */
export class FrameParser {
  private buffer: Uint8Array = NO_BYTES
  private consumed = 0
  private readonly maxLength: number
  private readonly align: boolean
  private failure: DecodeError | undefined

  constructor(options: FrameParserOptions = {}) {
    this.maxLength = options.maxMessageLength ?? 65536
    this.align = options.align ?? false
  }

  /** Bytes received but not yet part of a whole message. */
  get pendingBytes(): number {
    return this.buffer.length
  }

  /** Offset in the stream of the next byte to parse. */
  get offset(): number {
    return this.consumed
  }

  /**
   * Appends a chunk and returns the messages it completes; keeps no view of the chunk (messages and a message's first
   * part are copied), so the caller may reuse it. Throws DecodeError (offsets are stream offsets).
   */
  push(chunk: Uint8Array): NetlinkMessage[] {
    if (this.failure) throw this.failure
    if (this.buffer.length === 0) {
      this.buffer = chunk
    } else {
      const joined = allocBytes(this.buffer.length + chunk.length)
      joined.set(this.buffer)
      joined.set(chunk, this.buffer.length)
      this.buffer = joined
    }
    const out: NetlinkMessage[] = []
    let p = 0
    try {
      while (this.buffer.length - p >= 4) {
        const length = u32(this.buffer, p)
        if (length < NLMSG_HDRLEN || length > this.maxLength) {
          throw new DecodeError('BAD_FRAME_LENGTH', this.consumed + p, `nlmsg_len ${length} (allowed ${NLMSG_HDRLEN}..${this.maxLength})`)
        }
        const step = this.align ? align4(length) : length
        if (this.buffer.length - p < length) break
        out.push(decodeMessage(this.buffer.subarray(p, p + length), this.consumed + p))
        p += Math.min(step, this.buffer.length - p)
      }
    } catch (error) {
      this.failure = error as DecodeError
      throw error
    }
    this.consumed += p
    this.buffer = p === this.buffer.length ? NO_BYTES : copyBytes(this.buffer, p, this.buffer.length - p)
    return out
  }
}
