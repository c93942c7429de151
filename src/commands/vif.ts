import type {Parsed} from '../cli/legacy/getopt.js'
import {type VifCommand, walkVifOptions} from '../cli/legacy/vif-options.js'
import {LIVE_OPTIONS, liveSettings, runLive} from '../cli/live.js'
import {LegacyTool, type Outcome} from '../cli/legacy/tool.js'
import {STRERROR, VrouterError, errnoName} from '../lib/errors.js'
import {VIF_FLAGS, VIF_TYPES, enumValue, flagBit} from '../lib/model/constants.js'
import type {KsyncClient} from '../lib/ksync/client.js'
import {dropBlock, dropsJson} from '../lib/render/drops.js'
import {ndjsonLine} from '../lib/render/json.js'
import {RATE_KEYS, RATE_TITLE, RATE_TOO_SMALL, interfacesPerPage, rateListHeader, rateListLine, rateTimestamp, vifRates} from '../lib/render/vif-rate.js'
import {VIF_LEGEND, VIF_USAGE, vifBlock, vifClearMessage, vifJson} from '../lib/render/vif.js'
import {codecFor} from '../lib/sandesh/codec.js'
import type {MessageFields, SandeshObject} from '../lib/sandesh/schema.js'
import {SandeshOp} from '../lib/sandesh/types.js'
import {interfaceIndex, interfaceName} from '../lib/transport/ifname.js'
import {TransportError} from '../lib/transport/endpoint.js'

type VifFields = MessageFields<'vr_interface_req'>

const SERVICE_IF = flagBit(VIF_FLAGS, 'SERVICE_IF')
const SOCKET_ERRNO: Record<string, number> = {ENOENT: 2, ECONNREFUSED: 111, EACCES: 13}

const codec = codecFor('current')

export default class Vif extends LegacyTool {
  static override summary = 'Interfaces of the forwarding plane, as the stock `vif` tool (same options, same output)'

  static override description = `vif --list | --get N [--core C] [--get-drop-stats] | --delete N|NAME | --set N --vlan V --vrf R
    | --add NAME --mac M --vrf R --type T [--transport T] [--xconnect IF[,IF]] [--policy] [--vhost-phys] [--dhcp-enable]
      [--vif N] [--id N] [--pmd|--pci]
    | --clear [--id N] [--core C] [--sock-dir DIR]

Byte-compatible with the stock tool (legend, blocks, DPDK and vtest counter lines, quirks). Additions: --json,
--socket PATH, --platform P, and exit statuses that tell the truth (0 done, 2 usage, 3 the forwarding plane
refused, 4 no forwarding plane); --legacy-exit gives the stock ones (0, and 244 when it cannot connect).
--add asks the forwarding plane first whether it has the interface (by its host index), as the stock tool does,
and reuses its index. Without any operation the stock tool would send an ADD of interface 0: ours prints the
usage. --rate draws the stock rate screens on a terminal (q quits, j/k page the list); without one it prints one
sample a second instead of spinning as the stock tool does (--count N samples, --interval SEC apart; NDJSON
under --json). Not yet: --create (a Linux vhost netdevice over rtnetlink).`

  static override examples = [
    '<%= config.bin %> vif --list --sock-dir /tmp/vr',
    '<%= config.bin %> vif --get 3 --get-drop-stats',
    '<%= config.bin %> vif --list --json',
    '<%= config.bin %> vif --add tap5 --mac 02:00:00:00:00:05 --vrf 2 --type virtual --transport virtual --id 5 --policy',
    '<%= config.bin %> vif --delete 5',
    '<%= config.bin %> vif --list --rate',
    '<%= config.bin %> vif --get 3 --rate --count 5 --json',
  ]

