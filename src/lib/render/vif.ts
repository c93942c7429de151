/**
 * `vif` output: the stock tool's legend and per-interface blocks, byte for byte (TF utils/vif.c), for the kernel,
 * DPDK and vtest platforms; and the JSON form of an interface.
 */
import {formatMac, hostIntegerToIpv4, inetNtop6, u64MemoryBytes} from '../model/addresses.js'
import {VIF_FLAGS} from '../model/constants.js'
import type {MessageFields} from '../sandesh/schema.js'
import {u64Text} from '../model/numbers.js'

type Vif = MessageFields<'vr_interface_req'>

export const VIF_LEGEND = `Vrouter Interface Table

Flags: P=Policy, X=Cross Connect, S=Service Chain, Mr=Receive Mirror
       Mt=Transmit Mirror, Tc=Transmit Checksum Offload, L3=Layer 3, L2=Layer 2
       D=DHCP, Vp=Vhost Physical, Pr=Promiscuous, Vnt=Native Vlan Tagged
       Mnp=No MAC Proxy, Dpdk=DPDK PMD Interface, Rfl=Receive Filtering Offload, Mon=Interface is Monitored
       Uuf=Unknown Unicast Flood, Vof=VLAN insert/strip offload, Df=Drop New Flows, L=MAC Learning Enabled
       Proxy=MAC Requests Proxied Always, Er=Etree Root, Mn=Mirror without Vlan Tag, HbsL=HBS Left Intf
       HbsR=HBS Right Intf, Ig=Igmp Trap Enabled, Ml=MAC-IP Learning Enabled

`

export const VIF_USAGE = `Usage: vif [--create <intf_name> --mac <mac>]
\t   [--add <intf_name> --mac <mac> --vrf <vrf>
\t   \t--type [vhost|agent|physical|virtual|monitoring]
\t   \t--transport [eth|pmd|virtual|socket]
\t   \t--xconnect <physical interface name>
\t   \t--policy, --vhost-phys, --dhcp-enable]
\t   \t--vif <vif ID> --id <intf_id> --pmd --pci]
\t   [--delete <intf_id>|<intf_name>]
\t   [--get <intf_id>][--kernel][--core <core number>][--rate] [--get-drop-stats]
\t   [--set <intf_id> --vlan <vlan_id> --vrf <vrf_id>]
\t   [--list][--core <core number>][--rate]
\t   [--sock-dir <sock dir>]
\t   [--clear][--id <intf_id>][--core <core_number>]
\t   [--help]
`

/** The stock tool concatenates flag letters in this order, which is not bit order (HBS and IGMP came late). */
const LETTER_ORDER = [
  0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80, 0x100, 0x200, 0x400, 0x800, 0x1000, 0x2000, 0x4000, 0x8000, 0x10000,
  0x20000, 0x40000, 0x80000, 0x100000, 0x200000, 0x1000000, 0x8000000, 0x10000000, 0x2000000, 0x40000000,
]
const LETTER_OF = new Map(VIF_FLAGS.filter(([, , letters]) => letters).map(([bit, , letters]) => [bit, letters!]))
const FLAG_LETTERS = LETTER_ORDER.map((bit) => [bit, LETTER_OF.get(bit)!] as const)
const TYPE_NAMES = ['Host', 'Agent', 'Physical', 'Virtual', 'XenLL', 'Gateway', 'Virtual(Vlan)', 'Stats', 'Invalid', 'Monitoring']
const TRANSPORT_NAMES = ['Virtual', 'Ethernet', 'PMD', 'Socket']
const IND = ' '.repeat(12)
const FLAG_MIRROR = 0x8 | 0x10
const FLAG_PMD = 0x2000
const FLAG_MOCK = 0x4000000
const PHYSICAL = 2
const VIRTUAL_VLAN = 6
const MONITORING = 9

export function vifFlags(flags: number): string {
  const s = FLAG_LETTERS.filter(([bit]) => flags & bit).map(([, l]) => l).join('')
  return s === '' ? 'NULL' : s.slice(0, 63)
}

