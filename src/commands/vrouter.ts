import {type OptionTable, type Parsed, cLong} from '../cli/legacy/getopt.js'
import {LegacyTool, type Outcome} from '../cli/legacy/tool.js'
import {VROUTER_LOG_LEVELS, VROUTER_LOG_TYPES} from '../lib/model/constants.js'
import type {Platform} from '../lib/ksync/platform.js'
import {VROUTER_DPDK_USAGE, VROUTER_USAGE, logLevelLine, logTypesLine, vrouterInfo, vrouterJson, vrouterLogJson} from '../lib/render/vrouter.js'
import {codecFor} from '../lib/sandesh/codec.js'
import type {MessageFields, SandeshObject} from '../lib/sandesh/schema.js'
import {SandeshOp} from '../lib/sandesh/types.js'

type Ops = MessageFields<'vrouter_ops'>

/**
 * A runtime knob as utils/vrouter.c takes it: its vrouter_ops field; whether any value of 1 or more is sent as 1
 * (the on/off ones); whether the tool refuses it off the kernel platform.
 */
interface Knob {
  readonly option: string
  readonly field: keyof Ops
  readonly onOff: boolean
  readonly kernelOnly: boolean
}

const knob = (option: string, onOff: boolean, kernelOnly: boolean): Knob => ({option, field: `vo_${option.replaceAll('-', '_')}` as keyof Ops, onOff, kernelOnly})

/** In the stock option order. */
const KNOBS: readonly Knob[] = [
  knob('perfr', true, true),
  knob('perfs', true, true),
  knob('from_vm_mss_adj', true, false),
  knob('to_vm_mss_adj', true, false),
  knob('perfr1', true, true),
  knob('perfr2', true, true),
  knob('perfr3', true, true),
  knob('perfp', true, true),
  knob('perfq1', false, true),
  knob('perfq2', false, true),
  knob('perfq3', false, true),
  knob('udp_coff', true, true),
  knob('flow_hold_limit', true, false),
  knob('mudp', true, false),
  knob('burst_tokens', false, false),
  knob('burst_interval', false, false),
  knob('burst_step', false, false),
  {option: 'set-priority-tagging', field: 'vo_priority_tagging', onOff: true, kernelOnly: false},
  knob('packet-dump', false, false),
]

/** A logging request leaves the runtime knobs alone (-1), except the burst settings and priority tagging (0). */
const LOGGING_UNCHANGED = KNOBS.filter((k) => !k.option.startsWith('burst_') && k.option !== 'set-priority-tagging')

const READ_OPTIONS = ['info', 'get-log-level', 'get-enabled-log-types']
const WRITE_OPTIONS = ['set-log-level', 'enable-log-type', 'disable-log-type']

/** A name of the stock tables, or 0 (which the tool takes for "none"). */
const idOf = (table: typeof VROUTER_LOG_LEVELS, name: string) => table.find(([, n]) => n === name)?.[0] ?? 0

/** A knob's value as the stock tool parses it, or the message of its parse error (strtol/strtoul ERANGE). */
function knobValue(k: Knob, text: string): number | {error: string} {
  if (k.option === 'set-priority-tagging') {
    const {value, overflow} = cLong(text, 'strtoul')
    // No newline: the usage follows on the same line.
    if (overflow) return {error: 'vrouter: Error parsing priority tagging configuration'}
    return Number(BigInt.asUintN(32, value)) >= 1 ? 1 : 0
  }
  const {value, overflow} = cLong(text, 'strtol')
  if (overflow) return {error: `vrouter: Error parsing ${k.option.replaceAll('-', '_')}: ${text}: Numerical result out of range (34)\n`}
  const n = Number(BigInt.asIntN(32, value))
  return k.onOff ? (n >= 1 ? 1 : 0) : n
}

export default class Vrouter extends LegacyTool {
  static override summary = 'Global parameters of the forwarding plane, as the stock `vrouter` tool (same options, same output)'

  static override description = `vrouter --info | --get-log-level | --get-enabled-log-types
vrouter --set-log-level LEVEL | --enable-log-type TYPE ... | --disable-log-type TYPE ...
vrouter --<knob> <value> ...

--info prints the sizes, runtime settings and counters of vrouter_ops byte for byte as the stock tool; on DPDK
(platform=dpdk in the agent config, or --platform dpdk) also the log level and the enabled log types, which
--get-log-level and --get-enabled-log-types print alone (DPDK only, as the logging options). Levels: emergency,
alert, critical, error, warning, notice, info, debug; types: vrouter, usock, uvhost, dpcore. A knob sends every
other knob as -1 ("unchanged"); the on/off ones send any value of 1 or more as 1, and perfr, perfs, perfr1-3, perfp,
perfq1-3 and udp_coff are for the kernel platform only. Stock quirks kept: an unknown log type is sent as 0;
--disable-log-type alone sends a knobs request (nothing disabled); a logging request zeroes the burst settings and
priority tagging. Additions: --json, --sock-dir DIR, --socket PATH, --platform P, exit statuses that tell the truth
(0 done, 2 usage, 3 refused, 4 no forwarding plane; --legacy-exit: 1 usage and no connection, 0 otherwise).`

