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
