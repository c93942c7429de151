/** `vrouter --info`: the stock tool's report of vrouter_ops (TF utils/vrouter.c), byte for byte. */
import {VROUTER_LOG_LEVELS, VROUTER_LOG_TYPES, enumName} from '../model/constants.js'
import type {MessageFields} from '../sandesh/schema.js'

type Ops = MessageFields<'vrouter_ops'>

/** The stock usage text (the kernel build's; its typos kept). */
export const VROUTER_USAGE = `Usage:
vrouter --info | --help
vrouter ([--set-mudp <0|1>] [--from_vm_mss_adj <0|1>]...
         [--flow_hold_limit <0|1>]...)
vrouter ([--burst_tokens <int>>] [--burst_interval<int>]...
         [--burst_step<int>]...)

--info Dumps information about vrouter
--perfr <0|1> Turn on|off GRO
--perfs <0|1> Turn on|off segmentation in software
--from_vm_mss_adj <0|1> Turn on|off TCP MSS on packets from VM
--to_vm_mss_adj <0|1> Turn on|off TCP MSS on packets to VM
--perfr1 <0|1> RPS after pulling inner hdr
--perfr2 <0|1> RPS after GRO on pkt1
--perfr3 <0|1> RPS from phys rx handler
--perfp <0|1>  Pull inner hdr (faster version)
--perfq1 <cpu> CPU to send pkts to if perfr1 set
--perfq2 <cpu> CPU to send pkts to if perfr2 set
--perfq3 <cpu> CPU to send pkts to if perfr3 set
--udp_coff <0|1> NIC cksum offload for outer UDP hdr
--flow_hold_limit <0|1> Turn on|off flow hold limit
--mudp <0|1> Turn on|off MPLS over UDP globally
--burst_tokens <int> total burst tokens 
--burst_interval <int> timer interval of burst tokens in ms
--burst_step <int> burst tokens to add at every interval
--set-priority-tagging <1 | 0> priority tagging on the NIC
--packet-dump <1 | 0> dumps packets
--help Prints this message

`

/** The usage of the stock DPDK build, with its logging options and their names. */
export const VROUTER_DPDK_USAGE = `Usage:
vrouter ([--info] [--get-log-level] [--get-enabled-log-types]) | --help
vrouter ([--set-log-level <level>] [--enable-log-type <type>]...
         [--disable-log-type <type>]...)
vrouter ([--set-mudp <0|1>] [--from_vm_mss_adj <0|1>]...
         [--flow_hold_limit <0|1>]...)
vrouter ([--burst_tokens <int>>] [--burst_interval<int>]...
         [--burst_step<int>]...)

Options:
--info Dumps information about vrouter
--get-log-level Prints current log level
--get-enabled-log-types Prints enabled log types
--set-log-level <level> Sets logging level
--enable-log-type <type> Enable given log type
--disable-log-type <type> Disable given log type
--from_vm_mss_adj <0|1> Turn on|off TCP MSS on packets from VM
--flow_hold_limit <0|1> Turn on|off flow hold limit
--mudp <0|1> Turn on|off MPLS over UDP globally
--burst_tokens <int> total burst tokens 
--burst_interval <int> timer interval of burst tokens in ms
--burst_step <int> burst tokens to add at every interval
--help Prints this message

<type> is one of:
${VROUTER_LOG_TYPES.map(([, name]) => `    ${name}\n`).join('')}
<level> is one of:
${VROUTER_LOG_LEVELS.map(([, name]) => `    ${name}\n`).join('')}
`


/** A value of the build-info JSON, found as the stock tool finds it: by substring, not by parsing. */
function buildField(info: string, key: string): string | undefined {
  const at = info.indexOf(`"${key}":`)
  if (at < 0) return undefined
  let p = at + key.length + 3
  while (info[p] === ' ' || info[p] === '"') p++
  const end = info.indexOf('"', p)
  return info.slice(p, end < 0 ? undefined : end)
}

/** The build line: a missing version or user leaves it unterminated, as the stock tool does. */
function buildLine(info: string, dpdk: boolean): string {
  let out = dpdk ? 'vRouter/DPDK version        ' : 'vRouter module version      '
  const version = buildField(info, 'build-version')
  if (version === undefined) return out
  out += ` ${version}`
  const user = buildField(info, 'build-user')
  if (user === undefined) return out
  out += ` (Built by ${user}`
  const host = buildField(info, 'build-hostname')
  const time = buildField(info, 'build-time')
  if (host !== undefined && time !== undefined) out += `@${host} on ${time}`
  return `${out})\n\n`
}

const row = (label: string, value: number) => `${`    ${label}`.padEnd(41)}${value}\n`


export interface InfoOptions {
  /** The DPDK forwarding plane (not vtest): its build line and logging lines. */
  readonly dpdk: boolean
}

