/**
 * Legible text of decoded ksync traffic (`ksync decode`): each message's envelope, then each object with every
 * field by name, enumerations and flags named, addresses as addresses. Pure: document in, lines out.
 */
import {STRERROR, errnoName} from '../errors.js'
import type {DecodedFrame, KsyncDocument} from '../ksync/document.js'
import {formatIp, formatMac, hostIntegerToIpv4, swap16, u64MemoryBytes} from '../model/addresses.js'
import {ENUMERATIONS, FLAG_SETS, NETLINK_FLAGS, enumName, flagNames} from '../model/constants.js'
import type {DecodeNote} from '../sandesh/codec.js'
import {type FieldDef, type SandeshObject, kindOf, schemaFor} from '../sandesh/schema.js'
import {DUMP_INCOMPLETE, ENUMS, type Int64} from '../sandesh/types.js'

export interface RenderOptions {
  /** Leave out fields that are zero or empty. */
  readonly nonzero?: boolean
}



const hex = (n: number) => `0x${n.toString(16)}`
const hexBytes = (u8: ArrayLike<number>) => Array.from(u8, (b) => b.toString(16).padStart(2, '0')).join(' ')

function describeError(code: number, windows: boolean): string {
  const name = errnoName(-code, windows)
  return name ? `${code} (${name}: ${STRERROR[name]})` : code === -1 ? '-1 (request could not be decoded)' : String(code)
}

function describeRespCode(code: number, windows: boolean): string {
  if (code < 0) return describeError(code, windows)
  if (code & DUMP_INCOMPLETE) return `${hex(code)} (${code & ~DUMP_INCOMPLETE} object(s), more to come)`
  return code === 0 ? '0' : `${code} (${code} object(s))`
}

function formatValue(f: FieldDef, v: unknown, windows: boolean): string {
  if (f.enumName) {
    const name = (ENUMS[f.enumName] as readonly string[])[v as number]
    return name ? `${name} (${v})` : String(v)
  }
  const format = f.format
  if (format === 'resp_code') return describeRespCode(v as number, windows)
  if (format === 'ipv4h') return hostIntegerToIpv4(v as number)
  if (format === 'port') return String(swap16(v as number))
  if (format === 'addr64') {
    const bytes = u64MemoryBytes(v as Int64)
    const groups = Array.from({length: 4}, (_, i) => hexBytes(bytes.subarray(2 * i, 2 * i + 2)).replace(' ', ''))
    return bytes.subarray(4).every((b) => b === 0) ? `${groups.join(':')} (IPv4 ${bytes.subarray(0, 4).join('.')})` : groups.join(':')
  }
  if (kindOf(f.type) === 'bytes') {
    const bytes = v as number[]
    if (bytes.length === 0) return '[]'
    if (format === 'mac' && bytes.length % 6 === 0) {
      return Array.from({length: bytes.length / 6}, (_, i) => formatMac(bytes.slice(6 * i, 6 * i + 6))).join(' ')
    }
    if (format === 'ip') return formatIp(bytes)
    if (format === 'text') return JSON.stringify(String.fromCharCode(...bytes.slice(0, bytes.includes(0) ? bytes.indexOf(0) : bytes.length)))
    return hexBytes(bytes)
  }
  if (Array.isArray(v)) return `[${v.map(String).join(', ')}]`
  if (typeof v === 'string') return JSON.stringify(v)
  if (typeof v === 'number' && format) {
    const flags = FLAG_SETS[format]
    if (flags) {
      if (v === 0) return '0'
      const {names, unknown} = flagNames(v, flags)
      return `${hex(v >>> 0)} (${[...names, ...(unknown ? [hex(unknown)] : [])].join(' ')})`
    }
    const members = ENUMERATIONS[format]
    if (members) {
      const name = enumName(v, members)
      return name ? `${v} (${name})` : String(v)
    }
    if (format === 'hex') return hex(v >>> 0)
  }
  return String(v)
}

function isZero(v: unknown): boolean {
  return v === 0 || v === '' || v === 0n || (Array.isArray(v) && v.length === 0)
}

