/**
 * Sandesh binary encoder and decoder, driven by the schema.
 *
 * For each message the schema is compiled once into straight-line JavaScript (a decoder that expects the fields in
 * IDL order with their declared types, and a sizer and writer), so a canonical object is read or written without any
 * per-field dispatch. Anything the fast decoder does not expect (fields out of order or of another type, unknown ids,
 * a length that does not fit) sends the object to the generic decoder, which follows the C reader's tolerance and
 * reports precise errors with their offsets.
 */
import {DecodeError, EncodeError} from '../errors.js'
import {
  type FieldDef,
  type MessageDef,
  type MessageFields,
  type MessageName,
  type SandeshObject,
  type Schema,
  type Variant,
  kindOf,
  scalarCode,
  scalarSize,
  schemaFor,
  wireCode,
} from './schema.js'
import {ENUMS, type Int64, type TypeName, WireType} from './types.js'

/** A field the decoder skipped: unknown to the schema, or of another type than declared. */
export interface DecodeNote {
  readonly offset: number
  readonly object: string
  readonly id: number
  readonly wireType: number
  readonly reason: 'unknown-field' | 'type-mismatch'
}

const TWO32 = 4294967296
/** Longest object name accepted (the longest real one has 20 bytes). */
const MAX_NAME_LENGTH = 256
/** How deep the generic skipper follows nested structs (the IDL has none). */
const MAX_SKIP_DEPTH = 16

const EMPTY_LIST: readonly never[] = Object.freeze([])
const EMPTY_BYTES = new Uint8Array(0)

/** The i64 at p: a number when it is a safe integer, else a bigint (so no value ever loses precision). */
function int64(dv: DataView, p: number): Int64 {
  const hi = dv.getInt32(p)
  const lo = dv.getUint32(p + 4)
  if (hi >= -0x200000 && hi < 0x200000 && !(hi === -0x200000 && lo === 0)) return hi * TWO32 + lo
  return dv.getBigInt64(p)
}

/** The u64 at p: a number when it is a safe integer, else a bigint. */
function uint64(dv: DataView, p: number): Int64 {
  const hi = dv.getUint32(p)
  if (hi < 0x200000) return hi * TWO32 + dv.getUint32(p + 4)
  return dv.getBigUint64(p)
}

function putInt64(dv: DataView, p: number, v: Int64 | undefined): void {
  if (typeof v === 'bigint') {
    dv.setBigUint64(p, v) // wraps modulo 2^64, so negative i64 values come out right too
  } else if (v === undefined) {
    dv.setUint32(p, 0)
    dv.setUint32(p + 4, 0)
  } else {
    dv.setInt32(p, Math.floor(v / TWO32))
    dv.setUint32(p + 4, v >>> 0)
  }
}

/**
 * Character codes of a short string, one reusable array per length: String.fromCharCode.apply over an array of the
 * exact length makes the string in one allocation (appending a character at a time makes one string per character,
 * and a subarray costs a typed-array view).
 */
const CHAR_CODES: number[][] = Array.from({length: 65}, (_, n) => new Array<number>(n).fill(0))

function latin1(u8: Uint8Array, start: number, length: number): string {
  if (length <= 64) {
    const codes = CHAR_CODES[length]
    for (let i = 0; i < length; i++) codes[i] = u8[start + i]
    return String.fromCharCode.apply(null, codes)
  }
  let s = ''
  for (let i = start, end = start + length; i < end; i += 4096) {
    s += String.fromCharCode.apply(null, u8.subarray(i, Math.min(end, i + 4096)) as unknown as number[])
  }
  return s
}

function putLatin1(u8: Uint8Array, p: number, s: string, object: string, field: string): void {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c > 0xff) throw new EncodeError(`${object}.${field}`, `character U+${c.toString(16).padStart(4, '0')} is not one byte`)
    u8[p + i] = c
  }
}

/**
 * Small byte arrays are carved out of shared 16 KiB slabs: allocating a fresh ArrayBuffer per received frame or
 * encoded object costs about a microsecond on Node 20, a view over a slab a few dozen nanoseconds. (Buffer's pool
 * does the same, but a Buffer is not a plain Uint8Array.) A live view keeps its slab alive, hence the small slabs.
 */
const SLAB_SIZE = 16 * 1024
const SLAB_MAX_ALLOCATION = 4096
class Slab {
  u8 = new Uint8Array(SLAB_SIZE)
  dv = new DataView(this.u8.buffer)
  used = 0

  /** Makes room for n bytes at `used` (a new slab when this one is full). */
  reserve(n: number): void {
    if (this.used + n > SLAB_SIZE) {
      this.u8 = new Uint8Array(SLAB_SIZE)
      this.dv = new DataView(this.u8.buffer)
      this.used = 0
    }
  }

  /** A view of the n bytes at `used`, which are then taken (kept 8-byte aligned). */
  take(n: number): Uint8Array {
    const view = new Uint8Array(this.u8.buffer, this.used, n)
    this.used = (this.used + n + 7) & ~7
    return view
  }
}
const slab = new Slab()

