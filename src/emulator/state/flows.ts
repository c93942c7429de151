/**
 * The flow table (vr_flow_req FLOW_SET, vr_flow_table_data): entries placed by the real hash into buckets and
 * overflow chains, kept in a shared file in the 256-byte layout that `flow -l` (ours or the stock one) maps, with
 * the forwarding plane's checks of a FLOW_SET (TF dp-core/vr_flow.c vr_flow_set, shm-pkt0 spec §9.4): an index must
 * hold a valid entry of the same key and generation; a new key gets the next generation of its slot; deleting keeps
 * the generation; the datapath's own flag bits survive a change. It is also the datapath's flow table (FlowTable):
 * a flow miss takes a slot in HOLD, packets count on their flow, and a FLOW_SET that gives a flow its action tells
 * the datapath (`onAction`), which then lets the held packets go. A flow whose TCP session is DEAD is marked for
 * eviction (vr_flow_mark_evict: MODIFIED and EVICT_CANDIDATE, on its reverse flow too when that is DEAD and linked
 * back), as a FORCE_EVICT request marks one; the work the dp schedules then evicts them (vr_flow_evict_flow: EVICTED
 * instead of EVICT_CANDIDATE, the entry reset and its slot released, so that `flow -l` shows it only with
 * --show-evicted, until the slot's next flow).
 */
import type {ErrnoName} from '../../lib/errors.js'
import {ERRNO} from '../../lib/errors.js'
import {swap16, u64MemoryBytes} from '../../lib/model/addresses.js'
import {AF_INET6, FLOW_EXT_FLAG_FORCE_EVICT, FLOW_FLAGS1, VP_TYPE} from '../../lib/model/constants.js'
import {FLOW_ACTION, FLOW_FLAG, type FlowEntry, NO_MIRROR} from '../../lib/model/flow.js'
import {FLOW_ENTRY_256, FLOW_KEY_OFFSET} from '../../lib/shm/layout.js'
import type {MessageFields, SandeshObject} from '../../lib/sandesh/schema.js'
import {HashTable} from '../tables/hashtable.js'
import {SharedTableFile, type TableDirectory} from '../tables/shared-file.js'
import type {FlowTable, FlowView} from '../traffic/flows.js'
import {FLOW_TCP, tcpFromReverse} from '../traffic/tcp.js'
import {type Replies, make, response} from './common.js'
import type {VrouterConfig} from './config.js'

type FlowRequest = MessageFields<'vr_flow_req'>

/** fr_op / ftable_op values (vr_flow.h flow_op). */
const FLOW_SET = 0
const FLOW_TABLE_GET = 2
/** Flag bits an evicted entry keeps (__vr_flow_reset_entry). */
const KEPT_ON_RESET = FLOW_FLAG.ACTIVE | FLOW_FLAG.EVICTED | FLOW_FLAG.NEW_FLOW | FLOW_FLAG.DELETE_MARKED
const HBS_FLAGS = FLOW_FLAGS1.reduce((bits, [bit]) => bits | bit, 0)
/** Flag bits the datapath owns: a FLOW_SET does not change them. */
const DATAPATH_FLAGS = FLOW_FLAG.MODIFIED | FLOW_FLAG.NEW_FLOW | FLOW_FLAG.EVICT_CANDIDATE | FLOW_FLAG.EVICTED

const i8 = (v: number) => (v << 24) >> 24
const i16 = (v: number) => (v << 16) >> 16

/** What a flow key holds: ports in host order, addresses as their bytes (4 or 16 each). */
export interface FlowKeyFields {
  readonly family: number
  readonly proto: number
  readonly sport: number
  readonly dport: number
  readonly nh: number
  readonly src: Uint8Array
  readonly dst: Uint8Array
}

