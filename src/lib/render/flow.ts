/**
 * `flow` output: the stock tool's text (TF utils/flow.c, byte for byte: the column padding, the attribute list
 * wrapped at 70 counted characters with TTL, UnderlayEcmpIdx and Sinfo left out of the count, the overflow chains of
 * slots, the missing space of "Changed NProcessed"), the JSON form of a flow, and the stock statistics screens.
 */
import {hostIntegerToIpv4, inetNtop6} from '../model/addresses.js'
import {counterJson, u64Text} from '../model/numbers.js'
import {dropSum} from './drops.js'
import {type JsonBytes, jsonShape} from './json.js'
import {nhJson} from './nh.js'
import {etherNtoa, maskedTo} from './rt.js'
import {
  AF_INET,
  AF_INET6,
  FLOW_ACTIONS,
  FLOW_DROP_REASONS,
  FLOW_DROP_REASON_LABELS,
  FLOW_FLAGS,
  FLOW_FLAG_LETTERS,
  FLOW_NAT_LETTERS,
  FLOW_TCP_FLAGS,
  IP_PROTOCOLS,
  NH_FLAG,
  NH_TYPE,
  NH_TYPE_WORDS,
  VP_TYPE,
  enumName,
  flagNames,
} from '../model/constants.js'
import {FLOW_ACTION, FLOW_FLAG, type FlowEntry, type FlowMatch, NO_MIRROR, flowCounters, flowDestination, flowSource} from '../model/flow.js'
import type {MessageFields} from '../sandesh/schema.js'

type TableData = MessageFields<'vr_flow_table_data'>

export const FLOW_USAGE = `Usage:flow [-f flow_index]
           [-d flow_index]
           [-i flow_index]
           [-e flow_index]
           [--sock-dir <netlink socket dir>
           [--mirror=mirror table index]
           [--match "match_string"
           [-l]
           [--show-evicted]
           [-r]
           [-s]
           [-p flow_count]
           [-b bunch_count]
           [-F]

-f <flow_index>  Set forward action for flow at flow_index <flow_index>
-d <flow_index>  Set drop action for flow at flow_index <flow_index>
-i <flow_index>  Invalidate flow at flow_index <flow_index>
-e <flow_index>  force evict flow at flow_index <flow_index>
-p <flow_count>  Profile time to add/delete flow entries
-b <bunch_count> Bunch flow messages in one netlink message
-F               Flush all the flows
--get            Get and print flow entry in a particular index
                 e.g.: --get <flow_index>
--mirror         Mirror index to mirror to
--match          Match criteria separated by a '&'; IP:PORT separated by a ','
                 e.g.: --match 1.1.1.1:20
                       --match "1.1.1.1:20,2.2.2.2:22"
                       --match "[fe80::225:90ff:fec3:afa]:22"
                       --match "10.204.217.10:56910 & vrf 0 & proto tcp"
                       --match "10.204.217.10:56910,169.254.0.3:22 & vrf 0 & proto tcp"
                               proto {tcp, udp, icmp, icmp6, sctp}
-l               List flows
--show-evicted   Show evicted flows too
-r               Start dumping flow setup rate
-s               Start dumping flow stats
--help           Print this help
`

/** The stock corruption message (a chained entry that links to entry 0). */
export const FLOW_CORRUPTED = '\nERROR:flow file corrupted,reload vRouter module to recover\n'

const LEGEND = `Action:F=Forward, D=Drop N=NAT(S=SNAT, D=DNAT, Ps=SPAT, Pd=DPAT, L=Link Local Port)
 Other:K(nh)=Key_Nexthop, S(nh)=RPF_Nexthop
 Flags:E=Evicted, Ec=Evict Candidate, N=New Flow, M=Modified Dm=Delete Marked
TCP(r=reverse):S=SYN, F=FIN, R=RST, C=HalfClose, E=Established, D=Dead

`
const COLUMNS = `    Index                Source:Port/Destination:Port                      Proto(V)
${'-'.repeat(83)}
`

/** vr_proto_string (utils/vr_util.c). */
export function protoName(proto: number): string {
  return enumName(proto, IP_PROTOCOLS) ?? 'UNKNOWN'
}