/** n zero bytes, as a standalone Uint8Array (from a slab when small). */
export function allocBytes(n: number): Uint8Array {
  if (n > SLAB_MAX_ALLOCATION) return new Uint8Array(n)
  if (n === 0) return EMPTY_BYTES
  slab.reserve(n)
  return slab.take(n)
}

/** A copy of u8[start, start + n), as a standalone Uint8Array. */
export function copyBytes(u8: Uint8Array, start: number, n: number): Uint8Array {
  if (n > SLAB_MAX_ALLOCATION) return u8.slice(start, start + n)
  if (n === 0) return EMPTY_BYTES
  slab.reserve(n)
  const out = slab.take(n)
  if (n <= 32) for (let i = 0; i < n; i++) out[i] = u8[start + i]
  else out.set(u8.subarray(start, start + n))
  return out
}

/**
 * Byte lists of 2 to 16 elements (MACs, IPv4 and IPv6 addresses, encapsulations) are made by one function per length
 * that returns an array literal: V8 allocates a literal inline, while `new Array(n)` with a variable n goes through
 * the runtime (a nexthop page took a fifth longer to decode that way).
 */
const SHORT_BYTE_LIST_MAX = 16
// eslint-disable-next-line no-new-func -- literal arrays of each length, generated like the decoders
const SHORT_BYTE_LISTS = Array.from({length: SHORT_BYTE_LIST_MAX + 1}, (_, n) =>
  new Function('u8', 'p', `return [${Array.from({length: n}, (_, i) => `u8[p + ${i}]`).join(', ')}];`),
) as ((u8: Uint8Array, p: number) => number[])[]

/** Helpers the generated code calls. */
const RUNTIME = {int64, uint64, putInt64, latin1, putLatin1, EMPTY_LIST, SHORT_BYTE_LISTS}
type Runtime = typeof RUNTIME

// ---------------------------------------------------------------------------------------------------------------
// Code generation

/** DataView getter/setter names per scalar wire code. */
const ACCESSOR: Record<number, string> = {
  [WireType.I16]: 'Int16',
  [WireType.U16]: 'Uint16',
  [WireType.I32]: 'Int32',
  [WireType.U32]: 'Uint32',
}

/**
 * The offset `base + k` in the generated decoders. Their offsets are 32-bit (`| 0`: V8 then adds without an overflow
 * check), which holds for inputs that end before COMPILED_DECODER_MAX_END.
 */
function offsetExpr(base: string, k: number): string {
  return k === 0 ? base : `((${base} + ${k}) | 0)`
}

/** Inputs ending beyond this take the generic decoder (see offsetExpr). */
const COMPILED_DECODER_MAX_END = 0x7fff0000

/** An expression reading the scalar of wire type `code` at `base + k`. */
function readScalarExpr(code: number, base: string, k = 0): string {
  const at = offsetExpr(base, k)
  switch (code) {
    case WireType.BYTE:
      return `u8[${at}]`
    // Small non-negative values (most counters) are read inline: a call per field would cost more than the read.
    case WireType.I64:
      return `(dv.getInt32(${at}) === 0 && (lo = dv.getUint32(${offsetExpr(base, k + 4)})) < 0x40000000 ? lo : H.int64(dv, ${at}))`
    case WireType.U64:
      return `(dv.getUint32(${at}) === 0 && (lo = dv.getUint32(${offsetExpr(base, k + 4)})) < 0x40000000 ? lo : H.uint64(dv, ${at}))`
    default:
      return `dv.get${ACCESSOR[code]}(${at})`
  }
}

function writeScalarStmt(code: number, at: string, value: string): string {
  switch (code) {
    case WireType.BYTE:
      return `u8[${at}] = ${value};`
    case WireType.I64:
    case WireType.U64:
      return `v64 = ${value}; if (typeof v64 === 'number') { dv.setInt32(${at}, Math.floor(v64 / ${TWO32})); dv.setUint32(${at} + 4, v64 >>> 0); } else H.putInt64(dv, ${at}, v64);`
    default:
      return `dv.set${ACCESSOR[code]}(${at}, ${value});`
  }
}

/**
 * A test that is true when the field header at `at` is not the expected one, as one 32-bit read (type and id are the
 * first three bytes; a list's element type is the fourth). Every field has at least 4 bytes, so the read stays
 * within the bounds checked before it.
 */
function headerMismatch(f: FieldDef, at: string): string {
  return isListOnWire(f) ? `dv.getUint32(${at}) !== ${headerWord(f)}` : `dv.getUint32(${at}) >>> 8 !== ${headerWord(f) >>> 8}`
}

function isListOnWire(f: FieldDef): boolean {
  return kindOf(f.wire) === 'bytes' || kindOf(f.wire) === 'list'
}

