/**
 * The forwarding plane's statistics and settings: global drop counters, per-VRF counters, memory statistics,
 * vrouter_ops (table sizes, runtime knobs, logging), the packet drop log and vr_info text (TF dp-core/vr_stats.c,
 * vrouter.c, vr_route.c, vr_pkt_droplog.c, vr_info.c).
 */
import {AF_INET, VP_DROP_MAX, VROUTER_LOG_LEVELS, VROUTER_LOG_TYPES, enumName} from '../../lib/model/constants.js'
import {DROP_LOG_MAX, DROP_LOG_PAGE, type DropLogRecord, dropLogRecord, encodeDropLog} from '../../lib/model/droplog.js'
import {FLOW_HOLD_LIMIT} from '../../lib/model/pkt0.js'
import type {MessageFields, SandeshObject} from '../../lib/sandesh/schema.js'
import {DUMP_INCOMPLETE, SandeshOp} from '../../lib/sandesh/types.js'
import {KeyedTable, PAGE_SIZE, type Replies, dumpPage, fail, make, ok, response} from './common.js'
import type {VrouterConfig} from './config.js'
import {DROP_COUNTERS, type DropCounters, dropStatsObject, zeroDrops} from './drops.js'
import {coreShare} from './interfaces.js'


/** Global drop counters (all cores), split per core on request. */
export class DropStats {
  drops: DropCounters = zeroDrops()

  constructor(private readonly config: VrouterConfig) {}

  handle(object: SandeshObject<'vr_drop_stats_req'>): Replies {
    const f = object.fields
    if (f.h_op === SandeshOp.RESET) {
      this.drops = zeroDrops()
      return ok(make('vr_drop_stats_req', {h_op: SandeshOp.RESET}))
    }
    const reply = ok(dropStatsObject(this.forCore(f.vds_core)))
    // Any other op than GET gets EOPNOTSUPP and then the GET reply anyway (a dp quirk).
    return f.h_op === SandeshOp.GET ? reply : [...fail('EOPNOTSUPP'), ...reply]
  }

  /** vds_core: 0 = every core (and NIC offload), -1 = NIC offload only, n = core n-1, beyond = zeros. */
  private forCore(vdsCore: number): DropCounters {
    if (vdsCore === 0) return this.drops
    const out = zeroDrops()
    if (vdsCore < 0) return out
    for (const k of DROP_COUNTERS) out[k] = coreShare(this.drops[k], vdsCore - 1, this.config.cores)
    return out
  }
}

type VrfStatsFields = MessageFields<'vr_vrf_stats_req'>
/** The per-VRF counters (the i64 fields of vr_vrf_stats_req). */
const VRF_COUNTERS = Object.keys(make('vr_vrf_stats_req', {}).fields).filter((k) => !['h_op', 'vsr_rid', 'vsr_family', 'vsr_type', 'vsr_vrf', 'vsr_marker'].includes(k)) as (keyof VrfStatsFields)[]

export class VrfStats {
  /** Counters by VRF; -1 holds the packets of invalid VRFs. */
  readonly counters = new Map<number, Record<string, number>>()

  constructor(private readonly config: VrouterConfig) {}

  private object(vrf: number, request: VrfStatsFields): SandeshObject<'vr_vrf_stats_req'> {
    return make('vr_vrf_stats_req', {
      ...(this.counters.get(vrf) as Partial<VrfStatsFields>),
      h_op: request.h_op,
      vsr_rid: request.vsr_rid,
      vsr_family: request.vsr_family,
      vsr_type: request.vsr_type,
      vsr_vrf: vrf,
    })
  }

  private nonZero(vrf: number): boolean {
    const c = this.counters.get(vrf)
    return c !== undefined && VRF_COUNTERS.some((k) => (c[k] ?? 0) !== 0)
  }

