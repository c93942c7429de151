/**
 * Enumerations and flag sets of the vRouter (TF include/vr_interface.h, vr_nexthop.h, vr_defs.h, vr_flow.h,
 * vr_mirror.h, vr_vrf_table.h), as data: value, constant name, and the short letters the stock tools print.
 */

/** A flag: its bit, its constant name (without prefix) and the legend letters of the stock tool (if any). */
export type FlagDef = readonly [bit: number, name: string, letters?: string]
/** An enumeration member: value and constant name (without prefix). */
export type EnumDef = readonly [value: number, name: string]

export const VIF_TYPES: readonly EnumDef[] = [
  [0, 'HOST'],
  [1, 'AGENT'],
  [2, 'PHYSICAL'],
  [3, 'VIRTUAL'],
  [4, 'XEN_LL_HOST'],
  [5, 'GATEWAY'],
  [6, 'VIRTUAL_VLAN'],
  [7, 'STATS'],
  [8, 'VLAN'],
  [9, 'MONITORING'],
]

export const VIF_TRANSPORTS: readonly EnumDef[] = [
  [0, 'VIRTUAL'],
  [1, 'ETH'],
  [2, 'PMD'],
  [3, 'SOCKET'],
]

export const VIF_FLAGS: readonly FlagDef[] = [
  [0x1, 'POLICY_ENABLED', 'P'],
  [0x2, 'XCONNECT', 'X'],
  [0x4, 'SERVICE_IF', 'S'],
  [0x8, 'MIRROR_RX', 'Mr'],
  [0x10, 'MIRROR_TX', 'Mt'],
  [0x20, 'TX_CSUM_OFFLOAD', 'Tc'],
  [0x40, 'L3_ENABLED', 'L3'],
  [0x80, 'L2_ENABLED', 'L2'],
  [0x100, 'DHCP_ENABLED', 'D'],
  [0x200, 'VHOST_PHYS', 'Vp'],
  [0x400, 'PROMISCOUS', 'Pr'],
  [0x800, 'NATIVE_VLAN_TAG', 'Vnt'],
  [0x1000, 'NO_ARP_PROXY', 'Mnp'],
  [0x2000, 'PMD', 'Dpdk'],
  [0x4000, 'FILTERING_OFFLOAD', 'Rfl'],
  [0x8000, 'MONITORED', 'Mon'],
  [0x10000, 'UNKNOWN_UC_FLOOD', 'Uuf'],
  [0x20000, 'VLAN_OFFLOAD', 'Vof'],
  [0x40000, 'DROP_NEW_FLOWS', 'Df'],
  [0x80000, 'MAC_LEARN', 'L'],
  [0x100000, 'MAC_PROXY', 'Proxy'],
  [0x200000, 'ETREE_ROOT', 'Er'],
  [0x400000, 'GRO_NEEDED'],
  [0x800000, 'MRG_RXBUF'],
  [0x1000000, 'MIRROR_NOTAG', 'Mn'],
  [0x2000000, 'IGMP_ENABLED', 'Ig'],
  [0x4000000, 'MOCK_DEVICE'],
  [0x8000000, 'HBS_LEFT', 'HbsL'],
  [0x10000000, 'HBS_RIGHT', 'HbsR'],
  [0x20000000, 'FAB_GW_MODE'],
  [0x40000000, 'MAC_IP_LEARNING', 'Ml'],
]

export const NH_TYPE = {DEAD: 0, RCV: 1, ENCAP: 2, TUNNEL: 3, RESOLVE: 4, DISCARD: 5, COMPOSITE: 6, VRF_TRANSLATE: 7, L2_RCV: 8} as const
/** Types are below this (NH_MAX). */
export const NH_TYPE_MAX = 9
export const NH_TYPES: readonly EnumDef[] = Object.entries(NH_TYPE).map(([name, value]) => [value, name])

