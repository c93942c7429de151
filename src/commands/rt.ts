import {type Parsed, strtol} from '../cli/legacy/getopt.js'
import {LegacyTool, type Outcome} from '../cli/legacy/tool.js'
import {parseIpv4, parseIpv6} from '../lib/model/addresses.js'
import {JsonArrayWriter, stringifyJson} from '../lib/render/json.js'
import {RT_USAGE, maskedTo, routeAddress, rtHeader, rtJson, rtLine} from '../lib/render/rt.js'
import {codecFor} from '../lib/sandesh/codec.js'
import type {SandeshObject} from '../lib/sandesh/schema.js'
import {SandeshOp} from '../lib/sandesh/types.js'
import {AF_INET, AF_INET6} from '../lib/model/constants.js'


export default class Rt extends LegacyTool {
  static override summary = 'Route tables of the forwarding plane, as the stock `rt` tool (same options, same output)'

  static override description = `rt --dump <vrf> [--family inet|inet6] | --get <address/plen> --vrf <vrf> [--family inet|inet6]
   [--sock-dir DIR]

Byte-compatible with the stock tool: --dump lists the leaves of the route trie, as the forwarding plane
returns them (a VRF with one route prints hundreds of lines; PPL is the length of the route that covers each
leaf). Additions: --json, --socket PATH, --platform P, and exit statuses that tell the truth (0 done,
2 usage, 3 the forwarding plane refused, 4 no forwarding plane); --legacy-exit gives the stock ones (1 usage
and no connection, 0 otherwise). Not yet: --family bridge (shared memory), --monitor, the -c/-d route
programming options.`

  static override examples = ['<%= config.bin %> rt --dump 2 --sock-dir /tmp/vr', '<%= config.bin %> rt --get 10.1.2.77/32 --vrf 2', '<%= config.bin %> rt --dump 2 --family inet6 --json']

  protected readonly tool = 'rt'
  protected readonly usageText = RT_USAGE
  protected readonly legacyExits = {ok: 0, help: 1, usage: 1, 'vrouter-error': 0, 'no-connection': 1}
  protected readonly options = {
    long: [
      {name: 'dump', arg: 'required', id: 'dump'},
      {name: 'family', arg: 'required', id: 'family'},
      {name: 'get', arg: 'required', id: 'get'},
      {name: 'vrf', arg: 'required', id: 'vrf'},
      {name: 'monitor', arg: 'none', id: 'monitor'},
      {name: 'sock-dir', arg: 'required', id: 'sock-dir'},
      {name: 'help', arg: 'none', id: 'help'},
      {name: 'cmd', arg: 'none', id: 'cmd'},
    ] as const,
    short: 'TcdbmPM:n:p:l:v:t:s:e:f:u:r:Fx:',
    shortIds: {u: 'sock-dir', v: 'vrf'},
  }

  protected async execute(parsed: Parsed): Promise<Outcome> {
    if (parsed.errors.length > 0) return this.usage()
    if (this.has('help')) return this.help()
    const unsupported = ['monitor', 'cmd', 'c', 'd', 'b'].find((o) => this.has(o))
    if (unsupported) {
      process.stderr.write(`rt: ${unsupported.length === 1 ? `-${unsupported}` : `--${unsupported}`} is not supported by this version of vrouter-utils yet\n`)
      return 'usage'
    }
    const familyText = this.value('family') ?? 'inet'
    const family = familyText.startsWith('inet6') ? 'inet6' : familyText.startsWith('inet') ? 'inet' : familyText.startsWith('bridge') ? 'bridge' : undefined
    if (!family) return this.usage()
    if (family === 'bridge') {
      process.stderr.write('rt: --family bridge reads the bridge table from shared memory, which this version does not do yet\n')
      return 'usage'
    }
    if (this.has('dump')) return this.dump(strtol(this.value('dump')!).value, family)
    if (this.has('get') && this.has('vrf')) return this.getRoute(this.value('get')!, strtol(this.value('vrf')!).value, family)
    return this.usage()
  }

  private async dump(vrf: number, family: 'inet' | 'inet6'): Promise<Outcome> {
    if (vrf < 0) return this.usage()
    const request = codecFor('current').defaults('vr_route_req')
    Object.assign(request.fields, {h_op: SandeshOp.DUMP, rtr_vrf_id: vrf, rtr_family: family === 'inet' ? AF_INET : AF_INET6})
    const client = await this.connect()
    try {
      if (!this.json) this.write(rtHeader(family, vrf))
      // Written as it comes, in large chunks: a trie dump can be millions of lines.
      let text = ''
      const flush = (s: string) => {
        text += s
        if (text.length > 65536) {
          this.write(text)
          text = ''
        }
      }
      const array = new JsonArrayWriter(flush)
      for await (const o of client.dump(request)) {
        const r = (o as SandeshObject<'vr_route_req'>).fields
        if (this.json) array.push(rtJson(r))
        else flush(rtLine(r))
      }
      if (this.json) array.end()
      this.write(text)
      return 'ok'
    } finally {
      client.close()
    }
  }

  private async getRoute(argument: string, vrf: number, family: 'inet' | 'inet6'): Promise<Outcome> {
    const [addressText, plenText] = argument.split(/\/(.*)/s).map((s) => s.trim())
    const valid = family === 'inet' ? /^[\d.*]+$/.test(addressText) && addressText.split('.').length === 4 : /^[\da-zA-Z:]+$/.test(addressText)
    if (!valid) {
      this.write(`match: "${addressText}" is not a valid ${family === 'inet' ? 'ipv4' : 'ipv6'} address format\n`)
      return this.usage()
    }
    const address = family === 'inet' ? parseIpv4(addressText) : parseIpv6(addressText)
    if (!address) {
      this.write(`validate_options: inet_pton fails for ${addressText}\n`)
      return 'usage'
    }
    if (plenText === undefined) return this.usage()
    const plen = strtol(plenText).value
    const masked = maskedTo(address, plen)
    if (!this.json) this.write(`Match ${routeAddress(masked)}/${plen} in vRouter ${family === 'inet' ? 'inet4' : 'inet6'} table 0/${vrf}/unicast\n\n`)
    const request = codecFor('current').defaults('vr_route_req')
    Object.assign(request.fields, {
      h_op: SandeshOp.GET,
      rtr_vrf_id: vrf,
      rtr_family: family === 'inet' ? AF_INET : AF_INET6,
      rtr_prefix: masked,
      rtr_prefix_len: plen,
      rtr_label_flags: 1,
    })
    const client = await this.connect()
    try {
      const reply = (await client.get(request)).fields
      const shown = maskedTo(reply.rtr_prefix, reply.rtr_prefix_len)
      this.write(this.json ? `${stringifyJson(rtJson(reply, shown))}\n` : rtHeader(family, vrf) + rtLine(reply, shown))
      return 'ok'
    } finally {
      client.close()
    }
  }
}