/** An address of `size` bytes as inet_ntop writes it. */
export function ntop(bytes: ArrayLike<number>): string {
  return bytes.length === 16 ? inetNtop6(bytes) : `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`
}

/** The flow's source or destination address as text, without cutting the key's bytes. */
function address(e: FlowEntry, which: 0 | 1): string {
  const k = e.key_ip
  if (e.fe_type === VP_TYPE.IP6) return ntop(which === 0 ? flowSource(e) : flowDestination(e))
  const o = which * 4
  return `${k[o]}.${k[o + 1]}.${k[o + 2]}.${k[o + 3]}`
}

/** fe_src_info printed as the IPv4 address of its memory bytes (a VM's vif 3 prints 3.0.0.0). */
function sourceInfo(value: number): string {
  return `${value & 0xff}.${(value >>> 8) & 0xff}.${(value >>> 16) & 0xff}.${value >>> 24}`
}

function matchDescription(match: FlowMatch): string {
  const parts: string[] = []
  for (const end of [match.first, match.second]) {
    if (end) parts.push(`${end.address ? `[${ntop(end.address)}]` : '[*]'}:${end.port >= 0 ? end.port : '*'}`)
  }
  if (match.proto >= 0) parts.push(`Protocol ${protoName(match.proto)}`)
  if (match.vrf >= 0) parts.push(`VRF ${match.vrf}`)
  return parts.join(', ')
}

/** Everything before the first flow: the table's size and counters, the legend, the match, the column header. */
export function flowListHeader(size: number, entries: number, t: TableData, match?: FlowMatch): string {
  const holdStat = t.ftable_hold_stat.slice(0, 128)
  // Quirk kept: the "Listing" line is conditioned on proto > 0 and vrf > 0 (so "vrf 0" alone prints none).
  const listing = match && (match.family || match.proto > 0 || match.vrf > 0) ? `Listing flows matching (${matchDescription(match)})\n\n` : ''
  return (
    `Flow table(size ${size}, entries ${entries})\n\n` +
    `Entries: Created ${t.ftable_created} Added ${t.ftable_added} Deleted ${t.ftable_deleted} Changed ${t.ftable_changed}Processed ${t.ftable_processed} Used Overflow entries ${t.ftable_oflow_entries}\n` +
    `(Created Flows/CPU: ${holdStat.join(' ')})(oflows ${t.ftable_hold_oflows})\n\n` +
    LEGEND +
    listing +
    COLUMNS
  )
}

function actionLetter(e: FlowEntry): string {
  switch (e.fe_action) {
    case FLOW_ACTION.HOLD:
      return 'H'
    case FLOW_ACTION.FORWARD:
      return 'F'
    case FLOW_ACTION.DROP:
      return `D(${FLOW_DROP_REASON_LABELS[e.fe_drop_reason] ?? e.fe_drop_reason})`
    case FLOW_ACTION.NAT:
      return `N(${FLOW_NAT_LETTERS.filter(([bit]) => e.fe_flags & bit).map(([, l]) => l).join('')})`
    default:
      return 'U'
  }
}

const isIp = (e: FlowEntry) => e.fe_type === VP_TYPE.IP || e.fe_type === VP_TYPE.IP6

