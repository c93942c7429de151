/** `nh` output: the stock tool's text per next hop (TF utils/nh.c), byte for byte, and the JSON form. */
import {formatMac, hostIntegerToIpv4, inetNtop6, swap16} from '../model/addresses.js'
import {AF_INET, AF_INET6, NH_FLAG as F, NH_TYPE} from '../model/constants.js'
import type {MessageFields} from '../sandesh/schema.js'

type Nh = MessageFields<'vr_nexthop_req'>

const IND14 = `\n${' '.repeat(14)}`
const TYPE_NAMES = ['Dead', 'Receive', 'Encap', 'Tunnel', 'Resolve', 'Drop', 'Composite', 'Vrf_Translate', 'L2 Receive']
const FAMILIES: Record<number, string> = {2: 'AF_INET', 10: 'AF_INET6', 7: 'AF_BRIDGE', 0: 'AF_UNSPEC'}
const {TUNNEL, COMPOSITE, RCV: RECEIVE, ENCAP, VRF_TRANSLATE} = NH_TYPE

export const NH_USAGE = `Usage: nh --list
       nh --get <nh_id>
       nh --help

--list Lists All Nexthops
--get  <nh_id> Displays nexthop corresponding to <nh_id>
--sock-dir <netlink sock dir>
--help Displays this help message

`

/** The stock tool's low-level usage (`nh --cmd`, and a create or delete it cannot make sense of). */
export const NH_COMMAND_USAGE = `Usage: [--create <nhid> create nexthop
       [--delete <nhid> delete nexthop
       [--vrf <vrf_id> ]
       [--pol NH with policy]
       [--rpol NH with relaxed policy]
       [--l2 NH with family bridge]
       [--root NH is an Etree Root]
       [--rlkup Force Route Lookup]
       [--type <type> type of the tunnel 1 - rcv, 2 - encap 
                       3 - tunnel, 4 - resolve, 5 - discard, 6 - Composite
                       7 - VRF Translate, 8 - L2 Rcv NH] 
                [RCV_NH options]
                    [--oif <if_id> out going interface index]
                [L2RCV_NH options]
                    [--oif <if_id> out going interface index]
                [ENCAP_NH optionsi - default L3]
                    [--mc multicast nh]
                    [--smac <xx:xx:xx:xx:xx:xx> source mac ]
                    [--dmac <xx:xx:xx:xx:xx:xx> destination mac ]
                    [--oif = out going interface index]
                [TUNNEL_NH options - default Gre]
                    [--pbb PBB tunnel options]
                        [--cni <nh_id> direct nh member id]
                        [--lbl <lbl> Evpn label for PBB tunnel]
                        [--dmac <xx:xx:xx:xx:xx:xx> destination Bmac]
                        [--ind indirect flag]
                    [--oif <if_id1,if_id2,...> comma seperated list of out going interface indices(max 3 in case of L3 multihoming)]
                    [--smac <xx:xx:xx:xx:xx:xx,xx:xx:xx:xx:xx:xx,...> comma seperated list of source mac(max 3 in case of L3 multihoming)]
                    [--dmac <xx:xx:xx:xx:xx:xx,xx:xx:xx:xx:xx:xx,...> comma seperated list of destination mac(max 3 in case of L3 multihoming)]
                    [--sip <x.x.x.x> source ip of tunnel] 
                    [--dip <x.x.x.x> destination ip of tunnel ]
                    [--udp Udptunnel ]
                        [--sport <port> source port of udp tunnel]
                        [--dport <port> destination port of udp tunnel]
                    [--vxlan Vxlan Tunnel]
                        [--sport <port> source port of vxlan tunnel]
                        [--dport <port> destination port of vxlan tunnel]
                        [--l3_vxlan <xx:xx:xx:xx:xx:xx> Remote EVPN-5 vRouter mac]
                [RESOLVE_NH options]
                [DISCARD_NH options]
                [COMPOSITE_NH options]
                    [--cni <nh_id> composite nexthop member id]
                    [--cmc composite multicast nexhop]
                    [--cfa composit fabric ]
                    [--cen composit encap ]
                    [--cevpn composit evpn ]
                        [--lbl <lbl> label for composit fabric ]
                    [--tor composit tor ]
                        [--lbl <lbl> label for composit fabric ]
                    [--ecmp composite ecmp nexthop]
                [VRF Translate options]
                    [--vxlan Vxlan VRF Translation]
                    [--uucf Unknown Unicast Flood]
`

