/**
 * Entries of the tables the forwarding plane shares with user space (TF include/vr_flow.h, vr_bridge.h,
 * vr_htable.h), as typed objects: the field names are the C names. The byte layouts live in lib/shm/layout.ts.
 */
import {FLOW_ACTIONS, FLOW_FLAGS, VP_TYPE, enumValue, flagBit} from './constants.js'

/** The hash-table header every entry starts with (vr_hentry). */
export interface HashEntryHeader {
  hentry_index: number
  hentry_bucket_index: number
  hentry_next_index: number
  hentry_flags: number
}

/**
 * A flow entry. The key's addresses are `key_ip`: source then destination, 4 + 4 bytes for IPv4, 16 + 16 for IPv6
 * (network order); ports as numbers (the stored bytes are network order). Fields the Windows port's 128-byte
 * layout lacks are undefined there, never 0.
 */
export interface FlowEntry extends HashEntryHeader {
  fe_ttl: number
  fe_qos_id: number
  key_family: number
  key_proto: number
  key_sport: number
  key_dport: number
  key_nh_id: number
  key_ip: Uint8Array
  key_len: number
  fe_gen_id: number
  fe_tcp_flags: number
  fe_tcp_seq: number
  fe_rflow: number
  fe_flags: number
  fe_flags1?: number
  fe_action: number
  fe_vrf: number
  fe_dvrf: number
  fe_mirror_id: number
  fe_sec_mirror_id: number
  fe_src_nh_index: number
  flow_bytes: number
  flow_packets: number
  flow_bytes_oflow: number
  flow_packets_oflow: number
  fe_ecmp_nh_index: number
  fe_drop_reason: number
  fe_type: number
  fe_udp_src_port: number
  /** Host-order u32 over the 4 stored bytes (printed by `flow -l` as the IPv4 address of those bytes). */
  fe_src_info: number
  fe_tcp_ack?: number
  fe_underlay_ecmp_index?: number
  fe_bucket_lock?: number
}

export interface BridgeEntry extends HashEntryHeader {
  be_mac: Uint8Array
  be_vrf_id: number
  be_packets: number | bigint
  be_label: number
  be_nh_id: number
  be_flags: number
}

/** No next entry in a chain; also the stored "none" of a 32-bit index. */
export const INVALID_HENTRY_INDEX = 0xffffffff
export const HENTRY_FLAG = {VALID: 0x1, DELETE_MARKED: 0x2, DELETE_PROCESSED: 0x4, IN_FREE_LIST: 0x8} as const
/** The flag bits and actions by name (their values live in constants.ts). */
export const FLOW_FLAG = {
  ACTIVE: flagBit(FLOW_FLAGS, 'ACTIVE'),
  SNAT: flagBit(FLOW_FLAGS, 'SNAT'),
  SPAT: flagBit(FLOW_FLAGS, 'SPAT'),
  DNAT: flagBit(FLOW_FLAGS, 'DNAT'),
  DPAT: flagBit(FLOW_FLAGS, 'DPAT'),
  DELETE_MARKED: flagBit(FLOW_FLAGS, 'DELETE_MARKED'),
  MODIFIED: flagBit(FLOW_FLAGS, 'MODIFIED'),
  NEW_FLOW: flagBit(FLOW_FLAGS, 'NEW_FLOW'),
  EVICT_CANDIDATE: flagBit(FLOW_FLAGS, 'EVICT_CANDIDATE'),
  EVICTED: flagBit(FLOW_FLAGS, 'EVICTED'),
  RFLOW_VALID: flagBit(FLOW_FLAGS, 'RFLOW_VALID'),
  MIRROR: flagBit(FLOW_FLAGS, 'MIRROR'),
  VRFT: flagBit(FLOW_FLAGS, 'VRFT'),
  LINK_LOCAL: flagBit(FLOW_FLAGS, 'LINK_LOCAL'),
} as const
export const FLOW_ACTION = {DROP: enumValue(FLOW_ACTIONS, 'DROP'), HOLD: enumValue(FLOW_ACTIONS, 'HOLD'), FORWARD: enumValue(FLOW_ACTIONS, 'FORWARD'), NAT: enumValue(FLOW_ACTIONS, 'NAT')} as const
export const BRIDGE_FLAG = {VALID: 0x1, LABEL_VALID: 0x2} as const
/** A mirror id of 255 (VR_MAX_MIRROR_INDICES) is no mirror. */
export const NO_MIRROR = 255

/** Bytes of one address of a flow of this type (4 for IP, 16 for IP6). */
export function addressSize(type: number): number {
  return type === VP_TYPE.IP6 ? 16 : 4
}

export function flowSource(e: FlowEntry): Uint8Array {
  return e.key_ip.subarray(0, addressSize(e.fe_type))
}

export function flowDestination(e: FlowEntry): Uint8Array {
  const size = addressSize(e.fe_type)
  return e.key_ip.subarray(size, 2 * size)
}

/** Packets and bytes with their overflow bits (the 32-bit counters wrap into them). */
export function flowCounters(e: FlowEntry): {packets: number; bytes: number} {
  return {packets: e.flow_packets + e.flow_packets_oflow * 2 ** 32, bytes: e.flow_bytes + e.flow_bytes_oflow * 2 ** 32}
}

/** One end of a `flow --match` address list: an address (absent for `*`) and a port (-1 for any). */
export interface MatchEnd {
  readonly address?: Uint8Array
  readonly port: number
}

/** What `flow --match` selects (utils/flow.c): -1 for "any" protocol or VRF. */
export interface FlowMatch {
  readonly family?: 'inet' | 'inet6'
  readonly first?: MatchEnd
  readonly second?: MatchEnd
  readonly proto: number
  readonly vrf: number
}
