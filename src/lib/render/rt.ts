/** `rt` output: the stock tool's route table text (TF utils/rt.c), byte for byte, and the JSON form of a route. */
import {inetNtop6} from '../model/addresses.js'
import {AF_BRIDGE, AF_INET, AF_INET6, BRIDGE_ENTRY_FLAGS, ROUTE_FLAGS, flagBit, flagLetters, flagNames} from '../model/constants.js'
import {BRIDGE_FLAG, type BridgeEntry, type HashEntryHeader} from '../model/flow.js'
import {counterJson, u64Text} from '../model/numbers.js'
import type {MessageFields} from '../sandesh/schema.js'
import {SandeshOp} from '../sandesh/types.js'

type Route = MessageFields<'vr_route_req'>

export const RT_USAGE = `Usage:    rt --dump <vrf_id> [--family <inet|inet6|bridge>]>
          rt --get <address/plen> --vrf <id> [--family <inet|inet6>]
          rt --monitor
          rt --help

--dump    Dumps the routing table corresponding to vrf_id
--family  Optional family specification to --dump command
          Specification should be one of "inet" or "bridge"
--monitor Watch for netlink broadcasted messages
--sock-dir <netlink sock dir>
--help    Prints this help message
`

/** The low-level usage (`rt --cmd`, and faults of -c/-d), with its trailing spaces. */
export const RT_COMMAND_USAGE = `Usage: c - create
       d - delete
       b - dump
       n <nhop_id> 
       p <prefix in dotted decimal form> 
       P <do proxy arp for this route> 
       F <do arp Flood for this route> 
       l <prefix_length>
       t <label/vnid>
       f <family 0 - AF_INET 1 - AF_BRIDGE 2 - AF_INET6 >
       e <mac address in : format>
       T <trap ARP requests to Agent for this route>
       M <MAC-IP learnt route>
       r <replacement route prefix length for delete>
       v <vrfid>
       x <custom flag in hexa> 
                               
           for inet(6) routes: 
          VR_RT_LABEL_VALID_FLAG      0x1
          VR_RT_ARP_PROXY_FLAG        0x2
          VR_RT_ARP_TRAP_FLAG         0x4
          VR_RT_ARP_FLOOD_FLAG        0x8
          VR_RT_MAC_IP_LEARNT_FLAG    0x10

           for bridge routes:  
          VR_BE_VALID_FLAG            0x01
          VR_BE_LABEL_VALID_FLAG      0x02
          VR_BE_FLOOD_DHCP_FLAG       0x04

`

export const LABEL_VALID = flagBit(ROUTE_FLAGS, 'LABEL_VALID')

export function rtHeader(family: 'inet' | 'inet6', vrf: number): string {
  return `Flags: L=Label Valid, P=Proxy ARP, T=Trap ARP, F=Flood ARP, Ml=MAC-IP learnt route\nvRouter ${family === 'inet' ? 'inet4' : 'inet6'} routing table 0/${vrf}/unicast\nDestination           PPL        Flags        Label         Nexthop    Stitched MAC(Index)\n`
}

/** A MAC as glibc's ether_ntoa writes it: no zero padding. */
export function etherNtoa(mac: ArrayLike<number>): string {
  return Array.from(mac, (b) => b.toString(16)).join(':')
}

export function routeAddress(prefix: ArrayLike<number>): string {
  return prefix.length === 16 ? inetNtop6(prefix) : `${prefix[0]}.${prefix[1]}.${prefix[2]}.${prefix[3]}`
}

/** The address with the bits beyond `plen` cleared (what `rt --get` prints). */
export function maskedTo(prefix: ArrayLike<number>, plen: number): number[] {
  return Array.from(prefix, (b, i) => b & ((0xff << (8 - Math.max(0, Math.min(8, plen - 8 * i)))) & 0xff))
}

/** One route line. */
export function rtLine(r: Route, prefix: ArrayLike<number> = r.rtr_prefix): string {
  const flags = flagLetters(r.rtr_label_flags, ROUTE_FLAGS)
  const label = r.rtr_label_flags & LABEL_VALID ? String(r.rtr_label).padStart(5) : '    -'
  const mac = r.rtr_mac.length > 0 ? `${etherNtoa(r.rtr_mac)}(${r.rtr_index >>> 0})` : '-'
  return `${`${routeAddress(prefix)}/${String(r.rtr_prefix_len).padEnd(2)}`.padEnd(21)}${String(r.rtr_replace_plen).padStart(4)}        ${flags.padStart(5)}      ${label}        ${String(r.rtr_nh_id).padStart(7)}        ${mac}\n`
}

