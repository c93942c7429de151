/**
 * The sections of a scenario file: which message each holds, which fields an operator may write (derived from the
 * Sandesh schema, minus ops, markers and what the forwarding plane computes), which other objects its entries refer
 * to, and the generated JSON Schema of the whole file.
 */
import {type FieldDef, type MessageName, schemaFor} from '../../lib/sandesh/schema.js'
import {DEFAULT_CONFIG} from '../state/config.js'
import {DROP_COUNTERS} from '../state/drops.js'
import {trafficSchema} from '../traffic/scenario.js'
import {dropLogSchema} from './droplog.js'
import {type JsonSchema, fieldSchema, scenarioKey} from './fields.js'

/** A reference from a field of an entry to another section's key (for "dangling reference" errors). */
export interface Reference {
  readonly field: string
  readonly section: 'interfaces' | 'nexthops'
  /** Values that refer to nothing (e.g. -1). */
  readonly none?: readonly number[]
}

export interface Section {
  /** Key in the scenario file. */
  readonly key: string
  readonly message: MessageName
  readonly description: string
  readonly references: readonly Reference[]
}

export const SECTIONS: readonly Section[] = [
  {key: 'interfaces', message: 'vr_interface_req', description: 'vif entries (vif --list); `drops` holds their drop counters', references: [{field: 'parent_vif_idx', section: 'interfaces', none: [-1, 0]}]},
  {
    key: 'nexthops',
    message: 'vr_nexthop_req',
    description: 'next hops (nh --list); composite `nh_list` members must be defined too',
    references: [
      {field: 'encap_oif_id', section: 'interfaces', none: [-1]},
      {field: 'nh_list', section: 'nexthops', none: [-1]},
    ],
  },
  {key: 'routes', message: 'vr_route_req', description: 'routes: `prefix` as 10.1.1.0/24 or fd00::/64 (family and length from it), or `mac` for a bridge route', references: [{field: 'nh_id', section: 'nexthops'}]},
  {key: 'mpls', message: 'vr_mpls_req', description: 'incoming MPLS labels (mpls --dump)', references: [{field: 'nhid', section: 'nexthops'}]},
  {key: 'vxlan', message: 'vr_vxlan_req', description: 'VXLAN VNIs (vxlan --dump)', references: [{field: 'nhid', section: 'nexthops'}]},
  {key: 'mirrors', message: 'vr_mirror_req', description: 'mirror entries (mirror --dump)', references: [{field: 'nhid', section: 'nexthops'}]},
  {key: 'vrfs', message: 'vr_vrf_req', description: 'VRF table entries (vrftable --dump)', references: []},
  {key: 'vrf_assign', message: 'vr_vrf_assign_req', description: 'VLAN → VRF assignments of service interfaces', references: [{field: 'vif_index', section: 'interfaces'}]},
  {key: 'qos_maps', message: 'vr_qos_map_req', description: 'QoS maps (qosmap --dump-qos)', references: []},
  {key: 'fc_maps', message: 'vr_fc_map_req', description: 'forwarding classes (qosmap --dump-fc)', references: []},
  {key: 'vrf_stats', message: 'vr_vrf_stats_req', description: 'per-VRF counters (vrfstats --dump)', references: []},
  {
    key: 'flows',
    message: 'vr_flow_req',
    description: 'flows (flow -l), added as the agent adds them (FLOW_SET, placed by the hash): `source`/`destination` addresses, `reverse` the position of the reverse flow in this list, counters and TCP state as traffic would leave them',
    references: [{field: 'flow_nh_id', section: 'nexthops'}],
  },
]

/** Keys of a flow entry beyond its request's fields: its addresses, its reverse flow, what traffic made of it. */
export const FLOW_EXTRAS: Readonly<Record<string, JsonSchema>> = {
  source: {type: 'string', description: 'source address (IPv4 or IPv6; the family follows)'},
  destination: {type: 'string', description: 'destination address'},
  reverse: {type: 'integer', minimum: 0, description: 'position in `flows` of the reverse flow (both are linked)'},
  packets: {type: 'integer', minimum: 0},
  bytes: {type: 'integer', minimum: 0},
  tcp_flags: {oneOf: [{type: 'integer'}, {type: 'array', items: {type: 'string'}}], description: 'TCP state: syn, syn-r, established, established-r, fin, fin-r, rst, half-close, dead'},
  udp_src_port: {type: 'integer', minimum: 0, maximum: 65535},
  src_info: {type: 'integer', description: 'the ingress vif (VM traffic) or outer source address'},
}