  handle(object: SandeshObject<'vr_vrf_stats_req'>): Replies {
    const f = object.fields
    if (f.h_op !== SandeshOp.GET && f.h_op !== SandeshOp.DUMP) return []
    if (f.vsr_family !== AF_INET) return fail('EINVAL')
    if (f.h_op === SandeshOp.GET) {
      if (f.vsr_vrf >= this.config.vrfs) return fail('EINVAL')
      return ok(this.object(f.vsr_vrf < 0 ? -1 : f.vsr_vrf, f))
    }
    // Only VRFs with some non-zero counter, then the invalid-VRF bucket if it has any.
    const vrfs = [...this.counters.keys()].filter((v) => v > f.vsr_marker && v >= 0 && this.nonZero(v)).sort((a, b) => a - b)
    const tail = this.nonZero(-1) ? [-1] : []
    return dumpPage([...vrfs, ...tail].map((v) => this.object(v, f)))
  }

  add(vrf: number, counter: keyof VrfStatsFields, n: number): void {
    const c = this.counters.get(vrf) ?? {}
    c[counter as string] = (c[counter as string] ?? 0) + n
    this.counters.set(vrf, c)
  }
}

type Ops = MessageFields<'vrouter_ops'>

/** The knobs of vrouter_ops an ADD changes when its value is not -1. */
const RUNTIME_KNOBS = [
  'vo_perfr', 'vo_perfs', 'vo_from_vm_mss_adj', 'vo_to_vm_mss_adj', 'vo_perfr1', 'vo_perfr2', 'vo_perfr3', 'vo_perfp',
  'vo_perfq1', 'vo_perfq2', 'vo_perfq3', 'vo_udp_coff', 'vo_flow_hold_limit', 'vo_mudp', 'vo_burst_tokens',
  'vo_burst_interval', 'vo_burst_step', 'vo_packet_dump',
] as const satisfies readonly (keyof Ops)[]

export interface LiveCounts {
  flowUsed: number
  flowOverflowUsed: number
  bridgeUsed: number
  bridgeOverflowUsed: number
}

/** vrouter_ops: sizes, runtime knobs and logging, as a DPDK forwarding plane reports them by default. */
export class VrouterOps {
  ops: Ops

  constructor(
    config: VrouterConfig,
    private readonly live: () => LiveCounts,
    buildInfo: string,
  ) {
    this.ops = make('vrouter_ops', {
      vo_interfaces: config.interfaces,
      vo_vrfs: config.vrfs,
      vo_mpls_labels: config.mplsLabels,
      vo_nexthops: config.nexthops,
      vo_bridge_entries: config.bridgeEntries,
      vo_oflow_bridge_entries: config.bridgeOverflowEntries,
      vo_flow_entries: config.flowEntries,
      vo_oflow_entries: config.flowOverflowEntries,
      vo_mirror_entries: config.mirrors,
      vo_vif_bridge_entries: 1024,
      vo_vif_oflow_bridge_entries: 512,
      vo_pkt_droplog_bufsz: DROP_LOG_MAX,
      vo_pkt_droplog_buf_en: 1,
      vo_pkt_droplog_en: 1,
      vo_pkt_droplog_min_en: 1,
      vo_perfr: 1,
      vo_perfs: 1,
      vo_from_vm_mss_adj: 1,
      vo_to_vm_mss_adj: 1,
      vo_perfr2: 1,
      vo_perfr3: 1,
      vo_perfp: 1,
      vo_flow_hold_limit: FLOW_HOLD_LIMIT.dpdk,
      vo_log_level: 7,
      vo_log_type_enable: VROUTER_LOG_TYPES.map(([t]) => t),
      vo_build_info: buildInfo,
    }).fields
  }

  handle(object: SandeshObject<'vrouter_ops'>): Replies {
    const f = object.fields
    switch (f.h_op) {
      case SandeshOp.GET: {
        const live = this.live()
        return ok(
          make('vrouter_ops', {
            ...this.ops,
            h_op: SandeshOp.GET,
            vo_flow_used_entries: live.flowUsed,
            vo_flow_used_oentries: live.flowOverflowUsed,
            vo_bridge_used_entries: live.bridgeUsed,
            vo_bridge_used_oentries: live.bridgeOverflowUsed,
          }),
        )
      }
      case SandeshOp.ADD:
        this.set(f)
        return ok()
      case SandeshOp.RESET:
        return ok()
      default:
        return fail('EOPNOTSUPP')
    }
  }

