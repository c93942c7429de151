/**
 * The indexed tables other than interfaces and next hops, with the forwarding plane's semantics (TF dp-core/
 * vr_mpls.c, vr_mirror.c, vr_vxlan.c, vr_vrf_table.c, vr_qos.c): MPLS labels, mirrors, VXLAN VNIs, VRFs, QoS maps
 * and forwarding-class maps.
 */
import {QOS_CODE_POINTS, VRF_FLAG} from '../../lib/model/constants.js'
import type {MessageFields, SandeshObject} from '../../lib/sandesh/schema.js'
import {SandeshOp} from '../../lib/sandesh/types.js'
import {KeyedTable, type Replies, dumpPage, fail, make, ok} from './common.js'
import type {VrouterConfig} from './config.js'
import type {RefCounts} from './refs.js'
import {IndexedTable} from './table.js'

type Fields<N extends 'vr_mpls_req' | 'vr_mirror_req' | 'vr_vxlan_req' | 'vr_vrf_req' | 'vr_qos_map_req' | 'vr_fc_map_req'> = MessageFields<N>

interface Dependencies {
  readonly config: VrouterConfig
  readonly refs: RefCounts
  readonly nexthopExists: (id: number) => boolean
  readonly interfaceExists: (idx: number) => boolean
}

export function mplsTable({config, refs, nexthopExists}: Dependencies): IndexedTable<'vr_mpls_req'> {
  return new IndexedTable({
    message: 'vr_mpls_req',
    key: (f) => f.mr_label,
    size: () => config.mplsLabels,
    outOfRange: 'EINVAL',
    missing: 'ENOENT',
    deleteMissing: undefined,
    // The old mapping goes first: an ADD whose next hop is missing leaves the label empty.
    dropBeforeCheck: true,
    checkAdd: (f) => (nexthopExists(f.mr_nhid) ? undefined : 'EINVAL'),
    fromAdd: (f) => make('vr_mpls_req', {mr_label: f.mr_label, mr_nhid: f.mr_nhid}).fields,
    marker: (f) => f.mr_marker,
    // GET answers in the request object (op and marker echoed); dumped objects carry label and next hop only.
    view: (stored, request) =>
      request.h_op === SandeshOp.GET ? {...request, mr_rid: 0, mr_label: stored.mr_label, mr_nhid: stored.mr_nhid} : {...stored},
    onStore: (f) => refs.nexthop(f.mr_nhid, 1),
    onRemove: (f) => refs.nexthop(f.mr_nhid, -1),
    unhandled: 'no-reply',
  })
}

export function mirrorTable({config, refs, nexthopExists}: Dependencies): IndexedTable<'vr_mirror_req'> {
  return new IndexedTable({
    message: 'vr_mirror_req',
    key: (f) => f.mirr_index,
    size: () => config.mirrors,
    outOfRange: 'ENODEV',
    missing: 'ENOENT',
    deleteMissing: 'EINVAL',
    checkAdd: (f) => (nexthopExists(f.mirr_nhid) ? undefined : 'EINVAL'),
    fromAdd: (f) =>
      make('vr_mirror_req', {mirr_index: f.mirr_index, mirr_nhid: f.mirr_nhid, mirr_flags: f.mirr_flags, mirr_vni: f.mirr_vni, mirr_vlan: f.mirr_vlan, mirr_rid: f.mirr_rid})
        .fields,
    marker: (f) => f.mirr_marker,
    // mirr_users is never filled by the dp: a GET echoes the request's value.
    view: (stored, request) =>
      request.h_op === SandeshOp.GET ? {...request, ...pickMirror(stored)} : {...stored},
    onStore: (f) => refs.nexthop(f.mirr_nhid, 1),
    onRemove: (f) => refs.nexthop(f.mirr_nhid, -1),
    unhandled: 'no-reply',
  })
}

function pickMirror(f: Fields<'vr_mirror_req'>): Partial<Fields<'vr_mirror_req'>> {
  return {mirr_index: f.mirr_index, mirr_nhid: f.mirr_nhid, mirr_flags: f.mirr_flags, mirr_rid: f.mirr_rid, mirr_vni: f.mirr_vni, mirr_vlan: f.mirr_vlan}
}

