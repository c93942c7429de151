/**
 * JSON text for people and scripts alike: indented objects, but arrays of plain values (bytes, ids, counters) on
 * one line, so a MAC address or a list of labels stays readable. bigint values are written as decimal strings.
 */
export function stringifyJson(value: unknown, indent = ''): string {
  if (typeof value === 'bigint') return JSON.stringify(value.toString())
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) return `[${value.map((v) => stringifyJson(v)).join(', ')}]`
    const inner = indent + '  '
    return `[\n${value.map((v) => inner + stringifyJson(v, inner)).join(',\n')}\n${indent}]`
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined)
    if (entries.length === 0) return '{}'
    const inner = indent + '  '
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${stringifyJson(v, inner)}`).join(',\n')}\n${indent}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/** A JSON array written as its elements come (so that a dump of millions of objects needs no memory for them). */
export class JsonArrayWriter {
  private count = 0

  constructor(private readonly write: (text: string) => void) {}

  push(value: unknown): void {
    this.write(`${this.count++ === 0 ? '[\n' : ',\n'}  ${stringifyJson(value, '  ')}`)
  }

  end(): void {
    this.write(this.count === 0 ? '[]\n' : '\n]\n')
  }
}

/** One line of NDJSON (bigint values as decimal strings). */
export function ndjsonLine(value: unknown): string {
  return `${JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}\n`
}

/**
 * One member of a JSON object of a fixed shape: its key, its value, and, when the value depends only on a number of
 * small range (a flags word, an enumeration), that number — the member's text is then encoded once per number.
 */
export interface JsonMember<T> {
  readonly key: string
  readonly value: (item: T, index: number) => unknown
  readonly by?: (item: T, index: number) => number
}

/** An object shape described once, written two ways: as an object, and straight to JSON bytes for long listings. */
export interface JsonShape<T> {
  object(item: T, index: number): Record<string, unknown>
  /** Appends the UTF-8 bytes of JSON.stringify(object(item, index)) to `out`, several times faster over many items. */
  write(item: T, index: number, out: JsonBytes): void
}

/**
 * JSON text gathered as UTF-8 bytes in one growing buffer and handed over in chunks: a listing of hundreds of
 * thousands of objects built as strings costs a rope per member, and their garbage, then a flattening and an
 * encoding per chunk written; bytes cost none of that.
 */
export class JsonBytes {
  /** Not zero-filled: only the bytes written (below `length`) are ever handed over. */
  bytes: Uint8Array
  length = 0

  constructor(private readonly size = 1 << 17) {
    this.bytes = Buffer.allocUnsafe(size)
  }

  /** Makes room for `n` more bytes; returns the buffer (a new one when it had to grow). */
  room(n: number): Uint8Array {
    if (this.length + n > this.bytes.length) {
      const bigger = Buffer.allocUnsafe(Math.max(2 * this.bytes.length, this.length + n))
      // All of it: a writer's bytes past `length` are not counted until it is done.
      bigger.set(this.bytes)
      this.bytes = bigger
    }
    return this.bytes
  }

  /** Appends `text` (any string, written as UTF-8). */
  text(text: string): void {
    this.length = putText(this, this.length, text)
  }

  /** The bytes so far; a fresh buffer takes their place, so the caller may keep them (for a pending write). */
  take(): Uint8Array {
    const done = this.bytes.subarray(0, this.length)
    this.bytes = Buffer.allocUnsafe(this.size)
    this.length = 0
    return done
  }
}

const utf8 = new TextEncoder()

/** Writes `text` as UTF-8 at `at`, growing the buffer as needed; returns the end. */
function putText(out: JsonBytes, at: number, text: string): number {
  const b = out.room(at - out.length + 3 * text.length)
  let p = at
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c >= 0x80) return p + utf8.encodeInto(text.slice(i), b.subarray(p)).written
    b[p++] = c
  }
  return p
}

/** Writes a value's JSON at `at` (never undefined: the caller leaves those out); returns the end. */
function putValue(out: JsonBytes, at: number, value: unknown): number {
  if (typeof value === 'string') {
    // Printable ASCII without a quote or a backslash is written as it is between quotes; else JSON.stringify's.
    const b = out.room(at - out.length + value.length + 2)
    b[at] = 34
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i)
      if (c < 0x20 || c > 0x7e || c === 34 || c === 92) return putText(out, at, JSON.stringify(value))
      b[at + 1 + i] = c
    }
    b[at + 1 + value.length] = 34
    return at + 2 + value.length
  }
  if (typeof value === 'number') return putText(out, at, Number.isFinite(value) ? String(value) : 'null')
  return putText(out, at, value === null ? 'null' : JSON.stringify(value))
}

/** Writes a whole number of int32 range at `at` (room for 11 bytes is there); returns the end. */
function putInt(b: Uint8Array, at: number, value: number): number {
  // Most members of a listing are small numbers: one or two digits without a loop.
  if (value >= 0 && value < 100) {
    if (value < 10) {
      b[at] = 48 + value
      return at + 1
    }
    const tens = (value / 10) | 0
    b[at] = 48 + tens
    b[at + 1] = 48 + value - 10 * tens
    return at + 2
  }
  let p = at
  let v = value
  if (v < 0) {
    b[p++] = 45
    v = -v
  }
  let digits = 1
  for (let x = v; x >= 10; x = (x / 10) | 0) digits++
  for (let i = p + digits - 1; i >= p; i--) {
    const rest = (v / 10) | 0
    b[i] = 48 + v - 10 * rest
    v = rest
  }
  return p + digits
}

/** Copies cached bytes at `at`; returns the end. */
function putBytes(out: JsonBytes, at: number, bytes: Uint8Array): number {
  const b = out.room(at - out.length + bytes.length)
  for (let i = 0; i < bytes.length; i++) b[at + i] = bytes[i]
  return at + bytes.length
}

/** The JSON bytes of one value, or null for a value JSON.stringify leaves out (kept per value of a member's `by`). */
function encodedValue(value: unknown): Uint8Array | null {
  const text = JSON.stringify(value) as string | undefined
  return text === undefined ? null : utf8.encode(text)
}

export function jsonShape<T>(members: readonly JsonMember<T>[]): JsonShape<T> {
  return {
    object(item, index) {
      const object: Record<string, unknown> = {}
      for (const m of members) object[m.key] = m.value(item, index)
      return object
    },
    write: compileWriter(members),
  }
}

/**
 * The byte writer of a shape, generated as one function with its own call sites per member, so that each site sees
 * one function and inlines it (a loop over the members would call them all through one site). Each member's key is
 * stored as constant bytes; a whole number of int32 range is written digit by digit, anything else through
 * putValue; a member with `by` keeps its value's bytes per value of `by` in a map of its own.
 */
function compileWriter<T>(members: readonly JsonMember<T>[]): (item: T, index: number, out: JsonBytes) => void {
  const keys = members.map((m) => utf8.encode(`${JSON.stringify(m.key)}:`))
  // Room for every key, a comma and a number of 11 digits each, and the braces.
  const fixed = keys.reduce((sum, key) => sum + key.length + 12, 2)
  const body = members
    .map((m, i) => {
      const key = keys[i]
      // JSON.stringify separates members by commas and leaves out those whose value is undefined (or a function).
      const head = `if (n++ !== 0) b[p++] = 44; ${[...key].map((c, j) => `b[p + ${j}] = ${c};`).join(' ')} p += ${key.length};`
      if (m.by) {
        return `k = b${i}(item, index); c = c${i}.get(k); if (c === undefined) c${i}.set(k, (c = encoded(v${i}(item, index))));
