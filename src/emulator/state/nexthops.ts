/**
 * Next hops (vr_nexthop_req) with the forwarding plane's semantics (TF dp-core/vr_nexthop.c): ADD creates or
 * changes in place and checks a valid next hop per type (its interfaces, tunnel addresses, composite members), DEL
 * frees the slot without an in-use check, GET/DUMP report what the dp reports per type, reference counts included.
 */
import type {ErrnoName} from '../../lib/errors.js'
import type {MessageFields, SandeshObject} from '../../lib/sandesh/schema.js'
import {SandeshOp} from '../../lib/sandesh/types.js'
import {KeyedTable, type Replies, dumpPage, fail, make, ok} from './common.js'
import type {VrouterConfig} from './config.js'
import type {RefCounts} from './refs.js'
import {AF_BRIDGE, AF_INET, AF_INET6, NH_FLAG, NH_TYPE, NH_TYPE_MAX} from '../../lib/model/constants.js'

type Nh = MessageFields<'vr_nexthop_req'>

const NH = NH_TYPE
/** Composite members a dump lists at most (nhr_nh_count keeps the full count). */
const DUMP_COMPONENT_LIMIT = 16
/** VR_MAX_PHY_INF: the interfaces of an underlay-ECMP tunnel. */
const MAX_PHYSICAL_INTERFACES = 3
const NH_ECMP_CONFIG_HASH_MASK = 0x1f
/** Whether a tunnel sends through an interface: GRE, else (UDP taking precedence) MPLSoUDP or VXLAN. */
const throughInterface = (flags: number) =>
  (flags & NH_FLAG.TUNNEL_GRE) !== 0 || (!(flags & NH_FLAG.TUNNEL_UDP) && (flags & (NH_FLAG.TUNNEL_UDP_MPLS | NH_FLAG.TUNNEL_VXLAN)) !== 0)

const nonZero = (bytes: readonly number[], length: number) => bytes.length === length && bytes.some((b) => b !== 0)

export class Nexthops {
  readonly table = new KeyedTable<Nh>()
  /** nh_data_size: the rewrite bytes an encap or tunnel next hop was created with, which a change must keep. */
  private readonly dataSize = new Map<number, number>()

  constructor(
    private readonly config: VrouterConfig,
    private readonly refs: RefCounts,
    private readonly interfaceExists: (idx: number) => boolean,
  ) {
    // The forwarding plane starts with next hop 0: discard.
    this.table.set(0, this.normalised({...emptyNh(), nhr_type: NH.DISCARD, nhr_family: AF_INET, nhr_flags: NH_FLAG.VALID}))
  }

  get(id: number): Nh | undefined {
    return this.table.get(id)
  }

  exists(id: number): boolean {
    return this.table.has(id)
  }

  handle(object: SandeshObject<'vr_nexthop_req'>): Replies {
    const f = object.fields
    switch (f.h_op) {
      case SandeshOp.ADD:
        return this.add(f)
      case SandeshOp.DEL:
        return this.remove(f.nhr_id)
      case SandeshOp.GET:
        if (f.nhr_id < 0 || f.nhr_id >= this.config.nexthops) return fail('ENODEV')
        return this.table.has(f.nhr_id) ? ok(this.view(this.table.get(f.nhr_id)!, SandeshOp.GET)) : fail('ENOENT')
      case SandeshOp.DUMP: {
        const after = this.table.after(f.nhr_marker)
        const self = this
        return dumpPage(
          (function* () {
            for (const [, nh] of after) yield self.view(nh, SandeshOp.DUMP)
          })(),
        )
      }
      default:
        return fail('EOPNOTSUPP')
    }
  }

  /** DEL: frees the slot, whoever still uses the next hop (they keep using the old one). */
  private remove(id: number): Replies {
    const nh = this.table.get(id)
    if (!nh) return fail('EINVAL')
    this.release(nh)
    this.table.delete(id)
    this.dataSize.delete(id)
    return ok()
  }