/** A key as the table stores it (at entry offset 24, spec §3.2): family, proto, ports big-endian, nh little-endian, addresses. */
export function flowKeyBytes(k: FlowKeyFields): Uint8Array {
  const v6 = k.family === AF_INET6
  const key = new Uint8Array(v6 ? 44 : 20)
  const view = new DataView(key.buffer)
  key[0] = k.family
  key[1] = k.proto
  view.setUint16(4, k.sport)
  view.setUint16(6, k.dport)
  view.setUint32(8, k.nh >>> 0, true)
  key.set(k.src.subarray(0, v6 ? 16 : 4), 12)
  key.set(k.dst.subarray(0, v6 ? 16 : 4), v6 ? 28 : 16)
  return key
}

/** The key of a request: its addresses travel as memory bytes of u64 halves, its ports in network order in a host u16. */
export function flowKey(f: FlowRequest): Uint8Array {
  const v6 = f.fr_family === AF_INET6
  const half = (value: number | bigint) => u64MemoryBytes(value)
  const address = (upper: number | bigint, lower: number | bigint) => (v6 ? new Uint8Array([...half(upper), ...half(lower)]) : half(lower).subarray(0, 4))
  return flowKeyBytes({
    family: f.fr_family,
    proto: f.fr_flow_proto,
    sport: swap16(f.fr_flow_sport),
    dport: swap16(f.fr_flow_dport),
    nh: f.fr_flow_nh_id,
    src: address(f.fr_flow_sip_u, f.fr_flow_sip_l),
    dst: address(f.fr_flow_dip_u, f.fr_flow_dip_l),
  })
}

/** A fresh entry for `key` (its key fields from the key's bytes), no action, no counters. */
function entryFor(key: Uint8Array): FlowEntry {
  const view = new DataView(key.buffer, key.byteOffset, key.length)
  const ip = new Uint8Array(32)
  ip.set(key.subarray(12))
  return {
    hentry_index: 0,
    hentry_bucket_index: 0,
    hentry_next_index: 0,
    hentry_flags: 0,
    fe_ttl: 0,
    fe_qos_id: 0,
    key_family: key[0],
    key_proto: key[1],
    key_sport: view.getUint16(4),
    key_dport: view.getUint16(6),
    key_nh_id: view.getUint32(8, true),
    key_ip: ip,
    key_len: key.length,
    fe_gen_id: 0,
    fe_tcp_flags: 0,
    fe_tcp_seq: 0,
    fe_rflow: -1,
    fe_flags: 0,
    fe_flags1: 0,
    fe_action: FLOW_ACTION.DROP,
    fe_vrf: 0,
    fe_dvrf: 0,
    fe_mirror_id: NO_MIRROR,
    fe_sec_mirror_id: NO_MIRROR,
    fe_src_nh_index: 0,
    flow_bytes: 0,
    flow_packets: 0,
    flow_bytes_oflow: 0,
    flow_packets_oflow: 0,
    fe_ecmp_nh_index: -1,
    fe_drop_reason: 0,
    fe_type: key.length === 44 ? VP_TYPE.IP6 : VP_TYPE.IP,
    fe_udp_src_port: 0,
    fe_src_info: 0,
    fe_tcp_ack: 0,
    fe_underlay_ecmp_index: -1,
    fe_bucket_lock: 0,
  }
}

export class Flows implements FlowTable {
  /** Told when a FLOW_SET gave a flow its action (DROP for a delete), so that its held packets go. */
  onAction?: (index: number, action: number) => void
  readonly table: HashTable<FlowEntry>
  readonly file: SharedTableFile<FlowEntry>
  /** Generation of each slot ever used (it survives a delete, so the next flow there counts on). */
  private readonly generations = new Map<number, number>()
  /**
   * vr_flow_table_info's counters: flows that went HOLD (created, and per core: holdsPerCpu), agent additions, deletions,
   * FLOW_SETs that took a flow out of HOLD (processed: vfti_action_count) and those that changed any other (changed).
   */
  readonly counters = {created: 0, added: 0, deleted: 0, changed: 0, processed: 0}
  /** Evicted entries: their slot is free, their bytes stay in the file until the slot's next flow. */
  private readonly evicted = new Map<number, {key: Uint8Array; value: FlowEntry}>()
  /** Runs the work the dp schedules (vr_schedule_work): an eviction's second step. */
  schedule: (work: () => void) => void = (work) => void setImmediate(work)
  private readonly holdsPerCpu: number[]