export function rtJson(r: Route, prefix: ArrayLike<number> = r.rtr_prefix): Record<string, unknown> {
  return {
    prefix: `${routeAddress(prefix)}/${r.rtr_prefix_len}`,
    route_prefix_len: r.rtr_replace_plen,
    flags: ROUTE_FLAGS.filter(([bit]) => r.rtr_label_flags & bit).map(([, , letters]) => letters),
    label: r.rtr_label_flags & LABEL_VALID ? r.rtr_label : null,
    nexthop: r.rtr_nh_id,
    stitched_mac: r.rtr_mac.length > 0 ? etherNtoa(r.rtr_mac) : null,
    bridge_index: r.rtr_mac.length > 0 ? r.rtr_index >>> 0 : null,
  }
}

/**
 * `--collapse` (`--fix rt-dump-routes`): the configured routes instead of the trie leaves. Consecutive leaves covered
 * by the same route (same covering prefix and length, next hop, label, flags and stitched MAC) become one entry, the
 * route itself (`prefix/PPL`); leaves no route covers (length 0, next hop 0) are left out. A route whose leaves are
 * interrupted by a more specific one is given once. Streams: an entry is given out when the next leaf belongs to
 * another route.
 */
export class RouteCollapser {
  private current?: Route
  private key = ''
  private readonly given = new Set<string>()

  /** The previous route, when this leaf starts another one. */
  push(leaf: Route): Route | undefined {
    if (leaf.rtr_replace_plen === 0 && leaf.rtr_nh_id === 0) return this.end()
    const prefix = maskedTo(leaf.rtr_prefix, leaf.rtr_replace_plen)
    const key = [routeAddress(prefix), leaf.rtr_replace_plen, leaf.rtr_nh_id, leaf.rtr_label, leaf.rtr_label_flags, leaf.rtr_index, etherNtoa(leaf.rtr_mac)].join(' ')
    if (key === this.key) return undefined
    const done = this.end()
    if (!this.given.has(key)) {
      this.given.add(key)
      this.key = key
      this.current = {...leaf, rtr_prefix: prefix, rtr_prefix_len: leaf.rtr_replace_plen}
    }
    return done
  }

  /** The last route. */
  end(): Route | undefined {
    const done = this.current
    this.current = undefined
    this.key = ''
    return done
  }
}

/** The bridge table's legend and header (utils/rt.c dump_legend, vr_print_rtable_header). */
export function bridgeHeader(vrf: number): string {
  return `Flags: L=Label Valid, Df=DHCP flood, Mm=Mac Moved, L2c=L2 Evpn Control Word, N=New Entry, Ec=EvpnControlProcessing
vRouter bridge table 0/${vrf}
Index       DestMac                  Flags           Label/VNID      Nexthop           Stats
`
}

/** What a bridge line shows of an entry of the table (or of a bridge route GET's reply, whose MAC is a byte list). */
export type BridgeRoute = Omit<BridgeEntry, keyof HashEntryHeader | 'be_mac'> & {readonly be_mac: ArrayLike<number>}

/** A bridge entry's flag letters: the entry flags, then "Ml" for bit 0x10 read as the route flag (so "L2cMl", stock quirk). */
function bridgeFlags(flags: number): string {
  return flagLetters(flags, BRIDGE_ENTRY_FLAGS) + (flags & 0x10 ? 'Ml' : '')
}

/** One bridge entry line (utils/rt.c vr_bridge_print_route). */
export function bridgeLine(index: number, e: BridgeRoute): string {
  const label = e.be_flags & BRIDGE_FLAG.LABEL_VALID ? String(e.be_label | 0).padStart(9) : '        -'
  return `${String(index).padEnd(9).padEnd(12)}${etherNtoa(e.be_mac).padEnd(20)} ${bridgeFlags(e.be_flags).padStart(9)}${' '.repeat(11)} ${label}${' '.repeat(6)}${String(e.be_nh_id).padStart(7)}    ${u64Text(e.be_packets).padStart(12)}\n`
}

