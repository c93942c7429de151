/**
 * `emulator save`: the state of a forwarding plane — the emulator's or a real vRouter's — read over ksync and
 * written as a scenario that `emulator start --scenario` loads back. Routes come back from the dumped trie leaves:
 * the leaves a route wrote carry its length, so masking a leaf's prefix to that length gives the route again.
 */
import {stringify} from 'yaml'
import {formatIp} from '../../lib/model/addresses.js'
import {FLOW_ACTIONS, FLOW_DROP_REASONS, FLOW_FLAGS, FLOW_TCP_FLAGS, VP_TYPE, enumName, flagNames} from '../../lib/model/constants.js'
import {FLOW_ACTION, FLOW_FLAG, flowCounters, flowDestination, flowSource} from '../../lib/model/flow.js'
import {FlowTableReader, detectEntrySize} from '../../lib/shm/flow-table.js'
import {openTable, tablePath} from '../../lib/shm/table.js'
import type {KsyncClient} from '../../lib/ksync/client.js'
import type {MessageFields, MessageName, SandeshObject} from '../../lib/sandesh/schema.js'
import {SandeshOp} from '../../lib/sandesh/types.js'
import {make} from '../state/common.js'
import {DROP_COUNTERS} from '../state/drops.js'
import {DROP_REASONS, VP_DROP_MAX} from '../../lib/model/constants.js'
import {DROP_LOG_PAGE, decodeDropLog} from '../../lib/model/droplog.js'
import {entryOfRecord} from './droplog.js'
import {toScenario, scenarioKey} from './fields.js'
import {SECTIONS, VROUTER_SETTINGS, writableFields} from './sections.js'

type Entry = Record<string, unknown>

const isDefault = (v: unknown) => v === 0 || v === '' || v === 0n || (Array.isArray(v) && v.length === 0)

/** A scenario entry of an object: its writable, non-zero fields, in the scenario's form. */
function entryOf(name: MessageName, fields: Record<string, unknown>): Entry {
  const entry: Entry = {}
  for (const f of writableFields(name)) {
    const v = fields[f.name]
    if (!isDefault(v)) entry[scenarioKey(name, f)] = toScenario(f, v)
  }
  return entry
}

async function collect(client: KsyncClient, request: SandeshObject): Promise<SandeshObject[]> {
  const out: SandeshObject[] = []
  try {
    for await (const o of client.dump(request)) out.push(o)
  } catch {
    // A table the forwarding plane does not have (an older generation) is simply not saved.
  }
  return out
}

/** Routes from the dumped leaves of one VRF and family. */
function routesOf(leaves: SandeshObject<'vr_route_req'>[]): Entry[] {
  const seen = new Set<string>()
  const routes: Entry[] = []
  for (const {fields: f} of leaves) {
    const plen = f.rtr_replace_plen
    // Leaves nobody wrote: the table's initial discard entry.
    if (plen === 0 && f.rtr_nh_id === 0 && f.rtr_label === 0xffffff) continue
    const prefix = f.rtr_prefix.map((b, i) => b & ((0xff << (8 - Math.max(0, Math.min(8, plen - 8 * i)))) & 0xff))
    const key = `${prefix.join('.')}/${plen}`
    if (seen.has(key)) continue
    seen.add(key)
    routes.push(
      entryOf('vr_route_req', {
        ...f,
        rtr_prefix: prefix,
        rtr_prefix_len: plen,
        rtr_replace_plen: 0,
        // No label is 0xffffff in the table: leave it out, so that loading does not set the label-valid flag.
        rtr_label: f.rtr_label === 0xffffff ? 0 : f.rtr_label,
        rtr_mac: f.rtr_index === -1 ? [] : f.rtr_mac,
      }),
    )
  }
  return routes
}

const friendly = (name: string) => name.toLowerCase().replaceAll('_', '-')

