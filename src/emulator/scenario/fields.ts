/**
 * Scenario values, derived from the Sandesh schema: each field of a message is written under its IDL name without
 * the message's prefix (`vifr_name` → `name`), in the form an operator writes it — MACs and addresses as text, flags
 * as names, enumerations by name, ports as numbers — and converted to the wire value, or back for `emulator save`.
 */
import {
  formatIp,
  formatMac,
  hostIntegerToIpv4,
  ipv4ToHostInteger,
  parseIp,
  parseIpv4,
  parseMac,
  swap16,
  u64FromMemoryBytes,
  u64MemoryBytes,
} from '../../lib/model/addresses.js'
import {ENUMERATIONS, FLAG_SETS} from '../../lib/model/constants.js'
import {type FieldDef, type MessageName, kindOf, schemaFor} from '../../lib/sandesh/schema.js'

export type JsonSchema = Record<string, unknown>

/** The prefix all of a message's fields share (`vifr_`), which scenario keys leave out. */
export function fieldPrefix(name: MessageName): string {
  const names = schemaFor('current').messages.get(name)!.fields.map((f) => f.name).filter((n) => n !== 'h_op')
  const first = names[0].slice(0, names[0].indexOf('_') + 1)
  return names.every((n) => n.startsWith(first)) ? first : ''
}

export function scenarioKey(name: MessageName, field: FieldDef): string {
  return field.name.slice(fieldPrefix(name).length)
}

/** Flag and enumeration names as scenarios write them: lower case, dashes (`L3_ENABLED` → `l3-enabled`). */
const friendly = (constant: string) => constant.toLowerCase().replaceAll('_', '-')

export class ValueError extends Error {}

const integer = (v: unknown, what: string): number => {
  if (typeof v === 'number' && Number.isInteger(v)) return v
  if (typeof v === 'string' && /^-?(0x[0-9a-f]+|\d+)$/i.test(v.trim())) return Number(v)
  throw new ValueError(`${what}: expected an integer, got ${JSON.stringify(v)}`)
}

function flagsFromScenario(v: unknown, set: string): number {
  if (!Array.isArray(v)) return integer(v, 'flags')
  let value = 0
  for (const item of v) {
    if (typeof item === 'number') {
      value |= item
      continue
    }
    const flag = FLAG_SETS[set].find(([, name, letters]) => friendly(name) === String(item).toLowerCase() || letters === item)
    if (!flag) throw new ValueError(`unknown flag ${JSON.stringify(item)} (one of ${FLAG_SETS[set].map(([, n]) => friendly(n)).join(', ')})`)
    value |= flag[0]
  }
  return value >>> 0
}

function enumFromScenario(v: unknown, set: string): number {
  if (typeof v !== 'string' || /^-?\d+$/.test(v)) return integer(v, 'value')
  const member = ENUMERATIONS[set].find(([, name]) => friendly(name) === v.toLowerCase() || name === v)
  if (!member) throw new ValueError(`unknown value ${JSON.stringify(v)} (one of ${ENUMERATIONS[set].map(([, n]) => friendly(n)).join(', ')})`)
  return member[0]
}

function bytesFromScenario(v: unknown, format: string | undefined): number[] {
  if (Array.isArray(v)) return v.map((b) => integer(b, 'byte') & 0xff)
  if (typeof v !== 'string') throw new ValueError(`expected text or a list of bytes, got ${JSON.stringify(v)}`)
  if (format === 'mac') {
    const macs = v.split(/[\s,]+/).filter(Boolean).map((m) => parseMac(m))
    if (macs.some((m) => !m)) throw new ValueError(`${JSON.stringify(v)} is not a MAC address (like 00:1b:21:aa:bb:01)`)
    return macs.flatMap((m) => [...m!])
  }
  if (format === 'ip') {
    const ip = parseIp(v)
    if (!ip) throw new ValueError(`${JSON.stringify(v)} is not an IP address`)
    return Array.from(ip)
  }
  if (format === 'text') return Array.from(new TextEncoder().encode(v))
  const hex = v.replace(/[\s:.-]/g, '')
  if (!/^([0-9a-f]{2})*$/i.test(hex)) throw new ValueError(`${JSON.stringify(v)} is not hex bytes`)
  return (hex.match(/../g) ?? []).map((h) => parseInt(h, 16))
}

