/**
 * Interfaces (vr_interface_req), their VRF-assignment tables (vr_vrf_assign_req) and their drop counters, with the
 * forwarding plane's semantics (TF dp-core/vr_interface.c, vr_vrf_assign.c): ADD creates or changes in place, DEL
 * by name or index, GET by index or (index out of range) by OS index, DUMP by index with optional drop counters,
 * RESET clears counters.
 */
import type {MessageFields, SandeshObject} from '../../lib/sandesh/schema.js'
import {SandeshOp} from '../../lib/sandesh/types.js'
import {KeyedTable, type Replies, dumpPage, fail, make, ok} from './common.js'
import {VIF_FLAGS, VIF_TYPES, enumValue, flagBit} from '../../lib/model/constants.js'
import type {VrouterConfig} from './config.js'
import {DROP_COUNTERS, type DropCounters, addDrops, dropStatsObject, dropsTotal, zeroDrops} from './drops.js'

type Vif = MessageFields<'vr_interface_req'>

export const VIF_TYPE_HOST = enumValue(VIF_TYPES, 'HOST')
export const VIF_TYPE_PHYSICAL = enumValue(VIF_TYPES, 'PHYSICAL')
export const VIF_TYPE_VIRTUAL = enumValue(VIF_TYPES, 'VIRTUAL')
export const VIF_TYPE_VIRTUAL_VLAN = enumValue(VIF_TYPES, 'VIRTUAL_VLAN')
const VIF_TYPE_STATS = enumValue(VIF_TYPES, 'STATS')
const VIF_TYPE_MAX = 10
const VIF_FLAG_MIRROR_RX = flagBit(VIF_FLAGS, 'MIRROR_RX')
const VIF_FLAG_MIRROR_TX = flagBit(VIF_FLAGS, 'MIRROR_TX')
const VIF_FLAG_SERVICE_IF = flagBit(VIF_FLAGS, 'SERVICE_IF')
const VIF_FLAG_L3 = flagBit(VIF_FLAGS, 'L3_ENABLED')
const VIF_FLAG_L2 = flagBit(VIF_FLAGS, 'L2_ENABLED')
/** Capability bits the forwarding plane owns (TX_CSUM_OFFLOAD, VLAN_OFFLOAD, GRO_NEEDED, MRG_RXBUF). */
const DP_OWNED_FLAGS = 0x20 | 0x20000 | 0x400000 | 0x800000
const VIF_FLAG_TX_CSUM_OFFLOAD = flagBit(VIF_FLAGS, 'TX_CSUM_OFFLOAD')
const VIF_FLAG_MOCK_DEVICE = flagBit(VIF_FLAGS, 'MOCK_DEVICE')
const NO_MIRROR = 255

/** The counters of vr_interface_req that RESET clears and per-core views split. */
export const VIF_COUNTERS = [
  'vifr_ibytes', 'vifr_ipackets', 'vifr_ierrors', 'vifr_obytes', 'vifr_opackets', 'vifr_oerrors',
  'vifr_queue_ipackets', 'vifr_queue_ierrors', 'vifr_queue_opackets', 'vifr_queue_oerrors',
  'vifr_port_ipackets', 'vifr_port_ierrors', 'vifr_port_isyscalls', 'vifr_port_inombufs', 'vifr_port_opackets',
  'vifr_port_oerrors', 'vifr_port_osyscalls', 'vifr_dev_ibytes', 'vifr_dev_ipackets', 'vifr_dev_ierrors',
  'vifr_dev_inombufs', 'vifr_dev_obytes', 'vifr_dev_opackets', 'vifr_dev_oerrors',
] as const satisfies readonly (keyof Vif)[]

export interface InterfaceEntry {
  fields: Vif
  drops: DropCounters
  /** VLAN → [vrf, nexthop] of a service interface. */
  vrfAssign?: Map<number, {vrf: number; nh: number}>
}

/** A counter's share of one core: totals split evenly, the remainder on the first cores. */
export function coreShare(total: number, core: number, cores: number): number {
  if (core >= cores) return 0
  const base = Math.floor(total / cores)
  return base + (core < total - base * cores ? 1 : 0)
}

