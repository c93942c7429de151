/**
 * The pkt0 channel between the forwarding plane and the agent (TF include/vr_defs.h, shm-pkt0 spec §9): the agent
 * header's commands and trap codes with what their parameters mean, and the sizes and limits around them.
 */
import type {AgentHeader} from './packet.js'

/** How a trap's six parameters are to be read. */
export type TrapParams =
  /** p0, p1 written as 0; p2..p5 not written. */
  | 'none'
  /** p0 = flow index, p1 = key next hop, p2 bytes, p3 packets, p4 = bytes overflow | packets overflow << 16, p5 = generation. */
  | 'flow'
  /** p0 = MTU, p1 = flow index. */
  | 'mtu-flow'
  /** p0 = vif index in the low 16 bits. */
  | 'vif'
  /** p0 = bridge entry index. */
  | 'bridge'
  /** p0 = a 32-bit argument of the trapping code. */
  | 'argument'
  /** p0 = BFD state. */
  | 'bfd'
  /** Agent → forwarding plane: p0 = 1 (PACKET_CTRL) and p1 = 1 (DIAG) mark a diagnostic packet. */
  | 'command'

/** hdr_cmd: AGENT_CMD_* (0, 1: agent → forwarding plane) and AGENT_TRAP_* (2..20), without the prefix. */
export const AGENT = {
  SWITCH: 0,
  ROUTE: 1,
  ARP: 2,
  L2_PROTOCOLS: 3,
  NEXTHOP: 4,
  RESOLVE: 5,
  FLOW_MISS: 6,
  L3_PROTOCOLS: 7,
  DIAG: 8,
  ECMP_RESOLVE: 9,
  SOURCE_MISMATCH: 10,
  HANDLE_DF: 11,
  ZERO_TTL: 12,
  ICMP_ERROR: 13,
  TOR_CONTROL_PKT: 14,
  FLOW_ACTION_HOLD: 15,
  ROUTER_ALERT: 16,
  MAC_LEARN: 17,
  MAC_MOVE: 18,
  MAC_IP_LEARNING: 19,
  BFD: 20,
} as const
export type AgentCommandName = keyof typeof AGENT

export interface AgentCommand {
  readonly code: number
  readonly name: AgentCommandName
  readonly direction: 'to-agent' | 'to-vrouter'
  readonly params: TrapParams
  /** Whether a copied trap is cut to AGENT_MIN_PACKET_LEN bytes (others are copied whole). */
  readonly truncates: boolean
  /** Only OpenSDN/TF have it (the Windows port stops at MAC_MOVE). */
  readonly tfOnly: boolean
}

/** Per code: its parameters, whether a copy is truncated, whether only OpenSDN/TF have it (spec §9.1-9.2). */
const DETAILS: Record<AgentCommandName, readonly [TrapParams, truncates?: boolean, tfOnly?: boolean]> = {
  SWITCH: ['command'],
  ROUTE: ['command'],
  ARP: ['none'],
  L2_PROTOCOLS: ['none'],
  NEXTHOP: ['none', true],
  RESOLVE: ['none', true],
  FLOW_MISS: ['flow', true],
  L3_PROTOCOLS: ['none'],
  DIAG: ['vif'],
  ECMP_RESOLVE: ['argument', true],
  SOURCE_MISMATCH: ['argument'],
  HANDLE_DF: ['mtu-flow', true],
  ZERO_TTL: ['none', true],
  ICMP_ERROR: ['none'],
  TOR_CONTROL_PKT: ['none'],
  FLOW_ACTION_HOLD: ['flow', true],
  ROUTER_ALERT: ['none'],
  MAC_LEARN: ['bridge', true],
  MAC_MOVE: ['bridge', true],
  MAC_IP_LEARNING: ['argument', false, true],
  BFD: ['bfd', false, true],
}

/** Every code, by value. */
export const AGENT_COMMANDS: readonly AgentCommand[] = (Object.entries(AGENT) as [AgentCommandName, number][]).map(([name, code]) => {
  const [params, truncates = false, tfOnly = false] = DETAILS[name]
  return {code, name, direction: code <= AGENT.ROUTE ? 'to-vrouter' : 'to-agent', params, truncates, tfOnly}
})

/** A code's name, or "CMD_<n>" for a value no vRouter defines. */
export function agentCommandName(code: number): string {
  return AGENT_COMMANDS[code]?.name ?? `CMD_${code}`
}

/** A code by its name (case-insensitive, with or without the AGENT_TRAP_/AGENT_CMD_ prefix), or by number. */
export function agentCommandCode(text: string): number | undefined {
  const t = text.trim().toUpperCase().replace(/^AGENT_(TRAP|CMD)_/, '')
  if (/^\d+$/.test(t)) return Number(t) <= 0xffff ? Number(t) : undefined
  return AGENT_COMMANDS.find((c) => c.name === t)?.code
}