  /** ADD: create or change; a valid next hop is checked for its type. */
  add(f: Nh): Replies {
    if (f.nhr_id < 0 || f.nhr_id >= this.config.nexthops || f.nhr_type >= NH_TYPE_MAX) return fail('EINVAL')
    const existing = this.table.get(f.nhr_id)
    const valid = (f.nhr_flags & NH_FLAG.VALID) !== 0
    if (existing && valid) {
      const encapChanged = f.nhr_encap.length !== 0 && f.nhr_encap.length !== (this.dataSize.get(f.nhr_id) ?? 0)
      if (existing.nhr_type !== f.nhr_type || encapChanged || (existing.nhr_flags ^ f.nhr_flags) & NH_FLAG.INDIRECT) return fail('EINVAL')
    }
    const refused = valid ? this.check(f) : undefined
    if (refused) {
      if (existing) {
        // A failed change leaves the next hop with its new identity, invalid, forwarding to discard.
        Object.assign(existing, {nhr_type: f.nhr_type, nhr_family: f.nhr_family, nhr_vrf: f.nhr_vrf, nhr_flags: f.nhr_flags & ~(existing.nhr_flags & NH_FLAG.VALID ? 0 : NH_FLAG.VALID)})
      }
      return fail(refused)
    }
    this.put(f)
    return ok()
  }

  /** Stores a next hop (after ADD's checks, or from a scenario), moving references. */
  put(f: Nh): void {
    const previous = this.table.get(f.nhr_id)
    if (previous) this.release(previous)
    else this.dataSize.set(f.nhr_id, f.nhr_type === NH.ENCAP || f.nhr_type === NH.TUNNEL ? f.nhr_encap.length : 0)
    const nh = this.normalised(f)
    this.hold(nh)
    this.table.set(f.nhr_id, nh)
  }

  private check(f: Nh): ErrnoName | undefined {
    const flags = f.nhr_flags
    if (flags & NH_FLAG.INDIRECT) {
      if (f.nhr_type !== NH.TUNNEL || !(flags & NH_FLAG.TUNNEL_PBB)) return 'EINVAL'
      if (f.nhr_nh_list.length > 1 || (f.nhr_nh_list.length === 1 && !this.exists(f.nhr_nh_list[0]))) return 'EINVAL'
    }
    const oif = f.nhr_encap_oif_id
    switch (f.nhr_type) {
      case NH.ENCAP:
        if (f.nhr_family !== AF_INET && f.nhr_family !== AF_BRIDGE) return 'EINVAL'
        if (f.nhr_family === AF_BRIDGE && flags & NH_FLAG.MCAST) return 'EINVAL'
        if (f.nhr_family === AF_INET && !(flags & NH_FLAG.MCAST) && f.nhr_encap.length < 6) return 'EINVAL'
        return this.interfaceExists(oif[0] ?? 0) ? undefined : 'EINVAL'
      case NH.RCV:
        return this.interfaceExists(oif[0] ?? 0) ? undefined : 'ENODEV'
      case NH.DEAD:
        return 'EINVAL'
      case NH.TUNNEL:
        return this.checkTunnel(f)
      case NH.COMPOSITE:
        return this.checkComposite(f)
      default:
        return undefined
    }
  }

  /** The interfaces a tunnel sends through: oif[0], or with underlay ECMP every oif marked valid. */
  private tunnelInterfaces(f: Nh): number[] {
    if (f.nhr_flags & NH_FLAG.TUNNEL_UNDERLAY_ECMP) return f.nhr_encap_oif_id.filter((_, i) => f.nhr_encap_valid[i])
    return f.nhr_encap_oif_id.slice(0, 1)
  }

  private checkTunnel(f: Nh): ErrnoName | undefined {
    const flags = f.nhr_flags
    if (f.nhr_family === AF_INET && (f.nhr_tun_sip === 0 || f.nhr_tun_dip === 0)) return 'EINVAL'
    if (f.nhr_family === AF_INET6 && (f.nhr_tun_sip6.length !== 16 || f.nhr_tun_dip6.length !== 16)) return 'EINVAL'
    const hasInterface = this.tunnelInterfaces(f).some((idx) => this.interfaceExists(idx))
    // The kinds in the dp's order of precedence.
    if (flags & NH_FLAG.TUNNEL_GRE) return hasInterface ? undefined : 'ENODEV'
    if (flags & NH_FLAG.TUNNEL_UDP) return f.nhr_family === AF_INET || f.nhr_family === AF_INET6 ? undefined : 'EINVAL'
    if (flags & NH_FLAG.TUNNEL_UDP_MPLS) return hasInterface ? undefined : 'ENODEV'
    if (flags & NH_FLAG.TUNNEL_VXLAN) {
      if (!hasInterface) return 'ENODEV'
      return flags & NH_FLAG.L3_VXLAN && !nonZero(f.nhr_rw_dst_mac, 6) ? 'EINVAL' : undefined
    }
    if (flags & NH_FLAG.TUNNEL_PBB) return flags & NH_FLAG.INDIRECT && nonZero(f.nhr_pbb_mac, 6) ? undefined : 'EINVAL'
    return 'EINVAL'
  }

