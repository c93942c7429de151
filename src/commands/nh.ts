import {type Parsed, strtol} from '../cli/legacy/getopt.js'
import {LegacyTool, type Outcome} from '../cli/legacy/tool.js'
import type {KsyncClient} from '../lib/ksync/client.js'
import {JsonArrayWriter} from '../lib/render/json.js'
import {NH_USAGE, nhBlock, nhJson} from '../lib/render/nh.js'
import {codecFor} from '../lib/sandesh/codec.js'
import type {SandeshObject} from '../lib/sandesh/schema.js'
import {SandeshOp} from '../lib/sandesh/types.js'

const NONE = ['list', 'udp', 'vxlan', 'pbb', 'ind', 'pol', 'rpol', 'l2', 'root', 'rlkup', 'ml', 'mc', 'cmc', 'cfa', 'cen', 'cevpn', 'tor', 'ecmp', 'uucf', 'help', 'cmd']
const REQUIRED = ['get', 'create', 'delete', 'type', 'vrf', 'oif', 'smac', 'dmac', 'sip', 'dip', 'sport', 'dport', 'l3_vxlan', 'cni', 'lbl', 'sock-dir']
const COMPOSITE = 6
const INDIRECT = 0x400000

export default class Nh extends LegacyTool {
  static override summary = 'Next hops of the forwarding plane, as the stock `nh` tool (same options, same output)'

  static override description = `nh --list | --get <id> | --delete <id> [--sock-dir DIR]

Byte-compatible with the stock tool; --get also shows the members of a composite (and the direct next hop of
an indirect one), recursively, as the stock tool does. Additions: --json, --socket PATH, --platform P, and exit
statuses that tell the truth (0 done, 2 usage, 3 the forwarding plane refused, 4 no forwarding plane);
--legacy-exit gives the stock ones (234 usage, 1 no connection, 0 otherwise). Not yet: --create.`

  static override examples = ['<%= config.bin %> nh --list --sock-dir /tmp/vr', '<%= config.bin %> nh --get 40', '<%= config.bin %> nh --list --json']

  protected readonly tool = 'nh'
  protected readonly usageText = NH_USAGE
  protected readonly legacyExits = {ok: 0, help: 234, usage: 234, 'vrouter-error': 0, 'no-connection': 1}
  protected readonly options = {
    long: [...NONE.map((name) => ({name, arg: 'none' as const, id: name})), ...REQUIRED.map((name) => ({name, arg: 'required' as const, id: name}))],
    short: '',
    shortIds: {},
  }

  protected async execute(parsed: Parsed): Promise<Outcome> {
    if (parsed.errors.length > 0) return this.usage()
    const seen = new Set(parsed.options.map((o) => o.id).filter((id) => !['sock-dir', 'json', 'legacy-exit', 'socket', 'platform'].includes(id)))
    if (seen.has('help')) return this.help()
    if (seen.has('create')) {
      process.stderr.write('nh: --create is not supported by this version of vrouter-utils yet\n')
      return 'usage'
    }
    // Priority: delete > get > list; any other option makes the request invalid.
    const verb = (['delete', 'get', 'list'] as const).find((v) => seen.has(v))
    if (!verb || seen.size !== 1) return this.usage()
    const client = await this.connect()
    try {
      const request = codecFor('current').defaults('vr_nexthop_req')
      if (verb === 'delete') {
        Object.assign(request.fields, {h_op: SandeshOp.DEL, nhr_id: strtol(this.value('delete')!).value})
        await client.request(request)
        return 'ok'
      }
      const array = new JsonArrayWriter((text) => this.write(text))
      const show = (o: SandeshObject<'vr_nexthop_req'>) => (this.json ? array.push(nhJson(o.fields)) : this.write(nhBlock(o.fields)))
      if (verb === 'list') {
        request.fields.h_op = SandeshOp.DUMP
        for await (const o of client.dump(request)) show(o as SandeshObject<'vr_nexthop_req'>)
      } else {
        await this.getRecursively(client, strtol(this.value('get')!).value, show)
      }
      if (this.json) array.end()
      return 'ok'
    } finally {
      client.close()
    }
  }

  /** A next hop, then (depth first) each member of a composite and the direct next hop of an indirect one. */
  private async getRecursively(client: KsyncClient, id: number, show: (o: SandeshObject<'vr_nexthop_req'>) => void): Promise<void> {
    const request = codecFor('current').defaults('vr_nexthop_req')
    Object.assign(request.fields, {h_op: SandeshOp.GET, nhr_id: id})
    const nh = await client.get(request)
    show(nh)
    const members = nh.fields.nhr_type === COMPOSITE ? nh.fields.nhr_nh_list.filter((m) => m !== -1) : nh.fields.nhr_flags & INDIRECT ? nh.fields.nhr_nh_list.slice(0, 1) : []
    for (const member of members) await this.getRecursively(client, member, show)
  }
}
