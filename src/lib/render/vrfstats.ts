/**
 * `vrfstats` output: per VRF, six lines of counters and an empty line (TF utils/vrfstats.c, byte for byte,
 * `Proxys` and `Stitchs` included); the JSON form uses the counter names without their vsr_ prefix.
 */
import {counterJson, u64Text} from '../model/numbers.js'
import type {MessageFields} from '../sandesh/schema.js'

type VrfStats = MessageFields<'vr_vrf_stats_req'>
type Counter = keyof VrfStats

/** The printed lines: each a list of label and counter, in the stock order. */
const LINES: readonly (readonly (readonly [string, Counter])[])[] = [
  [['Discards', 'vsr_discards'], ['Resolves', 'vsr_resolves'], ['Receives', 'vsr_receives'], ['L2 Receives', 'vsr_l2_receives'], ['Vrf Translates', 'vsr_vrf_translates'], ['Unknown Unicast Floods', 'vsr_uuc_floods']],
  [['Ecmp Composites', 'vsr_ecmp_composites'], ['L2 Mcast Composites', 'vsr_l2_mcast_composites'], ['Fabric Composites', 'vsr_fabric_composites'], ['Encap Composites', 'vsr_encap_composites'], ['Evpn Composites', 'vsr_evpn_composites']],
  [['Udp Tunnels', 'vsr_udp_tunnels'], ['Udp Mpls Tunnels', 'vsr_udp_mpls_tunnels'], ['Gre Mpls Tunnels', 'vsr_gre_mpls_tunnels'], ['Vxlan Tunnels', 'vsr_vxlan_tunnels'], ['Pbb Tunnels', 'vsr_pbb_tunnels'], ['Mpls over Mpls Tunnels', 'vsr_udp_mpls_over_mpls_tunnels']],
  [['L2 Encaps', 'vsr_l2_encaps'], ['Encaps', 'vsr_encaps']],
  [['GROs', 'vsr_gros'], ['Diags', 'vsr_diags']],
  [['Arp Virtual Proxys', 'vsr_arp_virtual_proxy'], ['Arp Virtual Stitchs', 'vsr_arp_virtual_stitch'], ['Arp Virtual Floods', 'vsr_arp_virtual_flood'], ['Arp Physical Stitchs', 'vsr_arp_physical_stitch'], ['Arp Tor Proxys', 'vsr_arp_tor_proxy'], ['Arp Physical Floods', 'vsr_arp_physical_flood']],
]

export function vrfStatsBlock(s: VrfStats): string {
  const lines = LINES.map((line) => line.map(([label, key]) => `${label} ${u64Text(s[key] as number | bigint)}`).join(', '))
  return `Vrf: ${s.vsr_vrf}\n${lines.join('\n')}\n\n`
}

export function vrfStatsJson(s: VrfStats): Record<string, number | string> {
  const counters = LINES.flat().map(([, key]) => [String(key).slice(4), counterJson(s[key] as number | bigint)])
  return {vrf: s.vsr_vrf, ...Object.fromEntries(counters)}
}

export const VRFSTATS_USAGE = `Usage: vrfstats --get <vrf>
                --dump
                --help

--get <vrf>    Displays packet statistics for the vrf <vrf>
--dump         Displays packet statistics for all vrfs
--help         Displays this help message
`