  private checkComposite(f: Nh): ErrnoName | undefined {
    if (f.nhr_nh_list.length !== f.nhr_label_list.length) return 'EINVAL'
    const flags = f.nhr_flags
    const members = f.nhr_nh_list.map((id) => this.table.get(id)).filter((m) => m !== undefined)
    const inetOrBridge = f.nhr_family === AF_INET || f.nhr_family === AF_BRIDGE
    if (flags & (NH_FLAG.COMPOSITE_FABRIC | NH_FLAG.COMPOSITE_EVPN | NH_FLAG.COMPOSITE_TOR)) {
      if (!inetOrBridge) return 'EINVAL'
      for (const m of members) {
        if (m.nhr_type !== NH.TUNNEL || m.nhr_flags & NH_FLAG.TUNNEL_UDP) return 'EINVAL'
        if (flags & NH_FLAG.COMPOSITE_TOR && !(m.nhr_flags & NH_FLAG.TUNNEL_VXLAN)) return 'EINVAL'
      }
    } else if (flags & NH_FLAG.COMPOSITE_ENCAP) {
      for (const m of members) {
        if (m.nhr_type !== NH.ENCAP) return 'EINVAL'
        if (m.nhr_family === AF_INET && (!(m.nhr_flags & NH_FLAG.MCAST) || f.nhr_family === AF_BRIDGE)) return 'EINVAL'
        if (m.nhr_family === AF_BRIDGE && (m.nhr_flags & NH_FLAG.MCAST || f.nhr_family === AF_INET)) return 'EINVAL'
      }
    } else if (flags & NH_FLAG.MCAST) {
      if (!inetOrBridge) return 'EINVAL'
      const kinds = NH_FLAG.COMPOSITE_FABRIC | NH_FLAG.COMPOSITE_EVPN | NH_FLAG.COMPOSITE_TOR | NH_FLAG.COMPOSITE_ENCAP
      for (const m of members) if (m.nhr_type !== NH.COMPOSITE || !(m.nhr_flags & kinds)) return 'EINVAL'
    }
    return undefined
  }

  /**
   * The fields the dp keeps and reports for a next hop of this type (vr_nexthop_make_req): an interface only where
   * the next hop holds a device (receive, encap, tunnels through an interface), the tunnel fields of its kind.
   */
  private normalised(f: Nh): Nh {
    const nh: Nh = {...emptyNh(), nhr_type: f.nhr_type, nhr_family: f.nhr_family, nhr_id: f.nhr_id, nhr_vrf: f.nhr_vrf, nhr_flags: f.nhr_flags}
    const flags = f.nhr_flags
    const underlay = (flags & NH_FLAG.TUNNEL_UNDERLAY_ECMP) !== 0
    nh.nhr_encap_oif_id = Array<number>(underlay ? MAX_PHYSICAL_INTERFACES : 1).fill(0)
    if (underlay) nh.nhr_encap_valid = Array<number>(MAX_PHYSICAL_INTERFACES).fill(0)
    // Members are held from here on: one missing now stays -1, one deleted later keeps its id (the dp keeps the pointer).
    const held = (ids: number[]) => ids.map((id) => (this.exists(id) ? id : -1))
    if (flags & NH_FLAG.INDIRECT) nh.nhr_nh_list = held(f.nhr_nh_list.slice(0, 1))
    switch (f.nhr_type) {
      case NH.RCV:
        nh.nhr_encap_oif_id[0] = f.nhr_encap_oif_id[0] ?? 0
        break
      case NH.ENCAP:
        nh.nhr_encap_oif_id[0] = f.nhr_encap_oif_id[0] ?? 0
        nh.nhr_encap = f.nhr_encap
        nh.nhr_encap_family = f.nhr_encap_family
        break
      case NH.COMPOSITE:
        nh.nhr_nh_list = held(f.nhr_nh_list)
        nh.nhr_label_list = f.nhr_label_list
        nh.nhr_nh_count = f.nhr_nh_list.length
        if (flags & NH_FLAG.COMPOSITE_ECMP) nh.nhr_ecmp_config_hash = f.nhr_ecmp_config_hash & NH_ECMP_CONFIG_HASH_MASK
        break
      case NH.TUNNEL:
        this.tunnelFields(f, nh)
        break
    }
    nh.nhr_encap_crypt_oif_id = flags & NH_FLAG.CRYPT_TRAFFIC ? f.nhr_encap_crypt_oif_id : -1
    nh.nhr_encap_len = nh.nhr_encap.length > 0 ? 14 : 0
    return nh
  }

