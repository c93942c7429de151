/**
 * Loading a scenario (YAML or JSON) into an emulated forwarding plane: parse with positions, validate against the
 * generated JSON Schema, convert operators' values to wire values, check references between sections, and apply
 * every entry through the forwarding plane's own ADD — so a scenario is refused exactly where a real vRouter would
 * refuse the same objects. Any problem is one ScenarioError naming the file, line and column.
 */
import {Ajv, type ErrorObject, type ValidateFunction} from 'ajv'
import {type Document, LineCounter, type Node, isMap, isPair, isScalar, parseDocument} from 'yaml'
import {EncodeError} from '../../lib/errors.js'
import {parseIp, u64FromMemoryBytes} from '../../lib/model/addresses.js'
import {AF_INET, AF_INET6, FLOW_TCP_FLAGS} from '../../lib/model/constants.js'
import {FLOW_FLAG} from '../../lib/model/flow.js'
import type {MessageFields, SandeshObject} from '../../lib/sandesh/schema.js'
import {SandeshOp} from '../../lib/sandesh/types.js'
import {type Replies, make} from '../state/common.js'
import type {VrouterConfig} from '../state/config.js'
import type {DropCounters} from '../state/drops.js'
import {VrouterState} from '../state/index.js'
import {dropReasonValue} from '../../lib/model/constants.js'
import {type DropLogSection, recordOfEntry} from './droplog.js'
import {ValueError, fromScenario, scenarioKey} from './fields.js'
import {type TrafficEntry, trafficPacket} from '../traffic/scenario.js'
import {SECTIONS, type Section, VROUTER_SETTINGS, scenarioSchema, writableFields} from './sections.js'

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError'
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    detail: string,
  ) {
    super(`${file}:${line}:${column}: ${detail}`)
  }
}

type Path = (string | number)[]
type Entry = Record<string, unknown>

let compiled: ValidateFunction | undefined
/** The schema validator, compiled on first use (compiling costs about half a second: not for every tool run). */
function validator(): ValidateFunction {
  compiled ??= new Ajv({allErrors: false, strict: false}).compile(scenarioSchema())
  return compiled
}

/** Where a path of the document is (the key's position for a key that should not be there). */
class Locator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    readonly file: string,
  ) {}

  error(path: Path, detail: string, key?: string): ScenarioError {
    let node = this.doc.getIn(path, true) as Node | undefined
    if (key !== undefined && isMap(node)) node = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key)?.key as Node | undefined
    // Fall back to the nearest enclosing node that exists.
    for (let p = path.slice(); !node?.range && p.length > 0; p = p.slice(0, -1)) node = this.doc.getIn(p.slice(0, -1), true) as Node | undefined
    const at = this.lines.linePos(node?.range?.[0] ?? 0)
    const where = [...path, ...(key === undefined ? [] : [key])].map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '')
    return new ScenarioError(this.file, at.line, at.col, `${where ? `${where}: ` : ''}${detail}`)
  }
}

function schemaMessage(e: ErrorObject): {path: Path; detail: string; key?: string} {
  const path = e.instancePath.split('/').slice(1).map((p) => (/^\d+$/.test(p) ? Number(p) : p.replaceAll('~1', '/').replaceAll('~0', '~')))
  if (e.keyword === 'additionalProperties') {
    const key = String(e.params.additionalProperty)
    return {path, key, detail: `unknown key ${JSON.stringify(key)}`}
  }
  if (e.keyword === 'oneOf' || e.keyword === 'type' || e.keyword === 'enum' || e.keyword === 'pattern') {
    return {path, detail: `not a valid value${e.keyword === 'enum' ? ` (one of ${(e.params.allowedValues as unknown[]).join(', ')})` : ''}`}
  }
  return {path, detail: e.message ?? 'invalid'}
}

/** Parses and validates a scenario text; returns the plain document. */
export function parseScenario(text: string, file: string): {data: Record<string, unknown>; at: Locator} {
  const lines = new LineCounter()
  const doc = parseDocument(text, {lineCounter: lines, prettyErrors: false, uniqueKeys: true})
  const at = new Locator(doc, lines, file)
  const parseError = doc.errors[0]
  if (parseError) {
    const pos = lines.linePos(parseError.pos[0])
    throw new ScenarioError(file, pos.line, pos.col, `not valid YAML: ${parseError.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`)
  }
  const data = (doc.toJS() ?? {}) as Record<string, unknown>
  const validate = validator()
  if (!validate(data)) {
    const {path, detail, key} = schemaMessage(validate.errors![0])
    throw at.error(path, detail, key)
  }
  return {data, at}
}

