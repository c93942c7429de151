import {LegacyTool, type Outcome} from '../cli/legacy/tool.js'
import type {Parsed} from '../cli/legacy/getopt.js'
import {dropBlock, dropsJson, dropstatsUsage} from '../lib/render/drops.js'
import {
  dropLogDisabled,
  dropLogEntryJson,
  dropLogJson,
  dropLogPage,
  dropTypeConflict,
  dropTypeHelp,
  dropTypeSet,
  shownRecords,
} from '../lib/render/droplog.js'
import {ndjsonLine} from '../lib/render/json.js'
import {LIVE_OPTIONS, liveSettings, runLive} from '../cli/live.js'
import {VrouterError} from '../lib/errors.js'
import type {KsyncClient} from '../lib/ksync/client.js'
import {DROP_REASONS, VP_DROP_MAX, dropReasonValue} from '../lib/model/constants.js'
import {DROP_LOG_PAGE, type DropLogRecord, decodeDropLog} from '../lib/model/droplog.js'
import {u64Text} from '../lib/model/numbers.js'
import {codecFor} from '../lib/sandesh/codec.js'
import type {MessageFields, SandeshObject} from '../lib/sandesh/schema.js'
import {SandeshOp} from '../lib/sandesh/types.js'

/** The stock tool's `core`, an unsigned int: -1 (every core), -2 (NIC offloads), or a core number. */
const ALL_CORES = 0xffffffff
const OFFLOADS = 0xfffffffe
/** A 16-bit field of the request (vds_core, vdl_core, vdl_log_idx) takes the C int's low bits. */
const i16 = (n: number) => (n << 16) >> 16

/** utils/dropstats.c is_valid_num: spaces, then digits only (none at all is 0), as a wrapping C int. */
function validNumber(text: string): number | undefined {
  let i = 0
  while (text[i] === ' ') i++
  let n = 0
  for (; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48
    if (digit < 0 || digit > 9) return undefined
    n = (Math.imul(n, 10) + digit) | 0
  }
  return n
}

/** A drop type by name, as parse_log_type takes it: VP_DROP_DISCARD … VP_DROP_MAX. */
function logType(name: string): number | undefined {
  const value = dropReasonValue(name)
  return value === undefined || value < 1 ? undefined : value
}

type LogReply = MessageFields<'vr_pkt_drop_log_req'>

/** Where the walk of the drop log puts what it finds. */
interface LogSink {
  page(reply: LogReply, records: DropLogRecord[]): void
  /** The forwarding plane logs another drop type than the one asked for. */
  conflict(reply: LogReply): void
  disabled(reply: LogReply): void
}

/**
 * The stock tool's walk of the drop log (utils/dropstats.c pkt_drop_log_req_process): each reply asks, from within
 * its own handling, for the next page of its core (a page at a time, one more past the end when the ring is not a
 * whole number of pages), and when core 0 ("all") was asked for, for the next core — counting with the tool's `core`
 * variable, which the --log (or --core) value set. The state is the stock tool's statics.
 */
class DropLogWalk {
  private statsIndex = 0
  private allCores = false
  private lastBuffer = false

  constructor(
    private readonly client: KsyncClient,
    private core: number,
    private readonly show: number,
    private readonly sink: LogSink,
  ) {}

  async fetch(core: number, index: number): Promise<void> {
    const request = codecFor('current').defaults('vr_pkt_drop_log_req', {h_op: SandeshOp.GET, vdl_core: i16(core), vdl_log_idx: i16(index)})
    for (const reply of (await this.client.request(request)).slice(1)) {
      if (reply.name === 'vr_pkt_drop_log_req') await this.process((reply as SandeshObject<'vr_pkt_drop_log_req'>).fields)
    }
  }