  protected readonly tool = 'vif'
  protected override readonly fixes = {
    'short-id': '-i <n> works as --id <n> (the stock -i always fails its number check)',
    'rate-notty': '--rate without a terminal is refused (the stock tool spins printing "Size of terminal is too small."; ours otherwise prints timed samples)',
    'vrf-assign-newline': 'the VRF assignment list of a service interface ends with a newline',
    'ifname-remote': "an OS index the local host has no name for shows the forwarding plane's name instead of (null)",
    'unsigned-counters': 'counters printed unsigned (the stock tool prints them as signed 64-bit numbers)',
  }
  protected readonly usageText = VIF_USAGE
  protected readonly legacyExits = {ok: 0, help: 0, usage: 0, 'vrouter-error': 0, 'no-connection': 244}
  protected readonly options = {
    long: [
      ...['list', 'kernel', 'rate', 'get-drop-stats', 'policy', 'vhost-phys', 'dhcp-enable', 'pmd', 'pci', 'clear', 'help'].map((name) => ({name, arg: 'none' as const, id: name})),
      ...['get', 'core', 'add', 'create', 'mac', 'vrf', 'type', 'transport', 'xconnect', 'vif', 'id', 'delete', 'set', 'vlan', 'sock-dir'].map((name) => ({name, arg: 'required' as const, id: name})),
      ...LIVE_OPTIONS,
    ],
    short: 'ba:c:d:g:klm:t:T:v:p:C:DPi:s:',
    shortIds: {b: 'list', a: 'add', c: 'create', d: 'delete', g: 'get', k: 'kernel', l: 'list', m: 'mac', t: 'type', T: 'transport', v: 'vrf', p: 'policy', C: 'core', D: 'pmd', P: 'pci', i: 'short-id', s: 'sock-dir'},
  }

  protected async execute(parsed: Parsed): Promise<Outcome> {
    const walk = walkVifOptions(parsed, {dpdk: this.configuredPlatform() === 'dpdk', interfaceIndex, shortIdWorks: this.fixed('short-id')})
    if ('fault' in walk) {
      if (walk.fault === 'invalid') return this.invalid(walk.context)
      return walk.fault === 'help' ? this.help() : this.usage()
    }
    const command = walk.ok
    const core = command.core
    const wireCore = core === undefined ? 0 : core + 1
    switch (command.operation) {
      case 'create':
        process.stderr.write('vif: --create makes a Linux vhost netdevice over rtnetlink (kernel vRouter only), which this version does not do yet\n')
        return 'usage'
      case 'get':
        if (command.rate) return this.rate(command)
        return this.withClient((c) => this.getOne(c, command.vifIndex, core))
      case 'list':
        if (command.rate) return this.rate(command)
        return this.withClient((c) => this.list(c, core))
      case 'delete':
        return this.withClient(async (c) => {
          await c.request(codec.defaults('vr_interface_req', {h_op: SandeshOp.DEL, vifr_name: command.name, vifr_idx: command.vifIndex}))
          return 'ok'
        })
      case 'set':
        return this.withClient(async (c) => {
          await c.request(this.addRequest(command, command.vifIndex))
          await c.request(codec.defaults('vr_vrf_assign_req', {h_op: SandeshOp.ADD, var_vif_index: command.vifIndex, var_vif_vrf: command.vrf, var_vlan_id: command.vlan}))
          return 'ok'
        })
      case 'add':
        return this.withClient(async (c) => {
          await c.request(this.addRequest(command, await this.existingIndex(c, command)))
          return 'ok'
        })
      case 'clear': {
        const idx = command.explicitIndex ?? -1
        return this.withClient(async (c) => {
          const [, echo] = await c.request(codec.defaults('vr_interface_req', {h_op: SandeshOp.RESET, vifr_idx: idx, vifr_core: wireCore}))
          // The stock tool reports only a RESET echo (the dp answers an index with no interface with an empty object).
          const fields = (echo as SandeshObject<'vr_interface_req'> | undefined)?.fields
          if (fields?.h_op === SandeshOp.RESET) this.write(vifClearMessage(fields, idx !== -1))
          return 'ok'
        })
      }
    }
  }

  /**
   * Before an add the stock tool asks for the interface by its host index (errors unreported): an interface the
   * forwarding plane already has keeps its index.
   */
  private async existingIndex(client: KsyncClient, command: VifCommand): Promise<number> {
    if (!command.lookupFirst) return command.vifIndex
    try {
      const reply = await client.request(codec.defaults('vr_interface_req', {h_op: SandeshOp.GET, vifr_idx: command.vifIndex, vifr_os_idx: command.osIndex}))
      const found = reply.find((o): o is SandeshObject<'vr_interface_req'> => o.name === 'vr_interface_req')
      return found ? found.fields.vifr_idx : command.vifIndex
    } catch (error) {
      if (error instanceof VrouterError) return command.vifIndex
      throw error
    }
  }