export class Interfaces {
  readonly table = new KeyedTable<InterfaceEntry>()

  constructor(
    private readonly config: VrouterConfig,
    /** Number of holders of a vif besides its table slot (next hops using it, VLAN children, VRF HBF sides). */
    private readonly users: (idx: number) => number,
  ) {}

  get(idx: number): InterfaceEntry | undefined {
    return this.table.get(idx)
  }

  handle(object: SandeshObject<'vr_interface_req'>): Replies {
    const f = object.fields
    switch (f.h_op) {
      case SandeshOp.ADD:
        return this.add(f)
      case SandeshOp.DEL:
        return this.remove(f)
      case SandeshOp.GET:
        return this.getOne(f)
      case SandeshOp.DUMP:
        return this.dump(f)
      case SandeshOp.RESET:
        return this.reset(f)
      default:
        return fail('EOPNOTSUPP')
    }
  }

  /** ADD: a new interface, or a change of an existing one (never EEXIST). */
  add(f: Vif): Replies {
    if (f.vifr_idx < 0 || f.vifr_idx >= this.config.interfaces || f.vifr_type >= VIF_TYPE_MAX || f.vifr_type < 0) return fail('EINVAL')
    // An unknown transport ends the request with success and creates nothing (a dp quirk).
    if (f.vifr_transport > 3) return ok()
    const existing = this.table.get(f.vifr_idx)
    if (existing) {
      Object.assign(existing.fields, this.changeable(f, existing.fields))
      return ok()
    }
    if (f.vifr_mac.length !== 0 && f.vifr_mac.length !== 6) return fail('EINVAL')
    if (f.vifr_type === VIF_TYPE_HOST && ![...this.table.after(-1)].some(([, e]) => e.fields.vifr_type === VIF_TYPE_PHYSICAL)) return fail('ENODEV')
    if (f.vifr_type === VIF_TYPE_VIRTUAL_VLAN) {
      if (!this.table.has(f.vifr_parent_vif_idx) || f.vifr_src_mac.length % 6 !== 0 || f.vifr_src_mac.length > 24) return fail('EINVAL')
    }
    this.table.set(f.vifr_idx, {fields: this.created(f), drops: zeroDrops()})
    return ok()
  }

  /** Stores a fully described interface (a scenario's), with its counters, without the checks of ADD. */
  put(fields: Vif, drops: DropCounters = zeroDrops()): void {
    this.table.set(fields.vifr_idx, {fields: {...this.created(fields), ...pick(fields, VIF_COUNTERS)}, drops})
  }

  private created(f: Vif): Vif {
    // The emulated NIC of a physical interface offloads checksums, so the dp marks it Tc (vr_host_interface.c,
    // vr_dpdk_interface.c); a mock device has no NIC.
    const nic = f.vifr_type === VIF_TYPE_PHYSICAL && !(f.vifr_flags & VIF_FLAG_MOCK_DEVICE)
    const flags = this.flags(f.vifr_flags) | (nic ? VIF_FLAG_TX_CSUM_OFFLOAD : 0)
    const mtu = f.vifr_mtu !== 0 ? f.vifr_mtu : f.vifr_type === VIF_TYPE_VIRTUAL || f.vifr_type === VIF_TYPE_STATS ? 9160 : 1514
    return {
      ...make('vr_interface_req', {}).fields,
      ...f,
      h_op: 0,
      vifr_flags: flags,
      vifr_mtu: mtu,
      vifr_os_idx: f.vifr_os_idx === -1 ? 0 : f.vifr_os_idx,
      vifr_mir_id: flags & (VIF_FLAG_MIRROR_RX | VIF_FLAG_MIRROR_TX) ? f.vifr_mir_id : NO_MIRROR,
      vifr_speed: f.vifr_type === VIF_TYPE_PHYSICAL ? f.vifr_speed : -1,
      vifr_duplex: f.vifr_type === VIF_TYPE_PHYSICAL ? f.vifr_duplex : -1,
      vifr_parent_vif_idx: f.vifr_type === VIF_TYPE_VIRTUAL_VLAN ? f.vifr_parent_vif_idx : -1,
      vifr_mac: f.vifr_mac.length === 6 ? f.vifr_mac : [0, 0, 0, 0, 0, 0],
    }
  }