  /**
   * ADD: the log level when it is one (the DPDK host ignores others, 0 = unchanged), log types enabled then
   * disabled (unknown types ignored), each knob when not -1; priority tagging always.
   */
  private set(f: Ops): void {
    if (enumName(f.vo_log_level, VROUTER_LOG_LEVELS)) this.ops.vo_log_level = f.vo_log_level
    const enabled = new Set(this.ops.vo_log_type_enable)
    for (const t of f.vo_log_type_enable) if (enumName(t, VROUTER_LOG_TYPES)) enabled.add(t)
    for (const t of f.vo_log_type_disable) enabled.delete(t)
    this.ops.vo_log_type_enable = [...enabled].sort((a, b) => a - b)
    for (const k of RUNTIME_KNOBS) if (f[k] !== -1) this.ops[k] = f[k]
    this.ops.vo_priority_tagging = f.vo_priority_tagging
  }
}

/** Memory statistics: allocations outstanding per object kind, derived from what the state holds. */
export function memStats(op: number, counts: Partial<MessageFields<'vr_mem_stats_req'>>): Replies {
  const alloced = Object.values(counts).reduce<number>((sum, v) => sum + Number(v ?? 0), 0)
  const reply = ok(make('vr_mem_stats_req', {...counts, vms_alloced: alloced, vms_freed: 0}))
  return op === SandeshOp.GET ? reply : [...fail('EOPNOTSUPP'), ...reply]
}

/**
 * The packet drop log (dp-core/vr_pkt_droplog.c): a ring of records per core, the one drop type to log (VP_DROP_MAX:
 * every type), and its switches, which vrouter_ops reports: the ring size and the load-time switch (fixed), the
 * run-time switch (the sysctl) and minimal logging (records without interface, next hop and packet bytes).
 */
export class DropLog {
  type = VP_DROP_MAX
  private readonly rings = new Map<number, DropLogRecord[]>()
  /** Next slot to write, per core (a reset clears the records, not this). */
  private readonly next = new Map<number, number>()

  constructor(
    private readonly config: VrouterConfig,
    private readonly settings: Ops,
  ) {}

  private get size(): number {
    return this.settings.vo_pkt_droplog_bufsz
  }

  /** A drop, as vr_pkt_drop_log_func logs it: only with the sysctl on, only of the type set, minimal if asked. */
  log(core: number, record: DropLogRecord): void {
    if (this.settings.vo_pkt_droplog_en !== 1 || (this.type !== VP_DROP_MAX && this.type !== record.dropReason)) return
    const minimal = this.settings.vo_pkt_droplog_min_en === 1
    this.append(core, minimal ? {...record, vifIdx: 0, nhId: 0, pktLen: 0, header: dropLogRecord().header} : record)
  }

  /** A record written into a core's ring as it is (a scenario's entries). */
  append(core: number, record: DropLogRecord): void {
    if (this.settings.vo_pkt_droplog_buf_en !== 1 || this.size <= 0 || core < 0 || core >= this.config.cores) return
    const at = this.next.get(core) ?? 0
    const ring = this.rings.get(core) ?? []
    ring[at] = record
    this.rings.set(core, ring)
    this.next.set(core, (at + 1) % this.size)
  }

  /** The records of a core in ring order (empty slots included), for saving. */
  records(core: number): DropLogRecord[] {
    return Array.from({length: Math.max(0, this.size)}, (_, i) => this.rings.get(core)?.[i] ?? dropLogRecord())
  }

  handle(object: SandeshObject<'vr_pkt_drop_log_req'>): Replies {
    const f = object.fields
    switch (f.h_op) {
      case SandeshOp.ADD:
        // vdl_pkt_droplog_config tells a drop-type request (1) from a minimal-logging one (0).
        if (f.vdl_pkt_droplog_config) {
          this.type = f.vdl_pkt_droplog_type & 0xff
          return ok(make('vr_pkt_drop_log_req', {h_op: SandeshOp.ADD, vdl_pkt_droplog_config: f.vdl_pkt_droplog_config, vdl_pkt_droplog_type: f.vdl_pkt_droplog_type}))
        }
        this.settings.vo_pkt_droplog_min_en = f.vdl_pkt_droplog_min_sysctl_en
        return ok(make('vr_pkt_drop_log_req', {h_op: SandeshOp.ADD, vdl_pkt_droplog_min_sysctl_en: f.vdl_pkt_droplog_min_sysctl_en}))
      case SandeshOp.RESET:
        this.rings.clear()
        return ok(make('vr_pkt_drop_log_req', {h_op: SandeshOp.RESET}))
      case SandeshOp.GET:
        return ok(this.view(f))
      default:
        // Other ops get a bare response, then the GET's reply anyway (a dp quirk).
        return [[response(0)], ...ok(this.view(f))]
    }
  }

