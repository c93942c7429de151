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
/** vr_nexthop_type_string (utils/vr_util.c), by type: how `flow --get` names a next hop's type (NONE beyond these). */
export const NH_TYPE_WORDS: readonly string[] = ['DEAD', 'RECEIVE', 'ENCAP', 'TUNNEL', 'RESOLVE', 'DISCARD', 'COMPOSITE', 'VRF_TRANSLATE', 'L2_RECEIVE']

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

/**
 * Packet drop reasons, VP_DROP_* (TF include/vr_pkt_droplog.h DROP_RSN_MAP: the value is the position), each with
 * the label the stock tools print for it (utils/vr_util.c vr_pkt_droplog_rsn, the same as dropstats' counter labels)
 * and the vr_drop_stats_req counter that counts it (without vds_). `dropstats --drop-type` takes the names.
 */
export type DropReason = readonly [name: string, label: string, counter: string]
export const DROP_REASONS: readonly DropReason[] = [
  ['VP_DROP_INVALID', '', ''],
  ['VP_DROP_DISCARD', 'Discards', 'discard'],
  ['VP_DROP_PULL', 'Pull Fails', 'pull'],
  ['VP_DROP_INVALID_IF', 'Invalid IF', 'invalid_if'],
  ['VP_DROP_INVALID_ARP', 'Invalid ARP', 'invalid_arp'],
  ['VP_DROP_TRAP_NO_IF', 'Trap No IF', 'trap_no_if'],
  ['VP_DROP_NOWHERE_TO_GO', 'Nowhere to go', 'nowhere_to_go'],
  ['VP_DROP_FLOW_QUEUE_LIMIT_EXCEEDED', 'Flow Queue Limit Exceeded', 'flow_queue_limit_exceeded'],
  ['VP_DROP_FLOW_NO_MEMORY', 'Flow No Memory', 'flow_no_memory'],
  ['VP_DROP_FLOW_INVALID_PROTOCOL', 'Flow Invalid Protocol', 'flow_invalid_protocol'],
  ['VP_DROP_FLOW_NAT_NO_RFLOW', 'Flow NAT no rflow', 'flow_nat_no_rflow'],
  ['VP_DROP_FLOW_ACTION_DROP', 'Flow Action Drop', 'flow_action_drop'],
  ['VP_DROP_FLOW_ACTION_INVALID', 'Flow Action Invalid', 'flow_action_invalid'],
  ['VP_DROP_FLOW_UNUSABLE', 'Flow Unusable', 'flow_unusable'],
  ['VP_DROP_FLOW_TABLE_FULL', 'Flow Table Full', 'flow_table_full'],
  ['VP_DROP_INTERFACE_TX_DISCARD', 'IF TX Discard', 'interface_tx_discard'],
  ['VP_DROP_INTERFACE_DROP', 'IF Drop', 'interface_drop'],
  ['VP_DROP_DUPLICATED', 'Duplicate', 'duplicated'],
  ['VP_DROP_PUSH', 'Push Fails', 'push'],
  ['VP_DROP_TTL_EXCEEDED', 'TTL Exceeded', 'ttl_exceeded'],
  ['VP_DROP_INVALID_NH', 'Invalid NH', 'invalid_nh'],
  ['VP_DROP_INVALID_LABEL', 'Invalid Label', 'invalid_label'],
  ['VP_DROP_INVALID_PROTOCOL', 'Invalid Protocol', 'invalid_protocol'],
  ['VP_DROP_INTERFACE_RX_DISCARD', 'IF RX Discard', 'interface_rx_discard'],
  ['VP_DROP_INVALID_MCAST_SOURCE', 'Invalid Mcast Source', 'invalid_mcast_source'],
  ['VP_DROP_HEAD_ALLOC_FAIL', 'Head Alloc Fails', 'head_alloc_fail'],
  ['VP_DROP_PCOW_FAIL', 'PCOW fails', 'pcow_fail'],
  ['VP_DROP_MCAST_DF_BIT', 'Jumbo Mcast Pkt with DF Bit', 'mcast_df_bit'],
  ['VP_DROP_MCAST_CLONE_FAIL', 'Mcast Clone Fail', 'mcast_clone_fail'],
  ['VP_DROP_NO_MEMORY', 'Memory Failures', 'no_memory'],
  ['VP_DROP_REWRITE_FAIL', 'Rewrite Fail', 'rewrite_fail'],
  ['VP_DROP_MISC', 'Misc', 'misc'],
  ['VP_DROP_INVALID_PACKET', 'Invalid Packets', 'invalid_packet'],
  ['VP_DROP_CKSUM_ERR', 'Checksum errors', 'cksum_err'],
  ['VP_DROP_NO_FMD', 'No Fmd', 'no_fmd'],
  ['VP_DROP_CLONED_ORIGINAL', 'Cloned Original', 'cloned_original'],
  ['VP_DROP_INVALID_VNID', 'Invalid VNID', 'invalid_vnid'],
  ['VP_DROP_FRAGMENTS', 'Fragment errors', 'frag_err'],
  ['VP_DROP_INVALID_SOURCE', 'Invalid Source', 'invalid_source'],
  ['VP_DROP_L2_NO_ROUTE', 'No L2 Route', 'l2_no_route'],
  ['VP_DROP_FRAGMENT_QUEUE_FAIL', 'Fragment Queueing Failures', 'fragment_queue_fail'],
  ['VP_DROP_VLAN_FWD_TX', 'VLAN fwd intf failed TX', 'vlan_fwd_tx'],
  ['VP_DROP_VLAN_FWD_ENQ', 'VLAN fwd intf failed enq', 'vlan_fwd_enq'],
  ['VP_DROP_NEW_FLOWS', 'New Flow Drops', 'drop_new_flow'],
  ['VP_DROP_FLOW_EVICT', 'Flow Unusable (Eviction)', 'flow_evict'],
  ['VP_DROP_TRAP_ORIGINAL', 'Original Packet Trapped', 'trap_original'],
  ['VP_DROP_LEAF_TO_LEAF', 'Etree Leaf to Leaf', 'leaf_to_leaf'],
  ['VP_DROP_BMAC_ISID_MISMATCH', 'Bmac/ISID Mismatch', 'bmac_isid_mismatch'],
  ['VP_DROP_PKT_LOOP', 'Packet Loop', 'pkt_loop'],
  ['VP_DROP_NO_CRYPT_PATH', 'No Encrypt Path Failures', 'no_crypt_path'],
  ['VP_DROP_INVALID_HBS_PKT', 'Invalid HBS received packet', 'invalid_hbs_pkt'],
  ['VP_DROP_NO_FRAG_ENTRY', 'No Fragment Entries', 'no_frag_entry'],
  ['VP_DROP_ICMP_ERROR', 'ICMP errors', 'icmp_error'],
  ['VP_DROP_CLONE_FAIL', 'Clone Failures', 'clone_fail'],
  ['VP_DROP_INVALID_UNDERLAY_ECMP', 'Invalid underlay ECMP', 'invalid_underlay_ecmp'],
  ['VP_DROP_MAX', '', ''],
]
/** VP_DROP_MAX: no drop type set (log every reason). */
export const VP_DROP_MAX = DROP_REASONS.length - 1

