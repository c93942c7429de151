/**
 * The stock tools that manage one indexed table — `mpls`, `vxlan`, `mirror`, `vrftable` — share one command line
 * (TF utils/mpls.c, vxlan.c, mirror.c, vrftable.c): long verbs `--create <i> …`, `--delete <i>`, `--dump`,
 * `--get <i>`, short verbs `-c -d -g -b` that take the index from a short option the validation then always rejects,
 * value options (`--nh`/`-n`, …) of which a create needs some, `--cmd` for the low-level usage, and `--help`.
 * Options act in command-line order and the first fault ends the run, so this reproduces that walk once for all.
 */
import {codecFor} from '../../lib/sandesh/codec.js'
import type {MessageFields, MessageName, SandeshObject} from '../../lib/sandesh/schema.js'
import {SandeshOp} from '../../lib/sandesh/types.js'
import {type LongOption, type OptionTable, type Parsed, atoi, strtol} from './getopt.js'
import {LegacyTool, type Outcome} from './tool.js'

export type Verb = 'create' | 'delete' | 'dump' | 'get'

/** What the command line asked for, once walked. */
export interface IndexedRequest {
  readonly verb: Verb
  readonly index: number
  /** The value options given, by id (1 for one without an argument). */
  readonly values: ReadonlyMap<string, number>
}

/** An option that gives a value: long ones are read with strtoul, short ones with atoi, as the stock tools do. */
export interface ValueOption {
  readonly id: string
  readonly short?: string
  readonly takesArgument: boolean
}

export interface IndexedToolSpec<N extends MessageName> {
  readonly tool: string
  readonly message: N
  /** The short option that sets the index (its use always ends in the low-level usage). */
  readonly indexLetter: string
  /** The index before any option sets it. */
  readonly defaultIndex: number
  readonly valueOptions: readonly ValueOption[]
  /** The value options a create cannot go without. */
  readonly createNeeds: readonly string[]
  readonly usage: string
  readonly commandUsage: string
  /** Printed before connecting, by dumps and gets. */
  readonly header: string
  /** The request's fields for a verb (the rest stay zero). */
  readonly fields: (request: IndexedRequest) => Partial<MessageFields<N>>
  readonly line: (entry: MessageFields<N>) => string
  readonly json: (entry: MessageFields<N>) => Record<string, unknown>
}

/** A command's --help description: its synopsis, the shared compatibility notes, and what is particular to it. */
export function describeIndexedTool(spec: IndexedToolSpec<MessageName>, synopsis: string, particular = ''): string {
  // One paragraph without hard breaks: oclif wraps it to the terminal.
  const notes = [
    'Byte-compatible with the stock tool, including its command line: options act in order, and the short verbs',
    `-c/-d/-g/-b work on ${spec.message === 'vr_mpls_req' ? 'label' : 'index'} ${spec.defaultIndex} (their -${spec.indexLetter} option always ends in the low-level usage).`,
    particular,
    'Additions: --json, --table, --socket PATH, --platform P, and exit statuses that tell the truth (0 done, 2 usage, 3 the forwarding plane',
    'refused, 4 no forwarding plane); --legacy-exit gives the stock ones (1 for usage and for no connection, 0 otherwise).',
  ]
  return `${synopsis}\n\n${notes.filter(Boolean).join(' ')}`
}

/** `--nh <id>` / `-n <id>`: the next hop of a create. */
export const NEXTHOP_OPTION: ValueOption = {id: 'nh', short: 'n', takesArgument: true}

const OP: Record<Verb, number> = {create: SandeshOp.ADD, delete: SandeshOp.DEL, dump: SandeshOp.DUMP, get: SandeshOp.GET}
const SHORT_VERBS: Readonly<Record<string, Verb>> = {'short-create': 'create', 'short-delete': 'delete', 'short-get': 'get', 'short-dump': 'dump'}
/** C's assignment of an unsigned long to an int. */
const toInt = (text: string) => strtol(text).value | 0

type Walk = {ok: IndexedRequest} | {fault: 'usage' | 'command-usage' | 'help'}

