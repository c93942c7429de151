import {type Parsed, strtol} from '../cli/legacy/getopt.js'
import {type RtCommand, walkRtOptions} from '../cli/legacy/rt-options.js'
import {DumpProgress} from '../cli/progress.js'
import {LegacyTool, type Outcome} from '../cli/legacy/tool.js'
import {ExtensionError} from '../cli/legacy/output.js'
import {type Network, etherAton, insideNetwork, parseIpv4, parseIpv6, parseNetwork} from '../lib/model/addresses.js'
import {
  LABEL_VALID,
  RT_COMMAND_USAGE,
  RT_USAGE,
  RouteCollapser,
  bridgeHeader,
  bridgeJson,
  bridgeLine,
  etherNtoa,
  maskedTo,
  routeAddress,
  routeNotification,
  routeNotificationLine,
  rtHeader,
  rtJson,
  rtLine,
} from '../lib/render/rt.js'
import {bridgeEntries} from '../lib/shm/flow-table.js'
import {TableError, type TableBytes, addonNotice, openTable, tableFileSize, tablePath} from '../lib/shm/table.js'
import type {KsyncClient} from '../lib/ksync/client.js'
import {codecFor} from '../lib/sandesh/codec.js'
import type {MessageFields, SandeshObject} from '../lib/sandesh/schema.js'
import {SandeshOp} from '../lib/sandesh/types.js'
import {AF_BRIDGE, AF_INET, AF_INET6} from '../lib/model/constants.js'

/** The group the stock tools join when vrouter_ops reports none (TF utils/unix_util.c). */
const DEFAULT_NOTIFICATION_GROUP = 4

export default class Rt extends LegacyTool {
  static override summary = 'Route tables of the forwarding plane, as the stock `rt` tool (same options, same output)'

  static override description = `rt --dump <vrf> [--family inet|inet6] | --get <address/plen> --vrf <vrf> [--family inet|inet6]
   | -c|-d -v <vrf> -p <prefix> -l <plen> -n <nh> [-t <label>] [-e <mac>] [-P] [-T] [-F] [-M x] [-r <plen>] [-x <hex>] [-f 0|1|2]
   [--sock-dir DIR]

Byte-compatible with the stock tool: --dump lists the leaves of the route trie, as the forwarding plane returns
them (a VRF with one route prints hundreds of lines; PPL is the length of the route that covers each leaf). The
short options program routes as the stock tool's low-level command line does (--cmd prints it): -c adds (or
replaces) a route, -d deletes one and needs -r, the length of the route that takes its place. Additions: --json,
--socket PATH, --platform P, and exit statuses that tell the truth (0 done, 2 usage, 3 the forwarding plane
refused, 4 no forwarding plane); --legacy-exit gives the stock ones (1 usage and no connection, 22 a bad address,
0 otherwise). --collapse shows the configured routes instead of the leaves, --prefix A/L only those inside a
network. --dump V --family bridge reads the bridge table from shared memory (mmap, or pread with --pread), or from
a copied table file with --file PATH. --monitor prints the kernel vRouter's route notifications (its netlink
multicast group) as the stock tool's JSON lines, for ever; --json (or --fix monitor-json) makes them standard
JSON. The DPDK vRouter sends none: on a socket the tool waits, as the stock one does.`

  static override examples = [
    '<%= config.bin %> rt --dump 2 --sock-dir /tmp/vr',
    '<%= config.bin %> rt --get 10.1.2.77/32 --vrf 2',
    '<%= config.bin %> rt --dump 2 --family inet6 --json',
    '<%= config.bin %> rt --dump 2 --prefix 10.1.0.0/16 --collapse',
    '<%= config.bin %> rt -c -v 2 -p 10.9.0.0 -l 16 -n 21 -t 40 -P',
    '<%= config.bin %> rt -d -v 2 -p 10.9.0.0 -l 16 -n 0 -r 0',
    '<%= config.bin %> rt --monitor --json',
  ]

