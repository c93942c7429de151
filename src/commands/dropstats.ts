import {LegacyTool, type Outcome} from '../cli/legacy/tool.js'
import type {Parsed} from '../cli/legacy/getopt.js'
import {dropBlock, dropsJson, dropstatsUsage} from '../lib/render/drops.js'
import {ndjsonLine} from '../lib/render/json.js'
import {LIVE_OPTIONS, liveSettings, runLive} from '../cli/live.js'
import {codecFor} from '../lib/sandesh/codec.js'
import type {MessageFields, SandeshObject} from '../lib/sandesh/schema.js'
import {SandeshOp} from '../lib/sandesh/types.js'
import {u64Text} from '../lib/model/numbers.js'

export default class Dropstats extends LegacyTool {
  static override summary = 'The forwarding plane\'s drop counters, as the stock `dropstats` tool (same options, same output)'

  static override description = `dropstats [--core N] [--clear] [--debug] [--sock-dir DIR]

Byte-compatible with the stock tool: every counter that is not zero, in the stock order. Additions: --json
(every counter, zeros included), --all (print zero counters too), --socket PATH, --platform P, and exit
statuses that tell the truth (0 done, 2 usage, 3 the forwarding plane refused, 4 no forwarding plane);
--legacy-exit gives the stock ones (234 usage, 255 no connection, 0 otherwise). Not yet: the drop log
(--log, --show, --drop-type, --clear-drop-log, --min-log) and --offload.`

  static override examples = ['<%= config.bin %> dropstats --sock-dir /tmp/vr', '<%= config.bin %> dropstats --core 0', '<%= config.bin %> dropstats --json']

  protected readonly tool = 'dropstats'
  /** The stock usage, which advertises --offload when the agent config enables offloads. */
  protected get usageText(): string {
    return dropstatsUsage(this.offloadEnabled())
  }
  protected readonly legacyExits = {ok: 0, help: 234, usage: 234, 'vrouter-error': 0, 'no-connection': 255}
  protected readonly options = {
    long: [
      {name: 'help', arg: 'none', id: 'help'},
      {name: 'core', arg: 'required', id: 'core'},
      {name: 'clear', arg: 'none', id: 'clear'},
      {name: 'debug', arg: 'none', id: 'debug'},
      {name: 'sock-dir', arg: 'required', id: 'sock-dir'},
      {name: 'all', arg: 'none', id: 'all', extension: true},
      {name: 'watch', arg: 'required', id: 'watch', extension: true},
      ...LIVE_OPTIONS,
    ] as const,
    // The stock short-option string: -h takes an argument (and then prints the usage anyway).
    short: 'h:c:s:',
    shortIds: {h: 'help', c: 'core', s: 'sock-dir'},
  }

  protected async execute(parsed: Parsed): Promise<Outcome> {
    if (parsed.errors.length > 0) return this.usage()
    if (this.has('help')) return this.help()
    const coreText = this.value('core')
    let core: number | undefined
    if (coreText !== undefined) {
      if (!/^\s*\d+$/.test(coreText)) {
        this.write(`Invalid argument ${coreText}\n`)
        return this.usage()
      }
      core = Number(coreText)
    }
    // A stock quirk: --clear counts only as the last long option given.
    const longs = parsed.options.filter((o) => o.long && !o.extension)
    const clear = longs.at(-1)?.id === 'clear'
    const request = codecFor('current').defaults('vr_drop_stats_req')
    request.fields.h_op = clear ? SandeshOp.RESET : SandeshOp.GET
    request.fields.vds_core = core === undefined ? 0 : core + 1
    const watch = this.value('watch')
    const live = watch === undefined ? undefined : liveSettings(this.value('count'), watch, 1)
    if (typeof live === 'string') {
      process.stderr.write(`dropstats: ${live.replace('--interval', '--watch')}\n`)
      return 'usage'
    }
    const client = await this.connect()
    try {
      const fetch = async () => ((await client.request(request)) as [unknown, SandeshObject<'vr_drop_stats_req'> | undefined])[1]
      if (live && !clear) {
        const sample = async () => {
          const reply = await fetch()
          const time = new Date()
          if (this.json) return ndjsonLine({time: time.toISOString(), ...(core === undefined ? {} : {core}), counters: reply ? dropsJson(reply.fields) : {}})
          return `${time.toISOString()}\n${reply ? this.report(reply.fields, core) : ''}`
        }
        await runLive({sample}, {...live, output: process.stdout, input: process.stdin})
        return 'ok'
      }
      const reply = await fetch()
      if (clear) {
        this.write('\nDropstats counters cleared successfully on all cores \n\n')
        return 'ok'
      }
      if (!reply) return 'ok'
      if (this.json || this.table) this.objects().single({...(core === undefined ? {} : {core}), counters: dropsJson(reply.fields)})
      else this.write(this.report(reply.fields, core))
      return 'ok'
    } finally {
      client.close()
    }
  }

  /** The stock text of the counters (--debug: only the cloned-original counter). */
  private report(fields: MessageFields<'vr_drop_stats_req'>, core: number | undefined): string {
    if (this.has('debug')) return `${'Cloned Original'.padEnd(30)}${u64Text(fields.vds_cloned_original)}\n`
    // With --core the tool and the shared printer each say which core (the line comes twice).
    const dpdk = this.platform() !== 'kernel'
    return (core === undefined ? '' : `Statistics for core ${core}\n\n`) + dropBlock(fields, {core, dpdk, all: this.has('all')})
  }
}