  /** A tunnel's fields by kind, in the dp's order of precedence (GRE, UDP, MPLSoUDP, VXLAN, PBB). */
  private tunnelFields(f: Nh, nh: Nh): void {
    const flags = f.nhr_flags
    if (throughInterface(flags)) {
      nh.nhr_tun_sip = f.nhr_tun_sip
      nh.nhr_tun_dip = f.nhr_tun_dip
      nh.nhr_encap = f.nhr_encap
      if (flags & NH_FLAG.TUNNEL_UNDERLAY_ECMP) {
        nh.nhr_encap_valid = nh.nhr_encap_valid.map((_, i) => (f.nhr_encap_valid[i] ? 1 : 0))
        nh.nhr_encap_oif_id = nh.nhr_encap_valid.map((valid, i) => (valid ? (f.nhr_encap_oif_id[i] ?? 0) : -1))
      } else {
        nh.nhr_encap_oif_id[0] = f.nhr_encap_oif_id[0] ?? 0
      }
      const vxlan = !(flags & (NH_FLAG.TUNNEL_GRE | NH_FLAG.TUNNEL_UDP_MPLS))
      if (!vxlan && flags & NH_FLAG.TUNNEL_MPLS_O_MPLS) nh.nhr_transport_label = f.nhr_transport_label
      if (vxlan && flags & NH_FLAG.L3_VXLAN) nh.nhr_rw_dst_mac = f.nhr_rw_dst_mac
    } else if (flags & NH_FLAG.TUNNEL_UDP) {
      if (f.nhr_family === AF_INET) {
        nh.nhr_tun_sip = f.nhr_tun_sip
        nh.nhr_tun_dip = f.nhr_tun_dip
      } else {
        nh.nhr_tun_sip6 = f.nhr_tun_sip6
        nh.nhr_tun_dip6 = f.nhr_tun_dip6
      }
      nh.nhr_encap = f.nhr_encap
      nh.nhr_tun_sport = f.nhr_tun_sport
      nh.nhr_tun_dport = f.nhr_tun_dport
    } else if (flags & NH_FLAG.TUNNEL_PBB) {
      // No label is reported as none (the dp keeps -1).
      const label = f.nhr_label_list.length > 0 ? f.nhr_label_list[0] : -1
      if (label !== -1) nh.nhr_label_list = [label]
      nh.nhr_pbb_mac = f.nhr_pbb_mac
    }
  }

  /** Interfaces a next hop sends through (its device references). */
  private devices(nh: Nh): number[] {
    switch (nh.nhr_type) {
      case NH.RCV:
      case NH.ENCAP:
        return nh.nhr_encap_oif_id.slice(0, 1)
      case NH.TUNNEL:
        return throughInterface(nh.nhr_flags) ? nh.nhr_encap_oif_id.filter((i) => i >= 0) : []
      default:
        return []
    }
  }

  private hold(nh: Nh): void {
    for (const idx of this.devices(nh)) if (this.interfaceExists(idx)) this.refs.interface(idx, 1)
    for (const id of this.members(nh)) this.refs.nexthop(id, 1)
  }

  private release(nh: Nh): void {
    for (const idx of this.devices(nh)) if (this.interfaceExists(idx)) this.refs.interface(idx, -1)
    for (const id of this.members(nh)) this.refs.nexthop(id, -1)
  }

  /** The next hops a composite or indirect next hop holds. */
  private members(nh: Nh): number[] {
    return nh.nhr_type === NH.COMPOSITE || nh.nhr_flags & NH_FLAG.INDIRECT ? nh.nhr_nh_list.filter((id) => id >= 0) : []
  }

  view(nh: Nh, op: number): SandeshObject<'vr_nexthop_req'> {
    const fields: Nh = {...nh, h_op: op, nhr_ref_cnt: 1 + this.refs.nexthopUsers(nh.nhr_id)}
    if (nh.nhr_type === NH.COMPOSITE && op === SandeshOp.DUMP) {
      // A dump lists 16 members at most.
      fields.nhr_nh_list = nh.nhr_nh_list.slice(0, DUMP_COMPONENT_LIMIT)
      fields.nhr_label_list = nh.nhr_label_list.slice(0, DUMP_COMPONENT_LIMIT)
    }
    return {name: 'vr_nexthop_req', fields}
  }
}

function emptyNh(): Nh {
  return make('vr_nexthop_req', {}).fields
}
