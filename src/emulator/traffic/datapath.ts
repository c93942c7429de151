/**
 * The emulated datapath: packets entering an interface (`emulator inject`, a scenario's traffic, the agent's ROUTE
 * command) go where the forwarding plane would send them, with its counters. What it does, after TF dp-core:
 *
 * - ARP (vr_datapath.c, vr_proto_ip.c vm_arp_request): from a VM, a request whose target route has ARP_PROXY (or
 *   from a MAC_PROXY interface) is answered by the forwarding plane out of the same interface (with the stitched
 *   MAC, else the interface's); a gratuitous one is trapped (AGENT_TRAP_ARP) when its route has ARP_TRAP; a reply
 *   to the vRouter's MAC is trapped, a broadcast reply trapped and flooded; others are flooded to the VRF's other
 *   VMs. On the fabric and vhost, ARP is cross-connected, and fabric replies also trapped.
 * - DHCP (vr_bridge.c, vr_proto_ip.c vr_inet_should_trap): a client's broadcast (UDP source port 68) from a VM with
 *   DHCP enabled is trapped as AGENT_TRAP_L3_PROTOCOLS; DHCPv6 and router solicitations likewise; neighbour
 *   solicitations as AGENT_TRAP_ARP.
 * - IP with TTL 1 or 0 is trapped as ZERO_TTL (vr_nexthop.c nh_output, before any flow lookup). Otherwise, from an
 *   interface with policy it goes through the flow stage (./flows.ts, over the state's flow table), which routes
 *   it once its flow allows (rewritten by its NAT and TTL, in its VRF); without policy it is routed at once: ENCAP
 *   next hops send it out of their interface with their rewrite (its ethertype the packet's), RCV to the host
 *   interface, RESOLVE traps it (AGENT_TRAP_RESOLVE), DISCARD or no route drops it.
 * - Frames from the agent: SWITCH sends the packet out of hdr_ifindex; ROUTE takes it in as if received there (the
 *   agent interface when that is missing or the fabric) in hdr_vrf.
 */
import {EventEmitter} from 'node:events'
import {formatMac, parseIp, parseMac} from '../../lib/model/addresses.js'
import {DROP_LOG_FILES, DROP_REASONS, NH_TYPE, ROUTE_FLAGS, VIF_FLAGS, VIF_TYPES, VP_TYPE, dropReasonValue, enumValue, flagBit} from '../../lib/model/constants.js'
import {DROP_LOG_HEADER_BYTES, dropLogRecord} from '../../lib/model/droplog.js'
import {ARP_OP, DHCP_PORT, type DecodedPacket, ETHERTYPE, type Layer} from '../../lib/model/packet.js'
import {AGENT, AGENT_MIN_PACKET_LEN, PKT0_HEADROOM, agentCommandName} from '../../lib/model/pkt0.js'
import {buildPacket} from '../../lib/pkt0/build.js'
import {decodePkt0Frame, encodePkt0Frame, trapFrame} from '../../lib/pkt0/frame.js'
import {decodePacket} from '../../lib/pkt0/packet.js'
import type {DropCounters} from '../state/drops.js'
import type {VrouterState} from '../state/index.js'
import {type InterfaceEntry, VIF_TYPE_HOST, VIF_TYPE_PHYSICAL, VIF_TYPE_VIRTUAL} from '../state/interfaces.js'
import {FlowStage} from './flows.js'

const VIF_TYPE_AGENT = enumValue(VIF_TYPES, 'AGENT')
const VIF_FLAG_POLICY = flagBit(VIF_FLAGS, 'POLICY_ENABLED')
const VIF_FLAG_DHCP = flagBit(VIF_FLAGS, 'DHCP_ENABLED')
const VIF_FLAG_MAC_PROXY = flagBit(VIF_FLAGS, 'MAC_PROXY')
const RT_ARP_PROXY = flagBit(ROUTE_FLAGS, 'ARP_PROXY')
const RT_ARP_TRAP = flagBit(ROUTE_FLAGS, 'ARP_TRAP')
const NO_INDEX = 0xffffffff
const ZERO_MAC = '00:00:00:00:00:00'

/** What became of a packet (one packet may have several fates: trapped and flooded). */
export type Outcome =
  | {readonly fate: 'trapped'; readonly trap: string; readonly vif: number; readonly flow?: number}
  | {readonly fate: 'sent'; readonly vif: number; readonly why: string}
  | {readonly fate: 'dropped'; readonly reason: string; readonly vif: number}
  | {readonly fate: 'held'; readonly flow: number; readonly vif: number}

