/**
 * The flow stage of the datapath (TF dp-core/vr_flow.c, shm-pkt0 spec §9.4): a packet of an interface with policy
 * looks its flow up by key; a miss takes a slot in HOLD with the slot's next generation (unless more flows than the
 * hold limit, vrouter_ops' vo_flow_hold_limit, are already held: VP_DROP_FLOW_UNUSABLE; no slot:
 * VP_DROP_FLOW_TABLE_FULL). A packet of a flow marked for eviction (EVICT_CANDIDATE) is dropped as
 * VP_DROP_FLOW_EVICT. Otherwise the flow records its source interface, a TCP segment updates the TCP state of the
 * flow and its reverse flow (./tcp.ts), and the packet counts on its flow; a HOLD flow queues up to 3 packets (a
 * 4th is VP_DROP_FLOW_QUEUE_LIMIT_EXCEEDED), the first of them trapped as FLOW_MISS (a new flow) or
 * FLOW_ACTION_HOLD with index, key next hop, counters and generation. When the agent's FLOW_SET gives the flow an
 * action, the held packets take it (`release`, without being counted or digested again).
 *
 * The actions (vr_flow_action_default): DROP drops the packet (VP_DROP_FLOW_ACTION_DROP); NAT rewrites it from the
 * reverse flow's key (./nat.ts; no reverse flow: VP_DROP_FLOW_NAT_NO_RFLOW); then FORWARD and NAT set an IPv4
 * packet's TTL to the flow's fe_ttl (when set) and route it in the flow's VRF, or with VRFT in its fe_dvrf. After
 * the action, a DEAD TCP flow is marked for eviction (state/flows.ts markEvict). Not emulated: the source next-hop
 * check (RPF), mirroring of flows (MIRROR: the emulator has no mirror path), fat flows, health-check (HBS) flows.
 *
 * The table itself is the state's flow table (state/flows.ts), reached through `FlowTable`.
 */
import {parseIp} from '../../lib/model/addresses.js'
import {AF_INET, AF_INET6} from '../../lib/model/constants.js'
import {FLOW_ACTION, FLOW_FLAG, type FlowEntry} from '../../lib/model/flow.js'
import {AGENT, FLOW_HOLD_QUEUE, flowTrapParams} from '../../lib/model/pkt0.js'
import {decodePacket} from '../../lib/pkt0/packet.js'
import {flowKeyBytes} from '../state/flows.js'
import {VIF_TYPE_VIRTUAL} from '../state/interfaces.js'
import type {Context, Datapath, Outcome} from './datapath.js'
import {natRewrite, ttlRewrite} from './nat.js'
import {FLOW_TCP, tcpDigest} from './tcp.js'

export interface FlowView {
  readonly action: number
  readonly genId: number
  /** NEW_FLOW: no packet of this flow has been trapped yet. */
  readonly newFlow: boolean
  /** EVICT_CANDIDATE: marked for eviction. */
  readonly evictCandidate: boolean
}

/** What the stage needs of the flow table. */
export interface FlowTable {
  /** The slot holding this key (45-byte key layout, spec §3.2), if any. */
  find(key: Uint8Array): number | undefined
  entry(index: number): FlowView | undefined
  /** A slot for a new flow in HOLD in `vrf`, with the slot's next generation; undefined when none is free. */
  allocate(key: Uint8Array, vrf: number, srcInfo: number): number | undefined
  /** Counts a packet; returns the counters the trap reports (for a new flow, the slot's previous occupant's). */
  count(index: number, bytes: number): {bytes: number; packets: number}
  /** The NEW_FLOW bit is consumed by the first trap. */
  trapped(index: number): void
  /** Flows in HOLD now. */
  held(): number
  /** The entry itself, for its TCP state, NAT flags, reverse flow, VRFs and TTL. */
  value(index: number): FlowEntry | undefined
  /** An entry changed in place. */
  changed(index: number): void
  /** After the action on a packet of a DEAD flow (vr_flow_mark_evict). */
  markEvict(index: number): void
}