  /** The ADD of --add and --set, with the fields the stock tool fills (the cross-connects for a vhost only). */
  private addRequest(command: VifCommand, knownIndex: number): SandeshObject<'vr_interface_req'> {
    const osIndex = Math.max(command.osIndex, 0)
    const index = command.explicitIndex ?? (knownIndex < 0 ? osIndex : knownIndex)
    const host = command.type === enumValue(VIF_TYPES, 'HOST')
    const unset = command.crossConnect.indexOf(-1)
    const crossConnect = command.crossConnect.slice(0, unset < 0 ? undefined : unset)
    return codec.defaults('vr_interface_req', {
      h_op: SandeshOp.ADD,
      vifr_name: command.name,
      vifr_mac: command.mac,
      vifr_vrf: command.operation === 'set' ? -1 : command.vrf,
      vifr_mcast_vrf: 65535,
      ...(osIndex > 0 ? {vifr_os_idx: osIndex} : {}),
      vifr_idx: index,
      vifr_type: command.type,
      vifr_flags: command.flags,
      vifr_transport: command.transport,
      ...(host ? {vifr_cross_connect_idx: crossConnect} : {}),
    })
  }

  private renderOptions(core: number | undefined) {
    const platform = this.platform()
    return {
      dpdk: platform !== 'kernel',
      dpdkProper: platform === 'dpdk' || platform === 'nic',
      core,
      ifname: interfaceName,
      remoteNames: this.fixed('ifname-remote'),
      unsignedCounters: this.fixed('unsigned-counters'),
    }
  }

  /**
   * --rate: per-second rates, one screen a second as the stock tool draws it (paged with j/k on a terminal); without
   * a terminal one sample per interval (--count bounds them; the stock tool spins there), NDJSON under --json.
   */
  private async rate(command: VifCommand): Promise<Outcome> {
    if (this.fixed('rate-notty') && !process.stdout.isTTY) {
      process.stderr.write('vif: --rate needs a terminal\n')
      return 'usage'
    }
    const settings = liveSettings(this.value('count'), this.value('interval'), 1)
    if (typeof settings === 'string') {
      process.stderr.write(`vif: ${settings}\n`)
      return 'usage'
    }
    const listing = command.operation === 'list'
    const wireCore = command.core === undefined ? 0 : command.core + 1
    const options = {...this.renderOptions(command.core), printZero: true}
    const previous = new Map<number, VifFields>()
    let skip = 0
    let perPage = Number.POSITIVE_INFINITY
    const rates = (current: VifFields[], elapsedMs: number) =>
      current.map((v) => {
        const rate = vifRates(v, previous.get(v.vifr_idx) ?? v, elapsedMs)
        previous.set(v.vifr_idx, v)
        return rate
      })
    return this.withClient(async (client) => {
      const fetch = async (): Promise<VifFields[]> => {
        if (!listing) {
          const reply = await client.request(codec.defaults('vr_interface_req', {h_op: SandeshOp.GET, vifr_idx: command.vifIndex, vifr_os_idx: -1, vifr_core: wireCore}))
          return reply.filter((o): o is SandeshObject<'vr_interface_req'> => o.name === 'vr_interface_req').map((o) => o.fields)
        }
        const all: VifFields[] = []
        for await (const o of client.dump(codec.defaults('vr_interface_req', {h_op: SandeshOp.DUMP, vifr_core: wireCore}))) if (o.name === 'vr_interface_req') all.push(o.fields)
        return all
      }
      const sample = async (elapsedMs: number): Promise<string> => {
        const current = rates(await fetch(), elapsedMs)
        const now = new Date()
        if (this.json) return ndjsonLine(listing ? {time: now.toISOString(), interfaces: current.map(vifJson)} : {time: now.toISOString(), interface: vifJson(current[0])})
        if (!listing) return `${RATE_TITLE}${VIF_LEGEND}${current.map((v) => vifBlock(v, options)).join('')}${rateTimestamp(now)}`
        if (process.stdout.isTTY) perPage = interfacesPerPage(process.stdout.rows)
        if (perPage === 0) return RATE_TOO_SMALL
        const shown = current.slice(skip, skip + perPage)
        return `${RATE_TITLE}${rateListHeader()}${shown.map(rateListLine).join('')}${RATE_KEYS}${rateTimestamp(now)}`
      }
      const onKey = (key: string) => {
        if (!listing || !Number.isFinite(perPage)) return
        if (key === 'j') skip += perPage
        if (key === 'k') skip = Math.max(0, skip - perPage)
      }
      await runLive({sample, onKey}, {...settings, output: process.stdout, input: process.stdin})
      return 'ok'
    })
  }

