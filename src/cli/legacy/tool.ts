/**
 * The base of the stock-compatible tools (`mpls`, `dropstats`, …): the stock command line parsed as getopt_long
 * parses it, the forwarding plane chosen as the stock tools choose it (agent config, --sock-dir), output streamed to
 * stdout as they print it, and exit statuses that tell the truth — or, with --legacy-exit, the stock tool's own.
 * Extensions every tool accepts (matched exactly, never abbreviated): --json, --legacy-exit, --socket PATH,
 * --platform kernel|dpdk|nic|vtest.
 */
import {EXIT, BaseCommand} from '../base-command.js'
import {VrouterError} from '../../lib/errors.js'
import {KsyncClient} from '../../lib/ksync/client.js'
import {type Platform, platformOf, readAgentConfig, socketOf} from '../../lib/ksync/platform.js'
import {TransportError} from '../../lib/transport/endpoint.js'
import {type LongOption, type OptionTable, type Parsed, getopt} from './getopt.js'

export const EXTENSION_OPTIONS: readonly LongOption[] = [
  {name: 'json', arg: 'none', id: 'json', extension: true},
  {name: 'table', arg: 'none', id: 'table', extension: true},
  {name: 'legacy-exit', arg: 'none', id: 'legacy-exit', extension: true},
  {name: 'socket', arg: 'required', id: 'socket', extension: true},
  {name: 'platform', arg: 'required', id: 'platform', extension: true},
]

/**
 * How a run ended, for the exit status ('help': usage text asked for with --help; 'bad-value': a value the stock
 * tool rejects with an exit status of its own, EINVAL mostly; 'bad-input': data the tool reads that makes no sense,
 * such as a shared-memory table that is truncated or corrupted).
 */
export type Outcome = 'ok' | 'help' | 'usage' | 'bad-value' | 'bad-input' | 'vrouter-error' | 'no-connection'

/** Exit status per outcome: ours by default, the stock tool's with --legacy-exit ('bad-value' and 'bad-input' default to 'usage'). */
export type LegacyExits = Readonly<Record<Exclude<Outcome, 'bad-value' | 'bad-input'>, number> & {'bad-value'?: number; 'bad-input'?: number}>

const TRUTHFUL: LegacyExits = {ok: EXIT.OK, help: EXIT.OK, usage: EXIT.USAGE, 'bad-value': EXIT.USAGE, 'bad-input': EXIT.BAD_INPUT, 'vrouter-error': EXIT.VROUTER_ERROR, 'no-connection': EXIT.CONNECTION}

export abstract class LegacyTool extends BaseCommand {
  static override strict = false

  /** The stock tool's name, as its diagnostics say it. */
  protected abstract readonly tool: string
  protected abstract readonly options: OptionTable
  protected abstract readonly legacyExits: LegacyExits
  /** The stock tool's usage text, printed when its command line makes no sense. */
  protected abstract readonly usageText: string

  protected line!: Parsed
  protected legacyExit = false
  protected json = false
  /** --table: the objects as a boxed table (their JSON form, one column per key). */
  protected table = false

  /** The tool's work; returns how it ended. */
  protected abstract execute(parsed: Parsed): Promise<Outcome>

  async run(): Promise<void> {
    const table = {...this.options, long: [...this.options.long, ...EXTENSION_OPTIONS]}
    this.line = getopt(this.tool, this.argv, table)
    for (const error of this.line.errors) process.stderr.write(`${error}\n`)
    this.legacyExit = this.has('legacy-exit')
    this.json = this.has('json')
    this.table = !this.json && this.has('table')
    let outcome: Outcome
    try {
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
    if (error instanceof TransportError) {
      if (this.json) this.writeJsonError('connection', error.message, {code: error.code})
      // The stock tools exit silently; say why on stderr unless the old behaviour is asked for.
      else if (!this.legacyExit) process.stderr.write(`${this.tool}: ${error.message}\n`)
      return 'no-connection'
    }
    throw error
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

  /** The platform the stock tools would talk to (config file, --sock-dir, or our --platform). */
  protected platform(): Platform {
    return this.forcedPlatform() ?? platformOf(readAgentConfig(), this.value('sock-dir') !== undefined).platform
  }

  /** The platform of the agent config (or our --platform), before --sock-dir turns it into vtest. */
  protected configuredPlatform(): Platform {
    return this.forcedPlatform() ?? platformOf(readAgentConfig(), false).platform
  }

  private forcedPlatform(): Platform | undefined {
    const forced = this.value('platform') ?? process.env.VROUTER_UTILS_PLATFORM
    return forced === 'kernel' || forced === 'dpdk' || forced === 'nic' || forced === 'vtest' ? forced : undefined
  }

  /** Connects as the stock tool would; a TransportError when there is nothing to connect to. */
  protected async connect(): Promise<KsyncClient> {
    const platform = this.platform()
    const socket = this.value('socket')
    const endpoint = socketOf({platform, offload: false}, this.value('sock-dir'))
    if (!endpoint && socket === undefined) {
      throw new TransportError('NO_SERVER', 'the kernel vRouter (generic netlink) is not supported yet: use --sock-dir, --socket or a dpdk platform')
    }
    return KsyncClient.connect(socket ?? endpoint!.path, {flavour: 'dpdk', family: endpoint?.family ?? 0x20, timeoutMs: 10000})
  }
}
