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

function view(u8: Uint8Array): DataView {
  return new DataView(u8.buffer, u8.byteOffset, u8.byteLength)
}

/**
 * Decodes one complete message (`u8` holds exactly nlmsg_len bytes, or more after it). `base` is the offset of u8
 * in the caller's input, for error offsets.
 */
export function decodeMessage(u8: Uint8Array, base = 0): NetlinkMessage {
  if (u8.length < NLMSG_HDRLEN) throw new DecodeError('TRUNCATED', base, `a netlink header needs ${NLMSG_HDRLEN} bytes, got ${u8.length}`)
  const dv = view(u8)
  const length = dv.getUint32(0, true)
  if (length < NLMSG_HDRLEN) throw new DecodeError('BAD_FRAME_LENGTH', base, `nlmsg_len ${length} is shorter than the header`)
  if (length > u8.length) throw new DecodeError('TRUNCATED', base, `nlmsg_len ${length} but only ${u8.length} bytes`)
  const header: NetlinkHeader = {type: dv.getUint16(4, true), flags: dv.getUint16(6, true), seq: dv.getUint32(8, true), pid: dv.getUint32(12, true)}
  if (header.type === NLMSG_DONE) return {kind: 'done', ...header}
  if (header.type === NLMSG_ERROR) {
    if (length < NLMSG_HDRLEN + 4) throw new DecodeError('TRUNCATED', base + NLMSG_HDRLEN, 'an NLMSG_ERROR needs its error code')
    return {kind: 'error', ...header, error: dv.getInt32(16, true), body: copyBytes(u8, 20, length - 20)}
  }
  if (length < NLMSG_HDRLEN + GENL_HDRLEN) throw new DecodeError('BAD_FRAME_LENGTH', base, `nlmsg_len ${length} leaves no room for the genl header`)
  const genl = {cmd: u8[16], version: u8[17]}
  if (header.type === GENL_ID_CTRL) {
    const attributes: {type: number; data: Uint8Array}[] = []
    for (let p = NLMSG_HDRLEN + GENL_HDRLEN; p + NLA_HDRLEN <= length; ) {
      const nlaLength = dv.getUint16(p, true)
      if (nlaLength < NLA_HDRLEN || p + nlaLength > length) throw new DecodeError('BAD_ATTRIBUTE', base + p, `nla_len ${nlaLength}`)
      attributes.push({type: dv.getUint16(p + 2, true), data: copyBytes(u8, p + NLA_HDRLEN, nlaLength - NLA_HDRLEN)})
      p += align4(nlaLength)
    }
    return {kind: 'control', ...header, ...genl, attributes}
  }
  if (length < ENVELOPE_LENGTH) throw new DecodeError('BAD_FRAME_LENGTH', base, `nlmsg_len ${length} leaves no room for the attribute header`)
  const nlaLength = dv.getUint16(20, true)
  const body = length - ENVELOPE_LENGTH
  let payloadLength: number
  let nlaLengthStyle: NlaLengthStyle
  // A dp reply's nla_len never exceeds the bytes after the attribute header; one that counts the header always does
  // unless it is a request (requests are never padded).
  if (header.flags & NLM_F_REQUEST || nlaLength > body) {
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
    ...header,
    ...genl,
    reserved: dv.getUint16(18, true),
    nlaType: dv.getUint16(22, true),
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
      view(out).setInt32(16, msg.error, true)
      out.set(msg.body, 20)
      break
    case 'control': {
      const size = msg.attributes.reduce((n, a) => n + align4(NLA_HDRLEN + a.data.length), NLMSG_HDRLEN + GENL_HDRLEN)
      out = allocBytes(size)
      out[16] = msg.cmd
      out[17] = msg.version
      let p = NLMSG_HDRLEN + GENL_HDRLEN
      for (const a of msg.attributes) {
        view(out).setUint16(p, NLA_HDRLEN + a.data.length, true)
        view(out).setUint16(p + 2, a.type, true)
        out.set(a.data, p + NLA_HDRLEN)
        p += align4(NLA_HDRLEN + a.data.length)
      }
      break
    }
    case 'sandesh': {
      out = allocBytes(ENVELOPE_LENGTH + msg.payload.length + msg.padding.length)
      const dv = view(out)
      out[16] = msg.cmd
      out[17] = msg.version
      dv.setUint16(18, msg.reserved, true)
      dv.setUint16(20, msg.payload.length + (msg.nlaLengthStyle === 'with-header' ? NLA_HDRLEN : 0), true)
      dv.setUint16(22, msg.nlaType, true)
      out.set(msg.payload, ENVELOPE_LENGTH)
      out.set(msg.padding, ENVELOPE_LENGTH + msg.payload.length)
      break
    }
  }
  const dv = view(out)
  dv.setUint32(0, out.length, true)
  dv.setUint16(4, msg.type, true)
  dv.setUint16(6, msg.flags, true)
  dv.setUint32(8, msg.seq, true)
  dv.setUint32(12, msg.pid, true)
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

  /** Appends a chunk and returns the messages it completes. Throws DecodeError (offsets are stream offsets). */
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
        const length = view(this.buffer).getUint32(p, true)
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