/** A route's conveniences: `prefix: 10.1.1.0/24` gives length and family; a MAC alone, a bridge route; a label its flag. */
function routeEntry(entry: Entry): Entry {
  const out = {...entry}
  if (typeof out.prefix === 'string' && out.prefix.includes('/')) {
    const [address, length] = out.prefix.split('/')
    out.prefix = address
    out.prefix_len ??= Number(length)
  }
  const family = out.family ?? (typeof out.prefix === 'string' ? (parseIp(out.prefix)?.length === 16 ? 'af-inet6' : 'af-inet') : out.mac !== undefined ? 'af-bridge' : 'af-inet')
  out.family = family
  const bridge = family === 'af-bridge' || family === 7
  if (out.label !== undefined && out.label_flags === undefined) out.label_flags = bridge ? 2 : 1
  return out
}

/** What the agent sends for fields a scenario leaves out, where that is not zero (no QoS map is -1; a flow is active). */
const AGENT_DEFAULTS: Record<string, Entry> = {interfaces: {qos_map_index: -1}, flows: {flags: ['active'], ecmp_nh_index: -1, underlay_ecmp_index: -1, qos_id: -1}}

/** A flow's addresses (`source`, `destination`) as the request's family and address halves. */
function flowAddresses(request: SandeshObject, entry: Entry, at: Locator, path: Path): void {
  const f = request.fields as MessageFields<'vr_flow_req'>
  const parsed = (['source', 'destination'] as const).map((key) => {
    if (entry[key] === undefined) throw at.error(path, `a flow needs its ${key} address`)
    const ip = parseIp(String(entry[key]))
    if (!ip) throw at.error([...path, key], `${JSON.stringify(entry[key])} is not an IP address`)
    return ip
  })
  if (parsed[0].length !== parsed[1].length) throw at.error([...path, 'destination'], 'source and destination are of different families')
  const v6 = parsed[0].length === 16
  const half = (ip: Uint8Array, from: number) => u64FromMemoryBytes(Uint8Array.from({length: 8}, (_, i) => ip[from + i] ?? 0))
  f.fr_family = v6 ? AF_INET6 : AF_INET
  f.fr_flow_sip_u = v6 ? half(parsed[0], 0) : 0
  f.fr_flow_sip_l = v6 ? half(parsed[0], 8) : half(parsed[0].subarray(0, 4), 0)
  f.fr_flow_dip_u = v6 ? half(parsed[1], 0) : 0
  f.fr_flow_dip_l = v6 ? half(parsed[1], 8) : half(parsed[1].subarray(0, 4), 0)
  f.fr_index = -1
}

function tcpFlags(value: unknown, at: Locator, path: Path): number {
  if (typeof value === 'number') return value
  let bits = 0
  for (const name of value as string[]) {
    const flag = FLOW_TCP_FLAGS.find(([, n, letters]) => n.toLowerCase().replaceAll('_', '-') === name.toLowerCase() || letters === name)
    if (!flag) throw at.error(path, `unknown TCP flag ${JSON.stringify(name)} (one of ${FLOW_TCP_FLAGS.map(([, n]) => n.toLowerCase().replaceAll('_', '-')).join(', ')})`)
    bits |= flag[0]
  }
  return bits
}