/** Flag names in bit order, each followed by ", " (the stock line ends in a trailing space). */
function flagText(nh: Nh): string {
  const f = nh.nhr_flags
  const tunnel = nh.nhr_type === TUNNEL
  const composite = nh.nhr_type === COMPOSITE
  const names: [number, string | undefined][] = [
    [0x1, 'Valid'],
    [0x2, 'Policy'],
    [0x8, tunnel ? (f & F.TUNNEL_MPLS_O_MPLS ? 'MPLSoMPLSoGRE' : 'MPLSoGRE') : undefined],
    [0x10, tunnel ? 'Udp' : undefined],
    [0x20, 'Multicast'],
    [0x40, tunnel ? (f & F.TUNNEL_MPLS_O_MPLS ? 'MPLSoMPLSoUDP' : 'MPLSoUDP') : undefined],
    [0x80, 'Vxlan'],
    [0x100, 'Policy(R)'],
    [0x200, composite ? 'Fabric' : undefined],
    [0x400, composite ? 'Ecmp' : undefined],
    [0x1000, composite ? 'Evpn' : undefined],
    [0x2000, composite ? 'Encap' : undefined],
    [0x4000, composite ? 'Tor' : undefined],
    [0x8000, 'RouteLookup'],
    [0x10000, 'Unicast Flood'],
    [0x20000, 'Copy SIP'],
    [0x40000, 'Flow Lookup'],
    [0x80000, 'Pbb'],
    [0x100000, 'Mac Learn'],
    [0x200000, 'Etree Root'],
    [0x400000, 'Indirect'],
    [0x800000, 'Evpn Control Word'],
    [0x1000000, 'Encrypt Traffic'],
    [0x2000000, 'l3_vxlan'],
    [0x10000000, 'Underlay Ecmp'],
  ]
  if (f === 0) return 'None'
  return names.map(([bit, name]) => (f & bit && name ? `${name}, ` : '')).join('')
}

const bytesHex = (b: ArrayLike<number>) => Array.from(b, (x) => `${x.toString(16).padStart(2, '0')} `).join('')

/** A tunnel's lines (a PBB tunnel shows its backbone MAC instead of interfaces and addresses). */
function tunnelLines(nh: Nh): string {
  const f = nh.nhr_flags
  let out = IND14
  if (!(f & F.TUNNEL_PBB)) {
    if (f & F.TUNNEL_UNDERLAY_ECMP) {
      // One rewrite of nhr_encap_len bytes per interface, in a row.
      const len = nh.nhr_encap_len
      nh.nhr_encap_oif_id.forEach((oif, i) => {
        const valid = nh.nhr_encap_valid[i] ?? 0
        out += `Oif:${oif} EncapValid:${valid} ${valid ? `Len:${len} Data:${bytesHex(nh.nhr_encap.slice(i * len, (i + 1) * len))}` : 'Len:0 Data:NULL'}${IND14}`
      })
    } else {
      out += `Oif:${nh.nhr_encap_oif_id[0] ?? 0} Len:${nh.nhr_encap.length} Data:${bytesHex(nh.nhr_encap)}${IND14}`
    }
    // Other families (a tunnel made by the stock tool has none) show no addresses.
    if (nh.nhr_family === AF_INET) out += `Sip:${hostIntegerToIpv4(nh.nhr_tun_sip)} Dip:${hostIntegerToIpv4(nh.nhr_tun_dip)}`
    else if (nh.nhr_family === AF_INET6) out += `Sip: ${inetNtop6(nh.nhr_tun_sip6)} Dip: ${inetNtop6(nh.nhr_tun_dip6)}`
  }
  if (f & F.TUNNEL_UDP) out += `${IND14}Sport:${swap16(nh.nhr_tun_sport & 0xffff)} Dport:${swap16(nh.nhr_tun_dport & 0xffff)}\n`
  if (f & F.L3_VXLAN) out += ` L3_Vxlan_Mac: ${formatMac(nh.nhr_rw_dst_mac)}`
  if (f & F.TUNNEL_PBB) out += `Bmac:${formatMac(nh.nhr_pbb_mac)} Label:${nh.nhr_label_list[0] ?? -1}`
  if (f & F.TUNNEL_MPLS_O_MPLS) out += ` Transport Label:${nh.nhr_transport_label}`
  if (nh.nhr_encap_crypt_oif_id !== 0 && nh.nhr_encap_crypt_oif_id !== -1) out += `${IND14}CryptOif:${nh.nhr_encap_crypt_oif_id}\n`
  return out
}