/** The three or more lines of one flow (without the blank line after it). */
export function flowText(index: number, e: FlowEntry): string {
  let out = String(index).padStart(9) + (e.fe_rflow >= 0 ? `<=>${String(e.fe_rflow).padEnd(9)}` : ' '.repeat(12)) + '    '
  if (isIp(e)) {
    const v6 = e.fe_type === VP_TYPE.IP6 ? '    ' : ''
    const src = `${address(e, 0)}:${String(e.key_sport).padEnd(5)}${v6}`
    out += `${src.padEnd(46)}    ${String(e.key_proto).padStart(3)} (${e.fe_vrf}${e.fe_flags & FLOW_FLAG.VRFT ? `->${e.fe_dvrf}` : ''})\n`
    out += `${' '.repeat(25)}${address(e, 1)}:${String(e.key_dport).padEnd(5)}${v6}`
  }
  out += '\n'
  // The attribute list: `printed` counts what the stock tool counts, and a line breaks once it reaches 70.
  let printed = 0
  const put = (s: string) => {
    out += s
    printed += s.length
  }
  const wrap = () => {
    if (printed >= 70) {
      out += '\n'
      printed = 0
    }
  }
  put('(')
  put(`Gen: ${e.fe_gen_id}, `)
  if (isIp(e)) put(`K(nh):${e.key_nh_id}, `)
  put(`Action:${actionLetter(e)}`)
  put(', ')
  put(`Flags:${FLOW_FLAG_LETTERS.filter(([bit]) => e.fe_flags & bit).map(([, l]) => l).join('')}`)
  put(', ')
  if (e.key_proto === 6) put(`TCP:${FLOW_TCP_FLAGS.filter(([bit]) => e.fe_tcp_flags & bit).map(([, , l]) => l).join('')}, `)
  if (e.fe_ecmp_nh_index >= 0) put(`E:${e.fe_ecmp_nh_index}, `)
  put(`QOS:${e.fe_qos_id}, `)
  put(`S(nh):${e.fe_src_nh_index}, `)
  wrap()
  put(` Stats:${e.flow_packets}/${e.flow_bytes}, `)
  wrap()
  if (e.fe_flags & FLOW_FLAG.MIRROR) {
    put(' Mirror Index :')
    if (e.fe_mirror_id < NO_MIRROR) put(` ${e.fe_mirror_id}`)
    if (e.fe_sec_mirror_id < NO_MIRROR) put(`, ${e.fe_sec_mirror_id}, `)
    wrap()
  }
  put(` SPort ${e.fe_udp_src_port},`)
  wrap()
  out += ` TTL ${e.fe_ttl},`
  wrap()
  if (e.fe_underlay_ecmp_index !== undefined && e.fe_underlay_ecmp_index >= 0) {
    out += ` UnderlayEcmpIdx:${e.fe_underlay_ecmp_index},`
    wrap()
  }
  const flags1 = e.fe_flags1 ?? 0
  if (flags1 & 0x1000) put(' HbsLeft,')
  else if (flags1 & 0x2000) put(' HbsRight,')
  out += ` Sinfo ${sourceInfo(e.fe_src_info)})`
  return out
}

/**
 * One slot of `flow -l`: its flow, then the overflow entries chained from it (an inactive slot heading a chain is
 * shown by its index alone), then a blank line — or the stock corruption message, which ends the listing.
 */
export function flowSlotText(slot: {index: number; flow?: FlowEntry; chain: readonly number[]; broken?: {kind: string}}): string {
  let out = slot.flow ? flowText(slot.index, slot.flow) : ''
  if (slot.chain.length > 0) {
    if (!slot.flow) out += String(slot.index).padStart(6)
    out += '\n     Oflow entries:\n\t'
    let printed = 0
    for (const index of slot.chain) {
      const item = ` ${index}`
      out += item
      printed += item.length
      if (printed > 65) {
        out += '\n     '
        printed = 0
      }
    }
  }
  if (slot.broken?.kind === 'zero') return out + FLOW_CORRUPTED
  return slot.flow || slot.chain.length > 0 ? `${out}\n\n` : out
}

const names = (value: number, table: readonly (readonly [number, string, ...unknown[]])[]) => table.filter(([bit]) => value & bit).map(([, name]) => name)

/**
 * A flow as JSON (docs/json/flow.schema.json): names instead of letters, counters with their overflow bits. Members
 * whose value depends only on a flags word or an enumeration are encoded once per value (`by`) in listings.
 */
