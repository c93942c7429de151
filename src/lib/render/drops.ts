/**
 * The stock tools' drop-statistics block (dropstats, vif --get-drop-stats): each counter that is not zero, in the
 * stock print order, as `%-28s  %lu` — label in 28 columns, two spaces, value. The JSON form uses the counter names
 * without their vds_ prefix.
 */
import type {MessageFields} from '../sandesh/schema.js'
import {counterJson, u64Text} from '../model/numbers.js'
import type {Int64} from '../sandesh/types.js'

type Drops = MessageFields<'vr_drop_stats_req'>

/** Label and counter, in the order the stock tools print them. The last two only on DPDK (and vtest). */
export const DROP_LABELS: readonly (readonly [string, keyof Drops])[] = [
  ['Invalid IF', 'vds_invalid_if'],
  ['Invalid ARP', 'vds_invalid_arp'],
  ['Trap No IF', 'vds_trap_no_if'],
  ['IF TX Discard', 'vds_interface_tx_discard'],
  ['IF Drop', 'vds_interface_drop'],
  ['IF RX Discard', 'vds_interface_rx_discard'],
  ['Flow Unusable', 'vds_flow_unusable'],
  ['Flow No Memory', 'vds_flow_no_memory'],
  ['Flow Table Full', 'vds_flow_table_full'],
  ['Flow NAT no rflow', 'vds_flow_nat_no_rflow'],
  ['Flow Action Drop', 'vds_flow_action_drop'],
  ['Flow Action Invalid', 'vds_flow_action_invalid'],
  ['Flow Invalid Protocol', 'vds_flow_invalid_protocol'],
  ['Flow Queue Limit Exceeded', 'vds_flow_queue_limit_exceeded'],
  ['New Flow Drops', 'vds_drop_new_flow'],
  ['Flow Unusable (Eviction)', 'vds_flow_evict'],
  ['Original Packet Trapped', 'vds_trap_original'],
  ['Discards', 'vds_discard'],
  ['TTL Exceeded', 'vds_ttl_exceeded'],
  ['Mcast Clone Fail', 'vds_mcast_clone_fail'],
  ['Invalid NH', 'vds_invalid_nh'],
  ['Invalid Label', 'vds_invalid_label'],
  ['Invalid Protocol', 'vds_invalid_protocol'],
  ['Etree Leaf to Leaf', 'vds_leaf_to_leaf'],
  ['Bmac/ISID Mismatch', 'vds_bmac_isid_mismatch'],
  ['Rewrite Fail', 'vds_rewrite_fail'],
  ['Invalid Mcast Source', 'vds_invalid_mcast_source'],
  ['Packet Loop', 'vds_pkt_loop'],
  ['Push Fails', 'vds_push'],
  ['Pull Fails', 'vds_pull'],
  ['Duplicate', 'vds_duplicated'],
  ['Head Alloc Fails', 'vds_head_alloc_fail'],
  ['PCOW fails', 'vds_pcow_fail'],
  ['Invalid Packets', 'vds_invalid_packet'],
  ['Misc', 'vds_misc'],
  ['Nowhere to go', 'vds_nowhere_to_go'],
  ['Checksum errors', 'vds_cksum_err'],
  ['No Fmd', 'vds_no_fmd'],
  ['Invalid VNID', 'vds_invalid_vnid'],
  ['Fragment errors', 'vds_frag_err'],
  ['Invalid Source', 'vds_invalid_source'],
  ['Jumbo Mcast Pkt with DF Bit', 'vds_mcast_df_bit'],
  ['No L2 Route', 'vds_l2_no_route'],
  ['Memory Failures', 'vds_no_memory'],
  ['Fragment Queueing Failures', 'vds_fragment_queue_fail'],
  ['No Encrypt Path Failures', 'vds_no_crypt_path'],
  ['Invalid HBS received packet', 'vds_invalid_hbs_pkt'],
  ['No Fragment Entries', 'vds_no_frag_entry'],
  ['ICMP errors', 'vds_icmp_error'],
  ['Clone Failures', 'vds_clone_fail'],
  ['Invalid underlay ECMP', 'vds_invalid_underlay_ecmp'],
]

const DPDK_ONLY: readonly (readonly [string, keyof Drops])[] = [
  ['VLAN fwd intf failed TX', 'vds_vlan_fwd_tx'],
  ['VLAN fwd intf failed enq', 'vds_vlan_fwd_enq'],
]

/** An unsigned 64-bit counter as `%lu` prints it. */

export interface DropBlockOptions {
  /** The core asked for (prints `Statistics for core N` first). */
  readonly core?: number
  /** DPDK and vtest print the VLAN counters too. */
  readonly dpdk: boolean
  /** Print zero counters too (an extension: the stock tools print nothing for an idle vRouter). */
  readonly all?: boolean
}

export function dropBlock(drops: Drops, options: DropBlockOptions): string {
  let out = options.core === undefined ? '' : `Statistics for core ${options.core >>> 0}\n\n`
  if (drops.vds_pcpu_stats_failure_status) out += 'Failed to maintain PerCPU stats for this interface\n\n'
  for (const [label, key] of options.dpdk ? [...DROP_LABELS, ...DPDK_ONLY] : DROP_LABELS) {
    const v = drops[key]
    if (options.all || (v !== 0 && v !== 0n)) out += `${label.padEnd(28)}  ${u64Text(v as Int64)}\n`
  }
  return out
}

/** The counters as JSON: names without vds_, every counter (zeros included). */
export function dropsJson(drops: Drops): Record<string, number | string> {
  return Object.fromEntries(
    [...DROP_LABELS, ...DPDK_ONLY, ['Cloned Original', 'vds_cloned_original'] as const].map(([, key]) => [String(key).slice(4), counterJson(drops[key] as Int64)]),
  )
}

/**
 * The stock usage text (its TABs and the runs of spaces of the C source's line continuations kept); the --offload
 * parts only when the agent config enables offloads.
 */
export function dropstatsUsage(offload: boolean): string {
  return `Usage: dropstats [--help]
Usage: dropstats [--core|-c] <core number> ${offload ? '[--offload|-o]' : ''}

--core <core number>\t Show statistics for a specified CPU core
--sock-dir <netlink socket dir>
${offload ? '--offload\t\t Show statistics for pkts offloaded on NIC\n\t\t\t (offload stats included if no flags given)\n' : ''}--log <core number> [--show <drop-type>]\t Show Packet drops log for a specified core.. \t\tCore number starts from 1...n. If core number specified as zero, \t\tit will log for all cores 
--clear\t To clear stats counters on all cores
--debug\t To Display Debug counters
--drop-type <drop log type|help>\t Log specific Packet drops type.         Use VP_DROP_MAX to clear drop set type
--clear-drop-log\t To clear packet drops log on all cores
--min-log <1(enable)/ 0<disable)\t To set min log
`
}