  static override examples = [
    '<%= config.bin %> vrouter --info --sock-dir /tmp/vr',
    '<%= config.bin %> vrouter --flow_hold_limit 0 --sock-dir /tmp/vr',
    '<%= config.bin %> vrouter --set-log-level debug --enable-log-type uvhost --platform dpdk --sock-dir /tmp/vr',
    '<%= config.bin %> vrouter --get-log-level --get-enabled-log-types --platform dpdk --sock-dir /tmp/vr --json',
  ]

  protected readonly tool = 'vrouter'
  protected get usageText(): string {
    return this.configuredPlatform() === 'dpdk' ? VROUTER_DPDK_USAGE : VROUTER_USAGE
  }

  protected readonly legacyExits = {ok: 0, help: 1, usage: 1, 'vrouter-error': 0, 'no-connection': 1}
  protected readonly options: OptionTable = {
    long: [
      ...['info', 'help', 'get-log-level'].map((name) => ({name, arg: 'none' as const, id: name})),
      ...['set-log-level', 'enable-log-type', 'disable-log-type'].map((name) => ({name, arg: 'required' as const, id: name})),
      {name: 'get-enabled-log-types', arg: 'none', id: 'get-enabled-log-types'},
      ...KNOBS.map((k) => ({name: k.option, arg: 'required' as const, id: k.option})),
      {name: 'sock-dir', arg: 'required', id: 'sock-dir', extension: true},
    ],
    short: '',
    shortIds: {},
  }

  protected async execute(parsed: Parsed): Promise<Outcome> {
    if (parsed.stockArgv.length === 0) return this.usage()
    // The stock tool has no --sock-dir: its platform is the agent config's (never vtest).
    const platform = this.configuredPlatform()
    // The options in command-line order: the last one decides GET or ADD; the first fault ends the run.
    let op: number | undefined
    let level = 0
    const enable: number[] = []
    const disable: number[] = []
    const knobs = new Map<Knob, number>()
    for (const o of parsed.options) {
      if (o.extension) continue
      const k = KNOBS.find((kn) => kn.option === o.id)
      const logging = o.id !== 'info' && (READ_OPTIONS.includes(o.id) || WRITE_OPTIONS.includes(o.id))
      if ((logging && platform !== 'dpdk') || (k?.kernelOnly && platform !== 'kernel')) return this.notOnPlatform(o.id)
      if (o.id === 'help') return this.help()
      if (READ_OPTIONS.includes(o.id)) op = SandeshOp.GET
      else if (o.id === 'set-log-level') {
        op = SandeshOp.ADD
        if ((level = idOf(VROUTER_LOG_LEVELS, o.value!)) === 0) {
          this.say(`vrouter: Invalid log level: '${o.value}'\n\n`)
          return this.usage()
        }
      } else if (o.id === 'enable-log-type' || o.id === 'disable-log-type') {
        op = SandeshOp.ADD
        // An unknown name is type 0, which the tool sends as it is (its check for an unknown type never fires).
        const list = o.id === 'enable-log-type' ? enable : disable
        const type = idOf(VROUTER_LOG_TYPES, o.value!)
        if (!list.includes(type)) list.push(type)
      } else if (k) {
        op = SandeshOp.ADD
        const value = knobValue(k, o.value!)
        if (typeof value !== 'number') {
          this.say(value.error)
          return this.usage()
        }
        knobs.set(k, value)
      } else return this.usage()
    }
    if (READ_OPTIONS.some((r) => this.has(r)) && WRITE_OPTIONS.some((w) => this.has(w))) {
      this.say('vrouter: Can not use both get AND set options together\n')
      return this.usage()
    }
    const client = await this.connect()
    try {
      // Operands alone: the stock tool connects and sends nothing.
      if (op === undefined) return 'ok'
      const request = codecFor('current').defaults('vrouter_ops')
      request.fields.h_op = op
      const fields = request.fields as Record<string, unknown>
      if (op === SandeshOp.ADD && (this.has('set-log-level') || this.has('enable-log-type'))) {
        Object.assign(fields, {vo_log_level: level, vo_log_type_enable: enable, vo_log_type_disable: disable})
        for (const k of LOGGING_UNCHANGED) fields[k.field] = -1
      } else if (op === SandeshOp.ADD) {
        // The runtime knobs: -1 = unchanged, but priority tagging is 0 unless given (the dp applies it always).
        for (const k of KNOBS) fields[k.field] = knobs.get(k) ?? (k.option === 'set-priority-tagging' ? 0 : -1)
      }
      const [, reply] = (await client.request(request)) as [unknown, SandeshObject<'vrouter_ops'> | undefined]
      // What is printed depends on the options given, whatever the request was (--info --mudp 1 prints nothing).
      if (reply?.name === 'vrouter_ops') this.report(reply.fields, platform)
      return 'ok'
    } finally {
      client.close()
    }
  }

  private notOnPlatform(option: string): Outcome {
    this.say(`Error: ${option} option not supported on ${this.platformName()} platform\n`)
    return this.usage()
  }

  private report(ops: Ops, platform: Platform): void {
    const dpdk = platform === 'dpdk'
    const what = {level: this.has('get-log-level'), types: this.has('get-enabled-log-types')}
    if (this.json || this.table) {
      this.objects().single(this.has('info') ? vrouterJson(ops) : vrouterLogJson(ops, what))
      return
    }
    if (this.has('info')) this.write(vrouterInfo(ops, {dpdk}))
    else if (dpdk) this.write((what.level ? logLevelLine(ops) : '') + (what.types ? logTypesLine(ops) : ''))
  }
}