  constructor(
    private readonly config: VrouterConfig,
    directory: TableDirectory,
  ) {
    this.table = new HashTable(config.flowEntries, config.flowOverflowEntries)
    this.holdsPerCpu = Array.from({length: Math.min(config.cores, 128)}, () => 0)
    this.file = new SharedTableFile(directory, 'flow.shmem', FLOW_ENTRY_256, config.flowEntries, config.flowOverflowEntries, () => this.table.touched(), (index, bytes) => this.render(index, bytes))
    this.table.onChange = (indexes) => indexes.forEach((i) => this.file.write(i))
  }

  private render(index: number, bytes: Uint8Array): void {
    const slot = this.table.at(index) ?? this.evicted.get(index)
    const header = this.table.header(index)
    if (slot) {
      this.file.encode({...slot.value, ...header}, bytes)
      bytes.set(slot.key, FLOW_KEY_OFFSET)
    } else {
      this.file.encode({...header, fe_gen_id: this.generations.get(index) ?? 0} as FlowEntry, bytes)
    }
  }

  /** The flows in slot order. */
  entries(): Generator<[number, {key: Uint8Array; value: FlowEntry}]> {
    return this.table.entries()
  }

  handle(o: SandeshObject<'vr_flow_req'>): Replies {
    const f = o.fields
    if (f.fr_op !== FLOW_SET) return this.reply('EINVAL', f)
    return f.fr_index < 0 ? this.create(f) : this.change(f)
  }

  /** The reply to a FLOW_SET: vr_response, then vr_flow_response (sent even on error, as the dp does). */
  private reply(errno: ErrnoName | undefined, f: FlowRequest, index = f.fr_index, extra: Partial<MessageFields<'vr_flow_response'>> = {}): Replies {
    const e = index >= 0 ? this.table.at(index)?.value : undefined
    return [
      [
        response(errno ? -ERRNO[errno] : 0),
        make('vr_flow_response', {
          fresp_op: FLOW_SET,
          fresp_index: index >>> 0,
          fresp_gen_id: e?.fe_gen_id ?? this.generations.get(index) ?? 0,
          fresp_bytes: e?.flow_bytes ?? 0,
          fresp_packets: e?.flow_packets ?? 0,
          fresp_stats_oflow: e ? e.flow_bytes_oflow | (e.flow_packets_oflow << 16) : 0,
          ...extra,
        }),
      ],
    ]
  }

  private create(f: FlowRequest): Replies {
    if (!(f.fr_flags & FLOW_FLAG.ACTIVE)) return this.reply('EINVAL', f)
    const key = flowKey(f)
    const existing = this.table.find(key)
    if (existing !== undefined) return this.reply('EEXIST', f, existing)
    const entry = entryFor(key)
    this.apply(entry, f, 0)
    const index = this.insert(key, entry)
    if (index === undefined) return this.reply('ENOSPC', f, -1)
    const reverse = entry.fe_flags & FLOW_FLAG.RFLOW_VALID ? this.value(entry.fe_rflow) : undefined
    if (reverse) {
      tcpFromReverse(entry, reverse)
      this.file.write(index)
    }
    this.counters.added++
    if (entry.fe_action === FLOW_ACTION.HOLD) this.countHold()
    return this.reply(undefined, f, index)
  }

  /** Places a new entry with the next generation of its slot; undefined when the bucket and the overflow are full. */
  private insert(key: Uint8Array, entry: FlowEntry): number | undefined {
    const slot = this.table.slotFor(key)
    if (slot === undefined) return undefined
    entry.fe_gen_id = ((this.generations.get(slot) ?? 0) + 1) & 0xff
    this.generations.set(slot, entry.fe_gen_id)
    this.evicted.delete(slot)
    return this.table.insert(key, entry)
  }

  /** A flow went HOLD (vr_flow_entry_set_hold), on one core or the other. */
  private countHold(): void {
    this.counters.created++
    this.holdsPerCpu[this.counters.created % this.holdsPerCpu.length]++
  }