export const vifTypeName = (t: number): string => TYPE_NAMES[t] ?? 'Invalid'
const transportName = (t: number) => TRANSPORT_NAMES[t] ?? 'Unknown'
/** %PRId64 of a counter (the stock tool prints them signed), or the unsigned number it is. */
const signed = (v: number | bigint) => String(v)
const unsigned = (v: number | bigint) => String(BigInt.asUintN(64, BigInt(v)))
const nonZero = (...v: (number | bigint)[]) => v.some((x) => x !== 0 && x !== 0n)
/** Text of a byte list up to its first NUL. */
const text = (bytes: readonly number[]) => String.fromCharCode(...bytes.slice(0, bytes.includes(0) ? bytes.indexOf(0) : bytes.length))

export interface VifRenderOptions {
  /** DPDK or vtest (the stock tools print their DPDK counters and identity lines then). */
  readonly dpdk: boolean
  /** DPDK proper (not vtest): fabric and bond lines of physical interfaces. */
  readonly dpdkProper: boolean
  /** The core asked for with --core (prefix `Core <n> ` on counter lines). */
  readonly core?: number
  /** The local interface name of an OS index (kernel platform), or undefined when there is none ("(null)"). */
  readonly ifname: (index: number) => string | undefined
  /** Every DPDK counter line, zeros too (the --rate screens). */
  readonly printZero?: boolean
  /** --fix ifname-remote: the forwarding plane's name when the local host has none for the OS index. */
  readonly remoteNames?: boolean
  /** --fix unsigned-counters: counters as the unsigned numbers they are. */
  readonly unsignedCounters?: boolean
}

function identity(v: Vif, o: VifRenderOptions): string {
  const head = `vif${v.vifr_rid}/${v.vifr_idx}`.padEnd(12)
  let line: string
  if (v.vifr_flags & FLAG_PMD) line = `PMD: ${v.vifr_os_idx}`
  else if (o.dpdk) {
    if (v.vifr_type === PHYSICAL) {
      const i = v.vifr_os_idx >>> 0
      line = v.vifr_flags & FLAG_MOCK ? 'PCI: Mock' : `PCI: ${hex(i >>> 16, 4)}:${hex((i >>> 8) & 0xff, 2)}:${hex((i >>> 3) & 0x1f, 2)}.${((i & 7) >>> 0).toString(16)}`
    } else if (v.vifr_type === MONITORING) {
      line = `Monitoring: ${v.vifr_name} for vif${v.vifr_rid}/${v.vifr_os_idx}`
    } else {
      line = `${transportName(v.vifr_transport)}: ${v.vifr_name}${v.vifr_flags & FLAG_MOCK ? ' Mock' : ''}`
    }
  } else {
    line = v.vifr_os_idx > 0 ? `OS: ${o.ifname(v.vifr_os_idx) ?? (o.remoteNames ? v.vifr_name : '(null)')}` : `    ${v.vifr_name}`
  }
  if (v.vifr_type === PHYSICAL && !(v.vifr_flags & FLAG_MOCK) && v.vifr_speed >= 0) {
    line += ` (Speed ${v.vifr_speed},${v.vifr_duplex >= 0 ? ` Duplex ${v.vifr_duplex}` : ''})`
  }
  if (v.vifr_type === VIRTUAL_VLAN) {
    line += ` Vlan(o/i)(,S): ${v.vifr_ovlan_id}/${v.vifr_vlan_id}`
    for (let i = 0; i + 6 <= v.vifr_src_mac.length; i += 6) {
      line += `, ${formatMac(v.vifr_src_mac.slice(i, i + 6))} Bridge Index: ${v.vifr_bridge_idx[i / 6] ?? 0}`
    }
  }
  if (v.vifr_parent_vif_idx >= 0) line += ` Parent:vif0/${v.vifr_parent_vif_idx}`
  if (v.vifr_nh_id !== 0) line += ` NH: ${v.vifr_nh_id}`
  return `${head}${line}\n`
}

const hex = (value: number, width: number) => value.toString(16).padStart(width, '0')

function ipv6(v: Vif): string | undefined {
  if (!nonZero(v.vifr_ip6_u, v.vifr_ip6_l)) return undefined
  const bytes = new Uint8Array(16)
  bytes.set(u64MemoryBytes(v.vifr_ip6_u))
  bytes.set(u64MemoryBytes(v.vifr_ip6_l), 8)
  return inetNtop6(bytes)
}