export const NH_FLAG = {
  VALID: 0x1,
  POLICY_ENABLED: 0x2,
  TUNNEL_GRE: 0x8,
  TUNNEL_UDP: 0x10,
  MCAST: 0x20,
  TUNNEL_UDP_MPLS: 0x40,
  TUNNEL_VXLAN: 0x80,
  RELAXED_POLICY: 0x100,
  COMPOSITE_FABRIC: 0x200,
  COMPOSITE_ECMP: 0x400,
  COMPOSITE_LU_ECMP: 0x800,
  COMPOSITE_EVPN: 0x1000,
  COMPOSITE_ENCAP: 0x2000,
  COMPOSITE_TOR: 0x4000,
  ROUTE_LOOKUP: 0x8000,
  UNKNOWN_UC_FLOOD: 0x10000,
  TUNNEL_SIP_COPY: 0x20000,
  FLOW_LOOKUP: 0x40000,
  TUNNEL_PBB: 0x80000,
  MAC_LEARN: 0x100000,
  ETREE_ROOT: 0x200000,
  INDIRECT: 0x400000,
  L2_CONTROL_DATA: 0x800000,
  CRYPT_TRAFFIC: 0x1000000,
  L3_VXLAN: 0x2000000,
  TUNNEL_MPLS_O_MPLS: 0x4000000,
  VALIDATE_MCAST_SRC: 0x8000000,
  TUNNEL_UNDERLAY_ECMP: 0x10000000,
} as const
export const NH_FLAGS: readonly FlagDef[] = Object.entries(NH_FLAG).map(([name, bit]) => [bit, name])

/** Address families as the Linux vRouter puts them on the wire (AF_INET6 is 23 on Windows). */
/** Address families as the vRouter numbers them (Linux values, on every platform). */
export const AF_INET = 2
export const AF_BRIDGE = 7
export const AF_INET6 = 10
export const FAMILIES: readonly EnumDef[] = [
  [AF_INET, 'AF_INET'],
  [AF_BRIDGE, 'AF_BRIDGE'],
  [AF_INET6, 'AF_INET6'],
]

export const ROUTE_FLAGS: readonly FlagDef[] = [
  [0x1, 'LABEL_VALID', 'L'],
  [0x2, 'ARP_PROXY', 'P'],
  [0x4, 'ARP_TRAP', 'T'],
  [0x8, 'ARP_FLOOD', 'F'],
  [0x10, 'MAC_IP_LEARNT', 'Ml'],
]

export const BRIDGE_ENTRY_FLAGS: readonly FlagDef[] = [
  [0x1, 'VALID'],
  [0x2, 'LABEL_VALID', 'L'],
  [0x4, 'FLOOD_DHCP', 'Df'],
  [0x8, 'MAC_MOVED', 'Mm'],
  [0x10, 'L2_CONTROL_DATA', 'L2c'],
  [0x20, 'MAC_NEW', 'N'],
  [0x40, 'EVPN_CONTROL_PROCESSING', 'Ec'],
]

export const FLOW_ACTIONS: readonly EnumDef[] = [
  [0, 'DROP'],
  [1, 'HOLD'],
  [2, 'FORWARD'],
  [3, 'NAT'],
]

export const FLOW_FLAGS: readonly FlagDef[] = [
  [0x1, 'ACTIVE'],
  [0x2, 'SNAT'],
  [0x4, 'SPAT'],
  [0x8, 'DNAT'],
  [0x10, 'DPAT'],
  [0x20, 'TRAP_ECMP'],
  [0x40, 'DELETE_MARKED'],
  [0x80, 'BGP_SERVICE'],
  [0x100, 'MODIFIED'],
  [0x200, 'NEW_FLOW'],
  [0x400, 'EVICT_CANDIDATE'],
  [0x800, 'EVICTED'],
  [0x1000, 'RFLOW_VALID'],
  [0x2000, 'MIRROR'],
  [0x4000, 'VRFT'],
  [0x8000, 'LINK_LOCAL'],
]

export const FLOW_DROP_REASONS: readonly EnumDef[] = [
  [0x00, 'UNKNOWN'],
  [0x01, 'UNAVIALABLE_INTF'],
  [0x02, 'IPv4_FWD_DIS'],
  [0x03, 'UNAVAILABLE_VRF'],
  [0x04, 'NO_SRC_ROUTE'],
  [0x05, 'NO_DST_ROUTE'],
  [0x06, 'AUDIT_ENTRY'],
  [0x07, 'VRF_CHANGE'],
  [0x08, 'NO_REVERSE_FLOW'],
  [0x09, 'REVERSE_FLOW_CHANGE'],
  [0x0a, 'NAT_CHANGE'],
  [0x0b, 'FLOW_LIMIT'],
  [0x0c, 'LINKLOCAL_SRC_NAT'],
  [0x0d, 'FAILED_VROUTER_INSTALL'],
  [0x0e, 'INVALID_L2_FLOW'],
  [0x0f, 'FLOW_ON_TSN'],
  [0x10, 'NO_MIRROR_ENTRY'],
  [0x11, 'SAME_FLOW_RFLOW_KEY'],
  [0x12, 'PORT_MAP_DROP'],
  [0x13, 'NO_SRC_ROUTE_L2RPF'],
  [0x14, 'FAT_FLOW_NAT_CONFLICT'],
  [0x15, 'POLICY'],
  [0x16, 'OUT_POLICY'],
  [0x17, 'SG'],
  [0x18, 'OUT_SG'],
  [0x19, 'REVERSE_SG'],
  [0x1a, 'REVERSE_OUT_SG'],
  [0x1b, 'FW_POLICY'],
  [0x1c, 'OUT_FW_POLICY'],
  [0x1d, 'REVERSE_FW_POLICY'],
  [0x1e, 'REVERSE_OUT_FW_POLICY'],
  [0x1f, 'FWAAS_POLICY'],
  [0x20, 'OUT_FWAAS_POLICY'],
  [0x21, 'REVERSE_FWAAS_POLICY'],
  [0x22, 'REVERSE_OUT_FWAAS_POLICY'],
]