  /** What a FLOW_SET sets: action, flags (but the datapath's), reverse flow, VRFs, mirrors, next hops, QoS, TTL. */
  private apply(e: FlowEntry, f: FlowRequest, keep: number): void {
    e.fe_flags = ((f.fr_flags & 0xffff & ~DATAPATH_FLAGS) | (keep & DATAPATH_FLAGS & ~FLOW_FLAG.NEW_FLOW)) & 0xffff
    e.fe_action = f.fr_action & 0xffff
    e.fe_rflow = f.fr_flags & FLOW_FLAG.RFLOW_VALID ? f.fr_rindex : -1
    e.fe_vrf = f.fr_flow_vrf
    e.fe_dvrf = f.fr_flow_dvrf
    e.fe_mirror_id = f.fr_flags & FLOW_FLAG.MIRROR ? f.fr_mir_id & 0xff : NO_MIRROR
    e.fe_sec_mirror_id = f.fr_flags & FLOW_FLAG.MIRROR && f.fr_sec_mir_id < NO_MIRROR ? f.fr_sec_mir_id : NO_MIRROR
    e.fe_src_nh_index = f.fr_src_nh_index >>> 0
    e.fe_ecmp_nh_index = i8(f.fr_ecmp_nh_index)
    e.fe_drop_reason = f.fr_action === FLOW_ACTION.DROP ? f.fr_drop_reason & 0xff : 0
    e.fe_qos_id = i16(f.fr_qos_id)
    e.fe_ttl = f.fr_ttl
    e.fe_flags1 = f.fr_flags1 & 0xffff
    e.fe_underlay_ecmp_index = i8(f.fr_underlay_ecmp_index)
  }

  private change(f: FlowRequest): Replies {
    const index = f.fr_index
    if (index >= this.table.mainEntries + this.table.overflowEntries) return this.reply('EINVAL', f)
    const slot = this.table.at(index)
    if (!slot) return this.reply('ENOENT', f)
    const e = slot.value
    if (e.fe_flags & FLOW_FLAG.DELETE_MARKED) return this.reply('EINVAL', f)
    if (f.fr_gen_id !== e.fe_gen_id) return this.reply('EBADF', f)
    const key = flowKey(f)
    if (key.length !== slot.key.length || key.some((b, i) => b !== slot.key[i])) return this.reply('EFAULT', f)
    if (f.fr_extflags & FLOW_EXT_FLAG_FORCE_EVICT) {
      // vr_flow_force_evict: the reverse flow is left alone.
      e.fe_flags = (e.fe_flags | FLOW_FLAG.MODIFIED | FLOW_FLAG.EVICT_CANDIDATE) & ~FLOW_FLAG.RFLOW_VALID
      e.fe_rflow = -1
      this.file.write(index)
      this.schedule(() => this.evict(index))
      return this.reply(undefined, f, index)
    }
    const wasHold = e.fe_action === FLOW_ACTION.HOLD
    if (wasHold && (f.fr_action !== FLOW_ACTION.HOLD || !(f.fr_flags & FLOW_FLAG.ACTIVE))) this.counters.processed++
    else this.counters.changed++
    if (!(f.fr_flags & FLOW_FLAG.ACTIVE)) {
      this.table.remove(index)
      this.counters.deleted++
      // A deleted flow's held packets are flushed with its last action: DROP (vr_flow_delete).
      this.onAction?.(index, FLOW_ACTION.DROP)
      return this.reply(undefined, f, index, {fresp_flags: 1, fresp_gen_id: e.fe_gen_id})
    }
    this.apply(e, f, e.fe_flags)
    if (!wasHold && e.fe_action === FLOW_ACTION.HOLD) this.countHold()
    this.file.write(index)
    this.onAction?.(index, e.fe_action)
    return this.reply(undefined, f, index)
  }

  /** The entry in a slot. */
  value(index: number): FlowEntry | undefined {
    return index < 0 ? undefined : this.table.at(index)?.value
  }

  /** An entry changed in place (its TCP state): the file follows. */
  changed(index: number): void {
    if (this.table.at(index)) this.file.write(index)
  }