  private async process(r: LogReply): Promise<void> {
    const type = r.vdl_pkt_droplog_type
    if (type !== this.show && this.show !== VP_DROP_MAX && type > 0 && type < VP_DROP_MAX) return this.sink.conflict(r)
    if (r.vdl_pkt_droplog_sysctl_en !== 1 || r.vdl_pkt_droplog_en !== 1) return this.sink.disabled(r)
    this.sink.page(r, decodeDropLog(r.vdl_pkt_droplog_arr))
    const size = r.vdl_pkt_droplog_max_bufsz
    if (size > DROP_LOG_PAGE) {
      if (r.vdl_log_idx < size - DROP_LOG_PAGE) {
        this.statsIndex = r.vdl_log_idx + DROP_LOG_PAGE
        await this.fetch(r.vdl_core, this.statsIndex)
      } else if (size % DROP_LOG_PAGE !== 0 && !this.lastBuffer) {
        this.statsIndex = r.vdl_log_idx + DROP_LOG_PAGE
        this.lastBuffer = true
        await this.fetch(r.vdl_core, this.statsIndex)
      } else {
        this.lastBuffer = false
        this.statsIndex = 0
      }
    }
    if (r.vdl_core === 0 || this.allCores) {
      this.core = (this.core + 1) >>> 0
      this.allCores = this.core < r.vdl_max_num_cores >>> 0
      if (this.allCores) await this.fetch(this.core + 1, this.statsIndex)
    }
  }
}

export default class Dropstats extends LegacyTool {
  static override summary = 'The forwarding plane\'s drop counters and packet drop log, as the stock `dropstats` tool (same options, same output)'

  static override description = `dropstats [--core N | --offload] [--clear] [--debug] [--sock-dir DIR]
dropstats --log CORE [--show TYPE] | --drop-type TYPE|help | --clear-drop-log | --min-log 1|0

Byte-compatible with the stock tool: every counter that is not zero, in the stock order; --log pages through the
drop log of a core (0: every core) as the stock tool does, --drop-type sets the one drop type to log (VP_DROP_MAX:
all), --min-log the minimal records, --offload (with offload=enabled in the agent config) the NIC's counters. The
stock quirks are kept: --clear and --clear-drop-log count only as the last long option, --log reads its core from
the second word of the command line. Additions: --json (every counter, zeros included; the log's records), --all
(print zero counters too), --watch SEC, --socket PATH, --platform P, and exit statuses that tell the truth (0 done,
2 usage, 3 the forwarding plane refused, 4 no forwarding plane); --legacy-exit gives the stock ones (234 usage,
255 no connection, 0 otherwise).`

