/**
 * `vrmemstats` output (TF utils/vrmemstats.c): a heading, the totals, then one line per object kind — its label
 * padded to 32 columns and the count — in the stock order. The JSON form uses the field names without vms_.
 */
import {counterJson, u64Text} from '../model/numbers.js'
import type {MessageFields} from '../sandesh/schema.js'

type MemStats = MessageFields<'vr_mem_stats_req'>

/**
 * Label and counter in the stock order, labels as printed (the stock spellings kept: "Mirror MetMirror Meta";
 * the one label longer than its column carries its own three spaces and pushes its value right).
 */
const MEM_LABELS: readonly (readonly [string, keyof MemStats])[] = [
  ['Assembler Table', 'vms_assembler_table_object'],
  ['Bridge MAC', 'vms_bridge_mac_object'],
  ['Btable', 'vms_btable_object'],
  ['Build Info', 'vms_build_info_object'],
  ['Defer', 'vms_defer_object'],
  ['Drop Stats', 'vms_drop_stats_object'],
  ['Drop Stats Request', 'vms_drop_stats_req_object'],
  ['Flow queue', 'vms_flow_queue_object'],
  ['Flow Request', 'vms_flow_req_object'],
  ['Flow Request Path', 'vms_flow_req_path_object'],
  ['Flow Hold Stat', 'vms_flow_hold_stat_object'],
  ['Flow Link Local', 'vms_flow_link_local_object'],
  ['Flow Metadata', 'vms_flow_metadata_object'],
  ['Flow Table Data', 'vms_flow_table_data_object'],
  ['Flow Table Info', 'vms_flow_table_info_object'],
  ['Fragment', 'vms_fragment_object'],
  ['Fragment Queue', 'vms_fragment_queue_object'],
  ['Fragment Queue Element', 'vms_fragment_queue_element_object'],
  ['Fragment Scanner', 'vms_fragment_scanner_object'],
  ['Host Packet Pool', 'vms_hpacket_pool_object'],
  ['Hash Table', 'vms_htable_object'],
  ['Interface', 'vms_interface_object'],
  ['Interface Bridge Lock', 'vms_interface_bridge_lock_object'],
  ['Interface Fat Flow Config', 'vms_interface_fat_flow_config_object'],
  ['Interface MAC', 'vms_interface_mac_object'],
  ['Interface Mirror Meta Objects', 'vms_interface_mirror_meta_object'],
  ['Interface Request', 'vms_interface_req_object'],
  ['Interface Request MAC', 'vms_interface_req_mac_object'],
  ['Interface Request PBB MAC', 'vms_interface_req_pbb_mac_object'],
  ['Interface Req Bridge ID', 'vms_interface_req_bridge_id_object'],
  ['Interface Mirror Req Meta Objects   ', 'vms_interface_req_mirror_meta_object'],
  ['Interface Queue', 'vms_interface_queue_object'],
  ['Interface Request Name', 'vms_interface_req_name_object'],
  ['Interface Stats', 'vms_interface_stats_object'],
  ['Interface Table', 'vms_interface_table_object'],
  ['VRF Table', 'vms_interface_vrf_table_object'],
  ['Index Table', 'vms_itable_object'],
  ['Malloc', 'vms_malloc_object'],
  ['Message', 'vms_message_object'],
  ['Message Response', 'vms_message_response_object'],
  ['Message Dump', 'vms_message_dump_object'],
  ['Memory Stats Request', 'vms_mem_stats_req_object'],
  ['Mirror', 'vms_mirror_object'],
  ['Mirror Table', 'vms_mirror_table_object'],
  ['Mirror MetMirror Meta', 'vms_mirror_meta_object'],
  ['MTRIE', 'vms_mtrie_object'],
  ['Mtrie Bucket', 'vms_mtrie_bucket_object'],
  ['Mtrie Stats', 'vms_mtrie_stats_object'],
  ['Mtrie Table', 'vms_mtrie_table_object'],
  ['Network Address', 'vms_network_address_object'],
  ['Nexthop', 'vms_nexthop_object'],
  ['NextHop Component', 'vms_nexthop_component_object'],
  ['NextHop Request List', 'vms_nexthop_req_list_object'],
  ['NextHop Request Encap', 'vms_nexthop_req_encap_object'],
  ['NextHop Request PBB BMAC', 'vms_nexthop_req_bmac_object'],
  ['NextHop Request', 'vms_nexthop_req_object'],
  ['Route Table', 'vms_route_table_object'],
  ['Route Request MAC object', 'vms_route_req_mac_object'],
  ['Timer', 'vms_timer_object'],
  ['Usock', 'vms_usock_object'],
  ['Usock Poll', 'vms_usock_poll_object'],
  ['Usock Buf', 'vms_usock_buf_object'],
  ['Usock Iovec', 'vms_usock_iovec_object'],
  ['Vrouter Request', 'vms_vrouter_req_object'],
  ['QOS Map Objects', 'vms_qos_map_object'],
  ['Forwarding Class Objects', 'vms_fc_object'],
  ['Fatflow v4 exclude list object', 'vms_interface_fat_flow_ipv4_exclude_list_object'],
  ['Fatflow v6 exclude list object', 'vms_interface_fat_flow_ipv6_exclude_list_object'],
]

/** --fix vrmemstats-labels: the doubled label spelled once, no label with spaces of its own. */
const FIXED_LABELS: ReadonlyMap<string, string> = new Map([['Mirror MetMirror Meta', 'Mirror Meta']])
const fixedLabel = (label: string) => FIXED_LABELS.get(label) ?? label.trimEnd()
/** With fixed labels, the column grows to the longest one, so that every value lines up. */
const FIXED_WIDTH = Math.max(32, ...MEM_LABELS.map(([label]) => fixedLabel(label).length + 1))

export interface MemStatsOptions {
  readonly fixLabels?: boolean
  /** --nonzero: only the object kinds with something outstanding. */
  readonly nonzero?: boolean
}

/** The object kinds shown: all of them, or those whose count is not zero. */
const shownLabels = (s: MemStats, nonzero: boolean) => (nonzero ? MEM_LABELS.filter(([, key]) => s[key] !== 0) : MEM_LABELS)

export function memStatsText(s: MemStats, {fixLabels = false, nonzero = false}: MemStatsOptions = {}): string {
  let out = `vRouter memory usage statistics\n\nAlloced ${u64Text(s.vms_alloced)} Freed ${u64Text(s.vms_freed)}\nOutstanding memory/object:\n\n`
  for (const [label, key] of shownLabels(s, nonzero)) out += fixLabels ? `${fixedLabel(label).padEnd(FIXED_WIDTH)}${u64Text(s[key])}\n` : `${label.padEnd(32)}${u64Text(s[key])}\n`
  return out
}

export function memStatsJson(s: MemStats, {nonzero = false}: MemStatsOptions = {}): Record<string, number | string> {
  return Object.fromEntries(
    [['alloced', counterJson(s.vms_alloced)], ['freed', counterJson(s.vms_freed)], ...shownLabels(s, nonzero).map(([, key]) => [String(key).slice(4), counterJson(s[key])])],
  )
}

/** The stock usage names the program `memstats`. */
export const VRMEMSTATS_USAGE = 'Usage: memstats [--help]\n'
