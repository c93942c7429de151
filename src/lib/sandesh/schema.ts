/**
 * The schema in the form the codec, the JSON form and the emulator read: per message its name bytes and field
 * definitions, for each IDL generation ("variant").
 */
import {CURRENT_MESSAGES} from './messages.js'
import {type FieldRow, type FieldsOf, type ListElementTypeName, type TypeName, WireType} from './types.js'

export type MessageName = keyof typeof CURRENT_MESSAGES
export type MessageFields<N extends MessageName = MessageName> = FieldsOf<(typeof CURRENT_MESSAGES)[N]>

/** A decoded or to-be-encoded object: its Sandesh name and every field of that message. */
export type SandeshObject<N extends MessageName = MessageName> = N extends MessageName
  ? {name: N; fields: MessageFields<N>}
  : never

/** IDL generations: the current OpenSDN/TF one, and the Windows port's (contrail-vrouter, Windows branch). */
export type Variant = 'current' | 'windows'
export const VARIANTS: readonly Variant[] = ['current', 'windows']

/**
 * How the Windows-port IDL differs from the current one. A field whose wire type differs keeps its current
 * in-memory type (so tools see one shape), and the codec converts on the wire: a scalar on the wire is a
 * one-element list in memory. Field names stay the current ones (vhp_msize of the old IDL is vhp_psize here).
 */
export const WINDOWS_CHANGES: {
  readonly absentMessages: readonly MessageName[]
  readonly fields: Partial<Record<MessageName, {readonly wireTypes?: Readonly<Record<number, TypeName>>; readonly absent?: readonly number[]}>>
} = {
  absentMessages: ['vr_vrf_req', 'vr_info_req'],
  fields: {
    vr_nexthop_req: {wireTypes: {6: 'i32'}, absent: [30]},
    vr_interface_req: {wireTypes: {48: 'i16', 49: 'i32'}, absent: [85, 86, 87, 88, 89, 90, 91, 92, 93]},
    vr_flow_req: {absent: [38, 39]},
    vrouter_ops: {absent: [46, 47]},
    vr_pkt_drop_log_req: {absent: [10, 11, 12]},
    vr_drop_stats_req: {absent: [54, 55, 56, 57, 58]},
    vr_hugepage_config: {absent: [5, 6, 7]},
  },
}

/** The kind of an in-memory or wire type, as the codec dispatches on it. */
export type Kind = 'scalar' | 'string' | 'bytes' | 'list'

export interface FieldDef {
  readonly id: number
  readonly name: string
  /** The in-memory type (the current IDL's). */
  readonly type: TypeName
  /** The type on the wire in this variant. */
  readonly wire: TypeName
  readonly format?: string
  /** Set for sandesh_op / flow_op fields. */
  readonly enumName?: 'sandesh_op' | 'flow_op'
}

export interface MessageDef {
  readonly name: MessageName
  readonly nameBytes: Uint8Array
  /** Every field of the in-memory object (the current IDL's), in declaration order. */
  readonly fields: readonly FieldDef[]
  /** The fields this generation writes and reads on the wire, in declaration order. */
  readonly wireFields: readonly FieldDef[]
  readonly byId: ReadonlyMap<number, FieldDef>
}

export interface Schema {
  readonly variant: Variant
  readonly messages: ReadonlyMap<string, MessageDef>
}

const SCALAR_CODES: Record<string, number> = {
  byte: WireType.BYTE,
  i16: WireType.I16,
  i32: WireType.I32,
  i64: WireType.I64,
  u16: WireType.U16,
  u32: WireType.U32,
  u64: WireType.U64,
  string: WireType.STRING,
  sandesh_op: WireType.I32,
  flow_op: WireType.I32,
}

/** Element type of a list type, or undefined for a scalar. */
export function listElement(type: TypeName): ListElementTypeName | undefined {
  return type.startsWith('list<') ? (type.slice(5, -1) as ListElementTypeName) : undefined
}

/** The one-byte wire code of a type (15 for any list). */
export function wireCode(type: TypeName): number {
  return listElement(type) ? WireType.LIST : SCALAR_CODES[type]
}

/** The wire code of a scalar type or of a list's elements. */
export function scalarCode(type: TypeName): number {
  return SCALAR_CODES[listElement(type) ?? type]
}

export function kindOf(type: TypeName): Kind {
  if (type === 'string') return 'string'
  if (type === 'list<byte>') return 'bytes'
  return listElement(type) ? 'list' : 'scalar'
}

/** Encoded size of one scalar value by wire code (0 for variable-size types). */
export function scalarSize(code: number): number {
  switch (code) {
    case WireType.BYTE:
      return 1
    case WireType.I16:
    case WireType.U16:
      return 2
    case WireType.I32:
    case WireType.U32:
      return 4
    case WireType.I64:
    case WireType.U64:
      return 8
    default:
      return 0
  }
}

function buildMessage(name: MessageName, rows: readonly FieldRow[], variant: Variant): MessageDef {
  const change = variant === 'windows' ? WINDOWS_CHANGES.fields[name] : undefined
  const absent = new Set(change?.absent ?? [])
  const fields: FieldDef[] = rows.map(([id, fieldName, type, format]) => ({
    id,
    name: fieldName,
    type,
    wire: change?.wireTypes?.[id] ?? type,
    ...(format === undefined ? {} : {format}),
    ...(type === 'sandesh_op' || type === 'flow_op' ? {enumName: type} : {}),
  }))
  const onWire = fields.filter((f) => !absent.has(f.id))
  return {
    name,
    nameBytes: new Uint8Array([...name].map((c) => c.charCodeAt(0))),
    // Fields absent from a generation are still part of the in-memory object (zero), but never on its wire.
    fields,
    wireFields: onWire,
    byId: new Map(onWire.map((f) => [f.id, f])),
  }
}

function buildSchema(variant: Variant): Schema {
  const absent = new Set<string>(variant === 'windows' ? WINDOWS_CHANGES.absentMessages : [])
  const messages = new Map<string, MessageDef>()
  for (const [name, rows] of Object.entries(CURRENT_MESSAGES) as [MessageName, readonly FieldRow[]][]) {
    if (!absent.has(name)) messages.set(name, buildMessage(name, rows, variant))
  }
  return {variant, messages}
}

const SCHEMAS: Record<Variant, Schema> = {current: buildSchema('current'), windows: buildSchema('windows')}

export function schemaFor(variant: Variant = 'current'): Schema {
  return SCHEMAS[variant]
}

export const MESSAGE_NAMES = Object.keys(CURRENT_MESSAGES) as MessageName[]