/** Lines of one object, indented by `indent`. */
export function renderObject(object: SandeshObject, indent: string, options: RenderOptions = {}, windows = false): string[] {
  const def = schemaFor('current').messages.get(object.name)!
  const values = object.fields as Record<string, unknown>
  const shown = def.fields.filter((f) => !options.nonzero || !isZero(values[f.name]) || f.name === 'h_op')
  const width = Math.max(0, ...shown.map((f) => f.name.length))
  return [`${indent}${object.name}`, ...shown.map((f) => `${indent}  ${f.name.padEnd(width)}  ${formatValue(f, values[f.name], windows)}`)]
}

function renderNotes(notes: readonly DecodeNote[], indent: string, variant: string): string[] {
  return notes.map(
    (n) => `${indent}! ${n.object} field ${n.id} (wire type ${n.wireType}) at payload offset ${n.offset}: ${n.reason === 'unknown-field' ? `unknown to the ${variant} schema` : 'not of the declared type'}, skipped`,
  )
}

function flagText(flags: number): string {
  const {names, unknown} = flagNames(flags, NETLINK_FLAGS)
  return [hex(flags), ...names, ...(unknown ? [`+${hex(unknown)}`] : [])].join(' ')
}

const CONTROL_ATTRIBUTES: Record<number, string> = {1: 'FAMILY_ID', 2: 'FAMILY_NAME', 3: 'VERSION', 4: 'HDRSIZE', 5: 'MAXATTR', 6: 'OPS', 7: 'MCAST_GROUPS'}

function renderFrame(frame: DecodedFrame, index: number, doc: KsyncDocument & {form: 'frames'}, options: RenderOptions): string[] {
  const m = frame.message
  const windows = doc.flavour === 'windows'
  const header = `  nlmsg  type ${hex(m.type)}  flags ${flagText(m.flags)}  seq ${m.seq}  pid ${m.pid}`
  const title = `message ${index} at offset ${frame.offset}`
  switch (m.kind) {
    case 'done':
      return [`${title}: NLMSG_DONE`, header]
    case 'error':
      return [`${title}: NLMSG_ERROR ${describeError(m.error, windows)}`, header, ...(m.body.length ? [`  body   ${hexBytes(m.body)}`] : [])]
    case 'control':
      return [
        `${title}: generic netlink controller, cmd ${m.cmd}`,
        header,
        ...m.attributes.map((a) => {
          const name = CONTROL_ATTRIBUTES[a.type] ?? `attribute ${a.type}`
          const value = a.type === 2 ? JSON.stringify(String.fromCharCode(...a.data).replace(/\0+$/, '')) : a.type === 1 && a.data.length >= 2 ? hex(a.data[0] | (a.data[1] << 8)) : hexBytes(a.data)
          return `  ${name}  ${value}`
        }),
      ]
    case 'sandesh': {
      const nla = `${m.payload.length + (m.nlaLengthStyle === 'with-header' ? 4 : 0)} (${m.nlaLengthStyle === 'with-header' ? 'header included' : 'payload only'})`
      return [
        `${title}: ${doc.flavour} ${frame.direction}, ${m.payload.length + 24 + m.padding.length} bytes, ${frame.objects.length} object(s)`,
        header,
        `  genl   cmd ${m.cmd}  version ${m.version}${m.reserved ? `  reserved ${m.reserved}` : ''}`,
        `  nla    type ${m.nlaType}  len ${nla}${m.padding.length ? `  padding ${hexBytes(m.padding)}` : ''}`,
        ...frame.objects.flatMap((o) => renderObject(o, '  ', options, windows)),
        ...renderNotes(frame.notes, '  ', doc.variant),
      ]
    }
  }
}

/** Lines of a whole decoded capture. */
export function renderKsyncDocument(doc: KsyncDocument, options: RenderOptions = {}): string[] {
  if (doc.form === 'payload') {
    return [
      `payload (${doc.variant} schema), ${doc.objects.length} object(s)`,
      ...doc.objects.flatMap((o) => renderObject(o, '', options)),
      ...renderNotes(doc.notes, '', doc.variant),
    ]
  }
  return doc.frames.flatMap((frame, i) => renderFrame(frame, i, doc, options))
}
