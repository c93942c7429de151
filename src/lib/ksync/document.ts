/**
 * What `ksync decode` and `ksync encode` work on: a capture of ksync traffic — netlink-framed messages of one
 * flavour, or a bare Sandesh payload — decoded down to its objects, with a JSON form that encodes back to the
 * same bytes.
 */
import {DecodeError, EncodeError} from '../errors.js'
import {type DecodeNote, codecFor} from '../sandesh/codec.js'
import {type JsonValue, objectFromJson, objectToJson} from '../sandesh/json.js'
import {type SandeshObject, type Variant, VARIANTS, schemaFor} from '../sandesh/schema.js'
import {
  FLAVOURS,
  type Flavour,
  FrameParser,
  type NetlinkMessage,
  NLM_F_REQUEST,
  type SandeshMessage,
  defaultMaxMessageLength,
  encodeMessage,
  guessFlavour,
} from './frame.js'

export interface DecodedFrame {
  /** Offset of the message in the input. */
  readonly offset: number
  readonly message: NetlinkMessage
  /** A request (NLM_F_REQUEST, sent by a client) or a reply (sent by the forwarding plane). */
  readonly direction: 'request' | 'reply'
  /** Objects of a Sandesh message's payload (empty for other kinds). */
  readonly objects: readonly SandeshObject[]
  readonly notes: readonly DecodeNote[]
}

export type KsyncDocument =
  | {readonly form: 'frames'; readonly flavour: Flavour; readonly variant: Variant; readonly frames: readonly DecodedFrame[]}
  | {readonly form: 'payload'; readonly variant: Variant; readonly objects: readonly SandeshObject[]; readonly notes: readonly DecodeNote[]}

export interface DecodeOptions {
  /** Framing flavour; detected from the first message's family id when left out. */
  readonly flavour?: Flavour
  readonly variant?: Variant
  /** Whether the input is framed messages or a bare payload; detected when left out. */
  readonly form?: 'frames' | 'payload'
}

/** A bare payload starts with a plausible object name: a small big-endian length, then "vr" or "vrouter". */
function looksLikePayload(bytes: Uint8Array): boolean {
  if (bytes.length < 6) return false
  const length = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0
  return length > 0 && length <= 64 && bytes[4] === 0x76 && bytes[5] === 0x72
}

/** Decodes a capture; throws DecodeError (offsets from the start of `bytes`). */
export function decodeKsync(bytes: Uint8Array, options: DecodeOptions = {}): KsyncDocument {
  const variant = options.variant ?? 'current'
  const codec = codecFor(variant)
  const form = options.form ?? (looksLikePayload(bytes) ? 'payload' : 'frames')
  if (form === 'payload') {
    const notes: DecodeNote[] = []
    return {form, variant, objects: codec.decodePayload(bytes, 0, bytes.length, notes), notes}
  }
  if (bytes.length < 16) throw new DecodeError('TRUNCATED', 0, `a netlink message needs at least 16 bytes, got ${bytes.length}`)
  const flavour = options.flavour ?? guessFlavour(bytes[4] | (bytes[5] << 8))
  const parser = new FrameParser({maxMessageLength: defaultMaxMessageLength(flavour), align: flavour === 'linux'})
  const messages = parser.push(bytes)
  if (parser.pendingBytes > 0) {
    throw new DecodeError('TRUNCATED', parser.offset, `${parser.pendingBytes} byte(s) left that are not a whole message`)
  }
  let offset = 0
  const frames = messages.map((message): DecodedFrame => {
    const at = offset
    offset += encodedLength(bytes, at, flavour)
    const direction = directionOf(message)
    if (message.kind !== 'sandesh') return {offset: at, message, direction, objects: [], notes: []}
    const notes: DecodeNote[] = []
    try {
      return {offset: at, message, direction, objects: codec.decodePayload(message.payload, 0, message.payload.length, notes), notes}
    } catch (error) {
      throw error instanceof DecodeError ? error.rebase(at + 24) : error
    }
  })
  return {form, flavour, variant, frames}
}

/** Length a message took in the input (its nlmsg_len, aligned where the flavour aligns). */
function encodedLength(bytes: Uint8Array, at: number, flavour: Flavour): number {
  const length = (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0
  return flavour === 'linux' ? Math.min((length + 3) & ~3, bytes.length - at) : length
}

function directionOf(message: NetlinkMessage): 'request' | 'reply' {
  return message.flags & NLM_F_REQUEST ? 'request' : 'reply'
}

// ---------------------------------------------------------------------------------------------------------------
// JSON form

function bytesToJson(u8: Uint8Array): number[] {
  return Array.from(u8)
}

function frameToJson(frame: DecodedFrame): JsonValue {
  const m = frame.message
  const header = {kind: m.kind, type: m.type, flags: m.flags, seq: m.seq, pid: m.pid}
  switch (m.kind) {
    case 'done':
      return header
    case 'error':
      return {...header, error: m.error, body: bytesToJson(m.body)}
    case 'control':
      return {...header, cmd: m.cmd, version: m.version, attributes: m.attributes.map((a) => ({type: a.type, data: bytesToJson(a.data)}))}
    case 'sandesh':
      return {
        ...header,
        cmd: m.cmd,
        version: m.version,
        reserved: m.reserved,
        nla_type: m.nlaType,
        nla_len: m.nlaLengthStyle,
        padding: bytesToJson(m.padding),
        objects: frame.objects.map((o) => objectToJson(o) as unknown as JsonValue),
      }
  }
}

export function documentToJson(doc: KsyncDocument): JsonValue {
  if (doc.form === 'payload') return {variant: doc.variant, objects: doc.objects.map((o) => objectToJson(o) as unknown as JsonValue)}
  return {flavour: doc.flavour, variant: doc.variant, messages: doc.frames.map(frameToJson)}
}

function record(path: string, v: unknown): Record<string, JsonValue> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new EncodeError(path, 'expected an object')
  return v as Record<string, JsonValue>
}

