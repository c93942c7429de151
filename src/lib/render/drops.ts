/**
 * The stock tools' drop-statistics block (dropstats, vif --get-drop-stats): each counter that is not zero, in the
 * stock print order, as `%-28s  %lu` — label in 28 columns, two spaces, value. The JSON form uses the counter names
 * without their vds_ prefix.
 */
import type {MessageFields} from '../sandesh/schema.js'
import {dropCounterLabel} from '../model/constants.js'
import {counterJson, u64Text} from '../model/numbers.js'
import type {Int64} from '../sandesh/types.js'

type Drops = MessageFields<'vr_drop_stats_req'>

/** The counters (without vds_) in the order the stock tools print them. The last two only on DPDK (and vtest). */
const PRINT_ORDER = [
  'invalid_if', 'invalid_arp', 'trap_no_if', 'interface_tx_discard', 'interface_drop', 'interface_rx_discard', 'flow_unusable',
  'flow_no_memory', 'flow_table_full', 'flow_nat_no_rflow', 'flow_action_drop', 'flow_action_invalid', 'flow_invalid_protocol',
  'flow_queue_limit_exceeded', 'drop_new_flow', 'flow_evict', 'trap_original', 'discard', 'ttl_exceeded', 'mcast_clone_fail',
  'invalid_nh', 'invalid_label', 'invalid_protocol', 'leaf_to_leaf', 'bmac_isid_mismatch', 'rewrite_fail', 'invalid_mcast_source',
  'pkt_loop', 'push', 'pull', 'duplicated', 'head_alloc_fail', 'pcow_fail', 'invalid_packet', 'misc', 'nowhere_to_go', 'cksum_err',
  'no_fmd', 'invalid_vnid', 'frag_err', 'invalid_source', 'mcast_df_bit', 'l2_no_route', 'no_memory', 'fragment_queue_fail',
  'no_crypt_path', 'invalid_hbs_pkt', 'no_frag_entry', 'icmp_error', 'clone_fail', 'invalid_underlay_ecmp',
]

const labelled = (counters: readonly string[]) => counters.map((c) => [dropCounterLabel(c), `vds_${c}` as keyof Drops] as const)

/** Label and counter, in the order the stock tools print them. */
export const DROP_LABELS: readonly (readonly [string, keyof Drops])[] = labelled(PRINT_ORDER)

const DPDK_ONLY = labelled(['vlan_fwd_tx', 'vlan_fwd_enq'])

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
    [...DROP_LABELS, ...DPDK_ONLY, ...labelled(['cloned_original'])].map(([, key]) => [String(key).slice(4), counterJson(drops[key] as Int64)]),
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

/** The counters vr_sum_drop_stats (utils/vr_util.c) adds up: not all of them (flow_evict, leaf_to_leaf, icmp_error, … are not). */
const SYSTEM_WIDE = [
  'discard', 'pull', 'invalid_if', 'invalid_arp', 'trap_no_if', 'nowhere_to_go', 'flow_queue_limit_exceeded', 'flow_no_memory',
  'flow_invalid_protocol', 'flow_nat_no_rflow', 'flow_action_drop', 'flow_action_invalid', 'flow_unusable', 'flow_table_full',
  'interface_tx_discard', 'interface_drop', 'duplicated', 'push', 'ttl_exceeded', 'invalid_nh', 'invalid_label', 'invalid_protocol',
  'interface_rx_discard', 'invalid_mcast_source', 'head_alloc_fail', 'pcow_fail', 'mcast_df_bit', 'mcast_clone_fail', 'no_memory',
  'rewrite_fail', 'misc', 'invalid_packet', 'cksum_err', 'no_fmd', 'cloned_original', 'invalid_vnid', 'frag_err', 'invalid_source',
  'l2_no_route', 'fragment_queue_fail', 'vlan_fwd_tx', 'vlan_fwd_enq', 'drop_new_flow', 'trap_original', 'pkt_loop', 'no_crypt_path',
  'invalid_underlay_ecmp',
]

/** The counters flow_sum_drops_stats (utils/flow.c) adds up: the flow module's drops. */
const FLOW_BLOCK = [
  'flow_queue_limit_exceeded', 'flow_no_memory', 'flow_invalid_protocol', 'flow_nat_no_rflow', 'flow_action_drop', 'flow_action_invalid',
  'flow_unusable', 'flow_table_full', 'drop_new_flow',
]

/** A sum of counters as the stock tools' uint64_t sums it (wrapping). */
export function dropSum(drops: Drops, which: 'system-wide' | 'flow-block'): bigint {
  let sum = 0n
  for (const c of which === 'system-wide' ? SYSTEM_WIDE : FLOW_BLOCK) sum += BigInt(drops[`vds_${c}` as keyof Drops] as Int64)
  return BigInt.asUintN(64, sum)
}