/** Fields that are never written in a scenario: ops, markers, and what the forwarding plane computes. */
const COMPUTED = new Set([
  'h_op', 'vifr_marker', 'vifr_ref_cnt', 'vifr_core', 'vifr_dpackets', 'nhr_marker', 'nhr_ref_cnt', 'nhr_nh_count', 'nhr_encap_len',
  'rtr_marker', 'rtr_marker_plen', 'rtr_index', 'mr_marker', 'mirr_marker', 'mirr_users', 'vrf_marker', 'var_marker', 'qmr_marker',
  'fmr_marker', 'vsr_marker', 'vsr_family', 'vsr_type',
  // A flow's op, slot, generation and reverse are the forwarding plane's; its addresses are written as `source`/`destination`.
  'fr_op', 'fr_rid', 'fr_index', 'fr_rindex', 'fr_gen_id', 'fr_extflags', 'fr_pcap_meta_data', 'fr_flow_sip_u', 'fr_flow_sip_l', 'fr_flow_dip_u',
  'fr_flow_dip_l', 'fr_rflow_sip_u', 'fr_rflow_sip_l', 'fr_rflow_dip_u', 'fr_rflow_dip_l', 'fr_rflow_nh_id', 'fr_rflow_sport', 'fr_rflow_dport',
  'fr_mir_sip', 'fr_mir_sport', 'fr_mir_vrf',
])

/** The fields a scenario entry of `message` may hold. */
export function writableFields(message: MessageName): FieldDef[] {
  return schemaFor('current').messages.get(message)!.fields.filter((f) => !COMPUTED.has(f.name))
}

/** Settings of vrouter_ops a scenario may set (the runtime knobs and the start-up parameters of `vrouter --info`). */
export const VROUTER_SETTINGS = [
  'vo_vif_bridge_entries', 'vo_vif_oflow_bridge_entries', 'vo_pkt_droplog_bufsz', 'vo_pkt_droplog_buf_en', 'vo_pkt_droplog_en',
  'vo_pkt_droplog_min_en', 'vo_perfr', 'vo_perfs', 'vo_from_vm_mss_adj', 'vo_to_vm_mss_adj', 'vo_perfr1', 'vo_perfr2', 'vo_perfr3', 'vo_perfp', 'vo_perfq1',
  'vo_perfq2', 'vo_perfq3', 'vo_udp_coff', 'vo_flow_hold_limit', 'vo_mudp', 'vo_burst_tokens', 'vo_burst_interval', 'vo_burst_step',
  'vo_packet_dump', 'vo_priority_tagging', 'vo_log_level', 'vo_log_type_enable', 'vo_build_info', 'vo_memory_alloc_checks',
  'vo_uncond_close_flow_on_tcp_rst', 'vo_pkt_droplog_bufsz', 'vo_pkt_droplog_buf_en', 'vo_pkt_droplog_en', 'vo_pkt_droplog_min_en',
]

/** The scenario schema of a vrouter setting: most are integers. */
function settingSchema(key: string): JsonSchema {
  if (key === 'vo_build_info') return {type: 'string'}
  if (key === 'vo_log_type_enable') return {type: 'array', items: {type: 'integer'}, description: 'enabled log types (VR_LOGTYPE_* bits: 1 vrouter, 2 usock, 4 uvhost, 8 dpcore)'}
  // The drop log's ring size travels in 16 bits (vdl_pkt_droplog_max_bufsz).
  if (key === 'vo_pkt_droplog_bufsz') return {type: 'integer', minimum: 1, maximum: 32767, description: 'records per core in the drop log (fixed at load time)'}
  return {type: 'integer'}
}

function entrySchema(section: Section): JsonSchema {
  const properties: Record<string, JsonSchema> = {}
  for (const f of writableFields(section.message)) properties[scenarioKey(section.message, f)] = {...fieldSchema(f), description: f.name}
  if (section.key === 'interfaces') properties.drops = countersSchema('drop counters of this interface (dropstats names without vds_)')
  if (section.key === 'flows') Object.assign(properties, FLOW_EXTRAS)
  return {type: 'object', additionalProperties: false, properties}
}

function countersSchema(description: string): JsonSchema {
  const names = DROP_COUNTERS.map((c) => String(c).slice('vds_'.length))
  return {type: 'object', description, additionalProperties: false, properties: Object.fromEntries(names.map((n) => [n, {type: 'integer', minimum: 0}]))}
}

/** The JSON Schema of scenario files (published as docs/scenario.schema.json). */
export function scenarioSchema(): JsonSchema {
  const properties: Record<string, JsonSchema> = {
    description: {type: 'string', description: 'what this scenario is'},
    config: {
      type: 'object',
      description: 'table sizes of the emulated forwarding plane',
      additionalProperties: false,
      properties: Object.fromEntries(Object.keys(DEFAULT_CONFIG).map((k) => [k, {type: 'integer', minimum: 1}])),
    },
    drop_stats: countersSchema('global drop counters (dropstats), names without vds_'),
    vrouter: {
      type: 'object',
      description: 'runtime settings of vrouter --info (vrouter_ops names without vo_)',
      additionalProperties: false,
      properties: Object.fromEntries(VROUTER_SETTINGS.map((k) => [k.slice(3), settingSchema(k)])),
    },
    drop_log: dropLogSchema(),
    traffic: trafficSchema(),
  }
  for (const s of SECTIONS) properties[s.key] = {type: 'array', description: s.description, items: entrySchema(s)}
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'vrouter-utils emulator scenario',
    type: 'object',
    additionalProperties: false,
    properties,
  }
}