function uint(path: string, v: JsonValue | undefined, bits: 8 | 16 | 32, fallback?: number): number {
  if (v === undefined && fallback !== undefined) return fallback
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= 2 ** bits) {
    throw new EncodeError(path, `expected an integer 0..${2 ** bits - 1}, got ${JSON.stringify(v)}`)
  }
  return v
}

function bytesFromJson(path: string, v: JsonValue | undefined): Uint8Array {
  if (v === undefined) return new Uint8Array(0)
  if (!Array.isArray(v)) throw new EncodeError(path, 'expected an array of bytes')
  return Uint8Array.from(v, (e, i) => uint(`${path}[${i}]`, e, 8))
}

function oneOf<T extends string>(path: string, v: JsonValue | undefined, allowed: readonly T[], fallback: T): T {
  if (v === undefined) return fallback
  if (typeof v !== 'string' || !allowed.includes(v as T)) throw new EncodeError(path, `expected one of ${allowed.join(', ')}`)
  return v as T
}

function objectsFromJson(path: string, v: JsonValue | undefined, variant: Variant): SandeshObject[] {
  if (!Array.isArray(v)) throw new EncodeError(path, 'expected an array of objects')
  return v.map((o, i) => objectFromJson(o, `${path}[${i}]`, schemaFor(variant)))
}

function messageFromJson(path: string, value: JsonValue, variant: Variant): {message: NetlinkMessage; objects: SandeshObject[]} {
  const v = record(path, value)
  const kind = oneOf(`${path}.kind`, v.kind, ['sandesh', 'done', 'error', 'control'] as const, 'sandesh')
  const header = {
    type: uint(`${path}.type`, v.type, 16),
    flags: uint(`${path}.flags`, v.flags, 16, 0),
    seq: uint(`${path}.seq`, v.seq, 32, 0),
    pid: uint(`${path}.pid`, v.pid, 32, 0),
  }
  switch (kind) {
    case 'done':
      return {message: {kind, ...header}, objects: []}
    case 'error': {
      const error = v.error
      if (typeof error !== 'number' || !Number.isInteger(error)) throw new EncodeError(`${path}.error`, 'expected an integer')
      return {message: {kind, ...header, error, body: bytesFromJson(`${path}.body`, v.body)}, objects: []}
    }
    case 'control': {
      const attributes = Array.isArray(v.attributes) ? v.attributes : []
      return {
        message: {
          kind,
          ...header,
          cmd: uint(`${path}.cmd`, v.cmd, 8),
          version: uint(`${path}.version`, v.version, 8, 0),
          attributes: attributes.map((a, i) => {
            const r = record(`${path}.attributes[${i}]`, a)
            return {type: uint(`${path}.attributes[${i}].type`, r.type, 16), data: bytesFromJson(`${path}.attributes[${i}].data`, r.data)}
          }),
        },
        objects: [],
      }
    }
    case 'sandesh': {
      const objects = objectsFromJson(`${path}.objects`, v.objects, variant)
      const message: SandeshMessage = {
        kind,
        ...header,
        cmd: uint(`${path}.cmd`, v.cmd, 8, 1),
        version: uint(`${path}.version`, v.version, 8, 0),
        reserved: uint(`${path}.reserved`, v.reserved, 16, 0),
        nlaType: uint(`${path}.nla_type`, v.nla_type, 16, 1),
        nlaLengthStyle: oneOf(`${path}.nla_len`, v.nla_len, ['with-header', 'payload-only'] as const, header.flags & NLM_F_REQUEST ? 'with-header' : 'payload-only'),
        payload: codecFor(variant).encode(...objects),
        padding: bytesFromJson(`${path}.padding`, v.padding),
      }
      return {message, objects}
    }
  }
}

/** A document from its JSON form (as documentToJson writes it); throws EncodeError naming the bad spot. */
export function documentFromJson(value: JsonValue): KsyncDocument {
  const v = record('$', value)
  const variant = oneOf('$.variant', v.variant, VARIANTS, 'current')
  if (v.messages === undefined) {
    return {form: 'payload', variant, objects: objectsFromJson('$.objects', v.objects, variant), notes: []}
  }
  if (!Array.isArray(v.messages)) throw new EncodeError('$.messages', 'expected an array of messages')
  const flavour = oneOf('$.flavour', v.flavour, FLAVOURS, 'dpdk')
  let offset = 0
  const frames = v.messages.map((m, i) => {
    const {message, objects} = messageFromJson(`$.messages[${i}]`, m, variant)
    const frame: DecodedFrame = {offset, message, direction: directionOf(message), objects, notes: []}
    offset += encodeMessage(message).length
    return frame
  })
  return {form: 'frames', flavour, variant, frames}
}

/** The bytes of a document: each message (or the payload) as one chunk. */
export function encodeDocument(doc: KsyncDocument): Uint8Array[] {
  if (doc.form === 'payload') return [codecFor(doc.variant).encode(...doc.objects)]
  return doc.frames.map((f) => encodeMessage(f.message))
}