const FLOW_JSON = jsonShape<FlowEntry>([
  {key: 'index', value: (_e, index) => index},
  {key: 'reverse_index', value: (e) => (e.fe_rflow >= 0 ? e.fe_rflow : null)},
  {key: 'family', value: (e) => (e.fe_type === VP_TYPE.IP ? 'inet' : e.fe_type === VP_TYPE.IP6 ? 'inet6' : null), by: (e) => e.fe_type},
  {key: 'source', value: (e) => (isIp(e) ? address(e, 0) : null)},
  {key: 'source_port', value: (e) => e.key_sport},
  {key: 'destination', value: (e) => (isIp(e) ? address(e, 1) : null)},
  {key: 'destination_port', value: (e) => e.key_dport},
  {key: 'protocol', value: (e) => e.key_proto},
  {key: 'protocol_name', value: (e) => protoName(e.key_proto), by: (e) => e.key_proto},
  {key: 'vrf', value: (e) => e.fe_vrf},
  {key: 'destination_vrf', value: (e) => (e.fe_flags & FLOW_FLAG.VRFT ? e.fe_dvrf : null)},
  {key: 'action', value: (e) => enumName(e.fe_action, FLOW_ACTIONS) ?? e.fe_action, by: (e) => e.fe_action},
  {
    key: 'drop_reason',
    value: (e) => (e.fe_action === FLOW_ACTION.DROP ? (enumName(e.fe_drop_reason, FLOW_DROP_REASONS) ?? e.fe_drop_reason) : null),
    by: (e) => (e.fe_action === FLOW_ACTION.DROP ? e.fe_drop_reason : -1),
  },
  {key: 'flags', value: (e) => flagNames(e.fe_flags, FLOW_FLAGS).names, by: (e) => e.fe_flags},
  {key: 'tcp_flags', value: (e) => (e.key_proto === 6 ? names(e.fe_tcp_flags, FLOW_TCP_FLAGS) : null), by: (e) => (e.key_proto === 6 ? e.fe_tcp_flags : -1)},
  {key: 'gen_id', value: (e) => e.fe_gen_id},
  {key: 'key_nexthop', value: (e) => e.key_nh_id},
  {key: 'rpf_nexthop', value: (e) => e.fe_src_nh_index},
  {key: 'ecmp_index', value: (e) => (e.fe_ecmp_nh_index >= 0 ? e.fe_ecmp_nh_index : null)},
  {key: 'underlay_ecmp_index', value: (e) => (e.fe_underlay_ecmp_index !== undefined && e.fe_underlay_ecmp_index >= 0 ? e.fe_underlay_ecmp_index : null)},
  {key: 'qos_id', value: (e) => e.fe_qos_id},
  {key: 'packets', value: (e) => flowCounters(e).packets},
  {key: 'bytes', value: (e) => flowCounters(e).bytes},
  {key: 'mirror', value: (e) => (e.fe_flags & FLOW_FLAG.MIRROR ? [e.fe_mirror_id, e.fe_sec_mirror_id].filter((m) => m < NO_MIRROR) : null)},
  {key: 'udp_source_port', value: (e) => e.fe_udp_src_port},
  {key: 'ttl', value: (e) => e.fe_ttl},
  {key: 'hbs', value: (e) => ((e.fe_flags1 ?? 0) & 0x1000 ? 'left' : (e.fe_flags1 ?? 0) & 0x2000 ? 'right' : null), by: (e) => (e.fe_flags1 ?? 0) & 0x3000},
  {key: 'source_info', value: (e) => sourceInfo(e.fe_src_info)},
])

export function flowJson(index: number, e: FlowEntry): Record<string, unknown> {
  return FLOW_JSON.object(e, index)
}

/** Appends JSON.stringify(flowJson(index, e)) to `out` as bytes, written faster (for listings of many flows). */
export function writeFlowJson(index: number, e: FlowEntry, out: JsonBytes): void {
  FLOW_JSON.write(e, index, out)
}

const field = (name: string) => `${name}:`.padEnd(30)
const SPACES = ' '.repeat(30)

type Nh = MessageFields<'vr_nexthop_req'>
type Vif = MessageFields<'vr_interface_req'>
type Route = MessageFields<'vr_route_req'>
type Drops = MessageFields<'vr_drop_stats_req'>

/**
 * A next hop as `flow --get` shows it: with its interface (and the name the local host has for the interface's OS
 * index, '' when none), and for an ECMP composite the member the stock tool fetches again while printing (the one
 * the reverse flow's ECMP index picks; shown without an interface, as the stock tool passes the composite's none).
 */
