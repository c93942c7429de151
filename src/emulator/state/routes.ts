/**
 * Routes (vr_route_req): IPv4 and IPv6 tables per VRF as the forwarding plane's multibit tries, and the bridge
 * table (MAC + VRF → next hop, label) placed by the real hash, with the forwarding plane's request semantics
 * (TF dp-core/vr_route.c, vr_ip_mtrie.c, vr_bridge.c).
 */
import {ERRNO, type ErrnoName} from '../../lib/errors.js'
import {bridgeKey} from '../../lib/shm/hash.js'
import type {MessageFields, SandeshObject} from '../../lib/sandesh/schema.js'
import {SandeshOp} from '../../lib/sandesh/types.js'
import {HashTable} from '../tables/hashtable.js'
import {SharedTableFile, type TableDirectory} from '../tables/shared-file.js'
import {BRIDGE_ENTRY} from '../../lib/shm/layout.js'
import type {BridgeEntry as SharedBridgeEntry} from '../../lib/model/flow.js'
import {type Replies, dumpPage, fail, make, ok, response} from './common.js'
import type {VrouterConfig} from './config.js'
import {type LeafData, Mtrie, NO_INDEX, NO_LABEL} from './mtrie.js'
import type {RefCounts} from './refs.js'
import {AF_BRIDGE, AF_INET, AF_INET6, BRIDGE_ENTRY_FLAGS, NH_TYPE, ROUTE_FLAGS, flagBit} from '../../lib/model/constants.js'

type Route = MessageFields<'vr_route_req'>

const RT_LABEL_VALID = flagBit(ROUTE_FLAGS, 'LABEL_VALID')
const BE_VALID = flagBit(BRIDGE_ENTRY_FLAGS, 'VALID')
const BE_LABEL_VALID = flagBit(BRIDGE_ENTRY_FLAGS, 'LABEL_VALID')
const BE_MAC_NEW = flagBit(BRIDGE_ENTRY_FLAGS, 'MAC_NEW')

export interface BridgeEntry {
  readonly mac: number[]
  readonly vrf: number
  nh: number
  label: number
  flags: number
  packets: number
}

const isZero = (bytes: readonly number[]) => bytes.every((b) => b === 0)

/** The address with the bits beyond `plen` cleared (the dp adds and deletes masked prefixes). */
function masked(prefix: readonly number[], bytes: number, plen: number): number[] {
  const out = new Array<number>(bytes)
  for (let i = 0; i < bytes; i++) {
    const keep = Math.max(0, Math.min(8, plen - 8 * i))
    out[i] = (prefix[i] ?? 0) & (0xff << (8 - keep)) & 0xff
  }
  return out
}

export class Routes {
  private readonly tables = new Map<string, Mtrie>()
  readonly bridge: HashTable<BridgeEntry>
  /** The bridge table as the tools map it (rt --dump --family bridge). */
  readonly bridgeFile: SharedTableFile<SharedBridgeEntry>

  constructor(
    private readonly config: VrouterConfig,
    private readonly refs: RefCounts,
    private readonly nexthopType: (id: number) => number | undefined,
    directory: TableDirectory,
  ) {
    this.bridge = new HashTable(config.bridgeEntries, config.bridgeOverflowEntries)
    this.bridgeFile = new SharedTableFile(directory, 'bridge.shmem', BRIDGE_ENTRY, config.bridgeEntries, config.bridgeOverflowEntries, () => this.bridge.touched(), (index, bytes) => {
      const v = this.bridge.at(index)?.value
      const header = this.bridge.header(index)
      this.bridgeFile.encode(v ? {...header, be_mac: Uint8Array.from(v.mac), be_vrf_id: v.vrf, be_packets: v.packets, be_label: v.label, be_nh_id: v.nh, be_flags: v.flags} : ({...header} as SharedBridgeEntry), bytes)
    })
    this.bridge.onChange = (indexes) => indexes.forEach((i) => this.bridgeFile.write(i))
  }

  /** vr_bridge_table_data: GET gives the table's size and file (any other op: EINVAL, with the object, as the dp). */
  bridgeTableData(o: SandeshObject<'vr_bridge_table_data'>): Replies {
    const data = make('vr_bridge_table_data', {btable_op: o.fields.btable_op, btable_size: this.bridgeFile.size, btable_dev: 0})
    if (o.fields.btable_op !== SandeshOp.GET) return [[response(-ERRNO.EINVAL), data]]
    data.fields.btable_file_path = this.bridgeFile.open()
    return ok(data)
  }

  handle(object: SandeshObject<'vr_route_req'>): Replies {
    const f = object.fields
    if (f.rtr_family === AF_BRIDGE) return this.handleBridge(f)
    if (f.rtr_family !== AF_INET && f.rtr_family !== AF_INET6) {
      return f.h_op === SandeshOp.ADD ? fail('ENOENT') : f.h_op <= SandeshOp.DUMP ? fail('EINVAL') : []
    }
    switch (f.h_op) {
      case SandeshOp.ADD:
        return this.reply(this.add(f))
      case SandeshOp.DEL:
        return this.reply(this.remove(f))
      case SandeshOp.GET:
        return ok(this.lookup(f))
      case SandeshOp.DUMP:
        return this.dump(f)
      default:
        return []
    }
  }