export function vxlanTable({refs, nexthopExists}: Dependencies): IndexedTable<'vr_vxlan_req'> {
  return new IndexedTable({
    message: 'vr_vxlan_req',
    // VNIs index a 24-bit table: only the low 24 bits count.
    key: (f) => f.vxlanr_vnid & 0xffffff,
    size: () => 1 << 24,
    outOfRange: 'EINVAL',
    missing: 'ENOENT',
    deleteMissing: undefined,
    checkAdd: (f) => (nexthopExists(f.vxlanr_nhid) ? undefined : 'EINVAL'),
    fromAdd: (f) => make('vr_vxlan_req', {vxlanr_vnid: f.vxlanr_vnid & 0xffffff, vxlanr_nhid: f.vxlanr_nhid}).fields,
    // The VNI is its own marker: 0 starts from VNI 0 (so VNI 0 can come twice), anything else after it.
    marker: (f) => (f.vxlanr_vnid === 0 ? -1 : f.vxlanr_vnid & 0xffffff),
    view: (stored) => ({...stored}),
    onStore: (f) => refs.nexthop(f.vxlanr_nhid, 1),
    onRemove: (f) => refs.nexthop(f.vxlanr_nhid, -1),
    unhandled: 'no-reply',
  })
}

const {dscp: QOS_DSCP, mpls_qos: QOS_EXP, dotonep: QOS_DOT1P} = QOS_CODE_POINTS

/** A QoS map as stored: forwarding class per code point, and which code points are set. */
interface QosMap {
  readonly id: number
  readonly dscp: Int16Array
  readonly exp: Int16Array
  readonly dot1p: Int16Array
}

/** A map as GET and DUMP return it: a fresh object (op, router id and marker 0) with every code point's slot. */
function qosView(map: QosMap): Fields<'vr_qos_map_req'> {
  const valid = (a: Int16Array, i: number) => a[i] >= 0
  const fc = (a: Int16Array, i: number) => (valid(a, i) ? a[i] : 0)
  const points = (n: number, ok: (i: number) => boolean) => Array.from({length: n}, (_, i) => (ok(i) ? i : 0))
  return {
    ...make('vr_qos_map_req', {}).fields,
    qmr_id: map.id,
    qmr_dscp: points(QOS_DSCP, (i) => valid(map.dscp, i)),
    qmr_dscp_fc_id: Array.from({length: QOS_DSCP}, (_, i) => fc(map.dscp, i)),
    // A dp quirk: EXP and 802.1p slot i are reported only when DSCP slot i is set.
    qmr_mpls_qos: points(QOS_EXP, (i) => valid(map.dscp, i) && valid(map.exp, i)),
    qmr_mpls_qos_fc_id: Array.from({length: QOS_EXP}, (_, i) => (valid(map.dscp, i) ? fc(map.exp, i) : 0)),
    qmr_dotonep: points(QOS_DOT1P, (i) => valid(map.dscp, i) && valid(map.dot1p, i)),
    qmr_dotonep_fc_id: Array.from({length: QOS_DOT1P}, (_, i) => (valid(map.dscp, i) ? fc(map.dot1p, i) : 0)),
  }
}

/**
 * The entries a QoS or FC map dump walks: after the marker, none when the marker is below -1 (the dp compares
 * marker + 1 with its table size as unsigned numbers).
 */
function dumpAfter<T>(table: KeyedTable<T>, marker: number): Iterable<[number, T]> {
  return marker < -1 ? [] : table.after(marker)
}

export class QosMaps {
  readonly maps = new KeyedTable<QosMap>()

  constructor(private readonly config: VrouterConfig) {}