export interface DatapathEvents {
  /** A pkt0 frame for the agent. */
  trap: [frame: Uint8Array]
  /** A packet leaving an interface. */
  transmit: [vif: number, packet: Uint8Array]
}

const macText = (bytes: ArrayLike<number>) => (bytes.length === 6 ? formatMac(bytes) : ZERO_MAC)
const isMulticast = (mac: string) => (parseInt(mac.slice(0, 2), 16) & 1) === 1
const layer = <K extends Layer['layer']>(p: DecodedPacket, kind: K) => p.layers.find((l) => l.layer === kind) as Extract<Layer, {layer: K}> | undefined

export class Datapath extends EventEmitter<DatapathEvents> {
  /** The flow stage, over the state's flow table; a FLOW_SET that gives a flow its action lets its held packets go. */
  readonly flows: FlowStage

  constructor(readonly state: VrouterState) {
    super()
    this.flows = new FlowStage(this, state.flows)
    state.flows.onAction = (index, action) => void this.flows.release(index, action)
  }

  /** A packet entering interface `vif` (in `vrf`, when the agent's ROUTE names one). */
  receive(vif: number, bytes: Uint8Array, vrf?: number): Outcome[] {
    const entry = this.state.interfaces.get(vif)
    if (!entry) return [this.drop(undefined, vif, 'VP_DROP_INVALID_IF', bytes)]
    const f = entry.fields
    f.vifr_ipackets = Number(f.vifr_ipackets) + 1
    f.vifr_ibytes = Number(f.vifr_ibytes) + bytes.length
    const packet = decodePacket(bytes)
    const eth = layer(packet, 'ethernet')
    if (!eth) return [this.drop(entry, vif, 'VP_DROP_PULL', bytes)]
    const ctx: Context = {vif, entry, vrf: vrf ?? f.vifr_vrf, bytes, packet, dstMac: eth.dst}
    const network = packet.layers.find((l) => l.layer === 'arp' || l.layer === 'ipv4' || l.layer === 'ipv6')
    if (network?.layer === 'arp') return this.arp(ctx, network)
    if (network?.layer === 'ipv4' || network?.layer === 'ipv6') return this.ip(ctx)
    return this.crossConnect(ctx) ?? [this.drop(entry, vif, 'VP_DROP_INVALID_PROTOCOL', bytes)]
  }

  /** A frame from the agent: SWITCH it out of an interface, or ROUTE it in as if received. */
  fromAgent(frame: Uint8Array): Outcome[] {
    if (frame.length <= PKT0_HEADROOM) return []
    const agent = this.agentInterface()
    if (agent) {
      agent.fields.vifr_ipackets = Number(agent.fields.vifr_ipackets) + 1
      agent.fields.vifr_ibytes = Number(agent.fields.vifr_ibytes) + frame.length
    }
    const {header, packet} = decodePkt0Frame(frame)
    const bytes = packet.slice()
    if (header.cmd === AGENT.SWITCH) {
      const out = this.state.interfaces.get(header.ifindex)
      return out ? [this.send(header.ifindex, bytes, 'agent SWITCH')] : [this.drop(agent, agent?.fields.vifr_idx ?? 0, 'VP_DROP_INVALID_IF', bytes)]
    }
    if (header.cmd === AGENT.ROUTE) {
      const target = this.state.interfaces.get(header.ifindex)
      const vif = !target || target.fields.vifr_type === VIF_TYPE_PHYSICAL ? (agent?.fields.vifr_idx ?? header.ifindex) : header.ifindex
      return this.receive(vif, bytes, header.vrf)
    }
    return [this.drop(agent, agent?.fields.vifr_idx ?? 0, 'VP_DROP_INVALID_PACKET', bytes)]
  }