  protected readonly tool = 'rt'
  protected override readonly fixes = {
    'rt-dump-routes': '--dump lists the configured routes (prefix/length) instead of the trie leaves; also --collapse',
    'get-no-plen': '--get takes an address without /length (a host route: /32, /128)',
    'monitor-json': '--monitor prints standard JSON (regular spacing, prefix_len for the length), as --json does',
  }
  protected readonly usageText = RT_USAGE
  protected readonly legacyExits = {ok: 0, help: 1, usage: 1, 'bad-value': 22, 'bad-input': 1, 'vrouter-error': 0, 'no-connection': 1}
  protected readonly options = {
    long: [
      {name: 'cmd', arg: 'none', id: 'cmd'},
      {name: 'dump', arg: 'required', id: 'dump'},
      {name: 'monitor', arg: 'none', id: 'monitor'},
      {name: 'family', arg: 'required', id: 'family'},
      {name: 'get', arg: 'required', id: 'get'},
      {name: 'vrf', arg: 'required', id: 'vrf'},
      {name: 'help', arg: 'none', id: 'help'},
      {name: 'sock-dir', arg: 'required', id: 'sock-dir'},
      {name: 'collapse', arg: 'none', id: 'collapse', extension: true},
      {name: 'prefix', arg: 'required', id: 'prefix', extension: true},
      {name: 'pread', arg: 'none', id: 'pread', extension: true},
      {name: 'file', arg: 'required', id: 'file', extension: true},
    ] as const,
    short: 'TcdbmPM:n:p:l:v:t:s:e:f:u:r:Fx:',
    shortIds: {u: 'sock-dir', v: 'vrf'},
  }

  protected async execute(parsed: Parsed): Promise<Outcome> {
    const walk = walkRtOptions(parsed)
    if ('fault' in walk) {
      if (walk.fault === 'help') return this.help()
      return this.usage(walk.fault === 'command-usage' ? RT_COMMAND_USAGE : RT_USAGE)
    }
    const command = walk.ok
    if (this.value('file') !== undefined && !(command.family === AF_BRIDGE && command.operation === 'dump')) {
      throw new ExtensionError('--file goes with --dump V --family bridge')
    }
    if (command.operation === 'monitor') return this.monitor()
    if (command.family === AF_BRIDGE && command.operation === 'dump') return this.dumpBridge(command.vrf)
    if (command.family === AF_BRIDGE && command.operation === 'get') return this.getBridge(command)
    const family = command.family === AF_INET ? 'inet' : 'inet6'
    if (command.operation === 'dump') return this.dump(command.vrf, family)
    if (command.operation === 'get') return this.getRoute(command, family)
    return this.program(command)
  }

  /**
   * --dump V --family bridge: the bridge table located through vr_bridge_table_data and read from shared memory
   * (every valid entry of the VRF, in slot order), as utils/rt.c does; no route DUMP is sent.
   */
  private async dumpBridge(vrf: number): Promise<Outcome> {
    if (vrf < 0) return this.usage()
    const file = this.value('file')
    let table
    if (file !== undefined) {
      // A copied table file (a support bundle, say): no forwarding plane needed; its size is the table's.
      table = this.openBridgeTable(file, tableFileSize(file))
    } else {
      const client = await this.connect()
      try {
        table = await this.bridgeTable(client)
      } finally {
        client.close()
      }
    }
    if (typeof table === 'string') return table
    try {
      const structured = this.json || this.table
      let text = structured ? '' : bridgeHeader(vrf)
      const out = structured ? this.objects((s) => (text += s)) : undefined
      for (const {index, entry} of bridgeEntries(table, vrf)) {
        if (out) out.push(bridgeJson(index, entry))
        else text += bridgeLine(index, entry)
        if (text.length > 65536) {
          this.write(text)
          text = ''
        }
      }
      out?.end()
      this.write(text)
      return 'ok'
    } catch (error) {
      if (!(error instanceof TableError)) throw error
      process.stderr.write(`rt: ${error.message}\n`)
      return 'bad-input'
    } finally {
      table.close()
    }
  }

  /** --prefix A/L: only the leaves (or, collapsed, the routes) inside that network, of the dump's family. */
  private network(family: 'inet' | 'inet6'): Network | undefined {
    const text = this.value('prefix')
    if (text === undefined) return undefined
    const network = parseNetwork(text)
    if (!network) throw new ExtensionError(`--prefix takes an address/length, not '${text}'`)
    if (network.address.length !== (family === 'inet' ? 4 : 16)) throw new ExtensionError(`--prefix ${text} is not an ${family} network`)
    return network
  }

