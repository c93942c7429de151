/**
 * The emulated forwarding plane's state: one store per object kind, each with the vRouter's semantics, and the
 * dispatch of every request object to its store. Requests of one message are served in order; each object's reply
 * messages follow the previous object's.
 */
import {DROP_LOG_FILES, VP_TYPE, dropReasonValue} from '../../lib/model/constants.js'
import {DROP_LOG_HEADER_BYTES, type DropLogRecord, dropLogRecord} from '../../lib/model/droplog.js'
import type {MessageFields, SandeshObject} from '../../lib/sandesh/schema.js'
import {SandeshOp} from '../../lib/sandesh/types.js'
import type {RequestHandler} from '../server/server.js'
import type {TrafficEntry} from '../traffic/scenario.js'
import {type Replies, fail, make, ok} from './common.js'
import {DEFAULT_CONFIG, type VrouterConfig} from './config.js'
import {TableDirectory} from '../tables/shared-file.js'
import {Flows} from './flows.js'
import {Interfaces} from './interfaces.js'
import {Nexthops} from './nexthops.js'
import {RefCounts} from './refs.js'
import {Routes} from './routes.js'
import {DropLog, DropStats, Info, VrfStats, VrouterOps, memStats} from './stats.js'
import {FcMaps, QosMaps, Vrfs, mirrorTable, mplsTable, vxlanTable} from './tables.js'

export const BUILD_INFO = JSON.stringify({
  'build-info': [{'build-version': '0.1.0', 'build-time': '2026-11-27 00:00:00.000000', 'build-user': 'vrouter-utils', 'build-hostname': 'emulator', 'build-id': '0.1.0', 'build-number': 'emulator'}],
})

export class VrouterState implements RequestHandler {
  readonly config: VrouterConfig
  readonly refs = new RefCounts()
  readonly interfaces: Interfaces
  readonly nexthops: Nexthops
  readonly routes: Routes
  /** Where the shared table files go (set it before the first tool asks for them; a temporary directory otherwise). */
  readonly tableDirectory = new TableDirectory()
  readonly flows: Flows
  readonly mpls
  readonly mirrors
  readonly vxlan
  readonly vrfs: Vrfs
  readonly qos: QosMaps
  readonly fc: FcMaps
  readonly drops: DropStats
  readonly vrfStats: VrfStats
  readonly ops: VrouterOps
  readonly dropLog: DropLog
  readonly info: Info
  /** A scenario's traffic, sent once the datapath runs (emulator start). */
  readonly traffic: TrafficEntry[] = []
  private ticks = 0

  constructor(config: Partial<VrouterConfig> = {}) {
    this.config = {...DEFAULT_CONFIG, ...config}
    this.interfaces = new Interfaces(this.config, (idx) => this.refs.interfaceUsers(idx))
    const interfaceExists = (idx: number) => this.interfaces.get(idx) !== undefined
    this.nexthops = new Nexthops(this.config, this.refs, interfaceExists)
    const deps = {config: this.config, refs: this.refs, nexthopExists: (id: number) => this.nexthops.exists(id), interfaceExists}
    this.routes = new Routes(this.config, this.refs, (id) => this.nexthops.get(id)?.nhr_type, this.tableDirectory)
    this.flows = new Flows(this.config, this.tableDirectory)
    this.mpls = mplsTable(deps)
    this.mirrors = mirrorTable(deps)
    this.vxlan = vxlanTable(deps)
    this.vrfs = new Vrfs(deps)
    this.qos = new QosMaps(this.config)
    this.fc = new FcMaps(this.config)
    this.drops = new DropStats(this.config)
    this.vrfStats = new VrfStats(this.config)
    this.ops = new VrouterOps(this.config, () => ({flowUsed: this.flows.table.size, flowOverflowUsed: this.flows.usage().overflow, bridgeUsed: this.routes.bridge.size, bridgeOverflowUsed: 0}), BUILD_INFO)
    this.dropLog = new DropLog(this.config, this.ops.ops)
    this.info = new Info((section) => this.infoText(section))
  }

  handle(objects: readonly SandeshObject[]): SandeshObject[][] {
    return objects.flatMap((o) => this.dispatch(o))
  }