  private arp(ctx: Context, arp: Extract<Layer, {layer: 'arp'}>): Outcome[] {
    const f = ctx.entry.fields
    if (f.vifr_type === VIF_TYPE_PHYSICAL || f.vifr_type === VIF_TYPE_HOST) {
      const out = this.crossConnect(ctx) ?? []
      return arp.op === ARP_OP.REPLY && f.vifr_type === VIF_TYPE_PHYSICAL ? [this.trap(ctx, AGENT.ARP), ...out] : out
    }
    if (f.vifr_type !== VIF_TYPE_VIRTUAL) return [this.drop(ctx.entry, ctx.vif, 'VP_DROP_INVALID_IF', ctx.bytes)]
    if (arp.op === ARP_OP.REPLY) {
      if (ctx.dstMac === macText(f.vifr_mac)) return [this.trap(ctx, AGENT.ARP)]
      if (isMulticast(ctx.dstMac)) return [this.trap(ctx, AGENT.ARP), ...this.flood(ctx)]
      return this.bridge(ctx)
    }
    if (arp.op !== ARP_OP.REQUEST) return [this.drop(ctx.entry, ctx.vif, 'VP_DROP_INVALID_ARP', ctx.bytes)]
    const target = parseIp(arp.tpa)
    const route = target ? this.state.routes.route(ctx.vrf, target) : undefined
    const flags = route?.flags ?? 0
    if (arp.spa === arp.tpa) {
      const flood = this.flood(ctx)
      return flags & RT_ARP_TRAP ? [this.trap(ctx, AGENT.ARP), ...flood] : flood
    }
    if (f.vifr_flags & VIF_FLAG_MAC_PROXY || flags & RT_ARP_PROXY) {
      // The answer comes with the stitched MAC of the target's route, else the interface's own.
      const stitched = route && route.index !== NO_INDEX ? this.state.routes.bridge.at(route.index)?.value.mac : undefined
      const mac = stitched ? macText(stitched) : macText(f.vifr_mac)
      this.state.vrfStats.add(ctx.vrf, stitched ? 'vsr_arp_virtual_stitch' : 'vsr_arp_virtual_proxy', 1)
      const reply = buildPacket({proto: 'arp', op: 'reply', src_mac: mac, dst_mac: arp.sha, src: arp.tpa, dst: arp.spa}, {srcMac: mac, dstMac: arp.sha, src: arp.tpa})
      return [this.send(ctx.vif, reply, `ARP proxy: ${arp.tpa} is-at ${mac}`)]
    }
    this.state.vrfStats.add(ctx.vrf, 'vsr_arp_virtual_flood', 1)
    return this.flood(ctx)
  }

  private ip(ctx: Context): Outcome[] {
    const f = ctx.entry.fields
    const ip4 = layer(ctx.packet, 'ipv4')
    const ip6 = layer(ctx.packet, 'ipv6')
    const udp = layer(ctx.packet, 'udp')
    const icmp6 = layer(ctx.packet, 'icmpv6')
    if (f.vifr_type === VIF_TYPE_VIRTUAL) {
      const broadcast = isMulticast(ctx.dstMac) || ip4?.dst === '255.255.255.255' || (ip6?.dst.startsWith('ff') ?? false)
      if (broadcast && udp && (udp.srcPort === DHCP_PORT.CLIENT || udp.dstPort === 547) && f.vifr_flags & VIF_FLAG_DHCP) return [this.trap(ctx, AGENT.L3_PROTOCOLS)]
      if (icmp6?.type === 133) return [this.trap(ctx, AGENT.L3_PROTOCOLS)]
      if (icmp6?.type === 135 || icmp6?.type === 136) return [this.trap(ctx, AGENT.ARP)]
    }
    const ttl = ip4?.ttl ?? ip6?.hopLimit ?? 64
    // nh_output traps an expiring packet before any flow lookup.
    if (ttl <= 1) return [this.trap(ctx, AGENT.ZERO_TTL)]
    if (f.vifr_flags & VIF_FLAG_POLICY) return this.flows.process(ctx)
    const dst = parseIp(ip4?.dst ?? ip6?.dst ?? '')
    const route = dst ? this.state.routes.route(ctx.vrf, dst) : undefined
    return this.nexthop(ctx, route?.nh ?? 0)
  }