/**
 * The field header as the big-endian word at its offset: type, id, and a list's element type (else 0). Writing it in
 * one store and the value after it costs a third of three byte stores; every field has a fourth byte to cover.
 */
function headerWord(f: FieldDef): number {
  return (wireCode(f.wire) * 0x1000000 + (f.id & 0xffff) * 0x100 + (isListOnWire(f) ? scalarCode(f.wire) : 0)) >>> 0
}

function headerWrite(f: FieldDef, at: string): string {
  return `dv.setUint32(${at}, ${headerWord(f)});`
}

/** Fixed encoded size of a field (header included), or undefined when it has a variable part. */
function fixedSize(f: FieldDef): number | undefined {
  return kindOf(f.wire) === 'scalar' ? 3 + scalarSize(scalarCode(f.wire)) : undefined
}

function defaultExpr(type: TypeName): string {
  switch (kindOf(type)) {
    case 'string':
      return "''"
    case 'bytes':
    case 'list':
      return 'H.EMPTY_LIST'
    default:
      return '0'
  }
}

/** Groups consecutive fixed-size fields so that one bounds check covers a run. */
function runsOf(fields: readonly FieldDef[]): FieldDef[][] {
  const runs: FieldDef[][] = []
  for (const f of fields) {
    const last = runs.at(-1)
    if (fixedSize(f) !== undefined && last && fixedSize(last[0]) !== undefined) last.push(f)
    else runs.push([f])
  }
  return runs
}

/** The fewest bytes a run of runsOf() takes: its fixed size, or a string's or list's header and length. */
function minimumSize(run: readonly FieldDef[]): number {
  if (fixedSize(run[0]) === undefined) return kindOf(run[0].wire) === 'string' ? 7 : 8
  return run.reduce((sum, f) => sum + fixedSize(f)!, 0)
}

/**
 * Statements that decode def's fields from offset `start` into a new object `o`, for the layout the writer produces
 * (every field in IDL order, of its declared type). Anything else runs `fail`; on success `p` is just past the stop
 * byte.
 *
 * Bounds are checked once for the smallest object, then once per string or list: its length must leave room for the
 * smallest rest of the object. So every read between those checks is known to be in bounds.
 */
function decoderBody(def: MessageDef, fail: string): string[] {
  const runs = runsOf(def.wireFields)
  let rest = runs.reduce((sum, run) => sum + minimumSize(run), 1)
  // The object is made first (from a literal of defaults, which V8 clones) and filled in: cheaper than keeping every
  // value in a local until one literal at the end. An empty list keeps its default.
  const lines: string[] = [`let p = start, n = 0, i = 0, a, lo, w;`, `const o = {${fieldDefaults(def)}};`, `if (p + ${rest} > end) ${fail}`]
  for (const run of runs) {
    rest -= minimumSize(run)
    const first = run[0]
    if (fixedSize(first) !== undefined) {
      let off = 0
      for (const f of run) {
        const code = scalarCode(f.wire)
        // A byte's value is the last byte of the header word, so one read covers both.
        const isByte = code === WireType.BYTE
        lines.push(
          isByte
            ? `if ((w = dv.getUint32(${offsetExpr('p', off)})) >>> 8 !== ${headerWord(f) >>> 8}) ${fail}`
            : `if (${headerMismatch(f, offsetExpr('p', off))}) ${fail}`,
        )
        const value = isByte ? 'w & 0xff' : readScalarExpr(code, 'p', off + 3)
        // A Windows-era scalar for a field that is a list in memory becomes a one-element list.
        lines.push(`o.${f.name} = ${kindOf(f.type) === 'list' ? `[${value}]` : value};`)
        off += fixedSize(f)!
      }
      lines.push(`p = ${offsetExpr('p', off)};`)
      continue
    }
    const f = first
    lines.push(`if (${headerMismatch(f, 'p')}) ${fail}`)
    if (kindOf(f.wire) === 'string') {
      lines.push(`n = dv.getInt32(${offsetExpr('p', 3)}); p = ${offsetExpr('p', 7)};`, `if (n < 0 || n > end - p - ${rest}) ${fail}`)
      lines.push(`if (n !== 0) { o.${f.name} = H.latin1(u8, p, n); p = (p + n) | 0; }`)
    } else {
      const elem = scalarCode(f.wire)
      const size = scalarSize(elem)
      // Byte lists too: an array of numbers costs a fraction of a typed array (40-50 ns each on Node 20).
      const short = size === 1 ? ` else if (n <= ${SHORT_BYTE_LIST_MAX}) a = H.SHORT_BYTE_LISTS[n](u8, p);` : ''
      lines.push(
        `n = dv.getInt32(${offsetExpr('p', 4)}); p = ${offsetExpr('p', 8)};`,
        `if (n !== 0) {`,
        `  if (n < 0 || n * ${size} > end - p - ${rest}) ${fail}`,
        `  if (n === 1) a = [${readScalarExpr(elem, 'p')}];${short} else { a = new Array(n); for (i = 0; i < n; i++) a[i] = ${readScalarExpr(elem, `((p + i * ${size}) | 0)`)}; }`,
        `  o.${f.name} = a; p = (p + n * ${size}) | 0;`,
        `}`,
      )
    }
  }
  lines.push(`if (u8[p] !== 0) ${fail}`, `p = ${offsetExpr('p', 1)};`)
  return lines
}