  /**
   * vr_flow_mark_evict, after a packet of a DEAD flow: the flow is taken for modification (MODIFIED; not when it
   * is already, or EVICTED, or NEW_FLOW). With a reverse flow, that one must be DEAD too, free to modify, linked
   * back (or to nothing) and not in HOLD to become an EVICT_CANDIDATE first; then (or with no reverse flow) this
   * one becomes one, and the eviction is scheduled with both still MODIFIED. Otherwise both are let go.
   */
  markEvict(index: number): void {
    const fe = this.value(index)
    if (!fe || !startModify(fe)) return
    let rfe = this.value(fe.fe_rflow)
    let evictThis = rfe === undefined
    if (rfe && rfe.fe_tcp_flags & FLOW_TCP.DEAD && startModify(rfe)) {
      if ((rfe.fe_rflow === index || rfe.fe_rflow < 0) && rfe.fe_action !== FLOW_ACTION.HOLD) evictThis = markCandidate(rfe)
    } else {
      rfe = undefined
    }
    if (evictThis && markCandidate(fe)) {
      this.schedule(() => this.evict(index))
    } else {
      fe.fe_flags &= ~FLOW_FLAG.MODIFIED
      if (rfe) rfe.fe_flags &= ~FLOW_FLAG.MODIFIED
    }
    this.file.write(index)
    if (fe.fe_rflow >= 0) this.changed(fe.fe_rflow)
  }

  /** The scheduled eviction (vr_flow_defer_cb): the flow, then the reverse flow it had. */
  private evict(index: number): void {
    const fe = this.value(index)
    if (!fe) return
    const reverse = fe.fe_rflow
    this.evictOne(index)
    if (reverse >= 0) this.evictOne(reverse)
  }

  /** vr_flow_evict_flow: an active EVICT_CANDIDATE becomes EVICTED, reset, its slot released. */
  private evictOne(index: number): void {
    const slot = this.table.at(index)
    const e = slot?.value
    if (!slot || !e || !(e.fe_flags & FLOW_FLAG.ACTIVE) || !(e.fe_flags & FLOW_FLAG.EVICT_CANDIDATE)) return
    e.fe_flags = ((e.fe_flags & ~FLOW_FLAG.EVICT_CANDIDATE) | FLOW_FLAG.EVICTED) & KEPT_ON_RESET
    Object.assign(e, {
      key_len: 0,
      fe_mirror_id: NO_MIRROR,
      fe_sec_mirror_id: NO_MIRROR,
      fe_ecmp_nh_index: -1,
      fe_src_nh_index: 0,
      fe_rflow: -1,
      fe_action: FLOW_ACTION.DROP,
      fe_udp_src_port: 0,
      fe_tcp_flags: 0,
      fe_flags1: (e.fe_flags1 ?? 0) & ~HBS_FLAGS,
      fe_ttl: 0,
      fe_underlay_ecmp_index: -1,
      fe_src_info: 0,
    })
    this.evicted.set(index, slot)
    this.table.remove(index)
  }

  /** The datapath's view of a slot (FlowTable). */
  entry(index: number): FlowView | undefined {
    const e = this.table.at(index)?.value
    return e && {action: e.fe_action, genId: e.fe_gen_id, newFlow: (e.fe_flags & FLOW_FLAG.NEW_FLOW) !== 0, evictCandidate: (e.fe_flags & FLOW_FLAG.EVICT_CANDIDATE) !== 0}
  }

  find(key: Uint8Array): number | undefined {
    return this.table.find(key)
  }

  /** A flow miss (vr_flow_get_free_entry): a slot in HOLD, ACTIVE and NEW_FLOW, the slot's next generation (spec §3.7). */
  allocate(key: Uint8Array, vrf: number, srcInfo: number): number | undefined {
    const entry = entryFor(key)
    entry.fe_flags = FLOW_FLAG.ACTIVE | FLOW_FLAG.NEW_FLOW
    entry.fe_action = FLOW_ACTION.HOLD
    entry.fe_vrf = vrf
    entry.fe_src_info = srcInfo
    const index = this.insert(key, entry)
    if (index !== undefined) this.countHold()
    return index
  }