  /** Where a routed packet goes by its next hop. */
  nexthop(ctx: Context, id: number): Outcome[] {
    const nh = this.state.nexthops.get(id)
    switch (nh?.nhr_type) {
      case NH_TYPE.ENCAP: {
        const out = nh.nhr_encap_oif_id[0]
        const rewrite = nh.nhr_encap.length >= 14 ? nh.nhr_encap.slice(0, 14) : undefined
        const network = this.networkBytes(ctx)
        if (!rewrite || !this.state.interfaces.get(out)) return [this.drop(ctx.entry, ctx.vif, 'VP_DROP_INVALID_NH', ctx.bytes)]
        this.state.vrfStats.add(ctx.vrf, 'vsr_encaps', 1)
        // The rewrite's ethertype becomes the packet's (nh_encap_l3).
        const ethertype = layer(ctx.packet, 'ipv6') ? ETHERTYPE.IPV6 : ETHERTYPE.IPV4
        const bytes = new Uint8Array([...rewrite, ...network])
        bytes.set([ethertype >>> 8, ethertype & 0xff], 12)
        return [this.send(out, bytes, `next hop ${id} (encap)`)]
      }
      case NH_TYPE.RCV: {
        this.state.vrfStats.add(ctx.vrf, 'vsr_receives', 1)
        const out = nh.nhr_encap_oif_id[0]
        return this.state.interfaces.get(out) ? [this.send(out, ctx.bytes, `next hop ${id} (receive)`)] : [this.drop(ctx.entry, ctx.vif, 'VP_DROP_INVALID_NH', ctx.bytes)]
      }
      case NH_TYPE.RESOLVE:
        this.state.vrfStats.add(ctx.vrf, 'vsr_resolves', 1)
        return [this.trap(ctx, AGENT.RESOLVE)]
      case NH_TYPE.DISCARD:
      case undefined:
        this.state.vrfStats.add(ctx.vrf, 'vsr_discards', 1)
        return [this.drop(ctx.entry, ctx.vif, 'VP_DROP_DISCARD', ctx.bytes)]
      default:
        // Tunnels, composites and VRF translation are not emulated: the packet goes nowhere, and says so.
        return [this.drop(ctx.entry, ctx.vif, 'VP_DROP_INVALID_NH', ctx.bytes)]
    }
  }

  /** An L2 unicast by the bridge table of the VRF (its ENCAP next hop's interface), else flooded. */
  private bridge(ctx: Context): Outcome[] {
    const mac = parseMac(ctx.dstMac)
    const entry = mac ? this.state.routes.bridgeEntry(ctx.vrf, mac) : undefined
    const nh = entry ? this.state.nexthops.get(entry.nh) : undefined
    if (entry) entry.packets++
    if (nh?.nhr_type === NH_TYPE.ENCAP && this.state.interfaces.get(nh.nhr_encap_oif_id[0])) return [this.send(nh.nhr_encap_oif_id[0], ctx.bytes, `bridge entry ${ctx.dstMac}`)]
    return this.flood(ctx)
  }

  /** Out of every other VM interface of the VRF. */
  private flood(ctx: Context): Outcome[] {
    const out: Outcome[] = []
    for (const [idx, e] of this.state.interfaces.table.after(-1)) {
      if (idx !== ctx.vif && e.fields.vifr_type === VIF_TYPE_VIRTUAL && e.fields.vifr_vrf === ctx.vrf) out.push(this.send(idx, ctx.bytes, 'flood'))
    }
    return out
  }

  /** vhost ↔ fabric cross-connect (undefined when the interface has no partner). */
  private crossConnect(ctx: Context): Outcome[] | undefined {
    const f = ctx.entry.fields
    if (f.vifr_type !== VIF_TYPE_PHYSICAL && f.vifr_type !== VIF_TYPE_HOST) return undefined
    const partner =
      f.vifr_type === VIF_TYPE_HOST
        ? f.vifr_cross_connect_idx[0]
        : [...this.state.interfaces.table.after(-1)].find(([, e]) => e.fields.vifr_type === VIF_TYPE_HOST && e.fields.vifr_cross_connect_idx[0] === ctx.vif)?.[0]
    return partner !== undefined && this.state.interfaces.get(partner) ? [this.send(partner, ctx.bytes, 'cross-connect')] : undefined
  }

  /** The bytes from the network header on. */
  private networkBytes(ctx: Context): Uint8Array {
    let at = 0
    for (const l of ctx.packet.layers) {
      if (l.layer !== 'ethernet' && l.layer !== 'vlan') break
      at += l.layer === 'ethernet' ? 14 : 4
    }
    return ctx.bytes.subarray(at)
  }

  agentInterface(): InterfaceEntry | undefined {
    for (const [, e] of this.state.interfaces.table.after(-1)) if (e.fields.vifr_type === VIF_TYPE_AGENT) return e
    return undefined
  }