/** NUL-separated names inside a byte list. */
const names = (bytes: readonly number[]) => String.fromCharCode(...bytes).split('\0')

/** One interface block, as `vif --list` and `vif --get` print it. */
export function vifBlock(v: Vif, o: VifRenderOptions): string {
  const core = o.core === undefined ? '' : `Core ${o.core} `
  const n = o.unsignedCounters ? unsigned : signed
  const shown = (...counters: (number | bigint)[]) => o.printZero === true || nonZero(...counters)
  let out = identity(v, o)
  out += `${IND}Type:${vifTypeName(v.vifr_type)} HWaddr:${formatMac(v.vifr_mac.length === 6 ? v.vifr_mac : new Uint8Array(6))} IPaddr:${hostIntegerToIpv4(v.vifr_ip)}\n`
  const ip6 = ipv6(v)
  if (ip6) out += `${IND}IP6addr:${ip6}\n`
  out += `${IND}Vrf:${v.vifr_vrf} Mcast Vrf:${v.vifr_mcast_vrf} Flags:${vifFlags(v.vifr_flags)} QOS:${v.vifr_qos_map_index} Ref:${v.vifr_ref_cnt}`
  out += `${v.vifr_flags & FLAG_MIRROR ? ` Mirror index ${v.vifr_mir_id}` : ''}\n`
  if (o.dpdk) {
    if (shown(v.vifr_dev_ipackets, v.vifr_dev_ibytes, v.vifr_dev_ierrors)) {
      out += `${IND}${core}RX device packets:${n(v.vifr_dev_ipackets)}  bytes:${n(v.vifr_dev_ibytes)} errors:${n(v.vifr_dev_ierrors)}`
      out += `${nonZero(v.vifr_dev_inombufs) ? ` no mbufs:${n(v.vifr_dev_inombufs)}` : ''}\n`
    }
    if (shown(v.vifr_port_ipackets, v.vifr_port_ierrors)) {
      out += `${IND}${core}RX port   packets:${n(v.vifr_port_ipackets)} errors:${n(v.vifr_port_ierrors)}`
      out += `${nonZero(v.vifr_port_isyscalls) ? ` syscalls:${n(v.vifr_port_isyscalls)}` : ''}${nonZero(v.vifr_port_inombufs) ? ` no mbufs:${n(v.vifr_port_inombufs)}` : ''}\n`
    }
    if (shown(v.vifr_queue_ipackets, v.vifr_queue_ierrors)) out += `${IND}${core}RX queue  packets:${n(v.vifr_queue_ipackets)} errors:${n(v.vifr_queue_ierrors)}\n`
    out += `${IND}RX queue errors to lcore${v.vifr_queue_ierrors_to_lcore.map((e) => ` ${n(e)}`).join('')}\n`
    if (o.dpdkProper && v.vifr_type === PHYSICAL) {
      const up = (bit: number) => (v.vifr_intf_status & (1 << bit) ? 'UP' : 'DOWN')
      out += `${IND}Fabric Interface: ${text(v.vifr_fab_name)}  Status: ${up(0)}  Driver: ${text(v.vifr_fab_drv_name)}\n`
      const slaves = names(v.vifr_bond_slave_name)
      const drivers = names(v.vifr_bond_slave_drv_name)
      for (let i = 0; i < v.vifr_num_bond_slave; i++) out += `${IND}Slave Interface(${i}): ${slaves[i] ?? ''}  Status: ${up(i + 1)}  Driver: ${drivers[i] ?? ''}\n`
      if ((v.vifr_vlan_tag & 0xffff) !== 0xffff) out += `${IND}Vlan Id: ${v.vifr_vlan_tag}${v.vifr_vlan_name.length > 0 && v.vifr_vlan_name[0] !== 0 ? ` VLAN fwd Interface: ${text(v.vifr_vlan_name)}` : ''}\n`
    }
  }
  out += `${IND}${core}RX packets:${n(v.vifr_ipackets)}  bytes:${n(v.vifr_ibytes)} errors:${n(v.vifr_ierrors)}\n`
  out += `${IND}${core}TX packets:${n(v.vifr_opackets)}  bytes:${n(v.vifr_obytes)} errors:${n(v.vifr_oerrors)}\n`
  if (v.vifr_isid !== 0 || v.vifr_pbb_mac.length > 0) out += `${IND}ISID: ${v.vifr_isid} Bmac: ${formatMac(v.vifr_pbb_mac.length === 6 ? v.vifr_pbb_mac : new Uint8Array(6))}\n`
  out += `${IND}Drops:${u64Text(v.vifr_dpackets)}\n`
  out += mirrorMetadata('Ingress Mirror Metadata: ', v.vifr_in_mirror_md) + mirrorMetadata('Egress Mirror Metadata: ', v.vifr_out_mirror_md)
  if (o.dpdk) {
    if (shown(v.vifr_queue_opackets, v.vifr_queue_oerrors)) out += `${IND}${core}TX queue  packets:${n(v.vifr_queue_opackets)} errors:${n(v.vifr_queue_oerrors)}\n`
    if (shown(v.vifr_port_opackets, v.vifr_port_oerrors)) {
      out += `${IND}${core}TX port   packets:${n(v.vifr_port_opackets)} errors:${n(v.vifr_port_oerrors)}${nonZero(v.vifr_port_osyscalls) ? ` syscalls:${n(v.vifr_port_osyscalls)}` : ''}\n`
    }
    if (shown(v.vifr_dev_opackets, v.vifr_dev_obytes, v.vifr_dev_oerrors)) {
      out += `${IND}${core}TX device packets:${n(v.vifr_dev_opackets)}  bytes:${n(v.vifr_dev_obytes)} errors:${n(v.vifr_dev_oerrors)}\n`
    }
  }
  return `${out}\n`
}