  handle(object: SandeshObject<'vr_qos_map_req'>): Replies {
    const f = object.fields
    const inRange = f.qmr_id < this.config.qosMaps
    switch (f.h_op) {
      case SandeshOp.ADD:
        return this.add(f)
      case SandeshOp.DEL:
        if (!inRange) return fail('EINVAL')
        this.maps.delete(f.qmr_id)
        return ok()
      case SandeshOp.GET: {
        if (!inRange) return fail('EINVAL')
        const map = this.maps.get(f.qmr_id)
        return map ? ok({name: 'vr_qos_map_req', fields: qosView(map)}) : fail('ENOENT')
      }
      case SandeshOp.DUMP:
        return dumpPage([...dumpAfter(this.maps, f.qmr_marker)].map(([, map]): SandeshObject => ({name: 'vr_qos_map_req', fields: qosView(map)})))
      default:
        return fail('EINVAL')
    }
  }

  /** ADD merges into the existing map; code points out of range are skipped; paired lists must match in size. */
  add(f: Fields<'vr_qos_map_req'>): Replies {
    if (f.qmr_id >= this.config.qosMaps) return fail('EINVAL')
    const pairs: [number[], number[]][] = [
      [f.qmr_dscp, f.qmr_dscp_fc_id],
      [f.qmr_mpls_qos, f.qmr_mpls_qos_fc_id],
      [f.qmr_dotonep, f.qmr_dotonep_fc_id],
    ]
    if (pairs.some(([a, b]) => a.length !== b.length)) return fail('EINVAL')
    const map = this.maps.get(f.qmr_id) ?? {id: f.qmr_id, dscp: new Int16Array(QOS_DSCP).fill(-1), exp: new Int16Array(QOS_EXP).fill(-1), dot1p: new Int16Array(QOS_DOT1P).fill(-1)}
    const apply = (into: Int16Array, [points, fcs]: [number[], number[]]) =>
      points.forEach((p, i) => {
        if (p < into.length) into[p] = fcs[i]
      })
    apply(map.dscp, pairs[0])
    apply(map.exp, pairs[1])
    apply(map.dot1p, pairs[2])
    this.maps.set(f.qmr_id, map)
    return ok()
  }
}

/** Forwarding classes: one entry per id, each DSCP, EXP, 802.1p and queue. */
export class FcMaps {
  readonly entries = new KeyedTable<{dscp: number; exp: number; dot1p: number; queue: number}>()

  constructor(private readonly config: VrouterConfig) {}

  /** A class as GET and DUMP return it: a fresh object (op, router id and marker 0) with one entry. */
  private view(id: number): SandeshObject<'vr_fc_map_req'> {
    const e = this.entries.get(id)!
    return make('vr_fc_map_req', {
      fmr_id: [id],
      fmr_dscp: [e.dscp],
      fmr_mpls_qos: [e.exp],
      fmr_dotonep: [e.dot1p],
      fmr_queue_id: [e.queue],
    })
  }

  handle(object: SandeshObject<'vr_fc_map_req'>): Replies {
    const f = object.fields
    const id = f.fmr_id[0]
    switch (f.h_op) {
      case SandeshOp.ADD: {
        const lists = [f.fmr_id, f.fmr_dscp, f.fmr_mpls_qos, f.fmr_dotonep, f.fmr_queue_id]
        if (lists.some((l) => l.length === 0)) return fail('EINVAL')
        // Entries are applied one by one: an id out of range fails the rest, the ones before it stay.
        for (let i = 0; i < f.fmr_id.length; i++) {
          if (f.fmr_id[i] < 0 || f.fmr_id[i] >= this.config.fcMaps) return fail('EINVAL')
          // EXP and 802.1p are 3-bit fields of the dp's forwarding class: only their low bits stay.
          this.entries.set(f.fmr_id[i], {dscp: f.fmr_dscp[i] ?? 0, exp: (f.fmr_mpls_qos[i] ?? 0) & 7, dot1p: (f.fmr_dotonep[i] ?? 0) & 7, queue: f.fmr_queue_id[i] ?? 0})
        }
        return ok()
      }
      case SandeshOp.DEL:
        if (id === undefined || id < 0 || id >= this.config.fcMaps) return fail('EINVAL')
        this.entries.delete(id)
        return ok()
      case SandeshOp.GET:
        if (id === undefined || id < 0 || id >= this.config.fcMaps) return fail('EINVAL')
        return this.entries.has(id) ? ok(this.view(id)) : fail('ENOENT')
      case SandeshOp.DUMP:
        return dumpPage([...dumpAfter(this.entries, f.fmr_marker)].map(([key]) => this.view(key)))
      default:
        return fail('EINVAL')
    }
  }
}