  /** A packet handed to the agent behind an agent header; with no agent interface it is dropped (TRAP_NO_IF). */
  trap(ctx: Context, cmd: number, params: readonly [number, number, number, number, number, number] = [0, 0, 0, 0, 0, 0]): Outcome {
    const agent = this.agentInterface()
    if (!agent) return this.drop(ctx.entry, ctx.vif, 'VP_DROP_TRAP_NO_IF', ctx.bytes)
    // HANDLE_DF and ZERO_TTL keep only the start of a long packet (vr_trap's copy of VR_AGENT_MIN_PACKET_LEN bytes).
    const cut = (cmd === AGENT.HANDLE_DF || cmd === AGENT.ZERO_TTL) && ctx.bytes.length > AGENT_MIN_PACKET_LEN
    const packet = cut ? ctx.bytes.subarray(0, AGENT_MIN_PACKET_LEN) : ctx.bytes
    const frame = encodePkt0Frame(trapFrame(macText(agent.fields.vifr_mac), {ifindex: ctx.vif, vrf: ctx.vrf, cmd, params}, packet))
    agent.fields.vifr_opackets = Number(agent.fields.vifr_opackets) + 1
    agent.fields.vifr_obytes = Number(agent.fields.vifr_obytes) + frame.length
    this.emit('trap', frame)
    return {fate: 'trapped', trap: agentCommandName(cmd), vif: agent.fields.vifr_idx, ...(cmd === AGENT.FLOW_MISS || cmd === AGENT.FLOW_ACTION_HOLD ? {flow: params[0]} : {})}
  }

  send(vif: number, bytes: Uint8Array, why: string): Outcome {
    const e = this.state.interfaces.get(vif)
    if (e) {
      e.fields.vifr_opackets = Number(e.fields.vifr_opackets) + 1
      e.fields.vifr_obytes = Number(e.fields.vifr_obytes) + bytes.length
    }
    this.emit('transmit', vif, bytes)
    return {fate: 'sent', vif, why}
  }

  /** Counts a drop (globally and on the interface) and logs it in the drop log. */
  drop(entry: InterfaceEntry | undefined, vif: number, reason: string, bytes: Uint8Array): Outcome {
    const value = dropReasonValue(reason)!
    const counter = `vds_${DROP_REASONS[value][2]}`
    this.state.drops.drops[counter] += 1
    if (entry) (entry.drops as DropCounters)[counter] = (entry.drops[counter] ?? 0) + 1
    const packet = decodePacket(bytes)
    const ip4 = layer(packet, 'ipv4')
    const ip6 = layer(packet, 'ipv6')
    const l4 = packet.layers.find((l) => l.layer === 'tcp' || l.layer === 'udp') as {srcPort: number; dstPort: number} | undefined
    const address = (text: string | undefined) => {
      const out = new Uint8Array(16)
      if (text) out.set(parseIp(text) ?? [])
      return out
    }
    const at = packet.layers.findIndex((l) => l.layer === 'ipv4' || l.layer === 'ipv6' || l.layer === 'arp')
    const network = at < 0 ? new Uint8Array(0) : bytes.subarray(packet.layers.slice(0, at).reduce((n, l) => n + (l.layer === 'ethernet' ? 14 : 4), 0))
    const header = new Uint8Array(DROP_LOG_HEADER_BYTES)
    header.set(network.subarray(0, DROP_LOG_HEADER_BYTES))
    this.state.dropLog.log(
      0,
      dropLogRecord({
        timestamp: Math.floor(Date.now() / 1000),
        vpType: ip6 ? VP_TYPE.IP6 : ip4 ? VP_TYPE.IP : VP_TYPE.ARP,
        dropReason: value,
        vifIdx: vif,
        nhId: entry?.fields.vifr_nh_id ?? 0,
        src: address(ip4?.src ?? ip6?.src),
        dst: address(ip4?.dst ?? ip6?.dst),
        sport: l4?.srcPort ?? 0,
        dport: l4?.dstPort ?? 0,
        file: DROP_LOG_FILES.indexOf('VR_DATAPATH_C'),
        line: 0,
        pktLen: network.length,
        header,
      }),
    )
    return {fate: 'dropped', reason, vif}
  }
}

/** A packet on its way through the datapath. */
export interface Context {
  readonly vif: number
  readonly entry: InterfaceEntry
  readonly vrf: number
  readonly bytes: Uint8Array
  readonly packet: DecodedPacket
  readonly dstMac: string
}