  /**
   * A packet of the flow (vr_do_flow_action): counted, its 32-bit counters carrying into the overflow ones. The
   * first packet of a new flow reports the counters the slot had before (zeroed then).
   */
  count(index: number, bytes: number): {bytes: number; packets: number} {
    const e = this.table.at(index)!.value
    const total = () => ({bytes: e.flow_bytes + e.flow_bytes_oflow * 2 ** 32, packets: e.flow_packets + e.flow_packets_oflow * 2 ** 32})
    const before = total()
    if (e.fe_flags & FLOW_FLAG.NEW_FLOW) Object.assign(e, {flow_bytes: 0, flow_bytes_oflow: 0, flow_packets: 0, flow_packets_oflow: 0})
    const b = e.flow_bytes + bytes
    e.flow_bytes = b % 2 ** 32
    if (b >= 2 ** 32) e.flow_bytes_oflow = (e.flow_bytes_oflow + 1) & 0xffff
    e.flow_packets = (e.flow_packets + 1) % 2 ** 32
    if (e.flow_packets === 0) e.flow_packets_oflow = (e.flow_packets_oflow + 1) & 0xff
    this.file.write(index)
    return e.fe_flags & FLOW_FLAG.NEW_FLOW ? before : total()
  }

  /** The first trap of a new flow consumes NEW_FLOW. */
  trapped(index: number): void {
    const e = this.table.at(index)!.value
    e.fe_flags &= ~FLOW_FLAG.NEW_FLOW
    this.file.write(index)
  }

  held(): number {
    return this.usage().hold
  }

  /** Counters and TCP state a scenario gives a flow (what traffic would have made of it). */
  update(index: number, change: Partial<FlowEntry>): void {
    const slot = this.table.at(index)
    if (!slot) return
    Object.assign(slot.value, change)
    this.file.write(index)
  }

  /** Entries in use in the overflow area, and entries on hold. */
  usage(): {overflow: number; hold: number} {
    let overflow = 0
    let hold = 0
    for (const [index, slot] of this.table.entries()) {
      if (index >= this.table.mainEntries) overflow++
      if (slot.value.fe_action === FLOW_ACTION.HOLD) hold++
    }
    return {overflow, hold}
  }

  /** vr_flow_table_data: the table's size and file, and its counters. */
  tableData(): Replies {
    const path = this.file.open()
    const {overflow, hold} = this.usage()
    return [
      [
        response(0),
        make('vr_flow_table_data', {
          ftable_op: FLOW_TABLE_GET,
          ftable_size: this.file.size,
          ftable_dev: 0,
          ftable_file_path: path,
          ftable_used_entries: this.table.size,
          ftable_processed: this.counters.processed,
          ftable_deleted: this.counters.deleted,
          ftable_added: this.counters.added,
          ftable_created: this.counters.created,
          ftable_changed: this.counters.changed,
          ftable_cpus: this.config.cores,
          ftable_oflow_entries: overflow,
          ftable_hold_stat: [...this.holdsPerCpu],
          ftable_hold_entries: hold,
        }),
      ],
    ]
  }
}

/** vr_flow_start_modify: MODIFIED, unless the entry is being modified, evicted or new. */
function startModify(e: FlowEntry): boolean {
  if (e.fe_flags & (FLOW_FLAG.MODIFIED | FLOW_FLAG.EVICTED | FLOW_FLAG.NEW_FLOW)) return false
  e.fe_flags |= FLOW_FLAG.MODIFIED
  return true
}

/** __vr_flow_mark_evict: an active entry becomes an EVICT_CANDIDATE; true when it was not one yet. */
function markCandidate(e: FlowEntry): boolean {
  if (!(e.fe_flags & FLOW_FLAG.ACTIVE) || e.fe_flags & FLOW_FLAG.EVICT_CANDIDATE) return false
  e.fe_flags |= FLOW_FLAG.EVICT_CANDIDATE
  return true
}
