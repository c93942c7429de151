/**
 * The base of the stock-compatible tools (`mpls`, `dropstats`, …): the stock command line parsed as getopt_long
 * parses it, the forwarding plane chosen as the stock tools choose it (agent config, --sock-dir), output streamed to
 * stdout as they print it, and exit statuses that tell the truth — or, with --legacy-exit, the stock tool's own.
 * Extensions every tool accepts (matched exactly, never abbreviated): --json[=ndjson], --table [--columns LIST],
 * --no-color, --legacy-exit, --socket PATH, --platform kernel|dpdk|nic|vtest, --timeout SEC, --fix NAME[,NAME]|all (the
 * stock tool's bugs this tool can fix, each only when asked), --transport netlink|socket|pipe (also
 * VROUTER_UTILS_TRANSPORT), --compat=strict (refuse every option the stock tool lacks); VROUTER_UTILS_CONFIG names
 * another agent config.
 */
import {EXIT, exitStatus} from '../exit.js'
import {VrouterError} from '../../lib/errors.js'
import type {KsyncClient} from '../../lib/ksync/client.js'
import {TRANSPORTS, type Transport, chooseTransport, openKsync} from '../../lib/ksync/connect.js'
import {type Platform, agentConfig, forcedPlatform, iniValue, platformOf, socketOf} from '../../lib/ksync/platform.js'
import {TransportError} from '../../lib/transport/endpoint.js'
import chalk from 'chalk'
import {type LongOption, type OptionTable, type Parsed, getopt} from './getopt.js'
import {ObjectOutput, ExtensionError, type OutputMode} from './output.js'

export const EXTENSION_OPTIONS: readonly LongOption[] = [
  {name: 'json', arg: 'optional', id: 'json', extension: true},
  {name: 'table', arg: 'none', id: 'table', extension: true},
  {name: 'columns', arg: 'required', id: 'columns', extension: true},
  {name: 'no-color', arg: 'none', id: 'no-color', extension: true},
  {name: 'legacy-exit', arg: 'none', id: 'legacy-exit', extension: true},
  {name: 'socket', arg: 'required', id: 'socket', extension: true},
  {name: 'platform', arg: 'required', id: 'platform', extension: true},
  // vif has a --transport of its own (the interface's); there the stock option wins, and VROUTER_UTILS_TRANSPORT steers.
  {name: 'transport', arg: 'required', id: 'ksync-transport', extension: true},
  {name: 'timeout', arg: 'required', id: 'timeout', extension: true},
  {name: 'fix', arg: 'required', id: 'fix', extension: true},
  {name: 'verbose', arg: 'none', id: 'verbose', extension: true},
  {name: 'compat', arg: 'required', id: 'compat', extension: true},
]

/** How long a reply may take by default (the stock tools wait for ever). */
const DEFAULT_TIMEOUT_SECONDS = 10

/**
 * How a run ended, for the exit status ('help': usage text asked for with --help; 'bad-value': a value the stock
 * tool rejects with an exit status of its own, EINVAL mostly; 'bad-input': data the tool reads that makes no sense,
 * such as a shared-memory table that is truncated or corrupted).
 */
export type Outcome = 'ok' | 'help' | 'usage' | 'bad-value' | 'bad-input' | 'vrouter-error' | 'no-connection'

/** Exit status per outcome: ours by default, the stock tool's with --legacy-exit ('bad-value' and 'bad-input' default to 'usage'). */
export type LegacyExits = Readonly<Record<Exclude<Outcome, 'bad-value' | 'bad-input'>, number> & {'bad-value'?: number; 'bad-input'?: number}>

const TRUTHFUL: LegacyExits = {ok: EXIT.OK, help: EXIT.OK, usage: EXIT.USAGE, 'bad-value': EXIT.USAGE, 'bad-input': EXIT.BAD_INPUT, 'vrouter-error': EXIT.VROUTER_ERROR, 'no-connection': EXIT.CONNECTION}


