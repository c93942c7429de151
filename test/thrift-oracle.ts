/**
 * npm `thrift`'s TBinaryProtocol, extended with the Sandesh-only u16/u32/u64 types, writing and reading Sandesh
 * objects field by field from the schema: an independent implementation our codec is checked against (tests) and
 * measured against (bench). Dev-only: never shipped.
 */
import {Int64, TBinaryProtocol, TBufferedTransport} from 'thrift'
import {codecFor} from '../src/lib/sandesh/codec.js'
import {type FieldDef, type SandeshObject, type Variant, kindOf, scalarCode, schemaFor, wireCode} from '../src/lib/sandesh/schema.js'
import {type Int64 as Int64Value, WireType} from '../src/lib/sandesh/types.js'

class SandeshBinaryProtocol extends TBinaryProtocol {
  writeU16(v: number): void {
    const b = Buffer.alloc(2)
    b.writeUInt16BE(v & 0xffff)
    this.trans.write(b)
  }

  writeU32(v: number): void {
    const b = Buffer.alloc(4)
    b.writeUInt32BE(v >>> 0)
    this.trans.write(b)
  }

  writeU64(v: Int64Value): void {
    const b = Buffer.alloc(8)
    b.writeBigUInt64BE(BigInt.asUintN(64, BigInt(v)))
    this.trans.write(b)
  }

  readU16(): number {
    return this.trans.read(2).readUInt16BE()
  }

  readU32(): number {
    return this.trans.read(4).readUInt32BE()
  }

  readU64(): bigint {
    return this.trans.read(8).readBigUInt64BE()
  }

  override skip(type: number, depth?: number): void {
    const sizes: Record<number, number> = {[WireType.U16]: 2, [WireType.U32]: 4, [WireType.U64]: 8}
    if (sizes[type] !== undefined) this.trans.read(sizes[type])
    else super.skip(type, depth)
  }
}

function canonical(v: bigint): Int64Value {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v
}

function writeScalar(p: SandeshBinaryProtocol, code: number, v: unknown): void {
  switch (code) {
    case WireType.BYTE:
      return p.writeByte((v as number) << 24 >> 24)
    case WireType.I16:
      return p.writeI16(v as number)
    case WireType.I32:
      return p.writeI32(v as number)
    case WireType.U16:
      return p.writeU16(v as number)
    case WireType.U32:
      return p.writeU32(v as number)
    case WireType.U64:
      return p.writeU64(v as Int64Value)
    default: {
      const b = Buffer.alloc(8)
      b.writeBigInt64BE(BigInt.asIntN(64, BigInt(v as Int64Value)))
      return p.writeI64(new Int64(b))
    }
  }
}

function readScalar(p: SandeshBinaryProtocol, code: number): unknown {
  switch (code) {
    case WireType.BYTE:
      return p.readByte() & 0xff
    case WireType.I16:
      return p.readI16()
    case WireType.I32:
      return p.readI32()
    case WireType.U16:
      return p.readU16()
    case WireType.U32:
      return p.readU32()
    case WireType.U64:
      return canonical(p.readU64())
    default: {
      const i = p.readI64()
      return canonical(i.buffer.readBigInt64BE(i.offset))
    }
  }
}

function writeField(p: SandeshBinaryProtocol, f: FieldDef, v: unknown): void {
  p.writeFieldBegin(f.name, wireCode(f.wire), f.id)
  const kind = kindOf(f.wire)
  if (kind === 'string') return p.writeBinary(Buffer.from(v as string, 'latin1'))
  if (kind === 'scalar') return writeScalar(p, wireCode(f.wire), Array.isArray(v) ? (v[0] ?? 0) : v)
  const values = Array.from(v as ArrayLike<unknown>)
  p.writeListBegin(scalarCode(f.wire), values.length)
  for (const e of values) writeScalar(p, scalarCode(f.wire), e)
}

/** thrift's bytes of one object (Sandesh begin = the name as binary, every field in IDL order, stop). */
export function thriftEncode(object: SandeshObject, variant: Variant = 'current'): Buffer {
  let out: Buffer = Buffer.alloc(0)
  const p = new SandeshBinaryProtocol(new TBufferedTransport(undefined, (buf) => (out = buf)))
  p.writeBinary(Buffer.from(object.name, 'latin1'))
  const def = schemaFor(variant).messages.get(object.name)!
  for (const f of def.wireFields) writeField(p, f, (object.fields as Record<string, unknown>)[f.name])
  p.writeFieldStop()
  p.flush()
  return out
}

/** Decodes every object of a payload with thrift's protocol; fields not on the wire are zero/empty. */
export function thriftDecode(bytes: Uint8Array, variant: Variant = 'current'): SandeshObject[] {
  const t = new TBufferedTransport()
  t.inBuf = Buffer.from(bytes)
  t.readCursor = 0
  t.writeCursor = bytes.length
  const p = new SandeshBinaryProtocol(t)
  const objects: SandeshObject[] = []
  while (t.readCursor < bytes.length) objects.push(readObject(p, variant))
  return objects
}

function readObject(p: SandeshBinaryProtocol, variant: Variant): SandeshObject {
  const name = p.readBinary().toString('latin1')
  const def = schemaFor(variant).messages.get(name)!
  const fields: Record<string, unknown> = codecFor(variant).defaults(def.name).fields as Record<string, unknown>
  for (;;) {
    const {ftype, fid} = p.readFieldBegin()
    if (ftype === WireType.STOP) break
    const f = def.byId.get(fid)
    if (!f) {
      p.skip(ftype)
      continue
    }
    const kind = kindOf(f.wire)
    if (kind === 'string') fields[f.name] = p.readBinary().toString('latin1')
    else if (kind === 'scalar') {
      const v = readScalar(p, ftype)
      fields[f.name] = kindOf(f.type) === 'list' ? [v] : v
    } else {
      const {etype, size} = p.readListBegin()
      fields[f.name] = Array.from({length: size}, () => readScalar(p, etype))
    }
  }
  return {name: def.name, fields} as SandeshObject
}