export function vrouterInfo(o: Ops, options: InfoOptions): string {
  let out = o.vo_build_info ? buildLine(o.vo_build_info, options.dpdk) : ''
  out += 'Startup parameters\n'
  out += row('Interfaces limit', o.vo_interfaces)
  out += row('VRF tables limit', o.vo_vrfs)
  out += row('NextHops limit', o.vo_nexthops)
  out += row('MPLS Labels limit', o.vo_mpls_labels)
  out += row('Bridge Table limit', o.vo_bridge_entries)
  out += row('Bridge Table Overflow limit', o.vo_oflow_bridge_entries)
  out += row('Flow Table limit', o.vo_flow_entries)
  out += row('Flow Table overflow limit', o.vo_oflow_entries)
  out += row('Mirror entries limit', o.vo_mirror_entries)
  out += row('Memroy Allocation Checks', o.vo_memory_alloc_checks)
  out += row('Vif Bridge Table limit', o.vo_vif_bridge_entries)
  out += row('Vif Bridge Table Overflow limit', o.vo_vif_oflow_bridge_entries)
  out += `    Vrouter pkt drop log buf size   \t  ${o.vo_pkt_droplog_bufsz}\n`
  out += row('En/Dis pkt drop debug log infra', o.vo_pkt_droplog_buf_en)
  out += '\nRuntime parameters\n  Performance tweaks\n'
  out += row('GRO', o.vo_perfr)
  out += row('Segmentation in software', o.vo_perfs)
  out += '  TCP MSS adjust settings\n'
  out += row('TCP MSS on packets from VM', o.vo_from_vm_mss_adj)
  out += row('TCP MSS on packet sent to VM', o.vo_to_vm_mss_adj)
  out += '  RPS settings\n'
  out += row('RPS after pulling inner hdr (perfr1)', o.vo_perfr1)
  out += row('RPS after GRO on pkt1 (perfr2)', o.vo_perfr2)
  out += row('RPS from phys rx handler (perfr3)', o.vo_perfr3)
  out += row('Pull inner header (faster version)', o.vo_perfp)
  out += row('CPU to send pkts to, if perfr1 set', o.vo_perfq1)
  out += row('CPU to send pkts to, if perfr2 set', o.vo_perfq2)
  out += row('CPU to send pkts to, if perfr3 set', o.vo_perfq3)
  out += '  Other settings\n'
  out += row('NIC cksum offload for outer UDP hdr', o.vo_udp_coff)
  out += row('Flow hold limit:', o.vo_flow_hold_limit)
  out += row('MPLS over UDP globally', o.vo_mudp)
  out += row('Used Flow entries', o.vo_flow_used_entries)
  out += row('Used Over Flow entries', o.vo_flow_used_oentries)
  out += row('Used Bridge entries', o.vo_bridge_used_entries)
  out += row('Used Over Flow bridge entries', o.vo_bridge_used_oentries)
  out += row('Burst Total Tokens', o.vo_burst_tokens)
  out += row('Burst Interval', o.vo_burst_interval)
  out += row('Burst Step', o.vo_burst_step)
  out += row('NIC Priority Tagging', o.vo_priority_tagging)
  out += row('Packet dump', o.vo_packet_dump)
  out += row('Vrouter packet drop log enable', o.vo_pkt_droplog_en)
  out += `    Vrouter Packet drop log minimum enable ${o.vo_pkt_droplog_min_en}\n`
  out += `    Unconditional closure of Flow on TCP RST   ${o.vo_uncond_close_flow_on_tcp_rst}\n`
  out += '\n'
  if (options.dpdk) out += logLevelLine(o) + logTypesLine(o)
  return out
}

/** `--get-log-level` (DPDK): the level's name, UNKNOWN for one it does not name. */
export function logLevelLine(o: Ops): string {
  return `${'Current log level'.padEnd(41)}${enumName(o.vo_log_level, VROUTER_LOG_LEVELS) ?? 'UNKNOWN'}\n`
}

/**
 * `--get-enabled-log-types` (DPDK): each type's name and a space ("(null) ", glibc's printf of a NULL string, for a
 * type it does not name), or `none` and, a quirk, an empty line.
 */
export function logTypesLine(o: Ops): string {
  const types = o.vo_log_type_enable.map((t) => `${enumName(t, VROUTER_LOG_TYPES) ?? '(null)'} `).join('')
  return `${'Enabled log types'.padEnd(41)}${types || 'none\n'}\n`
}

/** The logging settings as JSON (names where the stock tool has them, the numbers otherwise). */
export function vrouterLogJson(o: Ops, what: {level: boolean; types: boolean}): Record<string, unknown> {
  return {
    ...(what.level ? {log_level: enumName(o.vo_log_level, VROUTER_LOG_LEVELS) ?? o.vo_log_level} : {}),
    ...(what.types ? {enabled_log_types: o.vo_log_type_enable.map((t) => enumName(t, VROUTER_LOG_TYPES) ?? t)} : {}),
  }
}

/** vrouter_ops as JSON: the field names without vo_. */
export function vrouterJson(o: Ops): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => k !== 'h_op').map(([k, v]) => [k.replace(/^vo_/, ''), v]))
}