/** A tool's class: what `run` needs of it. */
export interface ToolClass {
  run(argv: string[]): Promise<void>
  new (argv: string[]): LegacyTool
}

/** Whether a command class is one of the stock tools. */
export function isToolClass(command: unknown): command is ToolClass {
  return typeof command === 'function' && command.prototype instanceof LegacyTool
}

/**
 * Not an oclif command: a tool parses its own command line and runs without oclif's configuration, so that it starts
 * fast (src/cli/main.ts). The static fields are what oclif's command list and `help` read of a command class.
 */
export abstract class LegacyTool {
  static id?: string
  static summary?: string
  static description?: string
  static examples: string[] = []
  static strict = false
  static hidden = false
  static aliases: string[] = []
  static flags = {}
  static args = {}

  /**
   * Runs a tool on its command line (without the tool's name); the exit status is left in process.exitCode. oclif
   * recognises a command class by this static `run`.
   */
  static async run(this: new (argv: string[]) => LegacyTool, argv: string[]): Promise<void> {
    const tool = new this(argv)
    try {
      await tool.run()
    } catch (error) {
      // What the tool's own failure path does not know: bad reply bytes are one line, a bug shows its stack.
      const status = exitStatus(error as Error)
      process.stderr.write(`${tool.tool}: ${status === undefined ? ((error as Error).stack ?? String(error)) : (error as Error).message}\n`)
      process.exitCode = status ?? 1
    }
  }

  constructor(protected readonly argv: string[]) {}

  /** The stock tool's name, as its diagnostics say it. */
  protected abstract readonly tool: string
  protected abstract readonly options: OptionTable
  protected abstract readonly legacyExits: LegacyExits
  /** The stock tool's usage text, printed when its command line makes no sense. */
  protected abstract readonly usageText: string

  protected line!: Parsed
  protected legacyExit = false
  /** --json or --json=ndjson. */
  protected json = false
  /** --table: the objects as a boxed table (their JSON form, one column per key). */
  protected table = false
  private mode?: OutputMode
  /** The stock tool's bugs this tool can fix when asked: name → what the fix does. */
  protected readonly fixes: Readonly<Record<string, string>> = {}
  private fixesAsked: ReadonlySet<string> = new Set()

  /** The tool's work; returns how it ended. */
  protected abstract execute(parsed: Parsed): Promise<Outcome>

  async run(): Promise<void> {
    const table = {...this.options, long: [...this.options.long, ...EXTENSION_OPTIONS]}
    this.line = getopt(this.tool, this.argv, table)
    for (const error of this.line.errors) process.stderr.write(`${error}\n`)
    this.legacyExit = this.has('legacy-exit')
    let outcome: Outcome
    try {
      this.checkCompat(table)
      this.mode = this.outputMode()
      this.fixesAsked = this.askedFixes()
      // A bad --transport is refused before the tool does anything.
      if (this.has('ksync-transport') || process.env.VROUTER_UTILS_TRANSPORT) this.transport()
      this.json = this.mode?.kind === 'json' || this.mode?.kind === 'ndjson'
      this.table = this.mode?.kind === 'table'
      outcome = await this.execute(this.line)
    } catch (error) {
      outcome = this.failure(error as Error)
    }
    const exits = this.legacyExit ? this.legacyExits : TRUTHFUL
    process.exitCode = outcome === 'bad-value' || outcome === 'bad-input' ? (exits[outcome] ?? exits.usage) : exits[outcome]
  }