export interface FlowHop {
  readonly nexthop: Nh
  readonly vif?: {readonly fields: Vif; readonly name: string}
  readonly member?: FlowHop
}

/** A route of the flow's source or destination, its next hop, and the bridge route of the MAC it carries. */
export interface FlowRouteInfo {
  readonly route: Route
  readonly hop?: FlowHop
  readonly bridge?: {readonly route: Route; readonly hop: FlowHop}
}

export interface FlowMirrorInfo {
  readonly index: number
  readonly nexthop: Nh
}

/** What `flow --get` fetches over ksync before printing (utils/flow.c flow_get_entry). */
export interface FlowDetailContext {
  /** The reverse flow's ECMP index when the source next hop is an ECMP composite, else -1 (marks the member with `*`). */
  readonly ecmpIndex: number
  readonly expectedSource?: FlowHop
  /** The ECMP composite source's members, fetched (up to 16) but not printed by the stock tool. */
  readonly components: readonly Nh[]
  readonly source?: FlowRouteInfo
  readonly destination?: FlowRouteInfo
  readonly primaryMirror?: FlowMirrorInfo
  readonly secondaryMirror?: FlowMirrorInfo
  readonly drops: Drops
}

/** FLOW_COMPONENT_NH_COUNT: members listed (and fetched) at most. */
export const FLOW_COMPONENT_NH_COUNT = 16

const nhHeader = (nh: Nh) => `NextHop(Index, VRF, Type): ${nh.nhr_id >>> 0}, ${nh.nhr_vrf >>> 0}, ${NH_TYPE_WORDS[nh.nhr_type] ?? 'NONE'}\n`

/** A tunnel's address by its family: nothing for another family. */
function tunnelAddress(nh: Nh, which: 'sip' | 'dip'): string | undefined {
  if (nh.nhr_family === AF_INET) return hostIntegerToIpv4(which === 'sip' ? nh.nhr_tun_sip : nh.nhr_tun_dip)
  if (nh.nhr_family === AF_INET6) return inetNtop6(which === 'sip' ? nh.nhr_tun_sip6 : nh.nhr_tun_dip6)
  return undefined
}

function vifLines(hop: FlowHop, ingress: boolean): string {
  if (!hop.vif) return ''
  const v = hop.vif.fields
  const errors = BigInt.asUintN(64, BigInt(v.vifr_ierrors) + BigInt(v.vifr_oerrors))
  return (
    `${SPACES}${ingress ? 'Ingress' : 'Egress'} Interface(Index, VRF, OS): vif0/${v.vifr_idx >>> 0}, ${v.vifr_vrf}, ${hop.vif.name}\n` +
    `${SPACES}Interface Statistics(Out, In, Errors): ${u64Text(v.vifr_opackets)}, ${u64Text(v.vifr_ipackets)}, ${errors}\n`
  )
}

/** flow_dump_nexthop: encap and receive, tunnel, ECMP composite; other types print nothing (not even a newline). */
function hopText(hop: FlowHop, ingress: boolean, ecmpIndex: number): string {
  const nh = hop.nexthop
  switch (nh.nhr_type) {
    case NH_TYPE.ENCAP:
    case NH_TYPE.RCV:
      return nhHeader(nh) + vifLines(hop, ingress)
    case NH_TYPE.TUNNEL: {
      const address = tunnelAddress(nh, 'dip')
      // The tunnel's destination, under the stock label "Tunnel Source".
      return `${nhHeader(nh)}${SPACES}Tunnel Source: ${address === undefined ? '' : `${address}\n`}${vifLines(hop, ingress)}`
    }
    case NH_TYPE.COMPOSITE: {
      let out = nhHeader(nh) + SPACES
      if (nh.nhr_flags & NH_FLAG.COMPOSITE_ECMP) {
        const members = nh.nhr_nh_list.slice(0, FLOW_COMPONENT_NH_COUNT).map((id, i) => `${id}${i === ecmpIndex ? '*' : ''}, `)
        out += `ECMP\n${SPACES}${members.join('')}\n${SPACES}`
        if (ecmpIndex >= 0 && hop.member) out += hopText(hop.member, ingress, ecmpIndex)
      }
      return out
    }
    default:
      return ''
  }
}

