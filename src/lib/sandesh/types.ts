/** Wire-level vocabulary of the Sandesh binary dialect used by ksync. */

/** Type codes as they appear in a field header (one byte). */
export const WireType = {
  STOP: 0,
  BOOL: 2,
  BYTE: 3,
  DOUBLE: 4,
  I16: 6,
  I32: 8,
  U64: 9,
  I64: 10,
  STRING: 11,
  STRUCT: 12,
  MAP: 13,
  SET: 14,
  LIST: 15,
  U16: 19,
  U32: 20,
  XML: 21,
  IPV4: 22,
  UUID: 23,
  IPADDR: 24,
} as const

/** Scalar IDL types, plus the two IDL enumerations (both travel as i32). */
export type ScalarTypeName = 'byte' | 'i16' | 'i32' | 'i64' | 'u16' | 'u32' | 'u64' | 'string' | 'sandesh_op' | 'flow_op'
export type ListElementTypeName = 'byte' | 'i16' | 'i32' | 'i64' | 'u16' | 'u32' | 'u64'
export type TypeName = ScalarTypeName | `list<${ListElementTypeName}>`

/** One schema row: [field id, field name, IDL type, display format]. */
export type FieldRow = readonly [id: number, name: string, type: TypeName, format?: string]

/** A 64-bit integer: a number when it is a safe integer, a bigint otherwise (so no value ever loses precision). */
export type Int64 = number | bigint

type ScalarValue<T extends ScalarTypeName> = T extends 'string' ? string : T extends 'i64' | 'u64' ? Int64 : number

/**
 * The JavaScript value of a field of IDL type T. Lists are arrays, list<byte> too (of numbers 0–255): a typed array
 * per decoded byte list would cost a third to a half of a whole decode.
 */
export type ValueOf<T extends TypeName> = T extends `list<${infer E extends ListElementTypeName}>`
  ? ScalarValue<E>[]
  : T extends ScalarTypeName
    ? ScalarValue<T>
    : never

/** The fields of a message, typed from its rows. */
export type FieldsOf<Rows extends readonly FieldRow[]> = {[R in Rows[number] as R[1]]: ValueOf<R[2]>}

export const ENUMS = {
  sandesh_op: ['ADD', 'GET', 'DEL', 'DUMP', 'RESPONSE', 'RESET'],
  flow_op: ['FLOW_SET', 'FLOW_LIST', 'FLOW_TABLE_GET'],
} as const

export const SandeshOp = {ADD: 0, GET: 1, DEL: 2, DUMP: 3, RESPONSE: 4, RESET: 5} as const
export const FlowOp = {FLOW_SET: 0, FLOW_LIST: 1, FLOW_TABLE_GET: 2} as const
/** Bit of a dump reply's resp_code saying that more objects follow (VR_MESSAGE_DUMP_INCOMPLETE). */
export const DUMP_INCOMPLETE = 0x40000000