function generateDecoder(def: MessageDef): string {
  return `return function decode_${def.name}(u8, dv, start, end, st) {
${decoderBody(def, 'return null;').join('\n')}
st.pos = p;
return o;
}`
}

/**
 * A loop over consecutive objects of one message (a dump page): checks each object's name inline and decodes it (the
 * decoder inlined), so the code stays monomorphic whatever other messages the process decodes. Returns the offset
 * where it stopped: another message (at once, for an object of another name), the end, or an object the compiled
 * decoder does not expect.
 */
function generateRun(def: MessageDef): string {
  const n = def.nameBytes.length
  const dv = new DataView(def.nameBytes.buffer)
  const checks = [`dv.getInt32(at) !== ${n}`]
  for (let i = 0; i + 4 <= n; i += 4) checks.push(`dv.getUint32(${offsetExpr('at', 4 + i)}) !== ${dv.getUint32(i)}`)
  for (let i = n & ~3; i < n; i++) checks.push(`u8[${offsetExpr('at', 4 + i)}] !== ${def.nameBytes[i]}`)
  return `return function run_${def.name}(u8, dv, at, end, st) {
  for (;;) {
    if (at + ${4 + n} > end || ${checks.join(' || ')}) return at;
    const start = ${offsetExpr('at', 4 + n)};
    ${decoderBody(def, 'return at;').join('\n    ')}
    const object = {name: ${JSON.stringify(def.name)}, fields: o};
    if (st.objects === null) st.objects = [object]; else st.objects.push(object);
    at = p;
  }
}`
}

function fieldDefaults(def: MessageDef): string {
  return def.fields.map((f) => `${f.name}: ${defaultExpr(f.type)}`).join(', ')
}

function generateDefaults(def: MessageDef): string {
  return `return function defaults_${def.name}() { return {${fieldDefaults(def)}}; }`
}

function generateSizer(def: MessageDef): string {
  let constant = 4 + def.nameBytes.length + 1
  const lines: string[] = ['let n = 0, v;']
  for (const f of def.wireFields) {
    const fixed = fixedSize(f)
    if (fixed !== undefined) {
      constant += fixed
    } else if (kindOf(f.wire) === 'string') {
      constant += 7
      lines.push(`v = fields.${f.name}; if (v !== undefined) n += v.length;`)
    } else {
      constant += 8
      lines.push(`v = fields.${f.name}; if (v !== undefined) n += v.length * ${scalarSize(scalarCode(f.wire))};`)
    }
  }
  lines.push(`return n + ${constant};`)
  return `return function size_${def.name}(fields) {\n${lines.join('\n')}\n}`
}

function generateWriter(def: MessageDef): string {
  const lines: string[] = [
    'let v, n, i, v64;',
    `dv.setInt32(p, ${def.nameBytes.length}); u8.set(NAME, p + 4); p += ${4 + def.nameBytes.length};`,
  ]
  for (const run of runsOf(def.wireFields)) {
    if (fixedSize(run[0]) !== undefined) {
      let off = 0
      for (const f of run) {
        lines.push(headerWrite(f, `p + ${off}`))
        const value =
          kindOf(f.type) === 'list'
            ? `((v = fields.${f.name}) !== undefined && v.length > 0 ? v[0] : 0)`
            : `(fields.${f.name} ?? 0)`
        lines.push(writeScalarStmt(scalarCode(f.wire), `p + ${off + 3}`, value))
        off += fixedSize(f)!
      }
      lines.push(`p += ${off};`)
      continue
    }
    const f = run[0]
    lines.push(headerWrite(f, 'p'))
    const kind = kindOf(f.wire)
    if (kind === 'string') {
      lines.push(
        `v = fields.${f.name} ?? ''; n = v.length; dv.setInt32(p + 3, n); p += 7;`,
        `H.putLatin1(u8, p, v, '${def.name}', '${f.name}'); p += n;`,
      )
    } else {
      const elem = scalarCode(f.wire)
      const size = scalarSize(elem)
      lines.push(`v = fields.${f.name} ?? H.EMPTY_LIST; n = v.length; dv.setInt32(p + 4, n); p += 8;`)
      // v is any array of bytes: numbers (as decoded) or a Uint8Array.
      if (kind === 'bytes') lines.push(`if (n <= 16) for (i = 0; i < n; i++) u8[p + i] = v[i]; else u8.set(v, p); p += n;`)
      else lines.push(`for (i = 0; i < n; i++) { ${writeScalarStmt(elem, `p + i * ${size}`, 'v[i]')} }`, `p += n * ${size};`)
    }
  }
  lines.push('u8[p] = 0;', 'return p + 1;')
  return `return function write_${def.name}(u8, dv, p, fields) {\n${lines.join('\n')}\n}`
}

