/**
 * The JSON form of Sandesh objects: {"name": "vr_mpls_req", "fields": {"h_op": "DUMP", ...}} with the IDL's
 * snake_case field names. Enumerations are written by name (an unknown value stays a number), 64-bit integers as
 * numbers when they are safe integers and as decimal strings otherwise, list<byte> as arrays of numbers.
 * Reading it back validates every value (type, range, known names) and reports where a value is wrong.
 */
import {EncodeError} from '../errors.js'
import {type FieldDef, type MessageName, type SandeshObject, type Schema, kindOf, listElement, schemaFor} from './schema.js'
import {codecFor} from './codec.js'
import {ENUMS, type Int64, type ListElementTypeName, type TypeName} from './types.js'

export type JsonValue = null | boolean | number | string | JsonValue[] | {[key: string]: JsonValue}
export interface JsonObject {
  name: string
  fields: Record<string, JsonValue>
}

function int64ToJson(v: Int64): number | string {
  return typeof v === 'bigint' ? v.toString() : v
}

function enumToJson(field: FieldDef, v: number): number | string {
  const names: readonly string[] = ENUMS[field.enumName!]
  return names[v] ?? v
}

/** The JSON form of one decoded object. */
export function objectToJson(object: SandeshObject): JsonObject {
  const def = schemaFor('current').messages.get(object.name)!
  const values = object.fields as Record<string, unknown>
  const fields: Record<string, JsonValue> = {}
  for (const f of def.fields) {
    const v = values[f.name]
    if (f.enumName) fields[f.name] = enumToJson(f, v as number)
    else if (Array.isArray(v)) fields[f.name] = v.map((e) => int64ToJson(e as Int64))
    else fields[f.name] = int64ToJson(v as Int64)
  }
  return {name: object.name, fields}
}

const RANGES: Record<Exclude<ListElementTypeName, 'i64' | 'u64'>, readonly [number, number]> = {
  byte: [-0x80, 0xff],
  i16: [-0x8000, 0xffff],
  u16: [-0x8000, 0xffff],
  i32: [-0x80000000, 0xffffffff],
  u32: [-0x80000000, 0xffffffff],
}

/** Canonical in-memory form: signed types signed, unsigned types (and byte) unsigned, whatever was written. */
function canonical(type: Exclude<ListElementTypeName, 'i64' | 'u64'>, v: number): number {
  switch (type) {
    case 'byte':
      return v & 0xff
    case 'i16':
      return (v << 16) >> 16
    case 'u16':
      return v & 0xffff
    case 'i32':
      return v | 0
    case 'u32':
      return v >>> 0
  }
}

function integerFromJson(path: string, type: ListElementTypeName, v: JsonValue): number | Int64 {
  if (type === 'i64' || type === 'u64') {
    let big: bigint
    if (typeof v === 'number' && Number.isSafeInteger(v)) big = BigInt(v)
    else if (typeof v === 'string' && /^-?(\d+|0x[0-9a-f]+)$/i.test(v.trim())) {
      const text = v.trim()
      big = text.startsWith('-') ? -BigInt(text.slice(1)) : BigInt(text)
    } else throw new EncodeError(path, `expected a 64-bit integer (a number or a decimal string), got ${JSON.stringify(v)}`)
    if (big < -(1n << 63n) || big >= 1n << 64n) throw new EncodeError(path, `${big} does not fit in 64 bits`)
    const value = type === 'i64' ? BigInt.asIntN(64, big) : BigInt.asUintN(64, big)
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value
  }
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new EncodeError(path, `expected an integer, got ${JSON.stringify(v)}`)
  const [min, max] = RANGES[type]
  if (v < min || v > max) throw new EncodeError(path, `${v} is out of range for ${type} (${min}..${max})`)
  return canonical(type, v)
}

function fieldFromJson(path: string, f: FieldDef, v: JsonValue): unknown {
  const type: TypeName = f.type
  if (f.enumName) {
    if (typeof v === 'string') {
      const index = (ENUMS[f.enumName] as readonly string[]).indexOf(v)
      if (index < 0) throw new EncodeError(path, `${JSON.stringify(v)} is not one of ${ENUMS[f.enumName].join(', ')}`)
      return index
    }
    return integerFromJson(path, 'i32', v)
  }
  switch (kindOf(type)) {
    case 'string':
      if (typeof v !== 'string') throw new EncodeError(path, `expected a string, got ${JSON.stringify(v)}`)
      for (const ch of v) if (ch.charCodeAt(0) > 0xff) throw new EncodeError(path, `character ${JSON.stringify(ch)} is not one byte`)
      return v
    case 'bytes':
    case 'list': {
      if (!Array.isArray(v)) throw new EncodeError(path, `expected an array${type === 'list<byte>' ? ' of bytes' : ''}, got ${JSON.stringify(v)}`)
      const elem = listElement(type)!
      return v.map((e, i) => integerFromJson(`${path}[${i}]`, elem, e))
    }
    default:
      return integerFromJson(path, type as ListElementTypeName, v)
  }
}

function isRecord(v: unknown): v is Record<string, JsonValue> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/**
 * An object from its JSON form. Fields left out are zero/empty; an unknown name, an unknown field or a bad value
 * is an EncodeError naming where (`path` prefixes the location).
 */
export function objectFromJson(value: JsonValue, path = '$', schema: Schema = schemaFor('current')): SandeshObject {
  if (!isRecord(value) || typeof value.name !== 'string') {
    throw new EncodeError(path, 'expected an object like {"name": "vr_…", "fields": {…}}')
  }
  const def = schema.messages.get(value.name)
  if (!def) throw new EncodeError(`${path}.name`, `no object named ${JSON.stringify(value.name)} in the ${schema.variant} schema`)
  for (const key of Object.keys(value)) {
    if (key !== 'name' && key !== 'fields') throw new EncodeError(`${path}.${key}`, 'unknown key (expected "name" and "fields")')
  }
  const given = value.fields ?? {}
  if (!isRecord(given)) throw new EncodeError(`${path}.fields`, 'expected an object of field values')
  const byName = new Map(def.fields.map((f) => [f.name, f]))
  const fields = codecFor(schema.variant).defaults(def.name).fields as Record<string, unknown>
  for (const [key, v] of Object.entries(given)) {
    const f = byName.get(key)
    if (!f) throw new EncodeError(`${path}.fields.${key}`, `${value.name} has no field ${JSON.stringify(key)}`)
    fields[key] = fieldFromJson(`${path}.fields.${key}`, f, v)
  }
  return {name: value.name as MessageName, fields} as SandeshObject
}