  /**
   * --monitor, as utils/rt.c: vrouter_ops GET for the multicast group's id (0 means the default group), a new
   * connection joined to it, then a line per route notification until the connection ends.
   */
  private async monitor(): Promise<never> {
    if (this.table) throw new ExtensionError('--monitor is a stream of lines: --json makes them standard JSON, --table does not apply')
    const lookup = await this.connect()
    let group: number
    try {
      const request = codecFor('current').defaults('vrouter_ops')
      request.fields.h_op = SandeshOp.GET
      group = (await lookup.get(request)).fields.vo_genetlink_group_id || DEFAULT_NOTIFICATION_GROUP
    } finally {
      lookup.close()
    }
    const client = await this.connect({group})
    if (this.transport().transport !== 'netlink') process.stderr.write('rt: only the kernel vRouter sends route notifications; waiting, as the stock tool does (Ctrl-C stops)\n')
    const standard = this.json || this.fixed('monitor-json')
    try {
      return await client.listen((objects) => {
        let text = ''
        for (const o of objects) {
          if (o.name !== 'vr_route_req') continue
          const notification = routeNotification(o.fields as MessageFields<'vr_route_req'>)
          text += standard ? `${JSON.stringify(notification)}\n` : routeNotificationLine(notification)
        }
        if (text) this.write(text)
      })
    } finally {
      client.close()
    }
  }

  /** -c / -d: one ADD or DEL with the fields the stock tool fills, nothing printed on success. */
  private async program(command: RtCommand): Promise<Outcome> {
    const create = command.operation === 'create'
    const inet = command.family !== AF_BRIDGE
    const labelValid = command.label === -1 ? 0 : LABEL_VALID
    // A delete always carries the MAC (all zero unless -e gave one); flags are 16 bits on the wire.
    const mac = create ? command.mac : (command.mac ?? [0, 0, 0, 0, 0, 0])
    const request = codecFor('current').defaults('vr_route_req', {
      h_op: create ? SandeshOp.ADD : SandeshOp.DEL,
      rtr_vrf_id: command.vrf,
      rtr_family: command.family,
      ...(inet
        ? {rtr_prefix: command.prefix.slice(0, command.family === AF_INET ? 4 : 16), rtr_prefix_len: command.prefixLength | 0}
        : {rtr_index: -1}),
      ...(mac ? {rtr_mac: mac} : {}),
      rtr_replace_plen: command.replacePrefixLength | 0,
      rtr_label_flags: (((create ? command.flags | command.customFlags : command.flags) | labelValid) << 16) >> 16,
      rtr_label: command.label,
      rtr_nh_id: command.nexthop,
    })
    const client = await this.connect()
    try {
      await client.request(request)
      return 'ok'
    } finally {
      client.close()
    }
  }

  private async dump(vrf: number, family: 'inet' | 'inet6'): Promise<Outcome> {
    if (vrf < 0) return this.usage()
    const network = this.network(family)
    const request = codecFor('current').defaults('vr_route_req', {h_op: SandeshOp.DUMP, rtr_vrf_id: vrf, rtr_family: family === 'inet' ? AF_INET : AF_INET6})
    const client = await this.connect()
    try {
      const structured = this.json || this.table
      if (!structured) this.write(rtHeader(family, vrf))
      // Written as it comes, in large chunks: a trie dump can be millions of lines.
      let text = ''
      const flush = (s: string) => {
        text += s
        if (text.length > 65536) {
          this.write(text)
          text = ''
        }
      }
      const out = structured ? this.objects(flush) : undefined
      const show = (r: MessageFields<'vr_route_req'>) => (out ? out.push(rtJson(r)) : flush(rtLine(r)))
      const collapser = this.has('collapse') || this.fixed('rt-dump-routes') ? new RouteCollapser() : undefined
      const progress = new DumpProgress('rt: routes')
      const shown = (r: MessageFields<'vr_route_req'>) => !network || insideNetwork(r.rtr_prefix, collapser ? r.rtr_replace_plen : r.rtr_prefix_len, network)
      for await (const page of client.dumpPages(request)) {
        for (const o of page) {
          const leaf = (o as SandeshObject<'vr_route_req'>).fields
          const route = collapser ? collapser.push(leaf) : leaf
          if (route && shown(route)) show(route)
          progress.tick()
        }
      }
      const last = collapser?.end()
      if (last && shown(last)) show(last)
      out?.end()
      this.write(text)
      progress.done()
      return 'ok'
    } finally {
      client.close()
    }
  }

  /** The bridge table located through vr_bridge_table_data and opened (or how the run ends when it cannot be). */
  private async bridgeTable(client: KsyncClient): Promise<TableBytes | Outcome> {
    const request = codecFor('current').defaults('vr_bridge_table_data')
    request.fields.btable_op = SandeshOp.GET
    const data = (await client.get(request)).fields
    return this.openBridgeTable(tablePath('bridge', data.btable_file_path, data.btable_dev), data.btable_size)
  }