/** After the flows are placed: what traffic made of them, and reverse pairs linked both ways. */
function applyFlowExtras(state: VrouterState, entries: Entry[], placed: number[], at: Locator): void {
  entries.forEach((entry, i) => {
    const change: Record<string, number> = {}
    if (entry.packets !== undefined) Object.assign(change, {flow_packets: Number(entry.packets) % 2 ** 32, flow_packets_oflow: Math.floor(Number(entry.packets) / 2 ** 32) & 0xff})
    if (entry.bytes !== undefined) Object.assign(change, {flow_bytes: Number(entry.bytes) % 2 ** 32, flow_bytes_oflow: Math.floor(Number(entry.bytes) / 2 ** 32) & 0xffff})
    if (entry.tcp_flags !== undefined) change.fe_tcp_flags = tcpFlags(entry.tcp_flags, at, ['flows', i, 'tcp_flags'])
    if (entry.udp_src_port !== undefined) change.fe_udp_src_port = Number(entry.udp_src_port)
    if (entry.src_info !== undefined) change.fe_src_info = Number(entry.src_info) >>> 0
    if (entry.reverse !== undefined) {
      const r = Number(entry.reverse)
      if (r >= placed.length || r === i) throw at.error(['flows', i, 'reverse'], `no other flow at position ${r} of flows`)
      for (const [a, b] of [[i, r], [r, i]]) {
        const flow = state.flows.table.at(placed[a])!.value
        state.flows.update(placed[a], {fe_rflow: placed[b], fe_flags: flow.fe_flags | FLOW_FLAG.RFLOW_VALID})
      }
    }
    state.flows.update(placed[i], change)
  })
}

/** The request object of a scenario entry (an ADD), or a ValueError naming the key. */
function requestOf(section: Section, entry: Entry, at: Locator, path: Path): SandeshObject {
  const e = section.key === 'routes' ? routeEntry(entry) : {...AGENT_DEFAULTS[section.key], ...entry}
  const fields: Record<string, unknown> = {}
  for (const f of writableFields(section.message)) {
    const key = scenarioKey(section.message, f)
    if (e[key] === undefined) continue
    try {
      fields[f.name] = fromScenario(f, e[key])
    } catch (error) {
      if (error instanceof ValueError) throw at.error([...path, key], error.message)
      throw error
    }
  }
  const o = make(section.message, {})
  Object.assign(o.fields, fields, 'h_op' in o.fields ? {h_op: SandeshOp.ADD} : {})
  return o
}

/** Entries in an order the forwarding plane accepts: physical interfaces before the rest, VLAN children last; composite next hops after their members. */
function applyOrder(section: Section, requests: {request: SandeshObject; index: number}[]): {request: SandeshObject; index: number}[] {
  const rank = (r: SandeshObject): number => {
    if (section.key === 'interfaces') {
      const type = (r.fields as MessageFields<'vr_interface_req'>).vifr_type
      return type === 2 ? 0 : type === 6 ? 2 : 1
    }
    if (section.key === 'nexthops') {
      const nh = r.fields as MessageFields<'vr_nexthop_req'>
      return nh.nhr_type === 6 ? 2 : nh.nhr_flags & 0x400000 ? 1 : 0
    }
    return 0
  }
  return [...requests].sort((a, b) => rank(a.request) - rank(b.request) || a.index - b.index)
}

const ERRNO_HINT: Record<string, string> = {
  ENOENT: 'something it refers to does not exist',
  ENODEV: 'an interface it needs does not exist',
  EINVAL: 'a value the forwarding plane does not accept',
  ENOMEM: 'the table is full',
}

function refusal(replies: Replies): string | undefined {
  const code = (replies[0]?.[0] as SandeshObject<'vr_response'> | undefined)?.fields.resp_code ?? 0
  if (code >= 0) return undefined
  const name = Object.entries({ENOENT: 2, ENODEV: 19, EINVAL: 22, ENOMEM: 12, EEXIST: 17}).find(([, v]) => v === -code)?.[0] ?? String(-code)
  return `the forwarding plane refuses it: ${name}${ERRNO_HINT[name] ? ` (${ERRNO_HINT[name]})` : ''}`
}