/**
 * Where a decoder stopped, and the objects decodePayload has made so far: null until the first, which makes the array
 * as a literal of one (an empty array's first push allocates room for 17, a fifth of decoding a route).
 */
interface DecoderState {
  pos: number
  objects: SandeshObject[] | null
}

type FastDecoder = (u8: Uint8Array, dv: DataView, start: number, end: number, st: DecoderState) => Record<string, unknown> | null
type Writer = (u8: Uint8Array, dv: DataView, p: number, fields: Record<string, unknown>) => number
type Sizer = (fields: Record<string, unknown>) => number

/** A message's generated functions; each is compiled on its first call (a tool uses a few of the 22 messages). */
interface CompiledMessage {
  readonly def: MessageDef
  /** The name's bytes as big-endian 32-bit words (the bytes after the last whole word are compared one by one). */
  readonly nameWords: readonly number[]
  decodeFast: FastDecoder
  /** Decodes consecutive objects of this message into `out` while it can; returns where it stopped. */
  run: (u8: Uint8Array, dv: DataView, p: number, end: number, st: DecoderState) => number
  defaults: () => Record<string, unknown>
  size: Sizer
  write: Writer
}

function compile<T>(source: string, name?: Uint8Array): T {
  // eslint-disable-next-line no-new-func -- the fast path is generated from the schema by design
  return new Function('H', 'NAME', source)(RUNTIME satisfies Runtime, name) as T
}

type Generated = 'decodeFast' | 'run' | 'defaults' | 'size' | 'write'

function compileMessage(def: MessageDef): CompiledMessage {
  const nameDv = new DataView(def.nameBytes.buffer)
  const c = {def, nameWords: Array.from({length: def.nameBytes.length >> 2}, (_, i) => nameDv.getUint32(4 * i))} as unknown as CompiledMessage
  const sources: Record<Generated, () => string> = {
    decodeFast: () => generateDecoder(def),
    run: () => generateRun(def),
    defaults: () => generateDefaults(def),
    size: () => generateSizer(def),
    write: () => generateWriter(def),
  }
  // A stub in each slot compiles the real function, puts it in the slot (later calls go straight to it) and calls it.
  for (const key of Object.keys(sources) as Generated[]) {
    ;(c as unknown as Record<Generated, (...args: unknown[]) => unknown>)[key] = (...args: unknown[]) => {
      const real = compile<(...a: unknown[]) => unknown>(sources[key](), key === 'write' ? def.nameBytes : undefined)
      ;(c as unknown as Record<Generated, unknown>)[key] = real
      return real(...args)
    }
  }
  return c
}

// ---------------------------------------------------------------------------------------------------------------
// Generic decoder: any field order, unknown fields, type mismatches; precise errors.

class Reader {
  readonly dv: DataView
  constructor(
    readonly u8: Uint8Array,
    readonly end: number,
  ) {
    this.dv = new DataView(u8.buffer, u8.byteOffset, u8.byteLength)
  }

  need(p: number, n: number): void {
    if (p + n > this.end) throw new DecodeError('TRUNCATED', p, `needs ${n} byte(s) at offset ${p}, input ends at ${this.end}`)
  }

  scalar(code: number, p: number): number | Int64 {
    this.need(p, scalarSize(code))
    const {dv, u8} = this
    switch (code) {
      case WireType.BYTE:
        return u8[p]
      case WireType.I16:
        return dv.getInt16(p)
      case WireType.U16:
        return dv.getUint16(p)
      case WireType.I32:
        return dv.getInt32(p)
      case WireType.U32:
        return dv.getUint32(p)
      case WireType.I64:
        return int64(dv, p)
      default:
        return uint64(dv, p)
    }
  }

  /** Reads a length (string bytes or list count) at p and checks that `count * size` bytes follow it. */
  length(p: number, size: number, what: string): number {
    this.need(p, 4)
    const n = this.dv.getInt32(p)
    if (n < 0) throw new DecodeError('BAD_LENGTH', p, `${what} length ${n}`)
    if (n * size > this.end - p - 4) {
      throw new DecodeError('LIST_TOO_LONG', p, `${what} of ${n} × ${size} byte(s) but ${this.end - p - 4} remain`)
    }
    return n
  }

