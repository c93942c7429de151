import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {InputError} from '../../cli/exit.js'
import {connectClient, endpointFlags} from '../../cli/endpoint.js'
import {objectFromJson, objectToJson, type JsonValue} from '../../lib/sandesh/json.js'
import {MESSAGE_NAMES, type SandeshObject} from '../../lib/sandesh/schema.js'
import {stringifyJson} from '../../lib/render/json.js'
import {renderObject} from '../../lib/render/ksync.js'

const OPS = ['add', 'get', 'del', 'dump', 'reset'] as const

export default class KsyncRequest extends BaseCommand {
  static override summary = 'Send one ksync request to the forwarding plane and print what comes back'

  static override description = `Builds a request object of any message from FIELD=VALUE pairs (values as in the JSON form of
\`ksync decode --json\`: numbers, enumeration names, [byte, ...] lists), sends it to the emulator or a vRouter
and prints the reply objects by field. A dump follows the forwarding plane's pages to the end.

Exit status: 0 answered; 1 a bad field or value; 3 the forwarding plane answered with an error; 4 it cannot be
reached or did not answer in time.`

  static override examples = [
    {description: 'Every interface of the emulator', command: '<%= config.bin %> <%= command.id %> vr_interface_req --op dump --sock-dir /tmp/vr'},
    {description: 'One next hop, as JSON', command: '<%= config.bin %> <%= command.id %> vr_nexthop_req --op get --set nhr_id=21 --sock-dir /tmp/vr --json'},
    {description: 'Longest-prefix match of a route', command: "<%= config.bin %> <%= command.id %> vr_route_req --op get --set rtr_vrf_id=2 --set rtr_family=2 --set 'rtr_prefix=[10,1,1,5]' --set rtr_prefix_len=32"},
  ]

  static override args = {message: Args.string({description: 'the object to send', required: true, options: MESSAGE_NAMES, ignoreStdin: true})}

  static override flags = {
    ...endpointFlags,
    op: Flags.string({description: 'the operation (sets h_op)', options: [...OPS], default: 'get'}),
    set: Flags.string({description: 'a field of the request, FIELD=VALUE (repeatable)', multiple: true, default: []}),
    json: Flags.boolean({description: 'print the reply objects as JSON (one array)'}),
    nonzero: Flags.boolean({description: 'leave out fields that are zero or empty'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(KsyncRequest)
    const fields: Record<string, JsonValue> = {}
    for (const assignment of flags.set) {
      const at = assignment.indexOf('=')
      if (at < 1) throw new InputError(`--set ${assignment}: expected FIELD=VALUE`)
      const text = assignment.slice(at + 1)
      fields[assignment.slice(0, at)] = parseValue(text)
    }
    const request = objectFromJson({name: args.message, fields}, '--set')
    if ('h_op' in request.fields) (request.fields as {h_op: number}).h_op = OPS.indexOf(flags.op as (typeof OPS)[number])
    const client = await connectClient(flags)
    try {
      const replies: SandeshObject[] = []
      if (flags.op === 'dump') for await (const o of client.dump(request)) replies.push(o)
      else replies.push(...(await client.request(request)).slice(1))
      if (flags.json) this.print([stringifyJson(replies.map((o) => objectToJson(o)))])
      else this.print(replies.flatMap((o) => renderObject(o, '', {nonzero: flags.nonzero})))
    } finally {
      client.close()
    }
  }
}

/** A value as JSON when it is JSON (numbers, lists), else as text (enumeration names, strings). */
function parseValue(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue
  } catch {
    return text
  }
}