export const MIRROR_FLAG = {DYNAMIC: 0x1, MARKED_DELETE: 0x2, HW_ASSISTED: 0x4} as const
export const MIRROR_FLAGS: readonly FlagDef[] = [
  [MIRROR_FLAG.DYNAMIC, 'DYNAMIC', 'D'],
  [MIRROR_FLAG.MARKED_DELETE, 'MARKED_DELETE'],
  [MIRROR_FLAG.HW_ASSISTED, 'HW_ASSISTED', 'Hw'],
]

export const VRF_FLAG = {VALID: 0x1, HBF_L_VALID: 0x2, HBF_R_VALID: 0x4} as const
export const VRF_FLAGS: readonly FlagDef[] = [
  [VRF_FLAG.VALID, 'VALID', 'V'],
  [VRF_FLAG.HBF_L_VALID, 'HBF_L_VALID', 'Hl'],
  [VRF_FLAG.HBF_R_VALID, 'HBF_R_VALID', 'Hr'],
]

/** Code points of a QoS map per marking (TF include/vr_qos.h): DSCP, MPLS EXP, 802.1p. */
export const QOS_CODE_POINTS = {dscp: 64, mpls_qos: 8, dotonep: 8} as const

/** DCBX mode bits of the DCB netlink interface (linux/dcbnl.h DCB_CAP_DCBX_*), as qosmap --dcbx sets them. */
export const DCBX = {HOST: 0x01, VER_CEE: 0x04, VER_IEEE: 0x08} as const
/** Priorities, traffic classes and priority groups of a DCB port: 8 of each (TF include/vr_utils.h). */
export const DCB_CLASSES = 8

/** nlmsg_flags bits (include/netlink.h). */
export const NETLINK_FLAGS: readonly FlagDef[] = [
  [0x1, 'REQUEST'],
  [0x2, 'MULTI'],
  [0x4, 'ACK'],
  [0x8, 'ECHO'],
]

/** Flag-set and enumeration names as the schema's display formats refer to them. */
export const FLAG_SETS: Readonly<Record<string, readonly FlagDef[]>> = {
  vif_flags: VIF_FLAGS,
  nh_flags: NH_FLAGS,
  rt_flags: ROUTE_FLAGS,
  flow_flags: FLOW_FLAGS,
  mirror_flags: MIRROR_FLAGS,
  vrf_flags: VRF_FLAGS,
}

export const ENUMERATIONS: Readonly<Record<string, readonly EnumDef[]>> = {
  vif_type: VIF_TYPES,
  vif_transport: VIF_TRANSPORTS,
  nh_type: NH_TYPES,
  family: FAMILIES,
  flow_action: FLOW_ACTIONS,
  flow_drop_reason: FLOW_DROP_REASONS,
}

/** The stock tools' letters of the set bits, in table order (flags without letters print nothing). */
export function flagLetters(value: number, flags: readonly FlagDef[]): string {
  return flags.map(([bit, , letters]) => (value & bit && letters ? letters : '')).join('')
}

/** Names of the flags set in `value`, and any bits no flag names, as one number. */
export function flagNames(value: number, flags: readonly FlagDef[]): {names: string[]; unknown: number} {
  let rest = value >>> 0
  const names: string[] = []
  for (const [bit, name] of flags) {
    if (rest & bit) {
      names.push(name)
      rest = (rest & ~bit) >>> 0
    }
  }
  return {names, unknown: rest}
}

export function enumName(value: number, members: readonly EnumDef[]): string | undefined {
  return members.find(([v]) => v === value)?.[1]
}