  /** Position after a value of wire type `code` starting at p, without decoding it. */
  skip(code: number, p: number, depth = 0): number {
    if (depth > MAX_SKIP_DEPTH) throw new DecodeError('TOO_DEEP', p)
    const fixed = FIXED_SKIP[code]
    if (fixed !== undefined) {
      this.need(p, fixed)
      return p + fixed
    }
    switch (code) {
      case WireType.STRING:
      case WireType.XML:
        return p + 4 + this.length(p, 1, 'string')
      case WireType.IPADDR:
        this.need(p, 1)
        // One byte of address family (AF_INET = 2 on every platform), then 4 or 16 address bytes.
        this.need(p + 1, this.u8[p] === 2 ? 4 : 16)
        return p + 1 + (this.u8[p] === 2 ? 4 : 16)
      case WireType.STRUCT: {
        for (;;) {
          this.need(p, 1)
          const t = this.u8[p]
          if (t === WireType.STOP) return p + 1
          this.need(p + 1, 2)
          p = this.skip(t, p + 3, depth + 1)
        }
      }
      case WireType.LIST:
      case WireType.SET: {
        this.need(p, 5)
        const elem = this.u8[p]
        const size = FIXED_SKIP[elem]
        if (size !== undefined) return p + 5 + this.length(p + 1, size, 'list') * size
        const n = this.length(p + 1, 1, 'list')
        let q = p + 5
        for (let i = 0; i < n; i++) q = this.skip(elem, q, depth + 1)
        return q
      }
      case WireType.MAP: {
        this.need(p, 6)
        const [kt, vt] = [this.u8[p], this.u8[p + 1]]
        const n = this.length(p + 2, 1, 'map')
        let q = p + 6
        for (let i = 0; i < n; i++) q = this.skip(vt, this.skip(kt, q, depth + 1), depth + 1)
        return q
      }
      default:
        throw new DecodeError('BAD_TYPE', p - 3, `type code ${code}`)
    }
  }
}

/** Sizes of the wire types that have one. */
const FIXED_SKIP: Partial<Record<number, number>> = {
  [WireType.BOOL]: 1,
  [WireType.BYTE]: 1,
  [WireType.DOUBLE]: 8,
  [WireType.I16]: 2,
  [WireType.I32]: 4,
  [WireType.U64]: 8,
  [WireType.I64]: 8,
  [WireType.U16]: 2,
  [WireType.U32]: 4,
  [WireType.IPV4]: 4,
  [WireType.UUID]: 16,
}

function readList(r: Reader, f: FieldDef, p: number): {value: unknown; end: number} {
  const elem = scalarCode(f.wire)
  const size = scalarSize(elem)
  const n = r.length(p + 1, size, f.name)
  const start = p + 5
  const values = n === 0 ? EMPTY_LIST : Array.from({length: n}, (_, i) => r.scalar(elem, start + i * size))
  return {value: values, end: start + n * size}
}

/**
 * Reads the value of field f whose wire type code is t at p (just after the field header), converting between a
 * scalar and a one-element list where the generations disagree. Returns undefined when the value must be skipped.
 */
function readField(r: Reader, f: FieldDef, t: number, p: number): {value: unknown; end: number} | undefined {
  const declared = wireCode(f.wire)
  const elemCode = scalarCode(f.wire)
  const inMemoryList = kindOf(f.type) === 'list' || kindOf(f.type) === 'bytes'
  if (t === declared && t !== WireType.LIST) {
    if (t === WireType.STRING) {
      const n = r.length(p, 1, f.name)
      return {value: latin1(r.u8, p + 4, n), end: p + 4 + n}
    }
    const value = r.scalar(t, p)
    return {value: inMemoryList ? [value] : value, end: p + scalarSize(t)}
  }
  if (t === WireType.LIST) {
    r.need(p, 5)
    const elem = r.u8[p]
    if (declared === WireType.LIST && elem === elemCode) return readList(r, f, p)
    if (declared !== WireType.LIST && elem === declared && declared !== WireType.STRING) {
      // A list where this generation has a scalar: keep the first element.
      const {value, end} = readList(r, {...f, wire: `list<${f.wire}>` as TypeName}, p)
      const first = (value as unknown[])[0] ?? 0
      return {value: inMemoryList ? [first] : first, end}
    }
    return undefined
  }
  if (declared === WireType.LIST && t === elemCode && kindOf(f.wire) === 'list') {
    // A scalar where this generation has a list: a one-element list.
    return {value: [r.scalar(t, p)], end: p + scalarSize(t)}
  }
  return undefined
}

function decodeGeneric(
  compiled: CompiledMessage,
  r: Reader,
  start: number,
  notes: DecodeNote[] | undefined,
): {fields: Record<string, unknown>; end: number} {
  const {def} = compiled
  const fields = compiled.defaults()
  let p = start
  for (;;) {
    r.need(p, 1)
    const t = r.u8[p]
    if (t === WireType.STOP) return {fields, end: p + 1}
    r.need(p + 1, 2)
    const id = r.dv.getInt16(p + 1)
    const f = def.byId.get(id)
    const read = f === undefined ? undefined : readField(r, f, t, p + 3)
    if (read && f) {
      fields[f.name] = read.value
      p = read.end
    } else {
      notes?.push({offset: p, object: def.name, id, wireType: t, reason: f ? 'type-mismatch' : 'unknown-field'})
      p = r.skip(t, p + 3)
    }
  }
}