/** hdr_cmd_param / hdr_cmd_param_1 of a diagnostic packet the agent sends (CMD_PARAM_PACKET_CTRL, CMD_PARAM_1_DIAG). */
export const CMD_PARAM_PACKET_CTRL = 0x1
export const CMD_PARAM_1_DIAG = 0x1

/** sizeof(struct agent_hdr), packed: ifindex, vrf, cmd, five u32 params, a byte param and 3 bytes of pad. */
export const AGENT_HDR_LEN = 30
/** The outer Ethernet header in front of it. */
export const PKT0_ETHER_LEN = 14
/** Outer Ethernet + agent header: the agent rejects a frame no longer than this. */
export const PKT0_HEADROOM = PKT0_ETHER_LEN + AGENT_HDR_LEN
/** The outer header's ethertype (IPv4, though an agent header follows). */
export const PKT0_ETHERTYPE = 0x0800
/** Bytes a copied trap keeps for the truncating codes (VR_AGENT_MIN_PACKET_LEN). */
export const AGENT_MIN_PACKET_LEN = 190
/** The MACs the agent writes in front of what it sends (the forwarding plane ignores them). */
export const AGENT_SOURCE_MAC = Uint8Array.of(0, 0, 0, 0, 0, 1)
export const AGENT_DESTINATION_MAC = Uint8Array.of(0, 0, 0, 0, 0, 2)

/** Packets a HOLD flow queues (VR_MAX_FLOW_QUEUE_ENTRIES); a 4th is dropped (VP_DROP_FLOW_QUEUE_LIMIT_EXCEEDED). */
export const FLOW_HOLD_QUEUE = 3
/** Flows in HOLD above which new ones are refused (vr_flow_hold_limit): kernel and DPDK defaults; 0 = no limit. */
export const FLOW_HOLD_LIMIT = {kernel: 8192, dpdk: 1000} as const

/** The DPDK transport: the forwarding plane's and the agent's datagram sockets, in the socket directory. */
export const PKT0_VROUTER_SOCKET = 'dpdk_pkt0'
export const PKT0_AGENT_SOCKET = 'agent_pkt0'
/** The Windows port's device (one opener, one frame per read or write). */
export const PKT0_WINDOWS_DEVICE = '\\\\.\\vrouterPkt0'

/** What a header's parameters say, by the code's rule (spec §9.2); codes without a rule say nothing. */
export interface TrapMeaning {
  readonly flowIndex?: number
  readonly nexthop?: number
  readonly bytes?: number
  readonly packets?: number
  readonly genId?: number
  readonly mtu?: number
  readonly vif?: number
  readonly bridgeIndex?: number
  readonly argument?: number
  readonly bfdState?: number
  readonly diag?: boolean
}

export function trapMeaning(header: AgentHeader): TrapMeaning {
  const rule: TrapParams | undefined = AGENT_COMMANDS[header.cmd]?.params
  const [p0, p1, p2, p3, p4, p5] = header.params
  switch (rule) {
    case 'flow':
      // The overflow word: bytes bits 32..47 in its low half, packets bits 32..39 above (spec §9.2).
      return {flowIndex: p0, nexthop: p1, bytes: (p4 & 0xffff) * 2 ** 32 + p2, packets: ((p4 >>> 16) & 0xff) * 2 ** 32 + p3, genId: p5}
    case 'mtu-flow':
      return {mtu: p0, flowIndex: p1}
    case 'vif':
      return {vif: p0 & 0xffff}
    case 'bridge':
      return {bridgeIndex: p0}
    case 'argument':
      return {argument: p0}
    case 'bfd':
      return {bfdState: p0}
    case 'command':
      return p0 === CMD_PARAM_PACKET_CTRL && p1 === CMD_PARAM_1_DIAG ? {diag: true} : {}
    default:
      return {}
  }
}

/** The parameters of a flow trap (FLOW_MISS, FLOW_ACTION_HOLD) from the slot's index, key next hop, counters and generation. */
export function flowTrapParams(index: number, nexthop: number, bytes: number, packets: number, genId: number): AgentHeader['params'] {
  const bytesHigh = Math.floor(bytes / 2 ** 32) & 0xffff
  const packetsHigh = Math.floor(packets / 2 ** 32) & 0xff
  return [index >>> 0, nexthop >>> 0, bytes % 2 ** 32, packets % 2 ** 32, bytesHigh | (packetsHigh << 16), genId & 0xff]
}

/**
 * Which way a frame went, where a capture can tell (AF_PACKET on the kernel vRouter's tap; pcapng's packet flags):
 * from the forwarding plane to the agent (transmitted on pkt0), or from the agent (received on it).
 */
export type Pkt0Direction = 'to-agent' | 'from-agent'

/** The kernel vRouter's pkt0 interface: the agent's tap. */
export const PKT0_INTERFACE = 'pkt0'

/** The named pipe the emulator serves pkt0 on where there are no Unix datagram sockets (Windows). */
export const PKT0_PIPE = '\\\\.\\pipe\\vrouterPkt0'