  /** L2 and L3 both when neither is asked for; the dp's capability bits are never the agent's to set. */
  private flags(requested: number): number {
    const flags = requested & ~DP_OWNED_FLAGS
    return flags & (VIF_FLAG_L2 | VIF_FLAG_L3) ? flags : flags | VIF_FLAG_L2 | VIF_FLAG_L3
  }

  /** What a change (ADD of an existing index) updates; type, name, MAC, transport, OS index and the dp's capability bits stay. */
  private changeable(f: Vif, current: Vif): Partial<Vif> {
    const flags = this.flags(f.vifr_flags)
    return {
      vifr_flags: flags | (current.vifr_flags & (VIF_FLAG_SERVICE_IF | DP_OWNED_FLAGS)),
      vifr_mir_id: flags & (VIF_FLAG_MIRROR_RX | VIF_FLAG_MIRROR_TX) ? f.vifr_mir_id : NO_MIRROR,
      ...(f.vifr_vrf >= 0 ? {vifr_vrf: f.vifr_vrf} : {}),
      ...(f.vifr_mcast_vrf >= 0 ? {vifr_mcast_vrf: f.vifr_mcast_vrf} : {}),
      ...(f.vifr_mtu !== 0 ? {vifr_mtu: f.vifr_mtu} : {}),
      vifr_nh_id: f.vifr_nh_id,
      vifr_qos_map_index: f.vifr_qos_map_index,
      vifr_isid: f.vifr_isid,
      vifr_pbb_mac: f.vifr_pbb_mac,
      vifr_ip: f.vifr_ip,
      vifr_ip6_u: f.vifr_ip6_u,
      vifr_ip6_l: f.vifr_ip6_l,
      vifr_in_mirror_md: f.vifr_in_mirror_md,
      vifr_out_mirror_md: f.vifr_out_mirror_md,
      vifr_src_mac: f.vifr_src_mac,
    }
  }

  /** DEL by name (if given) or index; no in-use check. */
  private remove(f: Vif): Replies {
    let idx = f.vifr_idx
    if (f.vifr_name !== '') {
      const parsed = f.vifr_name.match(/^vif\d+\/(\d+)$/)
      idx = parsed ? Number(parsed[1]) : ([...this.table.after(-1)].find(([, e]) => e.fields.vifr_name === f.vifr_name)?.[0] ?? -1)
    }
    return this.table.delete(idx) ? ok() : fail('ENODEV')
  }

  private find(f: Vif): InterfaceEntry | undefined {
    if (f.vifr_idx >= 0 && f.vifr_idx < this.config.interfaces) return this.table.get(f.vifr_idx)
    for (const [, e] of this.table.after(-1)) if (e.fields.vifr_os_idx === f.vifr_os_idx) return e
    return undefined
  }

  private getOne(f: Vif): Replies {
    const entry = this.find(f)
    if (!entry) return fail('ENOENT')
    const core = (f.vifr_core - 1) >>> 0
    const vif = this.view(entry, core, SandeshOp.GET)
    return ok(vif, ...(f.vifr_flags & 1 ? [dropStatsObject(this.coreDrops(entry.drops, core))] : []))
  }

  private dump(f: Vif): Replies {
    const core = (f.vifr_core - 1) >>> 0
    const withDrops = (f.vifr_flags & 1) !== 0
    const table = this.table
    const self = this
    return dumpPage(
      (function* () {
        // The dp reuses one drop-stats object for the whole dump without zeroing it: each vif's object carries the
        // sum over the vifs before it too (kept, as the stock tools see it).
        const running = zeroDrops()
        for (const [, entry] of table.after(f.vifr_marker)) {
          yield self.view(entry, core, SandeshOp.DUMP)
          if (withDrops) {
            addDrops(running, self.coreDrops(entry.drops, core))
            yield dropStatsObject({...running})
          }
        }
      })(),
    )
  }