if (c !== null) { ${head} p = putBytes(out, p, c); b = out.room(p - out.length + ${fixed}); }`
      }
      return `t = v${i}(item, index);
if (typeof t === 'number' && (t | 0) === t) { ${head} p = putInt(b, p, t); }
else if (t === null) { ${head} b[p] = 110; b[p + 1] = 117; b[p + 2] = 108; b[p + 3] = 108; p += 4; }
else if (t !== undefined && typeof t !== 'function' && typeof t !== 'symbol') { ${head} p = putValue(out, p, t); b = out.room(p - out.length + ${fixed}); }`
    })
    .join('\n')
  const parameters = members.flatMap((_, i) => [`v${i}`, `b${i}`, `c${i}`])
  const values = members.flatMap((m) => [m.value, m.by, m.by ? new Map<number, Uint8Array | null>() : undefined])
  const source = `return function write(item, index, out) {
let b = out.room(${fixed}); let p = out.length; let n = 0; let t; let k; let c;
b[p++] = 123;
${body}
out.room(p - out.length + 1)[p++] = 125;
out.length = p;
}`
  const factory = new Function('putInt', 'putValue', 'putBytes', 'encoded', ...parameters, source)
  return factory(putInt, putValue, putBytes, encodedValue, ...values) as (item: T, index: number, out: JsonBytes) => void
}
