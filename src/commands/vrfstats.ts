import {LegacyTool, type Outcome} from '../cli/legacy/tool.js'
import {type Parsed, strtol} from '../cli/legacy/getopt.js'
import {VRFSTATS_USAGE, vrfStatsBlock, vrfStatsJson} from '../lib/render/vrfstats.js'
import {codecFor} from '../lib/sandesh/codec.js'
import type {SandeshObject} from '../lib/sandesh/schema.js'
import {SandeshOp} from '../lib/sandesh/types.js'
import {AF_INET} from '../lib/model/constants.js'


export default class Vrfstats extends LegacyTool {
  static override summary = 'Per-VRF packet counters, as the stock `vrfstats` tool (same options, same output)'

  static override description = `vrfstats --get <vrf> | --dump

Byte-compatible with the stock tool (long options only; like it, no --sock-dir: use --socket PATH to reach an
emulator). Additions: --json, --socket PATH, --platform P, and exit statuses that tell the truth (0 done, 2 usage,
3 the forwarding plane refused, 4 no forwarding plane); --legacy-exit gives the stock ones (234 for usage,
1 for no connection, 0 otherwise).`

  static override examples = ['<%= config.bin %> vrfstats --dump', '<%= config.bin %> vrfstats --get 2 --json', '<%= config.bin %> vrfstats --dump --socket /tmp/vr/dpdk_netlink']

  protected readonly tool = 'vrfstats'
  protected readonly usageText = VRFSTATS_USAGE
  // Usage ends in exit(-EINVAL): 234.
  protected readonly legacyExits = {ok: 0, help: 234, usage: 234, 'vrouter-error': 0, 'no-connection': 1}
  protected readonly options = {
    long: [
      {name: 'get', arg: 'required', id: 'get'},
      {name: 'dump', arg: 'none', id: 'dump'},
      {name: 'help', arg: 'none', id: 'help'},
    ] as const,
    short: '',
    shortIds: {},
  }

  protected async execute(parsed: Parsed): Promise<Outcome> {
    // Options act in order: a bad one or --help ends the run at once.
    for (const o of parsed.options) {
      if (o.id === '?') return this.usage()
      if (o.id === 'help') return this.help()
    }
    const get = this.has('get')
    if (get === this.has('dump')) return this.usage()
    const request = codecFor('current').defaults('vr_vrf_stats_req', {h_op: get ? SandeshOp.GET : SandeshOp.DUMP, vsr_family: AF_INET, vsr_vrf: get ? strtol(this.value('get')!).value | 0 : 0})
    const client = await this.connect()
    try {
      const fieldsOf = (o: SandeshObject) => (o as SandeshObject<'vr_vrf_stats_req'>).fields
      const structured = this.json || this.table
      if (get) {
        const fields = fieldsOf(await client.get(request))
        if (structured) this.objects().single(vrfStatsJson(fields))
        else this.write(vrfStatsBlock(fields))
        return 'ok'
      }
      const out = structured ? this.objects() : undefined
      for await (const o of client.dump(request)) {
        if (out) out.push(vrfStatsJson(fieldsOf(o)))
        else this.write(vrfStatsBlock(fieldsOf(o)))
      }
      out?.end()
      return 'ok'
    } finally {
      client.close()
    }
  }
}