/** The wire value of a scenario value for `field`; throws ValueError. */
export function fromScenario(field: FieldDef, v: unknown): unknown {
  const format = field.format
  const kind = kindOf(field.type)
  if (kind === 'string') {
    if (typeof v !== 'string') throw new ValueError(`expected text, got ${JSON.stringify(v)}`)
    return v
  }
  if (kind === 'bytes') return bytesFromScenario(v, format)
  if (kind === 'list') {
    if (!Array.isArray(v)) throw new ValueError(`expected a list, got ${JSON.stringify(v)}`)
    return v.map((e) => (field.type === 'list<i64>' || field.type === 'list<u64>' ? int64Value(e) : integer(e, 'element')))
  }
  if (format && FLAG_SETS[format]) return flagsFromScenario(v, format)
  if (format && ENUMERATIONS[format]) return enumFromScenario(v, format)
  if (format === 'ipv4h' && typeof v === 'string') {
    const ip = parseIpv4(v)
    if (!ip) throw new ValueError(`${JSON.stringify(v)} is not an IPv4 address`)
    return ipv4ToHostInteger(ip)
  }
  if (format === 'port') return swap16(integer(v, 'port'))
  if (format === 'addr64' && typeof v === 'string') {
    const bytes = bytesFromScenario(v, undefined)
    if (bytes.length !== 8) throw new ValueError(`${JSON.stringify(v)}: expected 8 address bytes (like fd00:0010:0001:0001)`)
    return u64FromMemoryBytes(bytes)
  }
  if (field.type === 'i64' || field.type === 'u64') return int64Value(v)
  return integer(v, 'value')
}

function int64Value(v: unknown): number | bigint {
  if (typeof v === 'bigint') return v
  if (typeof v === 'string' && /^\d{16,}$/.test(v.trim())) {
    const b = BigInt(v.trim())
    return b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b
  }
  return integer(v, 'value')
}

/** The scenario form of a wire value (for `emulator save`): the inverse of fromScenario. */
export function toScenario(field: FieldDef, v: unknown): unknown {
  const format = field.format
  if (kindOf(field.type) === 'bytes') {
    const bytes = v as number[]
    if (format === 'mac' && bytes.length % 6 === 0) return Array.from({length: bytes.length / 6}, (_, i) => formatMac(bytes.slice(6 * i, 6 * i + 6))).join(' ')
    if (format === 'ip' && (bytes.length === 4 || bytes.length === 16)) return formatIp(bytes)
    if (format === 'text') return new TextDecoder().decode(Uint8Array.from(bytes))
    return bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ')
  }
  if (typeof v === 'bigint') return v.toString()
  if (typeof v !== 'number') return v
  if (format && FLAG_SETS[format]) {
    let rest = v >>> 0
    const names: (string | number)[] = []
    for (const [bit, name] of FLAG_SETS[format]) {
      if (rest & bit) {
        names.push(friendly(name))
        rest = (rest & ~bit) >>> 0
      }
    }
    return rest ? [...names, rest] : names
  }
  if (format && ENUMERATIONS[format]) {
    const member = ENUMERATIONS[format].find(([value]) => value === v)
    return member ? friendly(member[1]) : v
  }
  if (format === 'ipv4h') return hostIntegerToIpv4(v)
  if (format === 'port') return swap16(v)
  if (format === 'addr64') return Array.from(u64MemoryBytes(v), (b) => b.toString(16).padStart(2, '0')).join(' ')
  return v
}

/** JSON Schema of one field's scenario value. */
export function fieldSchema(field: FieldDef): JsonSchema {
  const format = field.format
  const kind = kindOf(field.type)
  const int = {type: 'integer'}
  const intOrText = {oneOf: [int, {type: 'string', pattern: '^-?(0x[0-9a-fA-F]+|[0-9]+)$'}]}
  if (kind === 'string') return {type: 'string'}
  if (kind === 'bytes') {
    const text = format === 'mac' ? 'MAC address(es), like 00:1b:21:aa:bb:01' : format === 'ip' ? 'IP address' : format === 'text' ? 'text' : 'hex bytes'
    return {oneOf: [{type: 'string', description: text}, {type: 'array', items: {type: 'integer', minimum: 0, maximum: 255}}]}
  }
  if (kind === 'list') return {type: 'array', items: field.type.includes('64') ? intOrText : int}
  if (format && FLAG_SETS[format]) {
    const names = FLAG_SETS[format].flatMap(([, name, letters]) => [friendly(name), ...(letters ? [letters] : [])])
    return {oneOf: [int, {type: 'array', items: {oneOf: [{enum: names}, int]}}]}
  }
  if (format && ENUMERATIONS[format]) return {oneOf: [int, {enum: ENUMERATIONS[format].map(([, name]) => friendly(name))}]}
  if (format === 'ipv4h') return {oneOf: [int, {type: 'string', description: 'IPv4 address'}]}
  if (format === 'addr64') return {oneOf: [int, {type: 'string', description: '8 address bytes in hex'}]}
  if (field.type === 'i64' || field.type === 'u64') return intOrText
  return intOrText
}