  /** A GET: up to a page of one core's ring from vdl_log_idx on; vdl_core counts from 1, 0 reading core 0 too. */
  private view(f: MessageFields<'vr_pkt_drop_log_req'>): SandeshObject<'vr_pkt_drop_log_req'> {
    const sysctl = this.settings.vo_pkt_droplog_en
    const enabled = this.settings.vo_pkt_droplog_buf_en
    if (sysctl !== 1) return make('vr_pkt_drop_log_req', {vdl_pkt_droplog_sysctl_en: sysctl})
    if (enabled !== 1) return make('vr_pkt_drop_log_req', {vdl_pkt_droplog_sysctl_en: sysctl, vdl_pkt_droplog_en: enabled})
    // The dp takes the core as a short and the count in unsigned arithmetic: an index past the end reads a whole page
    // (beyond its ring; here, empty slots), as does a core it does not have.
    const core = ((f.vdl_core - 1) << 16) >> 16
    const index = f.vdl_log_idx
    const count = (this.size - index) >>> 0 > DROP_LOG_PAGE ? DROP_LOG_PAGE : this.size - index
    const ring = this.rings.get(core === -1 ? 0 : core)
    const records = Array.from({length: count}, (_, k) => (index + k >= 0 && index + k < this.size ? ring?.[index + k] : undefined) ?? dropLogRecord())
    return make('vr_pkt_drop_log_req', {
      vdl_core: f.vdl_core,
      vdl_log_idx: index,
      vdl_max_num_cores: this.config.cores,
      vdl_pkt_droplog_en: enabled,
      vdl_pkt_droplog_sysctl_en: sysctl,
      vdl_pkt_droplog_max_bufsz: this.size,
      vdl_pkt_droplog_type: this.type,
      vdl_pkt_droplog_arr: Array.from(encodeDropLog(records)),
    })
  }
}

/** vr_info (dpdkinfo): text per section, handed out in chunks that fit a page, resumed by buffer slot and marker. */
export class Info {
  private readonly buffers = new KeyedTable<number[]>()
  private nextSlot = 1

  constructor(private readonly sections: (section: number) => string | undefined) {}

  handle(object: SandeshObject<'vr_info_req'>): Replies {
    const f = object.fields
    if (f.h_op !== SandeshOp.DUMP) return ok()
    let slot = f.vdu_buff_table_id
    if (slot === 0) {
      const text = this.sections(f.vdu_msginfo)
      if (text === undefined) return dumpPage([])
      slot = this.nextSlot
      this.nextSlot = (this.nextSlot % 64) + 1
      this.buffers.set(slot, Array.from(new TextEncoder().encode(`${text}\0`)))
    }
    const buffer = this.buffers.get(slot)
    if (!buffer) return dumpPage([])
    // One chunk per request, sized so that the object fits the page.
    const chunk = PAGE_SIZE - 128
    const index = f.vdu_marker + 1
    const part = buffer.slice(index * chunk, (index + 1) * chunk)
    if (part.length === 0) {
      this.buffers.delete(slot)
      return dumpPage([])
    }
    const more = (index + 1) * chunk < buffer.length
    if (!more) this.buffers.delete(slot)
    const page = dumpPage([make('vr_info_req', {...f, vdu_buff_table_id: slot, vdu_index: index, vdu_proc_info: part})])
    if (more) (page[0][0] as SandeshObject<'vr_response'>).fields.resp_code |= DUMP_INCOMPLETE
    return page
  }
}