/** The Source / Destination Information block of a route (its prefix masked to its length). */
function routeText(title: string, macLabel: string, info: FlowRouteInfo, ingress: boolean, ecmpIndex: number): string {
  const r = info.route
  let out = `${field(title)}VRF: ${r.rtr_vrf_id >>> 0}\n${SPACES}Layer 3 Route Information\n`
  out += `${SPACES}Matching Route: ${ntop(maskedTo(r.rtr_prefix, r.rtr_prefix_len))}/${String(r.rtr_prefix_len).padEnd(2)}\n`
  if (info.hop) out += SPACES + hopText(info.hop, ingress, ecmpIndex)
  // Any MAC the reply carries (zeros too) makes the Layer 2 part; only a valid one was looked up in the bridge table.
  if (r.rtr_mac.length > 0) {
    out += `\n${SPACES}Layer 2 Route Information\n${SPACES}${macLabel}: ${etherNtoa(r.rtr_mac.slice(0, 6))}\n`
    if (info.bridge) out += SPACES + hopText(info.bridge.hop, ingress, ecmpIndex)
  }
  return out
}

/** flow_dump_mirror: a tunnel's destination and source; any other next hop by id and type (no newline after either). */
function mirrorText(nh: Nh): string {
  if (nh.nhr_type !== NH_TYPE.TUNNEL) return `NextHop ${nh.nhr_id >>> 0} of type ${nh.nhr_type}`
  const dip = tunnelAddress(nh, 'dip')
  const sip = tunnelAddress(nh, 'sip')
  let out = `NextHop ${nh.nhr_id >>> 0}\n${SPACES}To Destination ${dip === undefined ? '' : `${dip} `}`
  out += nh.nhr_vrf < 0 ? `in the same VRF (${nh.nhr_vrf})\n` : `in VRF ${nh.nhr_vrf}\n`
  return out + SPACES + (nh.nhr_flags & NH_FLAG.TUNNEL_SIP_COPY ? 'Tunnel Source IP from packet\n' : `Tunnel Source IP ${sip === undefined ? '' : `${sip} `}`)
}

/**
 * `flow --get`: the flow as utils/flow.c flow_dump_entry prints it, from the entry, its reverse flow (for NAT) and
 * what was fetched over ksync (`context`; without it, as with --file and no forwarding plane, only the flow's own
 * fields). The stock tool's `system("clear")` before the block is not reproduced.
 */