  dispatch(o: SandeshObject): Replies {
    switch (o.name) {
      case 'vr_interface_req':
        return this.interfaces.handle(o)
      case 'vr_vrf_assign_req':
        return this.interfaces.handleVrfAssign(o)
      case 'vr_nexthop_req':
        return this.nexthops.handle(o)
      case 'vr_route_req':
        return this.routes.handle(o)
      case 'vr_mpls_req':
        return this.mpls.handle(o)
      case 'vr_mirror_req':
        return this.mirrors.handle(o)
      case 'vr_vxlan_req':
        return this.vxlan.handle(o)
      case 'vr_vrf_req':
        return this.vrfs.handle(o)
      case 'vr_qos_map_req':
        return this.qos.handle(o)
      case 'vr_fc_map_req':
        return this.fc.handle(o)
      case 'vr_drop_stats_req':
        return this.drops.handle(o)
      case 'vr_vrf_stats_req':
        return this.vrfStats.handle(o)
      case 'vrouter_ops':
        return this.ops.handle(o)
      case 'vr_mem_stats_req':
        return memStats(o.fields.h_op, this.memoryCounts())
      case 'vr_pkt_drop_log_req':
        return this.dropLog.handle(o)
      case 'vr_info_req':
        return this.info.handle(o)
      case 'vr_flow_req':
        return this.flows.handle(o)
      case 'vr_flow_table_data':
        return this.flows.tableData()
      case 'vr_bridge_table_data':
        return this.routes.bridgeTableData(o)
      case 'vr_hugepage_config':
        return o.fields.vhp_op === SandeshOp.ADD ? ok(make('vr_hugepage_config', {vhp_resp: 0})) : fail('EOPNOTSUPP')
      default:
        // vr_response and vr_flow_response are replies, not requests.
        return fail('EOPNOTSUPP')
    }
  }

  /**
   * Traffic moves: every interface with traffic so far gets more packets (in proportion to what it has), the VRFs
   * of virtual interfaces count them, and now and then a packet is dropped. Deterministic, so runs repeat.
   */
  tick(): void {
    this.ticks++
    for (const [idx, e] of this.interfaces.table.after(-1)) {
      const f = e.fields
      if (Number(f.vifr_ipackets) === 0 && Number(f.vifr_opackets) === 0) continue
      const rx = 10 + ((idx * 7 + this.ticks) % 23)
      const tx = 8 + ((idx * 5 + this.ticks) % 19)
      f.vifr_ipackets = Number(f.vifr_ipackets) + rx
      f.vifr_ibytes = Number(f.vifr_ibytes) + rx * 98
      f.vifr_opackets = Number(f.vifr_opackets) + tx
      f.vifr_obytes = Number(f.vifr_obytes) + tx * 102
      if (f.vifr_type === 3) this.vrfStats.add(f.vifr_vrf, 'vsr_receives', rx)
      if ((idx + this.ticks) % 10 === 0) {
        e.drops.vds_flow_action_drop = (e.drops.vds_flow_action_drop ?? 0) + 1
        this.drops.drops.vds_flow_action_drop += 1
        this.dropLog.log(idx % this.config.cores, this.flowDrop(f))
      }
    }
  }

  /** The drop-log record of a packet from an interface that its flow's action drops (dp-core/vr_flow.c logs it so). */
  private flowDrop(f: MessageFields<'vr_interface_req'>): DropLogRecord {
    const src = new Uint8Array(16)
    src.set([f.vifr_ip & 0xff, (f.vifr_ip >>> 8) & 0xff, (f.vifr_ip >>> 16) & 0xff, f.vifr_ip >>> 24])
    // To the gateway (.1) of the interface's subnet: the policy of these demo flows.
    const dst = src.slice()
    dst[3] = 1
    const header = new Uint8Array(DROP_LOG_HEADER_BYTES)
    header.set([0x45, 0, 0, 84, 0, 0, 0x40, 0, 64, 1, 0, 0, ...src.subarray(0, 4), ...dst.subarray(0, 4)])
    return dropLogRecord({
      timestamp: Math.floor(Date.now() / 1000),
      vpType: VP_TYPE.IP,
      dropReason: dropReasonValue('VP_DROP_FLOW_ACTION_DROP')!,
      vifIdx: f.vifr_idx,
      nhId: f.vifr_nh_id,
      src,
      dst,
      file: DROP_LOG_FILES.indexOf('VR_FLOW_C'),
      line: 936,
      pktLen: 84,
      header,
    })
  }

  /** Outstanding allocations per kind, as vr_mem_stats_req reports them. */
  private memoryCounts() {
    return {
      vms_interface_object: this.interfaces.table.size,
      vms_nexthop_object: this.nexthops.table.size,
      vms_mirror_object: this.mirrors.entries.size,
      vms_qos_map_object: this.qos.maps.size,
      vms_fc_object: this.fc.entries.size,
      vms_bridge_mac_object: this.routes.bridge.size,
    }
  }

  private infoText(section: number): string | undefined {
    switch (section) {
      case 1:
        return `vRouter emulator (vrouter-utils) version 0.1.0\nSandesh schema: OpenSDN / Tungsten Fabric vr.sandesh\n`
      case 2:
        return 'DPDK version: none (emulated forwarding plane)\n'
      case 8:
        return Array.from({length: this.config.cores}, (_, i) => `Lcore ${i + 10}: forwarding\n`).join('')
      default:
        return section >= 3 && section <= 11 ? 'No information: the emulator has no DPDK runtime.\n' : undefined
    }
  }
}