  /**
   * A failure the stock tools report their way: the forwarding plane's error on stdout, a connection failure
   * silently. Under --json it is one JSON object on stdout instead, so that scripts parse one stream.
   */
  protected failure(error: Error): Outcome {
    if (error instanceof VrouterError) {
      if (this.json) this.writeJsonError('vrouter', error.message, {errno: error.errno, errno_name: error.errnoName ?? null})
      else this.write(`${error.message}\n`)
      return 'vrouter-error'
    }
    if (error instanceof ExtensionError) {
      process.stderr.write(`${this.tool}: ${error.message}\n`)
      return 'usage'
    }
    if (error instanceof TransportError) {
      if (this.json) this.writeJsonError('connection', error.message, {code: error.code})
      // The stock tools exit silently; say why on stderr unless the old behaviour is asked for.
      else if (!this.legacyExit) process.stderr.write(`${this.tool}: ${error.message}\n`)
      return 'no-connection'
    }
    throw error
  }

  /**
   * --compat=strict: only the stock tool's options, so that a command line checked with ours runs unchanged with the
   * C tool; the first of ours used is refused.
   */
  private checkCompat(table: OptionTable): void {
    const compat = this.value('compat')
    if (compat === undefined) return
    if (compat !== 'strict') throw new ExtensionError(`--compat takes 'strict', not '${compat}'`)
    const ours = this.line.options.find((o) => o.extension && o.id !== 'compat')
    if (ours) throw new ExtensionError(`--${table.long.find((l) => l.id === ours.id)!.name} is not an option of the stock ${this.tool} (--compat=strict)`)
  }

  /** The structured mode asked for, if any (a bad --json value or a --columns without --table is an ExtensionError). */
  private outputMode(): OutputMode | undefined {
    const json = this.line.options.filter((o) => o.id === 'json').at(-1)
    if (json) {
      if (json.value === undefined) return {kind: 'json'}
      if (json.value === 'ndjson') return {kind: 'ndjson'}
      throw new ExtensionError(`--json takes no value or 'ndjson', not '${json.value}'`)
    }
    const columns = this.value('columns')
    if (!this.has('table')) {
      if (columns !== undefined) throw new ExtensionError('--columns goes with --table')
      return undefined
    }
    // Colour only on a terminal (chalk's own test), and never when asked not to.
    if (this.has('no-color') || 'NO_COLOR' in process.env) chalk.level = 0
    return {kind: 'table', columns: columns?.split(',').map((c) => c.trim()).filter(Boolean), paintHead: (text) => chalk.bold.cyan(text)}
  }