/** A run of bytes of an encoded object and what it is (for annotated hex). */
export interface Segment {
  readonly offset: number
  readonly length: number
  readonly label: string
}

function segmentLabel(f: FieldDef | undefined, id: number, t: number, value: unknown): string {
  if (!f) return `field ${id}, wire type ${t}: not in the schema`
  const shown =
    value === undefined
      ? 'skipped (type mismatch)'
      : f.enumName
        ? `${(ENUMS[f.enumName] as readonly string[])[value as number] ?? value}`
        : Array.isArray(value)
          ? `${value.length} element(s)`
          : typeof value === 'string'
            ? JSON.stringify(value)
            : String(value)
  return `${f.name} (${f.wire}) ${shown}`
}

/** Walks one encoded object and says what each byte run is: name, then every field (header and value). */
function segmentsOf(compiled: CompiledMessage, r: Reader, nameOffset: number, start: number): {segments: Segment[]; end: number} {
  const {def} = compiled
  const segments: Segment[] = [{offset: nameOffset, length: start - nameOffset, label: `object ${JSON.stringify(def.name)}`}]
  let p = start
  for (;;) {
    r.need(p, 1)
    const t = r.u8[p]
    if (t === WireType.STOP) {
      segments.push({offset: p, length: 1, label: 'stop'})
      return {segments, end: p + 1}
    }
    r.need(p + 1, 2)
    const id = r.dv.getInt16(p + 1)
    const f = def.byId.get(id)
    const read = f === undefined ? undefined : readField(r, f, t, p + 3)
    const end = read ? read.end : r.skip(t, p + 3)
    segments.push({offset: p, length: end - p, label: segmentLabel(f, id, t, read?.value)})
    p = end
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Public codec

export interface DecodedObject {
  readonly object: SandeshObject
  /** Offset just after the object. */
  readonly end: number
}

export class SandeshCodec {
  readonly schema: Schema
  private readonly compiled = new Map<string, CompiledMessage>()
  /** Messages by name length (an array: it is indexed once per decoded object). */
  private readonly byNameLength: (CompiledMessage[] | undefined)[] = []
  private readonly state: DecoderState = {pos: 0, objects: null}
  private lastU8: Uint8Array | undefined
  private lastDv: DataView | undefined

  constructor(schema: Schema) {
    this.schema = schema
    for (const def of schema.messages.values()) {
      const c = compileMessage(def)
      this.compiled.set(def.name, c)
      ;(this.byNameLength[def.nameBytes.length] ??= []).push(c)
    }
  }

  private view(u8: Uint8Array): DataView {
    if (u8 !== this.lastU8) {
      this.lastU8 = u8
      this.lastDv = new DataView(u8.buffer, u8.byteOffset, u8.byteLength)
    }
    return this.lastDv!
  }

  /** The message last looked up by name: encoding objects of one message skips the map. */
  private lastMessage: CompiledMessage | undefined

  private message(name: string): CompiledMessage {
    const last = this.lastMessage
    if (last !== undefined && last.def.name === name) return last
    const c = this.compiled.get(name)
    this.lastMessage = c
    if (!c) throw new EncodeError(name, `no object named ${JSON.stringify(name)} in the ${this.schema.variant} schema`)
    return c
  }

  /** The message whose name is `length` bytes at p, or a DecodeError. */
  private lookup(u8: Uint8Array, dv: DataView, p: number, length: number): CompiledMessage {
    const c = this.find(u8, dv, p, length)
    if (c) return c
    const shown = JSON.stringify(latin1(u8, p, length))
    throw new DecodeError('UNKNOWN_OBJECT', p - 4, `object ${shown} is not in the ${this.schema.variant} schema`)
  }

  /** The message whose name is the `length` bytes at p, if any (compared four bytes at a time). */
  private find(u8: Uint8Array, dv: DataView, p: number, length: number): CompiledMessage | undefined {
    const candidates = this.byNameLength[length]
    if (candidates === undefined) return undefined
    for (let k = 0; k < candidates.length; k++) {
      const c = candidates[k]
      const words = c.nameWords
      let i = 0
      while (i < words.length && dv.getUint32(p + 4 * i) === words[i]) i++
      if (i < words.length) continue
      let j = i * 4
      while (j < length && u8[p + j] === c.def.nameBytes[j]) j++
      if (j === length) return c
    }
    return undefined
  }


  /** Decodes the object at `offset` and leaves the offset after it in this.state.pos. */
  private decodeAt(u8: Uint8Array, dv: DataView, offset: number, end: number, notes: DecodeNote[] | undefined): SandeshObject {
    if (offset + 4 > end) throw new DecodeError('TRUNCATED', offset, 'an object name length needs 4 bytes')
    const length = dv.getInt32(offset)
    if (length <= 0 || length > MAX_NAME_LENGTH) throw new DecodeError('BAD_NAME_LENGTH', offset, `object name length ${length}`)
    if (offset + 4 + length > end) throw new DecodeError('TRUNCATED', offset + 4, `an object name of ${length} bytes`)
    const c = this.lookup(u8, dv, offset + 4, length)
    const start = offset + 4 + length
    const fields = (end < COMPILED_DECODER_MAX_END ? c.decodeFast(u8, dv, start, end, this.state) : null) ?? this.decodeSlow(c, u8, start, end, notes)
    return {name: c.def.name, fields} as SandeshObject
  }

  private decodeSlow(c: CompiledMessage, u8: Uint8Array, start: number, end: number, notes: DecodeNote[] | undefined): Record<string, unknown> {
    const generic = decodeGeneric(c, new Reader(u8, end), start, notes)
    this.state.pos = generic.end
    return generic.fields
  }

  /** Decodes one object at `offset`; `end` bounds it. Throws DecodeError only. */
  decodeObject(u8: Uint8Array, offset = 0, end = u8.length, notes?: DecodeNote[]): DecodedObject {
    const object = this.decodeAt(u8, this.view(u8), offset, end, notes)
    return {object, end: this.state.pos}
  }

  /** Decodes every object of a payload (objects back to back, nothing else). */
  decodePayload(u8: Uint8Array, offset = 0, end = u8.length, notes?: DecodeNote[]): SandeshObject[] {
    const dv = this.view(u8)
    const st = this.state
    st.objects = null
    for (let p = offset; p < end; ) {
      // Runs of one message go through that message's own loop (each loop of a name of this length is tried: one of
      // another name stops at once); anything they stop at is decoded one by one.
      const length = p + 4 <= end ? dv.getInt32(p) : 0
      const candidates = length > 0 && length <= MAX_NAME_LENGTH && end < COMPILED_DECODER_MAX_END ? this.byNameLength[length] : undefined
      let next = p
      if (candidates !== undefined) for (let k = 0; k < candidates.length && next === p; k++) next = candidates[k].run(u8, dv, p, end, st)
      if (next === p) {
        const object = this.decodeAt(u8, dv, p, end, notes)
        if (st.objects === null) st.objects = [object]
        else st.objects.push(object)
        p = st.pos
      } else {
        p = next
      }
    }
    const objects = st.objects ?? []
    st.objects = null
    return objects
  }

  /** What each byte run of the objects in u8[offset, end) is; offsets are u8's. Throws DecodeError. */
  segments(u8: Uint8Array, offset = 0, end = u8.length): Segment[] {
    const out: Segment[] = []
    const r = new Reader(u8, end)
    for (let p = offset; p < end; ) {
      r.need(p, 4)
      const length = r.dv.getInt32(p)
      if (length <= 0 || length > MAX_NAME_LENGTH) throw new DecodeError('BAD_NAME_LENGTH', p, `object name length ${length}`)
      r.need(p + 4, length)
      const walked = segmentsOf(this.lookup(u8, r.dv, p + 4, length), r, p, p + 4 + length)
      out.push(...walked.segments)
      p = walked.end
    }
    return out
  }

  /** A new object of message `name` with every field zero or empty but `fields` (typed: a wrong value does not compile). */
  defaults<N extends MessageName>(name: N, fields?: Partial<MessageFields<N>>): SandeshObject<N> {
    const o = {name, fields: this.message(name).defaults()} as unknown as SandeshObject<N>
    if (fields) Object.assign(o.fields, fields)
    return o
  }

  /** Exact encoded size of an object. */
  encodedSize(object: SandeshObject): number {
    return this.message(object.name).size(object.fields as unknown as Record<string, unknown>)
  }

  /** Writes an object at `offset` of `u8` (which must have room: see encodedSize); returns the end offset. */
  encodeInto(object: SandeshObject, u8: Uint8Array, offset = 0): number {
    return this.message(object.name).write(u8, this.view(u8), offset, object.fields as unknown as Record<string, unknown>)
  }

  /** Encodes objects back to back into a new buffer. Fields missing from an object are written as zero/empty. */
  encode(...objects: SandeshObject[]): Uint8Array {
    let total = 0
    for (const o of objects) total += this.message(o.name).size(o.fields as unknown as Record<string, unknown>)
    if (total > SLAB_MAX_ALLOCATION) {
      const out = new Uint8Array(total)
      let p = 0
      for (const o of objects) p = this.encodeInto(o, out, p)
      return out
    }
    slab.reserve(total)
    let p = slab.used
    for (const o of objects) p = this.message(o.name).write(slab.u8, slab.dv, p, o.fields as unknown as Record<string, unknown>)
    return slab.take(total)
  }
}

const CODECS = new Map<Variant, SandeshCodec>()

/** The codec of a generation (compiled once, on first use). */
export function codecFor(variant: Variant = 'current'): SandeshCodec {
  let codec = CODECS.get(variant)
  if (!codec) {
    codec = new SandeshCodec(schemaFor(variant))
    CODECS.set(variant, codec)
  }
  return codec
}