/**
 * The flows, read from the shared flow table the table-data reply names (a FLOW_SET is the only flow request, so
 * nothing is asked of the flows over ksync). A table that cannot be read saves no flows.
 */
async function savedFlows(client: KsyncClient): Promise<Entry[]> {
  let reader: FlowTableReader
  try {
    const [, data] = await client.request(make('vr_flow_table_data', {ftable_op: 2}))
    const t = (data as SandeshObject<'vr_flow_table_data'>).fields
    const table = openTable(tablePath('flow', t.ftable_file_path, t.ftable_dev), t.ftable_size)
    reader = new FlowTableReader(table, detectEntrySize(table))
  } catch {
    return []
  }
  try {
    const flows = [...reader.scan({showEvicted: true})].filter((slot) => slot.flow && (slot.flow.fe_type === VP_TYPE.IP || slot.flow.fe_type === VP_TYPE.IP6))
    const position = new Map(flows.map((slot, i) => [slot.index, i]))
    return flows.map(({flow: e}) => {
      const flow = e!
      const {packets, bytes} = flowCounters(flow)
      const reverse = flow.fe_flags & FLOW_FLAG.RFLOW_VALID ? position.get(flow.fe_rflow) : undefined
      const entry: Entry = {
        source: formatIp(flowSource(flow)),
        destination: formatIp(flowDestination(flow)),
        flow_sport: flow.key_sport,
        flow_dport: flow.key_dport,
        flow_proto: flow.key_proto,
        flow_nh_id: flow.key_nh_id,
        flow_vrf: flow.fe_vrf,
        ...(flow.fe_flags & FLOW_FLAG.VRFT ? {flow_dvrf: flow.fe_dvrf} : {}),
        action: friendly(enumName(flow.fe_action, FLOW_ACTIONS) ?? String(flow.fe_action)),
        flags: flagNames(flow.fe_flags & ~FLOW_FLAG.RFLOW_VALID, FLOW_FLAGS).names.map(friendly),
        ...(flow.fe_action === FLOW_ACTION.DROP ? {drop_reason: friendly(enumName(flow.fe_drop_reason, FLOW_DROP_REASONS) ?? String(flow.fe_drop_reason))} : {}),
        src_nh_index: flow.fe_src_nh_index,
        ttl: flow.fe_ttl,
        qos_id: flow.fe_qos_id,
        ecmp_nh_index: flow.fe_ecmp_nh_index,
        ...(flow.fe_flags & FLOW_FLAG.MIRROR ? {mir_id: flow.fe_mirror_id, sec_mir_id: flow.fe_sec_mirror_id} : {}),
        ...(reverse === undefined ? {} : {reverse}),
        packets,
        bytes,
        ...(flow.fe_tcp_flags ? {tcp_flags: FLOW_TCP_FLAGS.filter(([bit]) => flow.fe_tcp_flags & bit).map(([, name]) => friendly(name))} : {}),
        ...(flow.fe_udp_src_port ? {udp_src_port: flow.fe_udp_src_port} : {}),
        ...(flow.fe_src_info ? {src_info: flow.fe_src_info} : {}),
      }
      return entry
    })
  } finally {
    reader.table.close()
  }
}