  /** The bridge table at `path` of `size` bytes, or the outcome of saying why it cannot be read. */
  private openBridgeTable(path: string, size: number): TableBytes | Outcome {
    try {
      const table = openTable(path, size, this.has('pread') ? 'pread' : 'auto')
      if (!table.mapped && !this.has('pread')) this.notice(addonNotice())
      return table
    } catch (error) {
      if (!(error instanceof TableError)) throw error
      if (this.json) this.writeJsonError('table', error.message, {table_error: error.kind})
      else if (error.kind === 'open') this.write(`${error.message}\n`)
      else process.stderr.write(`rt: ${error.message}\n`)
      return 'bad-input'
    }
  }

  /**
   * --get MAC --vrf V --family bridge, as utils/rt.c does it: the Match line, the bridge table located and mapped
   * (the stock tool fails there when it cannot), then a route GET by MAC whose reply is one bridge line with Stats 0.
   */
  private async getBridge(command: RtCommand): Promise<Outcome> {
    const text = command.getAddress!
    const mac = etherAton(text)
    if (!mac) {
      this.write(`validate_options: ether_aton fails on ${text}\n`)
      return 'bad-value'
    }
    const {vrf} = command
    const structured = this.json || this.table
    if (!structured) this.write(`Match ${etherNtoa(mac)} in vRouter bridge table 0/${vrf}/unicast\n\n`)
    const client = await this.connect()
    try {
      const table = await this.bridgeTable(client)
      if (typeof table === 'string') return table
      table.close()
      if (!structured) this.write(bridgeHeader(vrf))
      const request = codecFor('current').defaults('vr_route_req', {h_op: SandeshOp.GET, rtr_vrf_id: vrf, rtr_family: AF_BRIDGE, rtr_index: -1, rtr_mac: Array.from(mac), rtr_label_flags: LABEL_VALID})
      const reply = (await client.get(request)).fields
      const entry = {be_mac: reply.rtr_mac, be_vrf_id: reply.rtr_vrf_id, be_flags: reply.rtr_label_flags, be_label: reply.rtr_label, be_nh_id: reply.rtr_nh_id, be_packets: 0}
      if (structured) this.objects().single(bridgeJson(reply.rtr_index, entry))
      else this.write(bridgeLine(reply.rtr_index, entry))
      return 'ok'
    } finally {
      client.close()
    }
  }

  private async getRoute(command: RtCommand, family: 'inet' | 'inet6'): Promise<Outcome> {
    const {vrf} = command
    const addressText = command.getAddress!
    const valid = family === 'inet' ? /^[\d.*]+$/.test(addressText) && addressText.split('.').length === 4 : /^[\da-zA-Z:]+$/.test(addressText)
    if (!valid) {
      this.write(`match: "${addressText}" is not a valid ${family === 'inet' ? 'ipv4' : 'ipv6'} address format\n`)
      return this.usage()
    }
    const address = family === 'inet' ? parseIpv4(addressText) : parseIpv6(addressText)
    if (!address) {
      this.write(`validate_options: inet_pton fails for ${addressText}\n`)
      return 'bad-value'
    }
    const plenText = command.getPrefixLength ?? (this.fixed('get-no-plen') ? String(address.length * 8) : undefined)
    if (plenText === undefined) return this.usage()
    const plen = strtol(plenText).value
    const masked = maskedTo(address, plen)
    // Stock text only: under --json and --table stdout holds the objects alone.
    if (!this.json && !this.table) this.write(`Match ${routeAddress(masked)}/${plen} in vRouter ${family === 'inet' ? 'inet4' : 'inet6'} table 0/${vrf}/unicast\n\n`)
    const request = codecFor('current').defaults('vr_route_req', {
      h_op: SandeshOp.GET,
      rtr_vrf_id: vrf,
      rtr_family: family === 'inet' ? AF_INET : AF_INET6,
      rtr_prefix: masked,
      rtr_prefix_len: plen,
      rtr_label_flags: LABEL_VALID,
      // The stock tool always passes its MAC buffer: zeros unless -e gave one.
      rtr_mac: command.mac ?? [0, 0, 0, 0, 0, 0],
    })
    const client = await this.connect()
    try {
      const reply = (await client.get(request)).fields
      const shown = maskedTo(reply.rtr_prefix, reply.rtr_prefix_len)
      if (this.json || this.table) this.objects().single(rtJson(reply, shown))
      else this.write(rtHeader(family, vrf) + rtLine(reply, shown))
      return 'ok'
    } finally {
      client.close()
    }
  }
}