export function bridgeJson(index: number, e: BridgeRoute): Record<string, unknown> {
  return {
    index,
    mac: etherNtoa(e.be_mac),
    vrf: e.be_vrf_id,
    flags: flagNames(e.be_flags, BRIDGE_ENTRY_FLAGS).names,
    label: e.be_flags & BRIDGE_FLAG.LABEL_VALID ? e.be_label : null,
    nexthop: e.be_nh_id,
    packets: counterJson(e.be_packets),
  }
}

/** A route notification (`rt --monitor`): what the stock tool reports of it, in its order (TF utils/rt.c). */
export interface RouteNotification {
  readonly operation: 'add' | 'delete' | 'unknown'
  readonly family: 'AF_INET' | 'AF_INET6' | 'AF_BRIDGE' | 'unknown'
  /** The rest only for inet and inet6; prefix_len, address and nh_id only when the route carries a prefix. */
  readonly vrf_id?: number
  readonly prefix_len?: number
  readonly address?: string
  readonly nh_id?: number
  readonly flags?: Readonly<Record<(typeof NOTIFIED_FLAGS)[number][1], boolean>>
  readonly label?: number
  readonly mac_address?: string
  readonly mac_index?: number
}

/** The flags a notification reports: the route flag, its JSON key, and the separator the stock tool prints before it. */
const NOTIFIED_FLAGS = [
  ['LABEL_VALID', 'label_valid', ''],
  ['ARP_PROXY', 'arp_proxy', ', '],
  ['ARP_TRAP', 'arp_trap', ', '],
  ['ARP_FLOOD', 'arp_flood', ','],
  ['MAC_IP_LEARNT', 'macip_learnt', ', '],
] as const

const NOTIFIED_FAMILIES: Readonly<Record<number, RouteNotification['family']>> = {[AF_INET]: 'AF_INET', [AF_INET6]: 'AF_INET6', [AF_BRIDGE]: 'AF_BRIDGE'}

export function routeNotification(r: Route): RouteNotification {
  const operation = r.h_op === SandeshOp.ADD ? 'add' : r.h_op === SandeshOp.DEL ? 'delete' : 'unknown'
  const family = NOTIFIED_FAMILIES[r.rtr_family] ?? 'unknown'
  if (family !== 'AF_INET' && family !== 'AF_INET6') return {operation, family}
  // inet_ntop reads 4 or 16 bytes whatever the list holds: missing bytes read as zero here.
  const address = new Uint8Array(family === 'AF_INET' ? 4 : 16)
  address.set(r.rtr_prefix.slice(0, address.length))
  const flags = Object.fromEntries(NOTIFIED_FLAGS.map(([flag, key]) => [key, (r.rtr_label_flags & flagBit(ROUTE_FLAGS, flag)) !== 0]))
  return {
    operation,
    family,
    vrf_id: r.rtr_vrf_id,
    ...(r.rtr_prefix.length > 0 ? {prefix_len: r.rtr_prefix_len, address: routeAddress(address), nh_id: r.rtr_nh_id} : {}),
    flags: flags as RouteNotification['flags'],
    ...(r.rtr_label_flags & LABEL_VALID ? {label: r.rtr_label} : {}),
    ...(r.rtr_mac.length > 0 ? {mac_address: etherNtoa(r.rtr_mac.slice(0, 6)), mac_index: r.rtr_index} : {}),
  }
}

/** The stock tool's line: `prefix` for the length, and its irregular spacing inside `flags`. */
export function routeNotificationLine(n: RouteNotification): string {
  let line = `{"operation":"${n.operation}","family":"${n.family}"`
  if (n.vrf_id !== undefined) line += `,"vrf_id":${n.vrf_id}`
  if (n.address !== undefined) line += `,"prefix":${n.prefix_len},"address":"${n.address}","nh_id":${n.nh_id}`
  if (n.flags) line += `,"flags":{${NOTIFIED_FLAGS.map(([, key, gap]) => `${gap}"${key}":${n.flags![key]}`).join('')}}`
  if (n.label !== undefined) line += `,"label":${n.label}`
  if (n.mac_address !== undefined) line += `,"mac_address":"${n.mac_address}","mac_index":${n.mac_index}`
  return `${line}}\n`
}