  static override examples = [
    '<%= config.bin %> dropstats --sock-dir /tmp/vr',
    '<%= config.bin %> dropstats --core 0',
    '<%= config.bin %> dropstats --json',
    '<%= config.bin %> dropstats --log 0 --sock-dir /tmp/vr',
    '<%= config.bin %> dropstats --log 1 --show VP_DROP_FLOW_ACTION_DROP --sock-dir /tmp/vr',
    '<%= config.bin %> dropstats --drop-type help',
  ]

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
      {name: 'offload', arg: 'none', id: 'offload'},
      {name: 'log', arg: 'required', id: 'log'},
      {name: 'clear', arg: 'none', id: 'clear'},
      {name: 'sock-dir', arg: 'required', id: 'sock-dir'},
      {name: 'debug', arg: 'none', id: 'debug'},
      {name: 'drop-type', arg: 'required', id: 'drop-type'},
      {name: 'show', arg: 'required', id: 'show'},
      {name: 'clear-drop-log', arg: 'none', id: 'clear-drop-log'},
      {name: 'min-log', arg: 'required', id: 'min-log'},
      {name: 'all', arg: 'none', id: 'all', extension: true},
      {name: 'watch', arg: 'required', id: 'watch', extension: true},
      ...LIVE_OPTIONS,
    ] as const,
    // The stock short-option string: -h and -o take an argument (-h then prints the usage anyway, -o ignores it).
    short: 'h:c:o:l:s:m:',
    shortIds: {h: 'help', c: 'core', o: 'offload', l: 'log', s: 'sock-dir', m: 'min-log'},
  }

  protected async execute(parsed: Parsed): Promise<Outcome> {
    // The options in command-line order, as the stock tool acts on them: the first fault ends the run.
    let core = ALL_CORES
    let dropType = VP_DROP_MAX
    let show = VP_DROP_MAX
    let minLog = 0
    for (const o of parsed.options) {
      if (o.extension) continue
      switch (o.id) {
        case 'core':
        case 'log':
        case 'min-log': {
          const n = validNumber(o.value!)
          if (n === undefined) return this.invalidArgument(o.value!)
          if (o.id !== 'min-log') core = n >>> 0
          // An uint8_t in the stock tool: 256 is 0.
          else if ((minLog = n & 0xff) > 1) return this.usage()
          break
        }
        case 'offload':
          if (!this.offloadEnabled()) {
            this.say('Error: hardware offloads not enabled\n')
            return this.usage()
          }
          core = OFFLOADS
          break
        case 'drop-type':
        case 'show': {
          const type = logType(o.value!)
          if (type === undefined) return this.badLogType(o.value!)
          if (o.id === 'drop-type') dropType = type
          else show = type
          break
        }
        case 'help':
          return this.help()
        case 'sock-dir':
        case 'clear':
        case 'clear-drop-log':
        case 'debug':
          break
        default:
          // getopt's faults ('?', ':').
          return this.usage()
      }
    }
    const watch = this.value('watch')
    const live = watch === undefined ? undefined : liveSettings(this.value('count'), watch, 1)
    if (typeof live === 'string') {
      process.stderr.write(`dropstats: ${live.replace('--interval', '--watch')}\n`)
      return 'usage'
    }
    // The stock tool acts on --clear, --clear-drop-log and --show by the last long option it parsed (a quirk).
    const lastLong = parsed.options.filter((o) => o.long && !o.extension).at(-1)?.id
    const client = await this.connect()
    try {
      if (lastLong === 'show' && !this.has('log')) return this.usage()
      if (this.has('drop-type')) return await this.configure(client, {vdl_pkt_droplog_config: 1, vdl_pkt_droplog_type: dropType}, dropTypeSet(dropType))
      if (this.has('min-log')) return await this.configure(client, {vdl_pkt_droplog_config: 0, vdl_pkt_droplog_min_sysctl_en: minLog === 1 ? 1 : 0}, '')
      if (this.has('log')) {
        // The stock tool reads the core again from argv[2], whatever that is; where it has none (--log=N, -lN) it
        // crashes, and ours takes the option's value.
        const text = parsed.stockArgv[1] ?? this.value('log')!
        const logCore = validNumber(text)
        if (logCore === undefined) return this.invalidArgument(text)
        await this.showLog(client, logCore, core, show)
        return 'ok'
      }
      if (lastLong === 'clear-drop-log') {
        const reset = codecFor('current').defaults('vr_pkt_drop_log_req')
        reset.fields.h_op = SandeshOp.RESET
        await client.request(reset)
        return 'ok'
      }
      return await this.counters(client, core, lastLong === 'clear', live)
    } finally {
      client.close()
    }
  }

  /** The stock tool registers no handler for the forwarding plane's errors: they pass in silence (the status says). */
  protected override failure(error: Error): Outcome {
    if (error instanceof VrouterError && !this.json) return 'vrouter-error'
    return super.failure(error)
  }

  private invalidArgument(text: string): Outcome {
    this.say(`Invalid argument ${text}\n`)
    return this.usage()
  }

  /** A drop type that is none (`help` among them): the stock complaint and the list of names. */
  private badLogType(given: string): Outcome {
    if (this.json && given === 'help') this.objects().single(DROP_REASONS.slice(1, VP_DROP_MAX).map(([name]) => name))
    else if (this.json) this.writeJsonError('usage', `dropstats: invalid drop type ${given} (see dropstats --drop-type help)`)
    else this.write(dropTypeHelp(given))
    return given === 'help' ? 'help' : 'bad-value'
  }

  /** ADD of the drop log's settings; the reply object (when there is one) is acknowledged with `done`. */
  private async configure(client: KsyncClient, fields: Partial<LogReply>, done: string): Promise<Outcome> {
    const request = codecFor('current').defaults('vr_pkt_drop_log_req', {...fields, h_op: SandeshOp.ADD})
    const replies = await client.request(request)
    if (replies.some((o) => o.name === 'vr_pkt_drop_log_req')) this.say(done)
    return 'ok'
  }

  /** --log: the walk, printed as it goes (the text) or gathered (JSON). */
  private async showLog(client: KsyncClient, logCore: number, core: number, show: number): Promise<void> {
    const seen: {first?: LogReply} = {}
    let headerShown = false
    const entries: Record<string, unknown>[] = []
    const sink: LogSink = {
      page: (reply, records) => {
        seen.first ??= reply
        if (this.json) entries.push(...shownRecords(reply, records, show).map(({serial, record}) => dropLogEntryJson(reply, serial, record)))
        else {
          const page = dropLogPage(reply, records, {show, headerShown})
          headerShown = page.headerShown
          this.write(page.text)
        }
      },
      conflict: (reply) => {
        seen.first ??= reply
        this.say(dropTypeConflict(reply))
      },
      disabled: (reply) => {
        seen.first ??= reply
        this.say(dropLogDisabled(reply))
      },
    }
    await new DropLogWalk(client, core, show, sink).fetch(logCore, 0)
    if (this.json) this.objects().single({...(seen.first ? dropLogJson(seen.first) : {}), entries})
  }

  /** The counters (GET), or their reset (RESET), once or every --watch interval. */
  private async counters(client: KsyncClient, core: number, clear: boolean, live: Exclude<ReturnType<typeof liveSettings>, string> | undefined): Promise<Outcome> {
    const request = codecFor('current').defaults('vr_drop_stats_req')
    request.fields.h_op = clear ? SandeshOp.RESET : SandeshOp.GET
    // Cores count from 1 on the wire (0: all, and -1 there: the NIC's offloads).
    request.fields.vds_core = i16(core + 1)
    const fetch = async () => ((await client.request(request)) as [unknown, SandeshObject<'vr_drop_stats_req'> | undefined])[1]
    if (live && !clear) {
      const sample = async () => {
        const reply = await fetch()
        const time = new Date()
        if (this.json) return ndjsonLine({time: time.toISOString(), ...this.coreJson(core), counters: reply ? dropsJson(reply.fields) : {}})
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
    if (this.json || this.table) this.objects().single({...this.coreJson(core), counters: dropsJson(reply.fields)})
    else this.write(this.report(reply.fields, core))
    return 'ok'
  }

  private coreJson(core: number): Record<string, unknown> {
    return core === ALL_CORES ? {} : core === OFFLOADS ? {offload: true} : {core}
  }

  /**
   * The stock text of the counters. The tool names the core (or the offloads) and so does the shared printer, which
   * shows the offloads' core -2 as unsigned: the line comes twice. --debug: only the cloned-original counter.
   */
  private report(fields: MessageFields<'vr_drop_stats_req'>, core: number): string {
    const title = core === OFFLOADS ? 'Statistics for NIC offloads\n\n' : core === ALL_CORES ? '' : `Statistics for core ${core}\n\n`
    if (this.has('debug')) return `${title}${'Cloned Original'.padEnd(30)}${u64Text(fields.vds_cloned_original)}\n`
    const dpdk = this.platform() !== 'kernel'
    return title + dropBlock(fields, {core: core === ALL_CORES ? undefined : core, dpdk, all: this.has('all')})
  }
}