export function flowDetail(index: number, e: FlowEntry, reverse?: FlowEntry, context?: FlowDetailContext): string {
  const ip = isIp(e)
  const src = ip ? ntop(flowSource(e)) : ''
  const dst = ip ? ntop(flowDestination(e)) : ''
  const rvalid = (e.fe_flags & FLOW_FLAG.RFLOW_VALID) !== 0 && e.fe_rflow >= 0
  let out = `${field('Flow Index')}${index}\n${field('Flow Generation ID')}${e.fe_gen_id}\n${field('Reverse Flow Index')}${rvalid ? e.fe_rflow : -1}\n`
  out += `${field('VRF')}${e.fe_vrf}\n${field('Destination VRF')}${e.fe_flags & FLOW_FLAG.VRFT ? e.fe_dvrf : e.fe_vrf}\n`
  out += `${field('Flow Source')}[${src}]:${String(e.key_sport).padEnd(5)}\n${field('Flow Destination')}[${dst}]:${String(e.key_dport).padEnd(5)}\n`
  out += `${field('Flow Protocol')}${protoName(e.key_proto)}\n`
  if (e.fe_underlay_ecmp_index !== undefined && e.fe_underlay_ecmp_index >= 0) out += `${field('Flow Underlay ECMP Index')}${e.fe_underlay_ecmp_index}\n`
  out += field('Flow Action')
  switch (e.fe_action) {
    case FLOW_ACTION.HOLD:
      out += 'HOLD'
      break
    case FLOW_ACTION.FORWARD:
      out += 'FORWARD'
      break
    case FLOW_ACTION.DROP:
      out += `DROP:${SPACES}${FLOW_DROP_REASON_LABELS[e.fe_drop_reason] ?? '(null)'}`
      break
    case FLOW_ACTION.NAT:
      out += `NAT: ${FLOW_NAT_LETTERS.filter(([bit]) => e.fe_flags & bit).map(([, , words]) => `${words}, `).join('')}`
      break
    default:
      out += 'Unknown'
  }
  out += '\n'
  if (e.fe_action === FLOW_ACTION.NAT) {
    out += `${SPACES}NAT(Source, Destination): `
    if (reverse) {
      const rsrc = ntop(flowSource(reverse))
      const rdst = ntop(flowDestination(reverse))
      out += `[${e.fe_flags & FLOW_FLAG.SNAT ? rdst : src}]:${e.fe_flags & FLOW_FLAG.SPAT ? reverse.key_dport : e.key_sport}, `
      out += `[${e.fe_flags & FLOW_FLAG.DNAT ? rsrc : dst}]:${e.fe_flags & FLOW_FLAG.DPAT ? reverse.key_sport : e.key_dport}`
    }
    out += '\n'
  }
  const ecmp = context?.ecmpIndex ?? -1
  if (context?.expectedSource) out += field('Expected Source') + hopText(context.expectedSource, true, ecmp)
  if (context?.source) out += routeText('Source Information', 'SourceMAC', context.source, true, ecmp)
  if (context?.destination) out += routeText('Destination Information', 'DestinationMAC', context.destination, false, ecmp)
  out += `\n${field('Flow Flags')}${[...FLOW_FLAG_LETTERS, [FLOW_FLAG.MIRROR, '', 'MIRROR'] as const].filter(([bit, , words]) => words && e.fe_flags & bit).map(([, , words]) => `${words} `).join('')}\n`
  if (e.key_proto === 6) out += `${field('TCP FLAGS')}${FLOW_TCP_FLAGS.filter(([bit]) => e.fe_tcp_flags & bit).map(([, , , words]) => `${words}, `).join('')}\n`
  out += `${field('UDP Source Port')}${e.fe_udp_src_port}\n`
  if (e.fe_flags & FLOW_FLAG.MIRROR) {
    out += `\n${field('Mirror Index')}`
    if (e.fe_mirror_id < NO_MIRROR) out += String(e.fe_mirror_id)
    if (e.fe_sec_mirror_id < NO_MIRROR) out += `, ${e.fe_sec_mirror_id}, `
    // Straight after the indexes, on the same line: the stock tool prints no newline between.
    if (context?.primaryMirror) out += field('Primary Mirror') + mirrorText(context.primaryMirror.nexthop)
    if (context?.secondaryMirror) out += field('Secondary Mirror') + mirrorText(context.secondaryMirror.nexthop)
  }
  out += `\n${field('Flow Statistics')}${e.flow_packets}/${e.flow_bytes}\n`
  if (context) {
    out += `${field('System Wide Packet Drops')}${dropSum(context.drops, 'system-wide')}\n`
    out += `${SPACES}Reverse Path Failures: ${u64Text(context.drops.vds_invalid_source)}\n`
    // Printed with PRId64: a sum past 2^63 shows negative.
    out += `${SPACES}Flow Block Drops: ${BigInt.asIntN(64, dropSum(context.drops, 'flow-block'))}\n`
  }
  return out
}

/** A sum for JSON: a number while exact, else decimal text (as counterJson). */
const sumJson = (v: bigint) => (v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString())

const hopJson = (hop: FlowHop): Record<string, unknown> => {
  const v = hop.vif?.fields
  return {
    nexthop: nhJson(hop.nexthop),
    interface: v
      ? {index: v.vifr_idx, vrf: v.vifr_vrf, os_index: v.vifr_os_idx, os_name: hop.vif!.name || null, out_packets: counterJson(v.vifr_opackets), in_packets: counterJson(v.vifr_ipackets), errors: sumJson(BigInt.asUintN(64, BigInt(v.vifr_ierrors) + BigInt(v.vifr_oerrors)))}
      : null,
    member: hop.member ? hopJson(hop.member) : null,
  }
}