function compositeLines(nh: Nh): string {
  let out = ''
  if (nh.nhr_flags & F.COMPOSITE_ECMP && nh.nhr_ecmp_config_hash) {
    const keys = ['Proto,', 'SrcIP,', 'SrcPort,', 'DstIp,', 'DstPort'].filter((_, i) => nh.nhr_ecmp_config_hash & (1 << i))
    out += `${IND14}Valid Hash Key Parameters: ${keys.join('')}`
  }
  out += `${IND14}Sub NH(label):`
  // The stock tool counts only the members' text since the last break.
  let printed = 0
  nh.nhr_nh_list.forEach((member, i) => {
    if (printed > 60) {
      out += `${IND14}${' '.repeat(14)}`
      printed = 0
    }
    const label = nh.nhr_label_list[i] ?? -1
    const piece = ` ${member}${label >= 0 ? `(${label})` : ''}`
    out += piece
    printed += piece.length
  })
  if (nh.nhr_nh_count > nh.nhr_nh_list.length) out += ` and ${nh.nhr_nh_count - nh.nhr_nh_list.length} more components...\n`
  return out
}

/** One next hop as `nh --list` / `nh --get` print it (`trimFlags`: --fix nh-flags-trim, no separator after the last flag). */
export function nhBlock(nh: Nh, {trimFlags = false}: {trimFlags?: boolean} = {}): string {
  const type = TYPE_NAMES[nh.nhr_type] ?? 'Invalid'
  const family = FAMILIES[nh.nhr_family] ?? 'N/A'
  let out = `Id:${String(nh.nhr_id).padEnd(9)}  Type:${type.padEnd(13)}  Fmly:${family.padStart(8)}  Rid:${nh.nhr_rid}  Ref_cnt:${String(nh.nhr_ref_cnt).padEnd(10)} Vrf:${nh.nhr_vrf}`
  out += `${IND14}Flags:${trimFlags ? flagText(nh).replace(/, $/, '') : flagText(nh)}`
  if (nh.nhr_flags & F.INDIRECT && nh.nhr_nh_list.length > 0) out += `${IND14}Direct NH(label): ${nh.nhr_nh_list[0]}(${nh.nhr_label_list[0] ?? -1})`
  switch (nh.nhr_type) {
    case RECEIVE:
      out += `${IND14}Oif:${nh.nhr_encap_oif_id[0] ?? 0}`
      break
    case ENCAP:
      out += `${IND14}EncapFmly:${nh.nhr_encap_family.toString(16).padStart(4, '0')} Oif:${nh.nhr_encap_oif_id[0] ?? 0} Len:${nh.nhr_encap.length}`
      out += `${IND14}Encap Data: ${bytesHex(nh.nhr_encap)}`
      break
    case TUNNEL:
      out += tunnelLines(nh)
      break
    case VRF_TRANSLATE:
      out += `${IND14}Vrf:${nh.nhr_vrf}`
      break
    case COMPOSITE:
      out += compositeLines(nh)
      break
  }
  return `${out}\n\n`
}

export function nhJson(nh: Nh): Record<string, unknown> {
  return {
    id: nh.nhr_id,
    type: TYPE_NAMES[nh.nhr_type] ?? 'Invalid',
    family: FAMILIES[nh.nhr_family] ?? 'N/A',
    vrf: nh.nhr_vrf,
    ref_count: nh.nhr_ref_cnt,
    flags: flagText(nh).split(', ').filter(Boolean),
    interfaces: nh.nhr_encap_oif_id,
    encap: bytesHex(nh.nhr_encap).trim(),
    ...(nh.nhr_type === TUNNEL
      ? nh.nhr_family === 10
        ? {source: inetNtop6(nh.nhr_tun_sip6), destination: inetNtop6(nh.nhr_tun_dip6)}
        : {source: hostIntegerToIpv4(nh.nhr_tun_sip), destination: hostIntegerToIpv4(nh.nhr_tun_dip)}
      : {}),
    ...(nh.nhr_type === COMPOSITE ? {members: nh.nhr_nh_list.map((id, i) => ({nexthop: id, label: nh.nhr_label_list[i] ?? -1})), member_count: nh.nhr_nh_count} : {}),
  }
}