const {VALID: VRF_VALID, HBF_L_VALID: VRF_HBF_L, HBF_R_VALID: VRF_HBF_R} = VRF_FLAG

/** VRFs (vr_vrf_req): flags and the host-based-firewall interfaces of each side. */
export class Vrfs {
  readonly table = new KeyedTable<Fields<'vr_vrf_req'>>()

  constructor(private readonly deps: Dependencies) {}

  handle(object: SandeshObject<'vr_vrf_req'>): Replies {
    const f = object.fields
    const inRange = f.vrf_idx >= 0 && f.vrf_idx < this.deps.config.vrfs
    switch (f.h_op) {
      case SandeshOp.ADD:
        return this.add(f)
      case SandeshOp.DEL: {
        const e = inRange ? this.table.get(f.vrf_idx) : undefined
        if (!e) return fail('EINVAL')
        this.hbf(e, -1)
        this.table.delete(f.vrf_idx)
        return ok()
      }
      case SandeshOp.GET: {
        if (!inRange) return fail('ENODEV')
        const e = this.table.get(f.vrf_idx)
        if (!e) return fail('ENOENT')
        return ok({
          name: 'vr_vrf_req',
          fields: {
            ...f,
            vrf_idx: e.vrf_idx,
            vrf_flags: e.vrf_flags,
            vrf_rid: e.vrf_rid,
            ...(e.vrf_flags & VRF_HBF_L ? {vrf_hbfl_vif_idx: e.vrf_hbfl_vif_idx} : {}),
            ...(e.vrf_flags & VRF_HBF_R ? {vrf_hbfr_vif_idx: e.vrf_hbfr_vif_idx} : {}),
          },
        })
      }
      case SandeshOp.DUMP:
        // The dp leaves vrf_marker unset in dumped objects, and vrftable takes its next marker from it: set it.
        return dumpPage([...this.table.after(f.vrf_marker)].map(([, e]) => make('vr_vrf_req', {...e, h_op: 0, vrf_marker: e.vrf_idx})))
      default:
        return []
    }
  }

  private hbf(e: Fields<'vr_vrf_req'>, delta: number): void {
    if (e.vrf_flags & VRF_HBF_L && e.vrf_hbfl_vif_idx >= 0) this.deps.refs.interface(e.vrf_hbfl_vif_idx, delta)
    if (e.vrf_flags & VRF_HBF_R && e.vrf_hbfr_vif_idx >= 0) this.deps.refs.interface(e.vrf_hbfr_vif_idx, delta)
  }

  /** ADD: the entry exists from here on, even when an HBF interface turns out to be missing (then with flags 0). */
  add(f: Fields<'vr_vrf_req'>): Replies {
    if (f.vrf_idx < 0 || f.vrf_idx >= this.deps.config.vrfs) return fail('EINVAL')
    const e = this.table.get(f.vrf_idx) ?? make('vr_vrf_req', {vrf_idx: f.vrf_idx, vrf_hbfl_vif_idx: -1, vrf_hbfr_vif_idx: -1}).fields
    this.table.set(f.vrf_idx, e)
    this.hbf(e, -1)
    for (const [flag, key] of [[VRF_HBF_L, 'vrf_hbfl_vif_idx'], [VRF_HBF_R, 'vrf_hbfr_vif_idx']] as const) {
      if (!(f.vrf_flags & flag)) continue
      if (f[key] !== -1 && !this.deps.interfaceExists(f[key])) {
        e.vrf_flags = 0
        return fail('EINVAL')
      }
      e[key] = f[key]
    }
    e.vrf_flags = (f.vrf_flags | VRF_VALID) & (VRF_VALID | VRF_HBF_L | VRF_HBF_R)
    e.vrf_rid = f.vrf_rid
    this.hbf(e, 1)
    return ok()
  }
}
