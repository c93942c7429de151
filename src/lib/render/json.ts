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

/** An object shape described once, written two ways: as an object, and straight to JSON text for long listings. */
export interface JsonShape<T> {
  object(item: T, index: number): Record<string, unknown>
  /** The same as JSON.stringify(object(item, index)), several times faster over many items. */
  text(item: T, index: number): string
}

/** Strings JSON writes as they are between quotes: printable ASCII without a quote or a backslash. */
const PLAIN = /^[ !#-[\]-~]*$/

function encodeValue(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null'
  if (typeof value === 'string') return PLAIN.test(value) ? `"${value}"` : JSON.stringify(value)
  if (value === null) return 'null'
  return JSON.stringify(value)
}

export function jsonShape<T>(members: readonly JsonMember<T>[]): JsonShape<T> {
  return {
    object(item, index) {
      const object: Record<string, unknown> = {}
      for (const m of members) object[m.key] = m.value(item, index)
      return object
    },
    text: compileText(members),
  }
}

/**
 * The text writer of a shape, generated as one function with its own call sites per member, so that each site sees
 * one function and inlines it (a loop over the members would call them all through one site). A member with `by`
 * keeps its text per value of `by` in a map of its own.
 */
function compileText<T>(members: readonly JsonMember<T>[]): (item: T, index: number) => string {
  const body = members
    .map((m, i) => {
      const key = JSON.stringify(JSON.stringify(m.key))
      const encode = m.by
        ? `k = b${i}(item, index); t = c${i}.get(k); if (t === undefined && !c${i}.has(k)) c${i}.set(k, (t = encode(v${i}(item, index))));`
        : `t = encode(v${i}(item, index));`
      // JSON.stringify leaves out members whose value is undefined (or a function).
      return `${encode} if (t !== undefined) out += (out === '' ? '{' : ',') + ${key} + ':' + t;`
    })
    .join('\n')
  const parameters = members.flatMap((_, i) => [`v${i}`, `b${i}`, `c${i}`])
  const values = members.flatMap((m) => [m.value, m.by, m.by ? new Map<number, string | undefined>() : undefined])
  const factory = new Function('encode', ...parameters, `return function text(item, index) { let out = ''; let t; let k;\n${body}\nreturn out === '' ? '{}' : out + '}' }`)
  return factory(encodeValue, ...values) as (item: T, index: number) => string
}