/** A flag's bit by its constant name (a typo is a programming error). */
export function flagBit(flags: readonly FlagDef[], name: string): number {
  const flag = flags.find(([, n]) => n === name)
  if (!flag) throw new Error(`no flag ${name}`)
  return flag[0]
}

/** An enumeration member's value by its constant name (a typo is a programming error). */
export function enumValue(members: readonly EnumDef[], name: string): number {
  const member = members.find(([, n]) => n === name)
  if (!member) throw new Error(`no member ${name}`)
  return member[0]
}

/** fe_tcp_flags (TF include/vr_flow.h VR_FLOW_TCP_*): letters of `flow -l` and words of `flow --get`, in printed order. */
export const FLOW_TCP_FLAGS: readonly (readonly [bit: number, name: string, letters: string, words: string])[] = [
  [0x0008, 'SYN', 'S', 'SYN'],
  [0x0010, 'SYN_R', 'Sr', 'SYN(REVERSE)'],
  [0x0020, 'ESTABLISHED', 'E', 'ESTABLISHED'],
  [0x0040, 'ESTABLISHED_R', 'Er', 'ESTABLISHED(REVERSE)'],
  [0x0001, 'FIN', 'F', 'FIN'],
  [0x0004, 'FIN_R', 'Fr', 'FIN(REVERSE)'],
  [0x0080, 'RST', 'R', 'RESET'],
  [0x0002, 'HALF_CLOSE', 'C', 'HALFCLOSED'],
  [0x8000, 'DEAD', 'D', 'DEAD'],
]

/** fe_flags1 (VR_FLOW_FLAG1_*, not in the Windows port's entries). */
export const FLOW_FLAGS1: readonly FlagDef[] = [
  [0x1000, 'HBS_LEFT'],
  [0x2000, 'HBS_RIGHT'],
]

/** The `Flags:` letters of `flow -l` and the words of `flow --get`, in the order the stock tool prints them. */
export const FLOW_FLAG_LETTERS: readonly (readonly [bit: number, letters: string, words?: string])[] = [
  [0x800, 'E', 'EVICTED'],
  [0x400, 'Ec', 'EVICT CANDIDATE'],
  [0x200, 'N', 'NEW'],
  [0x100, 'M', 'MODIFIED'],
  [0x40, 'Dm'],
]

/** The NAT letters of `Action:N(...)` and the words of `flow --get`, in bit order. */
export const FLOW_NAT_LETTERS: readonly (readonly [bit: number, letters: string, words: string])[] = [
  [0x2, 'S', 'SourceNAT'],
  [0x4, 'Ps', 'SourcePortNAT'],
  [0x8, 'D', 'DestinationNAT'],
  [0x10, 'Pd', 'DestinationPortNAT'],
  [0x8000, 'L', 'LinkLocalNAT'],
]

/** The drop reasons as the `flow` tool names them (utils/flow.c flow_get_drop_reason), by code. */
export const FLOW_DROP_REASON_LABELS: readonly string[] = [
  'Unknown', 'IntfErr', 'Ipv4Dis', 'VrfErr', 'NoSrcRt', 'NoDstRt', 'Audit', 'VrfChange', 'NoRevFlow', 'RevFlowChng', 'NatChng',
  'FlowLim', 'LinkSrcNatErr', 'VrouterInstallFail', 'InvalidL2Flow', 'TSNFlow', 'NoMirrorentry', 'SameFlowRflowKey', 'NoFipPortMap',
  'NoSrcRtRpfNh', 'FatFlowNatConflict', 'Policy', 'OutPolicy', 'SG', 'OutSG', 'RevSG', 'RevOutSG', 'FwPolicy', 'OutFwPolicy',
  'RevFwPolicy', 'RevOutFwPolicy', 'FWAASPolicy', 'OutFWAASPolicy', 'RevFWAASPolicy', 'RevOutFWAASPolicy',
]

/** fe_type: the packet type of a flow entry (VP_TYPE_*); only IP and IP6 entries are flows. */
export const VP_TYPE = {NULL: 0, ARP: 1, IP: 2, IP6: 3} as const

/** IP protocols the tools name (vr_proto_string in utils/vr_util.c). */
export const IP_PROTOCOLS: readonly EnumDef[] = [
  [1, 'ICMP'],
  [6, 'TCP'],
  [17, 'UDP'],
  [58, 'ICMPv6'],
  [132, 'SCTP'],
]

/** vr_flow_req.fr_extflags: evict the flow now. */
export const FLOW_EXT_FLAG_FORCE_EVICT = 0x1