/** Reads everything over ksync and returns the scenario text. */
export async function saveScenario(client: KsyncClient, options: {vrfs: number[]; description?: string}): Promise<string> {
  const doc: Record<string, unknown> = {description: options.description ?? `saved by vrouter-utils on ${new Date().toISOString()}`}
  for (const section of SECTIONS) {
    let entries: Entry[]
    if (section.key === 'routes') {
      entries = []
      for (const vrf of options.vrfs) {
        for (const family of [2, 10]) {
          const leaves = await collect(client, make('vr_route_req', {h_op: SandeshOp.DUMP, rtr_vrf_id: vrf, rtr_family: family}))
          entries.push(...routesOf(leaves as SandeshObject<'vr_route_req'>[]))
        }
        const bridge = await collect(client, make('vr_route_req', {h_op: SandeshOp.DUMP, rtr_vrf_id: vrf, rtr_family: 7}))
        entries.push(...bridge.map((o) => entryOf('vr_route_req', {...(o.fields as Record<string, unknown>), rtr_family: 7})))
      }
    } else if (section.key === 'flows') {
      entries = await savedFlows(client)
    } else if (section.key === 'vrf_assign') {
      entries = []
      const interfaces = (doc.interfaces ?? []) as Entry[]
      for (const vif of interfaces.filter((i) => Array.isArray(i.flags) && i.flags.includes('service-if'))) {
        const assigned = await collect(client, make('vr_vrf_assign_req', {h_op: SandeshOp.DUMP, var_vif_index: vif.idx as number}))
        entries.push(...assigned.map((o) => entryOf(section.message, o.fields as Record<string, unknown>)))
      }
    } else {
      const extra = section.key === 'vrf_stats' ? {vsr_family: 2} : {}
      const objects = await collect(client, make(section.message, {h_op: SandeshOp.DUMP, ...extra} as never))
      entries = objects.filter((o) => o.name === section.message).map((o) => entryOf(section.message, o.fields as Record<string, unknown>))
      if (section.key === 'nexthops') entries = entries.filter((e) => e.id !== 0)
    }
    if (entries.length > 0) doc[section.key] = entries
  }
  const [, drops] = await client.request(make('vr_drop_stats_req', {h_op: SandeshOp.GET}))
  const counters = Object.fromEntries(
    DROP_COUNTERS.map((k) => [String(k).slice(4), Number((drops as SandeshObject<'vr_drop_stats_req'>).fields[k])]).filter(([, v]) => v !== 0),
  )
  if (Object.keys(counters).length > 0) doc.drop_stats = counters
  const [, ops] = await client.request(make('vrouter_ops', {h_op: SandeshOp.GET}))
  const settings = ops.fields as MessageFields<'vrouter_ops'>
  doc.vrouter = Object.fromEntries(VROUTER_SETTINGS.map((k) => [k.slice(3), (settings as Record<string, unknown>)[k]]))
  const log = await dropLogOf(client)
  if (log) doc.drop_log = log
  return `# vrouter-utils emulator scenario (load with: vrouter-utils emulator start --scenario FILE)\n${stringify(doc, {lineWidth: 120})}`
}

/** The drop log, read page by page from every core's ring as `dropstats --log` reads it (nothing when it is off). */
async function dropLogOf(client: KsyncClient): Promise<Record<string, unknown> | undefined> {
  const entries: Record<string, unknown>[] = []
  let type = VP_DROP_MAX
  for (let core = 0, cores = 1; core < cores; core++) {
    for (let index = 0, size = DROP_LOG_PAGE; index < size; index += DROP_LOG_PAGE) {
      const [, reply] = await client.request(make('vr_pkt_drop_log_req', {h_op: SandeshOp.GET, vdl_core: core + 1, vdl_log_idx: index}))
      const f = (reply as SandeshObject<'vr_pkt_drop_log_req'> | undefined)?.fields
      if (!f || f.vdl_pkt_droplog_en !== 1 || f.vdl_pkt_droplog_sysctl_en !== 1) return undefined
      cores = f.vdl_max_num_cores
      size = f.vdl_pkt_droplog_max_bufsz
      type = f.vdl_pkt_droplog_type
      entries.push(...decodeDropLog(f.vdl_pkt_droplog_arr).filter((r) => r.vpType !== 0).map((r) => entryOfRecord(core, r)))
    }
  }
  if (entries.length === 0 && type === VP_DROP_MAX) return undefined
  return {...(type === VP_DROP_MAX ? {} : {drop_type: DROP_REASONS[type]?.[0]}), ...(entries.length > 0 ? {entries} : {})}
}
