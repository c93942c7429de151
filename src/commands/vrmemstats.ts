import {LegacyTool, type Outcome} from '../cli/legacy/tool.js'
import type {Parsed} from '../cli/legacy/getopt.js'
import {VRMEMSTATS_USAGE, memStatsJson, memStatsText} from '../lib/render/vrmemstats.js'
import {codecFor} from '../lib/sandesh/codec.js'
import type {SandeshObject} from '../lib/sandesh/schema.js'
import {SandeshOp} from '../lib/sandesh/types.js'

export default class Vrmemstats extends LegacyTool {
  static override summary = "The forwarding plane's memory use per object kind, as the stock `vrmemstats` tool"

  static override description = `vrmemstats [--help]

Byte-compatible with the stock tool: its --help is accepted and ignored (the statistics are printed), any other
option prints its usage ("Usage: memstats [--help]"). Like the stock tool it has no --sock-dir: --socket PATH
reaches an emulator. Additions: --json, --socket PATH, --platform P, and exit statuses that tell the truth (0 done,
2 usage, 3 the forwarding plane refused, 4 no forwarding plane); --legacy-exit gives the stock ones (234 for usage,
1 for no connection, 0 otherwise). --nonzero shows only the object kinds with something outstanding.`

  static override examples = [
    '<%= config.bin %> vrmemstats',
    '<%= config.bin %> vrmemstats --nonzero',
    '<%= config.bin %> vrmemstats --json --socket /tmp/vr/dpdk_netlink',
  ]

  protected readonly tool = 'vrmemstats'
  protected override readonly fixes = {'vrmemstats-labels': '"Mirror MetMirror Meta" spelled "Mirror Meta", and every value in one column'}
  protected readonly usageText = VRMEMSTATS_USAGE
  protected readonly legacyExits = {ok: 0, help: 234, usage: 234, 'vrouter-error': 0, 'no-connection': 1}
  protected readonly options = {
    long: [
      {name: 'help', arg: 'none', id: 'help'},
      {name: 'nonzero', arg: 'none', id: 'nonzero', extension: true},
    ] as const,
    short: '',
    shortIds: {},
  }

  protected async execute(parsed: Parsed): Promise<Outcome> {
    if (parsed.errors.length > 0) return this.usage()
    const request = codecFor('current').defaults('vr_mem_stats_req')
    request.fields.h_op = SandeshOp.GET
    const client = await this.connect()
    try {
      const fields = ((await client.get(request)) as SandeshObject<'vr_mem_stats_req'>).fields
      const options = {fixLabels: this.fixed('vrmemstats-labels'), nonzero: this.has('nonzero')}
      if (this.json || this.table) this.objects().single(memStatsJson(fields, options))
      else this.write(memStatsText(fields, options))
      return 'ok'
    } finally {
      client.close()
    }
  }
}