/** The key of a packet's flow (spec §3.2): TCP/UDP ports; for an ICMP echo, its identifier as the source port. */
export function packetFlowKey(ctx: Context, nexthop: number): Uint8Array | undefined {
  const ip = ctx.packet.layers.find((l) => l.layer === 'ipv4' || l.layer === 'ipv6')
  if (!ip) return undefined
  const l4 = ctx.packet.layers.find((l) => l.layer === 'tcp' || l.layer === 'udp' || l.layer === 'icmp' || l.layer === 'icmpv6')
  const ports = l4?.layer === 'tcp' || l4?.layer === 'udp' ? [l4.srcPort, l4.dstPort] : (l4?.layer === 'icmp' || l4?.layer === 'icmpv6') && [0, 8, 128, 129].includes(l4.type) ? [l4.rest >>> 16, 0] : [0, 0]
  return flowKeyBytes({
    family: ip.layer === 'ipv6' ? AF_INET6 : AF_INET,
    proto: ip.layer === 'ipv6' ? ip.nextHeader : ip.protocol,
    sport: ports[0],
    dport: ports[1],
    nh: nexthop,
    src: parseIp(ip.src) ?? new Uint8Array(16),
    dst: parseIp(ip.dst) ?? new Uint8Array(16),
  })
}

export class FlowStage {
  private readonly queues = new Map<number, Context[]>()

  constructor(
    private readonly datapath: Datapath,
    readonly table: FlowTable,
  ) {}

  /** Packets waiting in the hold queue of a flow. */
  queued(index: number): number {
    return this.queues.get(index)?.length ?? 0
  }

  process(ctx: Context): Outcome[] {
    const nexthop = ctx.entry.fields.vifr_nh_id
    const key = packetFlowKey(ctx, nexthop)
    if (!key) return [this.datapath.drop(ctx.entry, ctx.vif, 'VP_DROP_FLOW_INVALID_PROTOCOL', ctx.bytes)]
    let index = this.table.find(key)
    if (index === undefined) {
      const limit = this.datapath.state.ops.ops.vo_flow_hold_limit
      if (limit > 0 && this.table.held() > limit) return [this.datapath.drop(ctx.entry, ctx.vif, 'VP_DROP_FLOW_UNUSABLE', ctx.bytes)]
      index = this.table.allocate(key, ctx.vrf, ctx.vif)
      if (index === undefined) return [this.datapath.drop(ctx.entry, ctx.vif, 'VP_DROP_FLOW_TABLE_FULL', ctx.bytes)]
    }
    const flow = this.table.entry(index)!
    if (flow.evictCandidate) return [this.datapath.drop(ctx.entry, ctx.vif, 'VP_DROP_FLOW_EVICT', ctx.bytes)]
    this.digest(ctx, index)
    const stats = this.table.count(index, ctx.bytes.length)
    if (flow.action !== FLOW_ACTION.HOLD) return this.act(ctx, index)
    const queue = this.queues.get(index) ?? []
    if (queue.length >= FLOW_HOLD_QUEUE) return [this.datapath.drop(ctx.entry, ctx.vif, 'VP_DROP_FLOW_QUEUE_LIMIT_EXCEEDED', ctx.bytes)]
    queue.push(ctx)
    this.queues.set(index, queue)
    const held: Outcome = {fate: 'held', flow: index, vif: ctx.vif}
    if (queue.length > 1) return [held]
    const params = flowTrapParams(index, nexthop, stats.bytes, stats.packets, flow.genId)
    const trap = this.datapath.trap(ctx, flow.newFlow ? AGENT.FLOW_MISS : AGENT.FLOW_ACTION_HOLD, params)
    this.table.trapped(index)
    return [trap, held]
  }