/** Builds the emulated forwarding plane a scenario describes. */
export function loadScenario(text: string, file: string): VrouterState {
  const {data, at} = parseScenario(text, file)
  const state = new VrouterState((data.config ?? {}) as Partial<VrouterConfig>)
  const defined = {interfaces: new Set<number>(), nexthops: new Set<number>([0])}
  const keys = {interfaces: 'vifr_idx', nexthops: 'nhr_id'} as const

  const placedFlows: number[] = []
  for (const section of SECTIONS) {
    const entries = (data[section.key] ?? []) as Entry[]
    const requests = entries.map((entry, index) => ({request: requestOf(section, entry, at, [section.key, index]), index}))
    if (section.key === 'flows') for (const {request, index} of requests) flowAddresses(request, entries[index], at, ['flows', index])
    if (section.key === 'interfaces' || section.key === 'nexthops') {
      for (const {request} of requests) defined[section.key].add((request.fields as Record<string, number>)[keys[section.key]])
    }
    for (const {request, index} of applyOrder(section, requests)) {
      checkReferences(section, request, entries[index], defined, at, [section.key, index])
      const replies = state.dispatch(request)
      const why = refusal(replies)
      if (why) throw at.error([section.key, index], why)
      if (section.key === 'flows') placedFlows[index] = (replies[0][1] as SandeshObject<'vr_flow_response'>).fields.fresp_index
      if (section.key === 'interfaces' && entries[index].drops) {
        const drops = state.interfaces.get((request.fields as MessageFields<'vr_interface_req'>).vifr_idx)!.drops
        for (const [k, v] of Object.entries(entries[index].drops as Record<string, number>)) (drops as DropCounters)[`vds_${k}`] = v
      }
      if (section.key === 'vrf_stats') applyVrfStats(state, request as SandeshObject<'vr_vrf_stats_req'>)
    }
  }
  applyFlowExtras(state, (data.flows ?? []) as Entry[], placedFlows, at)
  for (const [k, v] of Object.entries((data.drop_stats ?? {}) as Record<string, number>)) state.drops.drops[`vds_${k}`] = v
  for (const [k, v] of Object.entries((data.vrouter ?? {}) as Record<string, unknown>)) {
    if (VROUTER_SETTINGS.includes(`vo_${k}`)) (state.ops.ops as Record<string, unknown>)[`vo_${k}`] = v
  }
  // After the settings: the ring size and switches decide what the rings take.
  const log = (data.drop_log ?? {}) as DropLogSection
  if (log.drop_type !== undefined) state.dropLog.type = dropReasonValue(log.drop_type)!
  for (const [index, entry] of (log.entries ?? []).entries()) {
    const core = (entry.core as number | undefined) ?? 0
    if (core >= state.config.cores) throw at.error(['drop_log', 'entries', index, 'core'], `the forwarding plane has ${state.config.cores} cores (0 to ${state.config.cores - 1})`)
    try {
      state.dropLog.append(core, recordOfEntry(entry))
    } catch (error) {
      if (error instanceof ValueError) throw at.error(['drop_log', 'entries', index], error.message)
      throw error
    }
  }
  for (const [index, entry] of ((data.traffic ?? []) as TrafficEntry[]).entries()) {
    try {
      trafficPacket(state, entry)
    } catch (error) {
      if (error instanceof EncodeError) throw at.error(['traffic', index], error.message)
      throw error
    }
    state.traffic.push(entry)
  }
  return state
}

function applyVrfStats(state: VrouterState, request: SandeshObject<'vr_vrf_stats_req'>): void {
  for (const [k, v] of Object.entries(request.fields)) {
    if (k.startsWith('vsr_') && !['vsr_vrf', 'vsr_rid', 'vsr_family', 'vsr_type', 'vsr_marker'].includes(k) && Number(v) !== 0) {
      state.vrfStats.add(request.fields.vsr_vrf, k as keyof MessageFields<'vr_vrf_stats_req'>, Number(v))
    }
  }
}

function checkReferences(section: Section, request: SandeshObject, entry: Entry, defined: Record<'interfaces' | 'nexthops', Set<number>>, at: Locator, path: Path): void {
  for (const ref of section.references) {
    if (entry[ref.field] === undefined) continue
    const wire = (request.fields as Record<string, unknown>)[fieldName(section, ref.field)]
    const values = (Array.isArray(wire) ? wire : [wire]) as number[]
    for (const v of values) {
      if (ref.none?.includes(v) || defined[ref.section].has(v)) continue
      throw at.error([...path, ref.field], `${ref.section === 'interfaces' ? 'interface' : 'next hop'} ${v} is not defined in ${ref.section}`)
    }
  }
}

function fieldName(section: Section, key: string): string {
  return writableFields(section.message).find((f) => scenarioKey(section.message, f) === key)!.name
}