  /** --fix (repeatable, comma lists, `all`): the fixes asked for, each one this tool has. */
  private askedFixes(): ReadonlySet<string> {
    const names = this.line.options.filter((o) => o.id === 'fix').flatMap((o) => (o.value ?? '').split(',').map((n) => n.trim()))
    const known = Object.keys(this.fixes)
    if (names.includes('all')) return new Set(known)
    const unknown = names.filter((n) => !known.includes(n))
    if (unknown.length > 0) {
      throw new ExtensionError(`no fix ${unknown.map((n) => `'${n}'`).join(', ')}; ${known.length > 0 ? `this tool's fixes are ${known.join(', ')}` : 'this tool has none'}`)
    }
    return new Set(names)
  }

  /** Whether the fix of a stock bug was asked for. */
  protected fixed(name: string): boolean {
    return this.fixesAsked.has(name)
  }

  /** --verbose: a one-line notice on stderr (how the tool is doing what it does, when that is not the usual way). */
  protected notice(text: string | undefined): void {
    if (text !== undefined && this.has('verbose')) process.stderr.write(`${this.tool}: ${text}\n`)
  }

  /** --json=ndjson (for tools that stream their objects themselves). */
  protected get ndjson(): boolean {
    return this.mode?.kind === 'ndjson'
  }

  /** Where the objects of a read go under --json, --json=ndjson or --table. */
  protected objects(write: (text: string) => void = (text) => this.write(text)): ObjectOutput {
    if (!this.mode) throw new Error('objects() in legacy mode')
    return new ObjectOutput(this.mode, write)
  }

  protected writeJsonError(kind: 'vrouter' | 'connection' | 'usage' | 'table', message: string, details: Record<string, unknown> = {}): void {
    this.write(`${JSON.stringify({error: {kind, message, ...details}})}\n`)
  }

  protected has(id: string): boolean {
    return this.line.options.some((o) => o.id === id)
  }

  /** The value of the last occurrence of an option (getopt: the last one wins). */
  protected value(id: string): string | undefined {
    return this.line.options.filter((o) => o.id === id).at(-1)?.value
  }

  /** --help: the stock usage text, as asked for. */
  protected help(): Outcome {
    this.write(this.usageText)
    return 'help'
  }

  protected usage(text: string = this.usageText): Outcome {
    if (this.json) this.writeJsonError('usage', `${this.tool}: the command line makes no sense to the stock tool (see ${this.tool} --help)`)
    else this.write(text)
    return 'usage'
  }

  protected write(text: string): void {
    if (text !== '') process.stdout.write(text)
  }

  /** Text only the stock text output has, a diagnostic mostly (under --json the outcome's JSON object says it). */
  protected say(text: string): void {
    if (!this.json) this.write(text)
  }

  /** The platform the stock tools would talk to (config file, --sock-dir, or our --platform). */
  protected platform(): Platform {
    return this.forcedPlatform() ?? platformOf(agentConfig(), this.value('sock-dir') !== undefined).platform
  }

  /** The platform of the agent config (or our --platform), before --sock-dir turns it into vtest. */
  protected configuredPlatform(): Platform {
    return this.forcedPlatform() ?? platformOf(agentConfig(), false).platform
  }

  /** The platform as the stock tools name it in messages (get_platform_str): the config's value, "(null)" without one. */
  protected platformName(): string {
    const config = agentConfig()
    return this.forcedPlatform() ?? (config === undefined ? undefined : iniValue(config, 'DEFAULT', 'platform')) ?? '(null)'
  }

  /** `[DEFAULT] offload=enabled` in the agent config (hardware offloads: dropstats --offload). */
  protected offloadEnabled(): boolean {
    return platformOf(agentConfig(), false).offload
  }

  private forcedPlatform(): Platform | undefined {
    return forcedPlatform(this.value('platform'))
  }

  /** --timeout SEC: how long to wait for the forwarding plane (connecting, and each reply). */
  private timeoutMs(): number {
    const text = this.value('timeout')
    if (text === undefined) return DEFAULT_TIMEOUT_SECONDS * 1000
    const seconds = Number(text)
    if (text.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) throw new ExtensionError(`--timeout wants a positive number of seconds, not '${text}'`)
    return Math.round(seconds * 1000)
  }

  /** --transport (or VROUTER_UTILS_TRANSPORT), else the transport the stock tool would use; with why. */
  protected transport(): {transport: Transport; why: string} {
    const option = this.value('ksync-transport')
    const forced = option ?? process.env.VROUTER_UTILS_TRANSPORT
    const why = option !== undefined ? '--transport' : 'VROUTER_UTILS_TRANSPORT'
    if (!forced) return chooseTransport(this.platform(), {socket: this.value('socket')})
    if (!(TRANSPORTS as readonly string[]).includes(forced)) throw new ExtensionError(`${why} takes ${TRANSPORTS.join(', ')}, not '${forced}'`)
    return {transport: forced as Transport, why}
  }

  /**
   * Connects as the stock tool would (joined to multicast `group` on netlink); a TransportError when there is nothing
   * to connect to.
   */
  protected async connect(options: {group?: number} = {}): Promise<KsyncClient> {
    const {transport, why} = this.transport()
    this.notice(`transport: ${transport} (${why})`)
    const endpoint = socketOf(this.platform(), this.value('sock-dir'))
    const socket = this.value('socket')
    const path = transport === 'socket' ? (socket ?? endpoint.path) : transport === 'pipe' ? socket : undefined
    const {client, description} = await openKsync({transport, path, family: endpoint.family, timeoutMs: this.timeoutMs(), group: options.group})
    this.notice(`connected: ${description}`)
    return client
  }
}
