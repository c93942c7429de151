/**
 * The flow stage of the datapath (TF dp-core/vr_flow.c, shm-pkt0 spec §9.4): a packet of an interface with policy
 * looks its flow up by key; a miss takes a slot in HOLD with the slot's next generation (unless more flows than the
 * hold limit are already held: VP_DROP_FLOW_UNUSABLE; no slot: VP_DROP_FLOW_TABLE_FULL); a HOLD flow queues up to 3
 * packets (a 4th is VP_DROP_FLOW_QUEUE_LIMIT_EXCEEDED), the first of them trapped as FLOW_MISS (a new flow) or
 * FLOW_ACTION_HOLD with index, key next hop, counters and generation; when the agent's FLOW_SET changes the
 * action, the held packets go through the stage again (`release`); FORWARD and NAT route the packet, DROP drops
 * it (VP_DROP_FLOW_ACTION_DROP). Every packet counts on its flow.
 *
 * The table itself is the state's flow table, reached through `FlowTable`.
 */
import {AF_INET, AF_INET6} from '../../lib/model/constants.js'
import {parseIp} from '../../lib/model/addresses.js'
import {AGENT, FLOW_HOLD_QUEUE, flowTrapParams} from '../../lib/model/pkt0.js'
import type {Context, Datapath, Outcome} from './datapath.js'

/** fe_action values. */
export const FLOW_ACTION = {DROP: 0, HOLD: 1, FORWARD: 2, NAT: 3} as const

export interface FlowView {
  readonly action: number
  readonly genId: number
  /** NEW_FLOW: no packet of this flow has been trapped yet. */
  readonly newFlow: boolean
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
}

/** The key of a packet's flow: family, protocol, ports as on the wire, key next hop, addresses (spec §3.2). */
export function packetFlowKey(ctx: Context, nexthop: number): Uint8Array | undefined {
  const ip = ctx.packet.layers.find((l) => l.layer === 'ipv4' || l.layer === 'ipv6') as {layer: 'ipv4' | 'ipv6'; src: string; dst: string; protocol?: number} | undefined
  if (!ip) return undefined
  const v6 = ip.layer === 'ipv6'
  const l4 = ctx.packet.layers.find((l) => l.layer === 'tcp' || l.layer === 'udp' || l.layer === 'icmp' || l.layer === 'icmpv6')
  const protocol = v6 ? (ctx.packet.layers.find((l) => l.layer === 'ipv6') as {nextHeader: number}).nextHeader : ip.protocol!
  const key = new Uint8Array(v6 ? 44 : 20)
  const view = new DataView(key.buffer)
  key[0] = v6 ? AF_INET6 : AF_INET
  key[1] = protocol
  if (l4?.layer === 'tcp' || l4?.layer === 'udp') {
    view.setUint16(4, l4.srcPort)
    view.setUint16(6, l4.dstPort)
  } else if ((l4?.layer === 'icmp' || l4?.layer === 'icmpv6') && [0, 8, 128, 129].includes(l4.type)) {
    // Echo: the identifier as the source port, destination port 0.
    view.setUint16(4, l4.rest >>> 16)
  }
  view.setUint32(8, nexthop >>> 0, true)
  key.set(parseIp(ip.src) ?? [], 12)
  key.set(parseIp(ip.dst) ?? [], v6 ? 28 : 16)
  return key
}

export class FlowStage {
  private readonly queues = new Map<number, Context[]>()

  constructor(
    private readonly datapath: Datapath,
    readonly table: FlowTable,
    /** vr_flow_hold_limit (0: none). */
    readonly holdLimit: number,
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
      if (this.holdLimit > 0 && this.table.held() > this.holdLimit) return [this.datapath.drop(ctx.entry, ctx.vif, 'VP_DROP_FLOW_UNUSABLE', ctx.bytes)]
      index = this.table.allocate(key, ctx.vrf, ctx.vif)
      if (index === undefined) return [this.datapath.drop(ctx.entry, ctx.vif, 'VP_DROP_FLOW_TABLE_FULL', ctx.bytes)]
    }
    const flow = this.table.entry(index)!
    switch (flow.action) {
      case FLOW_ACTION.HOLD: {
        const queue = this.queues.get(index) ?? []
        if (queue.length >= FLOW_HOLD_QUEUE) return [this.datapath.drop(ctx.entry, ctx.vif, 'VP_DROP_FLOW_QUEUE_LIMIT_EXCEEDED', ctx.bytes)]
        queue.push(ctx)
        this.queues.set(index, queue)
        const stats = this.table.count(index, ctx.bytes.length)
        const held: Outcome = {fate: 'held', flow: index, vif: ctx.vif}
        if (queue.length > 1) return [held]
        const params = flowTrapParams(index, nexthop, stats.bytes, stats.packets, flow.genId)
        const trap = this.datapath.trap(ctx, flow.newFlow ? AGENT.FLOW_MISS : AGENT.FLOW_ACTION_HOLD, params)
        this.table.trapped(index)
        return [trap, held]
      }
      case FLOW_ACTION.DROP:
        this.table.count(index, ctx.bytes.length)
        return [this.datapath.drop(ctx.entry, ctx.vif, 'VP_DROP_FLOW_ACTION_DROP', ctx.bytes)]
      case FLOW_ACTION.FORWARD:
      case FLOW_ACTION.NAT: {
        this.table.count(index, ctx.bytes.length)
        const ip = ctx.packet.layers.find((l) => l.layer === 'ipv4' || l.layer === 'ipv6') as {dst: string}
        const route = this.datapath.state.routes.route(ctx.vrf, parseIp(ip.dst)!)
        return this.datapath.nexthop(ctx, route?.nh ?? 0)
      }
      default:
        return [this.datapath.drop(ctx.entry, ctx.vif, 'VP_DROP_FLOW_ACTION_INVALID', ctx.bytes)]
    }
  }

  /** The agent set the flow at `index`: its held packets go through the stage again, with the new action. */
  release(index: number): Outcome[] {
    const queue = this.queues.get(index)
    if (!queue || this.table.entry(index)?.action === FLOW_ACTION.HOLD) return []
    this.queues.delete(index)
    return queue.flatMap((ctx) => this.process(ctx))
  }
}
