import {type Parsed, strtol} from '../cli/legacy/getopt.js'
import {LegacyTool, type Outcome} from '../cli/legacy/tool.js'
import {STRERROR, errnoName} from '../lib/errors.js'
import type {KsyncClient} from '../lib/ksync/client.js'
import {dropBlock} from '../lib/render/drops.js'
import {stringifyJson} from '../lib/render/json.js'
import {VIF_LEGEND, VIF_USAGE, vifBlock, vifClearMessage, vifJson} from '../lib/render/vif.js'
import {codecFor} from '../lib/sandesh/codec.js'
import type {MessageName, SandeshObject} from '../lib/sandesh/schema.js'
import {SandeshOp} from '../lib/sandesh/types.js'
import {interfaceName} from '../lib/transport/ifname.js'
import {TransportError} from '../lib/transport/endpoint.js'

const SERVICE_IF = 0x4
/** Options of the stock tool this version does not carry out yet (recognised, so that abbreviations resolve as in the stock tool). */
const NOT_YET = ['add', 'create', 'rate'] as const
const SOCKET_ERRNO: Record<string, number> = {ENOENT: 2, ECONNREFUSED: 111, EACCES: 13}

const blank = <N extends MessageName>(name: N, fields: object): SandeshObject<N> => {
  const o = codecFor('current').defaults(name)
  Object.assign(o.fields, fields)
  return o
}

export default class Vif extends LegacyTool {
  static override summary = 'Interfaces of the forwarding plane, as the stock `vif` tool (same options, same output)'

  static override description = `vif --list | --get N [--core C] [--get-drop-stats] | --delete N|NAME | --set N --vlan V --vrf R
    | --clear [--id N] [--core C] [--sock-dir DIR]

Byte-compatible with the stock tool (legend, blocks, DPDK and vtest counter lines, quirks). Additions: --json,
--socket PATH, --platform P, and exit statuses that tell the truth (0 done, 2 usage, 3 the forwarding plane
refused, 4 no forwarding plane); --legacy-exit gives the stock ones (0, and 244 when it cannot connect).
Not yet: --add, --create, --rate.`

  static override examples = ['<%= config.bin %> vif --list --sock-dir /tmp/vr', '<%= config.bin %> vif --get 3 --get-drop-stats', '<%= config.bin %> vif --list --json']

  protected readonly tool = 'vif'
  protected readonly usageText = VIF_USAGE
  protected readonly legacyExits = {ok: 0, help: 0, usage: 0, 'vrouter-error': 0, 'no-connection': 244}
  protected readonly options = {
    long: [
      ...['list', 'kernel', 'rate', 'get-drop-stats', 'policy', 'vhost-phys', 'dhcp-enable', 'pmd', 'pci', 'clear', 'help'].map((name) => ({name, arg: 'none' as const, id: name})),
      ...['get', 'core', 'add', 'create', 'mac', 'vrf', 'type', 'transport', 'xconnect', 'vif', 'id', 'delete', 'set', 'vlan', 'sock-dir'].map((name) => ({name, arg: 'required' as const, id: name})),
    ],
    short: 'ba:c:d:g:klm:t:T:v:p:C:DPi:s:',
    shortIds: {b: 'list', a: 'add', c: 'create', d: 'delete', g: 'get', k: 'kernel', l: 'list', m: 'mac', t: 'type', T: 'transport', v: 'vrf', p: 'policy', C: 'core', D: 'pmd', P: 'pci', i: 'short-id', s: 'sock-dir'},
  }