const routeJson = (info: FlowRouteInfo): Record<string, unknown> => {
  const r = info.route
  return {
    vrf: r.rtr_vrf_id,
    prefix: `${ntop(maskedTo(r.rtr_prefix, r.rtr_prefix_len))}/${r.rtr_prefix_len}`,
    nexthop_id: r.rtr_nh_id,
    mac: r.rtr_mac.length > 0 ? etherNtoa(r.rtr_mac.slice(0, 6)) : null,
    path: info.hop ? hopJson(info.hop) : null,
    bridge: info.bridge ? {mac: etherNtoa(info.bridge.route.rtr_mac.slice(0, 6)), nexthop_id: info.bridge.route.rtr_nh_id, path: hopJson(info.bridge.hop)} : null,
  }
}

const mirrorJson = (m: FlowMirrorInfo | undefined) => (m ? {index: m.index, nexthop: nhJson(m.nexthop)} : null)

/** `flow --get --json`: the flow's members, and what was fetched for it (docs/json/flow.schema.json). */
export function flowDetailJson(index: number, e: FlowEntry, context?: FlowDetailContext): Record<string, unknown> {
  const flow = flowJson(index, e)
  if (!context) return flow
  return {
    ...flow,
    expected_source: context.expectedSource
      ? {...hopJson(context.expectedSource), ecmp_index: context.ecmpIndex >= 0 ? context.ecmpIndex : null, components: context.components.map((nh) => nhJson(nh))}
      : null,
    source_information: context.source ? routeJson(context.source) : null,
    destination_information: context.destination ? routeJson(context.destination) : null,
    mirrors: e.fe_flags & FLOW_FLAG.MIRROR ? {primary: mirrorJson(context.primaryMirror), secondary: mirrorJson(context.secondaryMirror)} : null,
    drops: {
      system_wide: sumJson(dropSum(context.drops, 'system-wide')),
      reverse_path_failures: counterJson(context.drops.vds_invalid_source),
      flow_block: sumJson(dropSum(context.drops, 'flow-block')),
    },
  }
}

/** The counts of `flow -s` from one scan of the table. */
export interface FlowCounts {
  total: number
  active: number
  forward: number
  drop: number
  nat: number
}

export function flowStatsScreen(time: string, now: FlowCounts, before: FlowCounts, hold: number, holdBefore: number, rates: {current: number; setup: number; teardown: number; total: number}): string {
  const n = (v: number, w: number) => String(v).padStart(w)
  return `${time}
Flow Statistics
---------------
    Total  Entries  --- Total = ${n(now.total, 7)}, new = ${n(now.total - before.total, 7)} 
    Active Entries  --- Total = ${n(now.active, 7)}, new = ${n(now.active - before.active, 7)} 
    Hold   Entries  --- Total = ${n(hold, 7)}, new = ${n(hold - holdBefore, 7)} 
    Fwd flow Entries  - Total = ${n(now.forward, 7)}
    drop flow Entries - Total = ${n(now.drop, 7)}
    NAT flow Entries  - Total = ${n(now.nat, 7)}

    Rate of change of Active Entries
    --------------------------------
        current rate      = ${n(rates.current, 8)}
        Avg setup rate    = ${n(rates.setup, 8)}
        Avg teardown rate = ${n(rates.teardown, 8)}
    Rate of change of Flow Entries
    ------------------------------
        current rate      = ${n(rates.total, 8)}
`
}

/** One line of `flow -r`. */
export function flowRateLine(time: string, t: TableData, counts: {processed: number; added: number; deleted: number; hold: number}, rate: number): string {
  const n = (v: number | bigint, w: number) => String(v).padStart(w)
  return `${time}:  Entries = ${n(t.ftable_used_entries, 8)} Rate = ${n(rate, 6)} (Fwd = ${n(counts.processed, 8)} Rev = ${n(counts.added, 8)} Del = ${n(counts.deleted, 8)}) Hold = ${n(counts.hold, 8)} Free Burst Tokens = ${n(t.ftable_burst_free_tokens, 8)} Total Hold Entries ${n(t.ftable_hold_entries, 8)}\n`
}