  /** The packet's source (a VM's interface) and, for a TCP segment (not a later fragment), the TCP state. */
  private digest(ctx: Context, index: number): void {
    const e = this.table.value(index)!
    if (ctx.entry.fields.vifr_type === VIF_TYPE_VIRTUAL) e.fe_src_info = ctx.vif
    const ip4 = ctx.packet.layers.find((l) => l.layer === 'ipv4')
    const tcp = ctx.packet.layers.find((l) => l.layer === 'tcp')
    if (tcp && !(ip4 && ip4.fragmentOffset !== 0)) {
      const ip6 = ctx.packet.layers.find((l) => l.layer === 'ipv6')
      // The segment's data: what the IP header says follows it, less the TCP header.
      const payload = ip4 ? ip4.totalLength - ip4.ihl * 4 : (ip6?.payloadLength ?? 0)
      const uncond = this.datapath.state.ops.ops.vo_uncond_close_flow_on_tcp_rst !== 0
      tcpDigest(e, {flags: tcp.flags, seq: tcp.seq, ack: tcp.ack, dataLength: payload - tcp.dataOffset * 4}, (i) => this.table.value(i), uncond)
      if (e.fe_rflow >= 0) this.table.changed(e.fe_rflow)
    }
    this.table.changed(index)
  }

  /** The flow at `index` took `action` (the agent set it, or deleted it: DROP): its held packets take it too. */
  release(index: number, action: number): Outcome[] {
    const queue = this.queues.get(index)
    if (!queue || action === FLOW_ACTION.HOLD) return []
    this.queues.delete(index)
    return queue.flatMap((ctx) => this.act(ctx, index))
  }

  /** What a flow's action does to a packet (vr_flow_action); a flow gone (deleted) drops it. */
  private act(ctx: Context, index: number): Outcome[] {
    const fe = this.table.value(index)
    const out = this.action(ctx, fe)
    if (fe && fe.fe_tcp_flags & FLOW_TCP.DEAD) this.table.markEvict(index)
    return out
  }

  private action(ctx: Context, fe: FlowEntry | undefined): Outcome[] {
    switch (fe?.fe_action ?? FLOW_ACTION.DROP) {
      case FLOW_ACTION.DROP:
        return [this.datapath.drop(ctx.entry, ctx.vif, 'VP_DROP_FLOW_ACTION_DROP', ctx.bytes)]
      case FLOW_ACTION.FORWARD:
      case FLOW_ACTION.NAT:
        return this.forward(ctx, fe!)
      default:
        return [this.datapath.drop(ctx.entry, ctx.vif, 'VP_DROP_FLOW_ACTION_INVALID', ctx.bytes)]
    }
  }

  /** FORWARD and NAT: the packet rewritten (NAT, then TTL) and routed in the flow's VRF (VRFT: fe_dvrf). */
  private forward(ctx: Context, fe: FlowEntry): Outcome[] {
    const at = ctx.packet.layers.findIndex((l) => l.layer === 'ipv4' || l.layer === 'ipv6')
    const offset = ctx.packet.layers.slice(0, at).reduce((n, l) => n + (l.layer === 'ethernet' ? 14 : 4), 0)
    const bytes = ctx.bytes.slice()
    if (fe.fe_action === FLOW_ACTION.NAT) {
      const rfe = this.table.value(fe.fe_rflow)
      if (!rfe) return [this.datapath.drop(ctx.entry, ctx.vif, 'VP_DROP_FLOW_NAT_NO_RFLOW', ctx.bytes)]
      natRewrite(bytes, offset, fe, rfe)
    }
    if (ctx.packet.layers[at].layer === 'ipv4') ttlRewrite(bytes, offset, fe.fe_ttl)
    const packet = decodePacket(bytes)
    const ip = packet.layers[at] as {dst: string}
    const vrf = fe.fe_flags & FLOW_FLAG.VRFT ? fe.fe_dvrf : fe.fe_vrf
    const route = this.datapath.state.routes.route(vrf, parseIp(ip.dst)!)
    return this.datapath.nexthop({...ctx, bytes, packet, vrf}, route?.nh ?? 0)
  }
}