  protected async execute(parsed: Parsed): Promise<Outcome> {
    if (parsed.errors.length > 0) return this.usage()
    const seen = new Set(parsed.options.map((o) => o.id).filter((id) => !['sock-dir', 'json', 'legacy-exit', 'socket', 'platform'].includes(id)))
    if (seen.size === 0 || seen.has('help')) return seen.has('help') ? this.help() : this.usage()
    const notYet = NOT_YET.find((o) => seen.has(o))
    if (notYet) {
      process.stderr.write(`vif: --${notYet} is not supported by this version of vrouter-utils yet\n`)
      return 'usage'
    }
    // The stock tool's -i always fails its number check.
    if (seen.has('short-id')) return this.invalid('vif add --id')
    const core = seen.has('core') ? strtol(this.value('core')!).value : undefined
    const digits = (text: string | undefined) => text !== undefined && /^\d+$/.test(text)
    if (seen.has('get')) {
      if (![...seen].every((o) => ['get', 'kernel', 'core', 'rate', 'get-drop-stats'].includes(o))) return this.usage()
      if (!digits(this.value('get'))) return this.invalid('vif --get')
      return this.withClient((c) => this.getOne(c, Number(this.value('get')), core))
    }
    if (seen.has('list')) {
      if (![...seen].every((o) => ['list', 'core', 'rate'].includes(o))) return this.usage()
      return this.withClient((c) => this.list(c, core))
    }
    if (seen.has('delete')) {
      if (seen.size !== 1) return this.usage()
      const target = this.value('delete')!
      const byIndex = /^\d/.test(target)
      return this.withClient(async (c) => {
        await c.request(blank('vr_interface_req', {h_op: SandeshOp.DEL, vifr_name: byIndex ? '' : target, vifr_idx: byIndex ? Number.parseInt(target, 10) : -1}))
        return 'ok'
      })
    }
    if (seen.has('set')) {
      if (seen.size !== 3 || !seen.has('vlan') || !seen.has('vrf')) return this.usage()
      if (!digits(this.value('set'))) return this.invalid('vif --set')
      if (!digits(this.value('vlan'))) return this.invalid('vif set --vlan')
      if (!digits(this.value('vrf'))) return this.invalid('vif set --vrf')
      const idx = Number(this.value('set'))
      return this.withClient(async (c) => {
        await c.request(blank('vr_interface_req', {h_op: SandeshOp.ADD, vifr_idx: idx, vifr_mac: new Uint8Array(6), vifr_vrf: -1, vifr_mcast_vrf: 65535, vifr_flags: SERVICE_IF}))
        await c.request(blank('vr_vrf_assign_req', {h_op: SandeshOp.ADD, var_vif_index: idx, var_vif_vrf: Number(this.value('vrf')), var_vlan_id: Number(this.value('vlan'))}))
        return 'ok'
      })
    }
    if (seen.has('clear')) {
      if (![...seen].every((o) => ['clear', 'core', 'id'].includes(o))) return this.usage()
      if (seen.has('id') && !digits(this.value('id'))) return this.invalid('vif add --id')
      const idx = seen.has('id') ? Number(this.value('id')) : -1
      return this.withClient(async (c) => {
        const [, echo] = await c.request(blank('vr_interface_req', {h_op: SandeshOp.RESET, vifr_idx: idx, vifr_core: core === undefined ? 0 : core + 1}))
        if (echo) this.write(vifClearMessage((echo as SandeshObject<'vr_interface_req'>).fields, idx !== -1))
        return 'ok'
      })
    }
    return this.usage()
  }

  private renderOptions(core: number | undefined) {
    const platform = this.platform()
    return {dpdk: platform !== 'kernel', dpdkProper: platform === 'dpdk' || platform === 'nic', core, ifname: interfaceName}
  }

  private async list(client: KsyncClient, core: number | undefined): Promise<Outcome> {
    if (!this.json) this.write(VIF_LEGEND)
    const options = this.renderOptions(core)
    const all: unknown[] = []
    for await (const o of client.dump(blank('vr_interface_req', {h_op: SandeshOp.DUMP, vifr_core: core === undefined ? 0 : core + 1}))) {
      if (o.name !== 'vr_interface_req') continue
      if (this.json) all.push(vifJson(o.fields))
      else this.write(vifBlock(o.fields, options))
    }
    if (this.json) this.write(`${stringifyJson(all)}\n`)
    return 'ok'
  }

  private async getOne(client: KsyncClient, idx: number, core: number | undefined): Promise<Outcome> {
    if (!this.json) this.write(VIF_LEGEND)
    const withDrops = this.has('get-drop-stats')
    const reply = await client.request(blank('vr_interface_req', {h_op: SandeshOp.GET, vifr_idx: idx, vifr_os_idx: -1, vifr_core: core === undefined ? 0 : core + 1, vifr_flags: withDrops ? 1 : 0}))
    const vif = reply.find((o): o is SandeshObject<'vr_interface_req'> => o.name === 'vr_interface_req')
    const drops = reply.find((o): o is SandeshObject<'vr_drop_stats_req'> => o.name === 'vr_drop_stats_req')
    if (!vif) return 'ok'
    if (this.json) {
      this.write(`${stringifyJson({...vifJson(vif.fields), ...(drops ? {drop_stats: drops.fields} : {})})}\n`)
      return 'ok'
    }
    this.write(vifBlock(vif.fields, this.renderOptions(core)))
    if (drops) this.write(dropBlock(drops.fields, {core, dpdk: this.platform() !== 'kernel'}))
    if (vif.fields.vifr_flags & SERVICE_IF) {
      let text = 'VRF table(vlan:vrf):\n'
      for await (const a of client.dump(blank('vr_vrf_assign_req', {h_op: SandeshOp.DUMP, var_vif_index: idx}))) {
        const f = (a as SandeshObject<'vr_vrf_assign_req'>).fields
        text += `${f.var_vlan_id}:${f.var_vif_vrf}, `
      }
      this.write(text)
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