  private reply(errno: ErrnoName | undefined): Replies {
    return errno ? fail(errno) : ok()
  }

  private bytes(family: number): number {
    return family === AF_INET ? 4 : 16
  }

  /** The VRF's table of a family, created on first use (as the dp does on the first ADD). */
  private table(vrf: number, family: number, create: boolean): Mtrie | undefined {
    const key = `${vrf}/${family}`
    let t = this.tables.get(key)
    if (!t && create) {
      t = new Mtrie(this.bytes(family), (nh, delta) => this.refs.nexthop(nh, delta))
      this.tables.set(key, t)
    }
    return t
  }

  private badRequest(f: Route): boolean {
    return f.rtr_prefix.length === 0 || f.rtr_vrf_id < 0 || f.rtr_vrf_id >= this.config.vrfs || f.rtr_prefix_len < 0 || f.rtr_prefix_len > 8 * this.bytes(f.rtr_family)
  }

  /** A stitched MAC's bridge index: invalid for none, undefined when the MAC is not in the bridge table. */
  private stitched(mac: readonly number[], vrf: number): number | undefined {
    if (mac.length === 0 || isZero(mac)) return NO_INDEX
    return this.bridge.find(bridgeKey(mac, vrf))
  }

  add(f: Route): ErrnoName | undefined {
    if (this.badRequest(f)) return 'EINVAL'
    const table = this.table(f.rtr_vrf_id, f.rtr_family, true)!
    const type = this.nexthopType(f.rtr_nh_id)
    if (type === undefined) return 'ENOENT'
    if (type === NH_TYPE.TUNNEL && !(f.rtr_label_flags & RT_LABEL_VALID)) return 'EINVAL'
    const index = this.stitched(f.rtr_mac, f.rtr_vrf_id)
    if (index === undefined) return 'ENOENT'
    const prefix = masked(f.rtr_prefix, table.bytes, f.rtr_prefix_len)
    table.add(prefix, f.rtr_prefix_len, {nh: f.rtr_nh_id, flags: f.rtr_label_flags & 0x1f, label: this.label(f), index})
    return undefined
  }

  private label(f: Route): number {
    return f.rtr_label_flags & RT_LABEL_VALID ? f.rtr_label & 0xffffff : NO_LABEL
  }

  /** DEL: entries of exactly this length take the replacement the request carries; a route that is not there is no error. */
  private remove(f: Route): ErrnoName | undefined {
    if (this.badRequest(f)) return 'EINVAL'
    const table = this.table(f.rtr_vrf_id, f.rtr_family, false)
    if (!table || this.nexthopType(f.rtr_nh_id) === undefined) return 'ENOENT'
    const index = this.stitched(f.rtr_mac, f.rtr_vrf_id)
    if (index === undefined) return 'ENOENT'
    table.delete(masked(f.rtr_prefix, table.bytes, f.rtr_prefix_len), f.rtr_prefix_len, {
      nh: f.rtr_nh_id,
      plen: f.rtr_replace_plen & 0xff,
      flags: f.rtr_label_flags & 0x1f,
      label: this.label(f),
      index,
    })
    return undefined
  }

  /** The route a packet to `address` takes in a VRF (longest-prefix match), as the datapath looks it up. */
  route(vrf: number, address: ArrayLike<number>): LeafData | undefined {
    return this.table(vrf, address.length === 4 ? AF_INET : AF_INET6, false)?.lookup(address, 8 * address.length)
  }

  /** The bridge entry of a MAC in a VRF. */
  bridgeEntry(vrf: number, mac: ArrayLike<number>): BridgeEntry | undefined {
    const index = this.bridge.find(bridgeKey(mac, vrf))
    return index === undefined ? undefined : this.bridge.at(index)?.value
  }

  /** GET: longest-prefix match; the request comes back with what the matching entry holds. */
  private lookup(f: Route): SandeshObject<'vr_route_req'> {
    const table = f.rtr_vrf_id >= 0 && f.rtr_vrf_id < this.config.vrfs ? this.table(f.rtr_vrf_id, f.rtr_family, false) : undefined
    if (!table) return {name: 'vr_route_req', fields: {...f, rtr_nh_id: 0}}
    const prefix = new Uint8Array(table.bytes)
    prefix.set(f.rtr_prefix.slice(0, table.bytes))
    const leaf = table.lookup(prefix, f.rtr_prefix_len)
    if (!leaf) return {name: 'vr_route_req', fields: {...f, rtr_nh_id: 0}}
    return {
      name: 'vr_route_req',
      fields: {
        ...f,
        rtr_prefix_len: leaf.plen,
        rtr_label_flags: leaf.flags,
        rtr_label: leaf.label,
        rtr_index: leaf.index | 0,
        rtr_nh_id: leaf.nh,
        rtr_mac: this.macOf(leaf.index),
      },
    }
  }