  /** RESET: clears the counters of one interface (or all, index -1); the reply echoes op, core, index and name. */
  /**
   * RESET: the counters of one interface or all. The reply names the interface (one) or nobody (all); an index with
   * no interface is answered, as by the dp, with an empty object (so the stock tool prints nothing).
   */
  private reset(f: Vif): Replies {
    const one = f.vifr_idx === -1 ? undefined : this.table.get(f.vifr_idx)
    if (f.vifr_idx !== -1 && !one) return ok(make('vr_interface_req', {}))
    const targets = one ? [one] : [...this.table.after(-1)].map(([, e]) => e)
    for (const e of targets) {
      for (const c of VIF_COUNTERS) e.fields[c] = 0
      e.drops = zeroDrops()
    }
    return ok(make('vr_interface_req', {h_op: SandeshOp.RESET, vifr_core: f.vifr_core, vifr_idx: f.vifr_idx, vifr_name: one?.fields.vifr_name.slice(0, 63) ?? ''}))
  }

  /** An interface as GET/DUMP return it, with the counters of `core` (0xffffffff = all cores summed). */
  view(entry: InterfaceEntry, core: number, op: number): SandeshObject<'vr_interface_req'> {
    const fields: Vif = {...entry.fields, h_op: op === SandeshOp.DUMP ? SandeshOp.DUMP : op, vifr_core: core}
    if (core !== 0xffffffff) for (const c of VIF_COUNTERS) fields[c] = coreShare(Number(entry.fields[c]), core, this.config.cores)
    fields.vifr_ref_cnt = 1 + this.users(entry.fields.vifr_idx)
    fields.vifr_dpackets = dropsTotal(this.coreDrops(entry.drops, core))
    return {name: 'vr_interface_req', fields}
  }

  private coreDrops(drops: DropCounters, core: number): DropCounters {
    if (core === 0xffffffff) return drops
    const out = zeroDrops()
    for (const k of DROP_COUNTERS) out[k] = coreShare(drops[k], core, this.config.cores)
    return out
  }

  // --- VRF assignment (service interfaces) ---

  handleVrfAssign(object: SandeshObject<'vr_vrf_assign_req'>): Replies {
    const f = object.fields
    const entry = this.table.get(f.var_vif_index)
    switch (f.h_op) {
      case SandeshOp.ADD:
      case SandeshOp.DEL: {
        if (!entry) return fail('EINVAL')
        // Any assignment turns the interface into a service interface, before the VLAN is checked.
        entry.vrfAssign ??= new Map()
        entry.fields.vifr_flags |= VIF_FLAG_SERVICE_IF
        if (f.var_vlan_id < 0 || f.var_vlan_id >= this.config.vlans) return fail('EINVAL')
        if (f.h_op === SandeshOp.DEL || f.var_vif_vrf === -1) entry.vrfAssign.delete(f.var_vlan_id)
        else entry.vrfAssign.set(f.var_vlan_id, {vrf: f.var_vif_vrf, nh: f.var_nh_id})
        return ok()
      }
      case SandeshOp.GET: {
        if (!entry || !(entry.fields.vifr_flags & VIF_FLAG_SERVICE_IF)) return fail('EINVAL')
        if (!entry.vrfAssign) return fail('ENOMEM')
        if (f.var_vlan_id < 0 || f.var_vlan_id >= this.config.vlans) return fail('EINVAL')
        const slot = entry.vrfAssign.get(f.var_vlan_id)
        return ok({name: 'vr_vrf_assign_req', fields: {...f, var_vif_vrf: slot?.vrf ?? -1, var_nh_id: slot?.nh ?? 0}})
      }
      case SandeshOp.DUMP: {
        const slots = entry?.vrfAssign && entry.fields.vifr_flags & VIF_FLAG_SERVICE_IF ? [...entry.vrfAssign].sort(([a], [b]) => a - b) : []
        return dumpPage(
          slots
            .filter(([vlan]) => vlan > f.var_marker)
            .map(([vlan, s]): SandeshObject => ({name: 'vr_vrf_assign_req', fields: {...f, var_vlan_id: vlan, var_vif_vrf: s.vrf, var_nh_id: s.nh}})),
        )
      }
      default:
        return fail('EINVAL')
    }
  }
}

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, o[k]])) as Pick<T, K>
}