/** Mirror metadata bytes as `%x ` each, wrapped once the column passes 68. */
function mirrorMetadata(label: string, bytes: readonly number[]): string {
  if (bytes.length === 0) return ''
  let out = `${IND}${label}`
  let column = out.length
  for (const b of bytes) {
    const piece = `${b.toString(16)} `
    out += piece
    column += piece.length
    if (column > 68) {
      out += `\n${IND}${' '.repeat(label.length)}`
      column = IND.length + label.length
    }
  }
  return `${out}\n`
}

/** The `--clear` confirmation (typo of the stock tool kept). */
export function vifClearMessage(echo: Vif, oneInterface: boolean): string {
  const core = echo.vifr_core === 0 ? undefined : echo.vifr_core - 1
  if (!oneInterface) {
    return core === undefined
      ? '\nVif stats cleared successfully on all cores for all interfaces \n\n'
      : `\nVif stats cleared successfully on core ${core} for all interfacess \n\n`
  }
  return `\nVif stats cleared successfully for ${echo.vifr_name} on ${core === undefined ? 'all cores' : `core ${core}`} \n\n`
}

/** The JSON form of an interface. */
export function vifJson(v: Vif): Record<string, unknown> {
  return {
    index: v.vifr_idx,
    name: v.vifr_name,
    type: vifTypeName(v.vifr_type),
    transport: transportName(v.vifr_transport),
    os_index: v.vifr_os_idx,
    mac: formatMac(v.vifr_mac.length === 6 ? v.vifr_mac : new Uint8Array(6)),
    ip: hostIntegerToIpv4(v.vifr_ip),
    ip6: ipv6(v) ?? null,
    vrf: v.vifr_vrf,
    mcast_vrf: v.vifr_mcast_vrf,
    flags: FLAG_LETTERS.filter(([bit]) => v.vifr_flags & bit).map(([, l]) => l),
    nexthop: v.vifr_nh_id,
    mtu: v.vifr_mtu,
    qos_map: v.vifr_qos_map_index,
    ref_count: v.vifr_ref_cnt,
    parent: v.vifr_parent_vif_idx >= 0 ? v.vifr_parent_vif_idx : null,
    mirror_index: v.vifr_flags & FLAG_MIRROR ? v.vifr_mir_id : null,
    rx: {packets: v.vifr_ipackets, bytes: v.vifr_ibytes, errors: v.vifr_ierrors},
    tx: {packets: v.vifr_opackets, bytes: v.vifr_obytes, errors: v.vifr_oerrors},
    drops: v.vifr_dpackets,
  }
}
