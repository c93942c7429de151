import {LegacyTool, type Outcome} from '../cli/legacy/tool.js'
import {type Parsed, strtol} from '../cli/legacy/getopt.js'
import {stringifyJson} from '../lib/render/json.js'
import {MPLS_COMMAND_USAGE, MPLS_HEADER, MPLS_USAGE, mplsJson, mplsLine} from '../lib/render/mpls.js'
import {codecFor} from '../lib/sandesh/codec.js'
import type {SandeshObject} from '../lib/sandesh/schema.js'
import {SandeshOp} from '../lib/sandesh/types.js'

const VERBS = ['dump', 'get', 'create', 'delete'] as const

export default class Mpls extends LegacyTool {
  static override summary = 'The incoming MPLS label map, as the stock `mpls` tool (same options, same output)'

  static override description = `mpls --dump | --get <label> | --create <label> --nh <id> | --delete <label> [--sock-dir DIR]

Byte-compatible with the stock tool. Additions: --json (entries as JSON), --socket PATH, --platform P, and
exit statuses that tell the truth (0 done, 2 usage, 3 the forwarding plane refused, 4 no forwarding plane);
--legacy-exit gives the stock ones (1 for usage and for no connection, 0 otherwise).`

  static override examples = [
    '<%= config.bin %> mpls --dump --sock-dir /tmp/vr',
    '<%= config.bin %> mpls --get 16 --json',
    '<%= config.bin %> mpls --create 40 --nh 21',
  ]

  protected readonly tool = 'mpls'
  protected readonly usageText = MPLS_USAGE
  protected readonly legacyExits = {ok: 0, help: 1, usage: 1, 'vrouter-error': 0, 'no-connection': 1}
  protected readonly options = {
    long: [
      {name: 'dump', arg: 'none', id: 'dump'},
      {name: 'get', arg: 'required', id: 'get'},
      {name: 'create', arg: 'required', id: 'create'},
      {name: 'delete', arg: 'required', id: 'delete'},
      {name: 'nh', arg: 'required', id: 'nh'},
      {name: 'sock-dir', arg: 'required', id: 'sock-dir'},
      {name: 'help', arg: 'none', id: 'help'},
      {name: 'cmd', arg: 'none', id: 'cmd'},
    ] as const,
    short: 'bcdgl:n:s:',
    shortIds: {b: 'dump', c: 'short-create', d: 'short-delete', g: 'short-get', l: 'label', n: 'nh', s: 'sock-dir'},
  }

  protected async execute(parsed: Parsed): Promise<Outcome> {
    if (parsed.errors.length > 0) return this.usage()
    if (this.has('help')) {
      this.write(MPLS_USAGE)
      return 'help'
    }
    // The short verbs need -l, and any -l ends in the low-level usage (the stock tool's check cannot pass).
    if (this.has('cmd') || this.has('label') || ['short-create', 'short-delete', 'short-get'].some((v) => this.has(v))) return this.usage(MPLS_COMMAND_USAGE)
    const verbs = VERBS.filter((v) => this.has(v))
    if (verbs.length !== 1) return this.usage()
    const verb = verbs[0]
    if (verb === 'create' && !this.has('nh')) return this.usage(MPLS_COMMAND_USAGE)
    const label = verb === 'dump' ? 0 : strtol(this.value(verb)!).value
    const request = codecFor('current').defaults('vr_mpls_req')
    Object.assign(request.fields, {mr_label: label, mr_nhid: verb === 'create' ? strtol(this.value('nh')!).value : 0})
    if (!this.json && (verb === 'dump' || verb === 'get')) this.write(MPLS_HEADER)
    const client = await this.connect()
    try {
      const entries: SandeshObject<'vr_mpls_req'>[] = []
      const show = (o: SandeshObject<'vr_mpls_req'>) => (this.json ? entries.push(o) : this.write(mplsLine(o.fields)))
      switch (verb) {
        case 'dump':
          request.fields.h_op = SandeshOp.DUMP
          for await (const o of client.dump(request)) show(o as SandeshObject<'vr_mpls_req'>)
          break
        case 'get':
          request.fields.h_op = SandeshOp.GET
          show(await client.get(request))
          break
        default:
          request.fields.h_op = verb === 'create' ? SandeshOp.ADD : SandeshOp.DEL
          await client.request(request)
      }
      if (this.json && verb !== 'create' && verb !== 'delete') this.write(`${stringifyJson(entries.map((o) => mplsJson(o.fields)))}\n`)
      return 'ok'
    } finally {
      client.close()
    }
  }
}