  private macOf(index: number): number[] {
    return (index === NO_INDEX ? undefined : this.bridge.at(index)?.value.mac) ?? []
  }

  private dump(f: Route): Replies {
    const table = f.rtr_vrf_id >= 0 && f.rtr_vrf_id < this.config.vrfs ? this.table(f.rtr_vrf_id, f.rtr_family, false) : undefined
    if (!table) return dumpPage([])
    const leaves = table.dump(f.rtr_marker.length > 0 ? f.rtr_marker : undefined)
    const size = f.rtr_prefix.length
    const self = this
    return dumpPage(
      (function* () {
        for (const leaf of leaves) {
          yield make('vr_route_req', {
            rtr_vrf_id: f.rtr_vrf_id,
            rtr_family: f.rtr_family,
            rtr_rid: f.rtr_rid,
            rtr_prefix: size === leaf.prefix.length ? leaf.prefix : leaf.prefix.slice(0, size),
            rtr_prefix_len: 8 * leaf.depth,
            rtr_replace_plen: leaf.plen,
            rtr_nh_id: leaf.nh,
            rtr_label_flags: leaf.flags,
            rtr_label: leaf.label,
            rtr_index: leaf.index | 0,
            rtr_mac: self.macOf(leaf.index),
          })
        }
      })(),
    )
  }

  // --- bridge table ---

  private handleBridge(f: Route): Replies {
    switch (f.h_op) {
      case SandeshOp.ADD:
        return this.reply(this.addBridge(f))
      case SandeshOp.DEL: {
        if (f.rtr_mac.length !== 6 || f.rtr_vrf_id < 0 || f.rtr_vrf_id >= this.config.vrfs) return fail('EINVAL')
        const index = this.bridge.find(bridgeKey(f.rtr_mac, f.rtr_vrf_id))
        if (index === undefined) return fail('ENOENT')
        this.refs.nexthop(this.bridge.at(index)!.value.nh, -1)
        this.bridge.remove(index)
        return ok()
      }
      case SandeshOp.GET: {
        const index = f.rtr_index !== -1 ? f.rtr_index : this.bridge.find(bridgeKey(f.rtr_mac, f.rtr_vrf_id))
        const entry = index === undefined ? undefined : this.bridge.at(index >>> 0)?.value
        if (!entry || entry.nh < 0) return fail('ENOENT')
        return ok({name: 'vr_route_req', fields: {...f, rtr_label_flags: entry.flags, rtr_label: entry.label, rtr_nh_id: entry.nh, rtr_index: index!}})
      }
      case SandeshOp.DUMP:
        // A marker that is not a MAC gets no reply at all.
        return f.rtr_mac.length === 6 ? this.dumpBridge(f) : []
      default:
        return []
    }
  }

  addBridge(f: Route): ErrnoName | undefined {
    if (f.rtr_vrf_id < 0 || f.rtr_vrf_id >= this.config.vrfs || f.rtr_mac.length !== 6 || isZero(f.rtr_mac)) return 'EINVAL'
    if (this.nexthopType(f.rtr_nh_id) === undefined) return 'ENOENT'
    const key = bridgeKey(f.rtr_mac, f.rtr_vrf_id)
    const flags = BE_VALID | (f.rtr_label_flags & ~(BE_VALID | BE_MAC_NEW))
    const existing = this.bridge.find(key)
    const entry: BridgeEntry = {mac: f.rtr_mac.slice(), vrf: f.rtr_vrf_id, nh: f.rtr_nh_id, label: flags & BE_LABEL_VALID ? f.rtr_label : 0, flags, packets: 0}
    if (existing !== undefined) {
      const slot = this.bridge.at(existing)!
      this.refs.nexthop(slot.value.nh, -1)
      slot.value = {...entry, packets: slot.value.packets}
      this.bridgeFile.write(existing)
    } else if (this.bridge.insert(key, entry) === undefined) {
      return 'ENOMEM'
    }
    this.refs.nexthop(f.rtr_nh_id, 1)
    return undefined
  }

  private dumpBridge(f: Route): Replies {
    const all = [...this.bridge.entries()].filter(([, s]) => s.value.vrf === f.rtr_vrf_id)
    let start = 0
    if (!isZero(f.rtr_mac)) {
      const at = all.findIndex(([, s]) => s.value.mac.every((b, i) => b === f.rtr_mac[i]))
      if (at < 0) return dumpPage([])
      start = at + 1
    }
    return dumpPage(
      all.slice(start).map(([index, s]) =>
        make('vr_route_req', {
          rtr_mac: s.value.mac,
          rtr_vrf_id: s.value.vrf,
          rtr_nh_id: s.value.nh,
          rtr_family: AF_BRIDGE,
          rtr_label: s.value.label,
          rtr_label_flags: s.value.flags,
          rtr_index: index,
        }),
      ),
    )
  }
}