/** Walks the options as the stock tool's getopt loop and validation do. */
export function walkIndexedOptions(
  parsed: Parsed,
  {defaultIndex, valueOptions, createNeeds}: Pick<IndexedToolSpec<MessageName>, 'defaultIndex' | 'valueOptions' | 'createNeeds'>,
): Walk {
  const valueIds = new Set(valueOptions.map((o) => o.id))
  let verb: Verb | undefined
  let index = defaultIndex
  let indexSet = false
  const verbsSet = new Set<Verb>()
  const values = new Map<string, number>()
  for (const o of parsed.options) {
    const shortVerb = SHORT_VERBS[o.id]
    if (shortVerb) {
      if (verb !== undefined) return {fault: 'usage'}
      verb = shortVerb
      verbsSet.add(shortVerb)
      continue
    }
    switch (o.id) {
      case '?':
        return {fault: 'usage'}
      case 'help':
        return {fault: 'help'}
      case 'cmd':
        return {fault: 'command-usage'}
      case 'create':
      case 'delete':
      case 'get':
        verb = o.id
        verbsSet.add(o.id)
        index = toInt(o.value!)
        break
      case 'dump':
        verb = 'dump'
        verbsSet.add('dump')
        break
      case 'index':
        index = atoi(o.value!)
        indexSet = true
        break
      default:
        // Everything else (--sock-dir, our extensions) is the base command's.
        if (valueIds.has(o.id)) values.set(o.id, o.value === undefined ? 1 : o.long ? toInt(o.value) : atoi(o.value))
    }
  }
  if (verbsSet.size > 1 || verb === undefined) return {fault: 'usage'}
  if (verbsSet.has('create') && !createNeeds.every((id) => values.has(id))) return {fault: 'command-usage'}
  // The stock check wants all three verbs with the index option, which the line above already forbids.
  if (indexSet) return {fault: 'command-usage'}
  return {ok: {verb, index, values}}
}

export abstract class IndexedTableTool<N extends MessageName> extends LegacyTool {

  protected abstract readonly spec: IndexedToolSpec<N>
  protected readonly legacyExits = {ok: 0, help: 1, usage: 1, 'vrouter-error': 0, 'no-connection': 1}

  protected get tool(): string {
    return this.spec.tool
  }

  protected get usageText(): string {
    return this.spec.usage
  }

  protected get options(): OptionTable {
    const shortIds: [string, string][] = [...this.spec.valueOptions.filter((o) => o.short).map((o): [string, string] => [o.short!, o.id]), [this.spec.indexLetter, 'index']]
    const shortLetters = shortIds.map(([letter]) => letter)
    return {
      long: [
        {name: 'cmd', arg: 'none', id: 'cmd'},
        {name: 'create', arg: 'required', id: 'create'},
        {name: 'delete', arg: 'required', id: 'delete'},
        {name: 'dump', arg: 'none', id: 'dump'},
        {name: 'get', arg: 'required', id: 'get'},
        {name: 'help', arg: 'none', id: 'help'},
        ...this.spec.valueOptions.map((o): LongOption => ({name: o.id, arg: o.takesArgument ? 'required' : 'none', id: o.id})),
        {name: 'sock-dir', arg: 'required', id: 'sock-dir'},
      ],
      short: `bcdg${shortLetters.map((l) => `${l}:`).join('')}s:`,
      shortIds: {b: 'short-dump', c: 'short-create', d: 'short-delete', g: 'short-get', s: 'sock-dir', ...Object.fromEntries(shortIds)},
    }
  }

  protected async execute(parsed: Parsed): Promise<Outcome> {
    const walk = walkIndexedOptions(parsed, this.spec)
    if ('fault' in walk) {
      if (walk.fault === 'help') return this.help()
      return this.usage(walk.fault === 'usage' ? this.spec.usage : this.spec.commandUsage)
    }
    const {verb} = walk.ok
    const reads = verb === 'dump' || verb === 'get'
    const request = codecFor('current').defaults(this.spec.message)
    Object.assign(request.fields, this.spec.fields(walk.ok), {h_op: OP[verb]})
    const structured = this.json || this.table
    if (reads && !structured) this.write(this.spec.header)
    const client = await this.connect()
    try {
      const entryOf = (o: SandeshObject) => o.fields as MessageFields<N>
      if (verb === 'dump') {
        const out = structured ? this.objects() : undefined
        for await (const o of client.dump(request)) {
          if (out) out.push(this.spec.json(entryOf(o)))
          else this.write(this.spec.line(entryOf(o)))
        }
        out?.end()
      } else if (verb === 'get') {
        const entry = entryOf(await client.get(request))
        if (structured) this.objects().single(this.spec.json(entry))
        else this.write(this.spec.line(entry))
      } else {
        await client.request(request)
      }
      return 'ok'
    } finally {
      client.close()
    }
  }
}