/** The value of a VP_DROP_* name (undefined when it names none). */
export function dropReasonValue(name: string): number | undefined {
  const value = DROP_REASONS.findIndex(([n]) => n === name)
  return value < 0 ? undefined : value
}

/** A drop reason's label as the stock drop log prints it ("Unknow", sic, for what has none). */
export function dropReasonLabel(reason: number): string {
  return DROP_REASONS[reason]?.[1] || 'Unknow'
}

/** The label of a drop-stats counter (a vr_drop_stats_req field without vds_). */
export function dropCounterLabel(counter: string): string {
  const reason = DROP_REASONS.find(([, , c]) => c === counter)
  if (!reason) throw new Error(`no drop counter ${counter}`)
  return reason[1]
}

/** Packet types of the drop log (vp_type, include/vr_pkt_droplog.h DROP_VP_TYPE_MAP), named as utils/vr_util.c prints them. */
export const VP_TYPES: readonly EnumDef[] = [
  [1, 'ARP'],
  [2, 'IP'],
  [3, 'IP6'],
  [4, 'IPOIP'],
  [5, 'IP6OIP'],
  [6, 'AGENT'],
  [7, 'PBB'],
]
export const VP_TYPE = {ARP: 1, IP: 2, IP6: 3} as const

/** Source files a drop-log record names (include/vr_pkt_droplog.h FILE_MAP: the value is the position). */
export const DROP_LOG_FILES: readonly string[] = `INVALID UVROUTER_C VR_HOST_MTRANSPORT_C VR_HOST_MESSAGE_C ULINUX_C VR_HOST_INTERFACE_C VROUTER_HOST_MOD_C
VR_HOST_PACKET_C VR_HOST_IO_C WIN_PFREE_C VR_HOST_C WIN_PCLONE_C WIN_PACKET_C WINDOWS_RANDOM_C WIN_MEMORY_C
VR_PKT0_C VR_FRAGMENT_ASSEMBLER_C PRECOMPSRC2_C VR_DEVICES_C VR_DRIVER_C VR_WIN_TRANSPORT_C
VR_SHMEM_DEVICES_C VR_NBL_C VR_KSYNC_C WIN_PACKET_RAW_C VR_OID_C VR_SHMEM_C VHOST_DEV_C VR_SOCKET_C
VROUTER_MOD_C VR_BSD_TRANSPORT_C VR_MEM_C VR_DPDK_GSO_C DPDK_VROUTER_C VR_DPDK_VIRTIO_C VR_UVHOST_CLIENT_C
VR_UVHOST_C VR_DPDK_KNIDEV_C VR_DPDK_ETHDEV_C VR_DPDK_FRAGMENT_ASSEMBLER_C VR_DPDK_HOST_C VR_DPDK_FILESTORE_C
VR_DPDK_INTERFACE_C VR_DPDK_NETLINK_C VR_UVHOST_MSG_C VR_DPDK_GRO_C VR_DPDK_RINGDEV_C VR_UVHOST_UTIL_C
VR_DPDK_PACKET_C VR_DPDK_TABLE_MEM_C VR_DPDK_TAPDEV_C VR_DPDK_USOCKET_C VR_DPDK_LCORE_C COMMON_TEST_C
FAKE_WIN_PACKET_RAW_C TEST_WIN_PACKET_FREE_C FAKE_WIN_MEMORY_C ATOMIC_TEST_C RACES_TESTS_C FAKE_VROUTER_C
TEST_WIN_PACKET_SPLIT_MULTI_PACKET_C TEST_WIN_PFREE_C TEST_WIN_PACKET_CLONE_C TEST_WIN_PCLONE_C
DP_CORE_TEST_C VROUTER_C VR_MPLS_C VR_VIF_BRIDGE_C VR_SANDESH_C VR_ROUTE_C VR_STATS_C VR_IP_MTRIE_C
VR_MESSAGE_C VR_INTERFACE_C VR_QOS_C VR_QUEUE_C VR_BRIDGE_C VR_BTABLE_C VR_PACKET_C VR_VRF_ASSIGN_C VR_FLOW_C
VR_VXLAN_C VR_BUILDINFO_C VR_RESPONSE_C VR_NEXTHOP_C VR_MIRROR_C VR_FRAGMENT_C VR_PROTO_IP_C VR_BITMAP_C
VR_INDEX_TABLE_C VR_DATAPATH_C VR_PROTO_IP6_C VR_HTABLE_C VR_GENETLINK_C SH_MEM_C CLIENT_C VHOST_CLIENT_C
VIRT_QUEUE_C EXAMPLE_C VT_SANDESH_RESPONSE_C VT_PACKET_C VT_GEN_LIB_C VT_MAIN_C VT_PROCESS_XML_C
SANDESH_GEN_C VT_MESSAGE_C FLOW_C QOSMAP_C VRMEMSTATS_C VIF_C DROPSTATS_C MIRROR_C WINDOWS_UTIL_C NL_UTIL_C
UDP_UTIL_C INI_PARSER_C MPLS_C NH_C VXLAN_C VR_UTIL_C UNIX_UTIL_C VRFSTATS_C RT_C WIN_PACKET_RAW_H
WIN_PACKET_H WINDOWS_TYPES_H WIN_PACKET_IMPL_H PRECOMP_H WINDOWS_NBL_H VR_WINDOWS_H WIN_ASSERT_H
WINDOWS_SHMEM_H WIN_MEMORY_H WINDOWS_KSYNC_H WINDOWS_DEVICES_H WINDOWS_SHMEM_IOCTL_H WINDOWS_BUILTINS_H
VR_DPDK_FILESTORE_H QEMU_UVHOST_H VR_UVHOST_UTIL_H VR_DPDK_NETLINK_H VR_DPDK_LCORE_H VR_UVHOST_MSG_H
VR_DPDK_VIRTIO_H VR_DPDK_GRO_H VR_UVHOST_CLIENT_H VR_UVHOST_H VR_NEXTHOP_H VR_PROTO_H VR_RESPONSE_H
VR_UTILS_H VR_OS_H GENETLINK_H VR_HASH_H VR_MIRROR_H VR_IP_MTRIE_H INI_PARSER_H VR_STATS_H VR_DEFS_H
VR_HOST_INTERFACE_H VR_HOST_H VR_HOST_PACKET_H VR_FREEBSD_H VR_BUILDINFO_H UDP_UTIL_H VHOST_H VR_BRIDGE_H
VR_BTABLE_H VR_DATAPATH_H VR_INDEX_TABLE_H VR_DPDK_H VROUTER_H VR_GENETLINK_H VR_FLOW_H VR_MEM_H VR_VXLAN_H
ULINUX_H VR_PACKET_H VR_QUEUE_H VR_COMPAT_H VR_TEST_H VR_HTABLE_H VR_ROUTE_H VR_FRAGMENT_H VR_DPDK_USOCKET_H
NL_UTIL_H VR_INTERFACE_H VR_BITMAP_H VR_LINUX_H VR_MPLS_H VR_SANDESH_H VR_DPDK_COMPAT_H VR_QOS_H VR_MESSAGE_H
NETLINK_H FAKE_WIN_PACKET_H NDIS_H SUB_SIGNED_H ALGEBRAIC_RACES_H AND_UNSIGNED_H OR_UNSIGNED_H ADD_UNSIGNED_H
UNIT_TESTS_H RACES_TESTS_H SUB_UNSIGNED_H BOOL_CAS_H TEST_DEFINES_H COMMON_TEST_H VIRTIO_HDR_H VHOST_CLIENT_H
UVHOST_H VIRT_QUEUE_H SH_MEM_H VHOST_NET_H_ UTIL_H CLIENT_H VT_PACKET_H VT_MAIN_H VT_GEN_LIB_H
VT_PROCESS_XML_H VTEST_H VT_MESSAGE_H`.split(/\s+/)

/** Log levels of the DPDK forwarding plane (VR_LOG_*, include/vrouter.h), named as utils/vrouter.c names them. */
export const VROUTER_LOG_LEVELS: readonly EnumDef[] = [
  [1, 'emergency'],
  [2, 'alert'],
  [3, 'critical'],
  [4, 'error'],
  [5, 'warning'],
  [6, 'notice'],
  [7, 'info'],
  [8, 'debug'],
]

/** Log types of the DPDK forwarding plane (VR_LOGTYPE_* bits, include/vrouter.h), named as utils/vrouter.c names them. */
export const VROUTER_LOG_TYPES: readonly EnumDef[] = [
  [0x1, 'vrouter'],
  [0x2, 'usock'],
  [0x4, 'uvhost'],
  [0x8, 'dpcore'],
]

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