  private async list(client: KsyncClient, core: number | undefined): Promise<Outcome> {
    const out = this.json || this.table ? this.objects() : undefined
    if (!out) this.write(VIF_LEGEND)
    const options = this.renderOptions(core)
    for await (const o of client.dump(codec.defaults('vr_interface_req', {h_op: SandeshOp.DUMP, vifr_core: core === undefined ? 0 : core + 1}))) {
      if (o.name !== 'vr_interface_req') continue
      if (out) out.push(vifJson(o.fields))
      else this.write(vifBlock(o.fields, options))
    }
    out?.end()
    return 'ok'
  }

  private async getOne(client: KsyncClient, idx: number, core: number | undefined): Promise<Outcome> {
    const structured = this.json || this.table
    if (!structured) this.write(VIF_LEGEND)
    const withDrops = this.has('get-drop-stats')
    const reply = await client.request(codec.defaults('vr_interface_req', {h_op: SandeshOp.GET, vifr_idx: idx, vifr_os_idx: -1, vifr_core: core === undefined ? 0 : core + 1, vifr_flags: withDrops ? 1 : 0}))
    const vif = reply.find((o): o is SandeshObject<'vr_interface_req'> => o.name === 'vr_interface_req')
    const drops = reply.find((o): o is SandeshObject<'vr_drop_stats_req'> => o.name === 'vr_drop_stats_req')
    if (!vif) return 'ok'
    // A service interface's VLAN to VRF assignments, as the stock tool asks for them after the interface.
    const assignments: {vlan: number; vrf: number}[] = []
    const readAssignments = async () => {
      for await (const a of client.dump(codec.defaults('vr_vrf_assign_req', {h_op: SandeshOp.DUMP, var_vif_index: idx}))) {
        const f = (a as SandeshObject<'vr_vrf_assign_req'>).fields
        assignments.push({vlan: f.var_vlan_id, vrf: f.var_vif_vrf})
      }
    }
    const service = (vif.fields.vifr_flags & SERVICE_IF) !== 0
    if (structured) {
      if (service) await readAssignments()
      this.objects().single({...vifJson(vif.fields), ...(drops ? {drop_stats: dropsJson(drops.fields)} : {}), ...(service ? {vrf_assign: assignments} : {})})
      return 'ok'
    }
    this.write(vifBlock(vif.fields, this.renderOptions(core)))
    if (drops) this.write(dropBlock(drops.fields, {core, dpdk: this.platform() !== 'kernel'}))
    if (service) {
      await readAssignments()
      this.write(`VRF table(vlan:vrf):\n${assignments.map((a) => `${a.vlan}:${a.vrf}, `).join('')}${this.fixed('vrf-assign-newline') ? '\n' : ''}`)
    }
    return 'ok'
  }

  /** Runs with a connection; the stock tool's message when there is none. */
  private async withClient(work: (client: KsyncClient) => Promise<Outcome>): Promise<Outcome> {
    let client: KsyncClient
    try {
      client = await this.connect()
    } catch (error) {
      if (!(error instanceof TransportError)) throw error
      const errno = SOCKET_ERRNO[error.errno ?? ''] ?? 2
      const name = errnoName(errno)
      this.write(`Error registering NetLink client: ${name ? STRERROR[name] : error.message} (${errno})\n`)
      return 'no-connection'
    }
    try {
      return await work(client)
    } finally {
      client.close()
    }
  }

  private invalid(context: string): Outcome {
    this.write(`Invalid arguments for ${context} \n`)
    return 'usage'
  }
}
