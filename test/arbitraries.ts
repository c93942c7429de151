/** fast-check generators of Sandesh objects, derived from the schema (every message, every field type). */
import fc from 'fast-check'
import {type FieldDef, type MessageName, type SandeshObject, type Variant, kindOf, listElement, schemaFor} from '../src/lib/sandesh/schema.js'
import type {Int64, ListElementTypeName} from '../src/lib/sandesh/types.js'

function canonical64(v: bigint): Int64 {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v
}

/** Values in the canonical in-memory domain of each type (what decoding produces). */
export function scalarArbitrary(type: ListElementTypeName | 'sandesh_op' | 'flow_op'): fc.Arbitrary<unknown> {
  switch (type) {
    case 'byte':
      return fc.integer({min: 0, max: 0xff})
    case 'i16':
      return fc.integer({min: -0x8000, max: 0x7fff})
    case 'u16':
      return fc.integer({min: 0, max: 0xffff})
    case 'i32':
    case 'sandesh_op':
    case 'flow_op':
      return fc.oneof(fc.integer({min: -2, max: 8}), fc.integer({min: -0x80000000, max: 0x7fffffff}))
    case 'u32':
      return fc.integer({min: 0, max: 0xffffffff})
    case 'i64':
      return fc.oneof(fc.integer(), fc.bigInt({min: -(1n << 63n), max: (1n << 63n) - 1n})).map((v) => canonical64(BigInt(v)))
    case 'u64':
      return fc.oneof(fc.nat(), fc.bigInt({min: 0n, max: (1n << 64n) - 1n})).map((v) => canonical64(BigInt(v)))
  }
}

const latin1String = fc.array(fc.integer({min: 0, max: 0xff}), {maxLength: 24}).map((codes) => String.fromCharCode(...codes))

function fieldArbitrary(f: FieldDef, onWire: boolean): fc.Arbitrary<unknown> {
  const kind = kindOf(f.type)
  if (!onWire) return fc.constant(kind === 'scalar' ? 0 : kind === 'string' ? '' : [])
  if (kind === 'string') return latin1String
  if (kind === 'bytes') return fc.array(scalarArbitrary('byte'), {maxLength: 24})
  // Values must survive this generation's wire type (vifr_nh_id is an i16 on the Windows port's wire).
  if (kind === 'scalar') return scalarArbitrary(f.wire as ListElementTypeName)
  const elem = scalarArbitrary(listElement(f.type)!)
  // A generation that has a scalar where the current IDL has a list carries exactly one element.
  return kindOf(f.wire) === 'scalar' ? fc.tuple(elem) : fc.array(elem, {maxLength: 6})
}

/** Any object of message `name` that the given generation can carry. */
export function objectArbitrary(name: MessageName, variant: Variant = 'current'): fc.Arbitrary<SandeshObject> {
  const def = schemaFor(variant).messages.get(name)!
  const onWire = new Set(def.wireFields.map((f) => f.name))
  const shape: Record<string, fc.Arbitrary<unknown>> = {}
  for (const f of def.fields) shape[f.name] = fieldArbitrary(f, onWire.has(f.name))
  return fc.record(shape).map((fields) => ({name, fields: {...fields}}) as SandeshObject)
}

/** Any object of any message of the generation. */
export function anyObject(variant: Variant = 'current'): fc.Arbitrary<SandeshObject> {
  return fc.constantFrom(...schemaFor(variant).messages.keys()).chain((name) => objectArbitrary(name as MessageName, variant))
}
