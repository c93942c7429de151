/**
 * How a dump continues, per message (the stock tools' rules): which request fields carry the marker, their starting
 * value, and how the next request's marker comes from the last object received. Markers are exclusive: the forwarding
 * plane resumes strictly after the object they name.
 */
import type {MessageName} from '../sandesh/schema.js'

type Fields = Record<string, unknown>

export interface DumpRule {
  /** Fields set in the first request of a dump. */
  readonly start: (request: Fields) => Fields
  /** Fields of the next request, from the last object of the previous page. */
  readonly next: (last: Fields, request: Fields) => Fields
}

const integerMarker = (marker: string, key: string): DumpRule => ({
  start: () => ({[marker]: -1}),
  next: (last) => ({[marker]: last[key]}),
})

/** Zero address bytes of the request's family (rtr_prefix and rtr_marker both carry the marker, as `rt` sends it). */
function routeStart(request: Fields): Fields {
  if (request.rtr_family === AF_BRIDGE) return {rtr_mac: Array<number>(6).fill(0)}
  const zero = () => Array<number>(request.rtr_family === AF_INET ? 4 : 16).fill(0)
  return {rtr_prefix: zero(), rtr_marker: zero()}
}

const AF_INET = 2
const AF_BRIDGE = 7

export const DUMP_RULES: Partial<Record<MessageName, DumpRule>> = {
  vr_interface_req: integerMarker('vifr_marker', 'vifr_idx'),
  vr_nexthop_req: integerMarker('nhr_marker', 'nhr_id'),
  vr_route_req: {
    start: routeStart,
    next: (last, request) =>
      request.rtr_family === AF_BRIDGE ? {rtr_mac: last.rtr_mac} : {rtr_prefix: last.rtr_prefix, rtr_marker: last.rtr_prefix},
  },
  vr_mpls_req: integerMarker('mr_marker', 'mr_label'),
  vr_mirror_req: integerMarker('mirr_marker', 'mirr_index'),
  vr_vxlan_req: {start: () => ({vxlanr_vnid: 0}), next: (last) => ({vxlanr_vnid: last.vxlanr_vnid})},
  vr_vrf_assign_req: integerMarker('var_marker', 'var_vlan_id'),
  vr_vrf_stats_req: integerMarker('vsr_marker', 'vsr_vrf'),
  // vrftable takes the next marker from the reply's vrf_marker (the dp leaves it unset; emulators set it to vrf_idx).
  vr_vrf_req: integerMarker('vrf_marker', 'vrf_marker'),
  vr_qos_map_req: integerMarker('qmr_marker', 'qmr_id'),
  // qosmap resumes after the last class of the last object; an object without classes leaves the marker as it was.
  vr_fc_map_req: {start: () => ({fmr_marker: -1}), next: (last, request) => ({fmr_marker: (last.fmr_id as number[]).at(-1) ?? request.fmr_marker})},
  vr_info_req: {
    start: () => ({vdu_marker: -1, vdu_buff_table_id: 0}),
    next: (last) => ({vdu_marker: last.vdu_index, vdu_buff_table_id: last.vdu_buff_table_id}),
  },
}

export function dumpRule(name: MessageName): DumpRule | undefined {
  return DUMP_RULES[name]
}

