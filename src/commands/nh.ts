import type {Parsed} from '../cli/legacy/getopt.js'
import {NH_OPTIONS, walkNhOptions} from '../cli/legacy/nh-options.js'
import {LegacyTool, type Outcome} from '../cli/legacy/tool.js'
import type {KsyncClient} from '../lib/ksync/client.js'
import {NH_FLAG, NH_TYPE} from '../lib/model/constants.js'
import {DumpProgress} from '../cli/progress.js'
import {NH_COMMAND_USAGE, NH_USAGE, nhBlock, nhJson} from '../lib/render/nh.js'
import {codecFor} from '../lib/sandesh/codec.js'
import type {SandeshObject} from '../lib/sandesh/schema.js'
import {SandeshOp} from '../lib/sandesh/types.js'

export default class Nh extends LegacyTool {
  static override summary = 'Next hops of the forwarding plane, as the stock `nh` tool (same options, same output)'

  // One paragraph without hard breaks: oclif wraps it to the terminal.
  static override description = `nh --list | --get <id> | --delete <id> | --create <id> --type <1-8> --vrf <vrf> [type options] [--sock-dir DIR]

${[
    'Byte-compatible with the stock tool, command line included: --get also shows the members of a composite (and the direct next hop of an',
    'indirect one), recursively; --create sends the ADD request the stock tool builds for each type (1 receive, 2 encap, 3 tunnel: GRE by',
    'default, --udp with both ports UDP else MPLSoUDP, --vxlan, --pbb; 4 resolve, 5 discard, 6 composite with --cni/--lbl, 7 VRF translate,',
    '8 L2 receive); --cmd prints the options of each type. Additions: --json, --socket PATH, --platform P, and exit statuses that tell the',
    'truth (0 done, 2 usage, 3 the forwarding plane refused, 4 no forwarding plane); --legacy-exit gives the stock ones (234 usage,',
    '1 no connection, 0 otherwise).',
  ].join(' ')}`

  static override examples = [
    '<%= config.bin %> nh --list --sock-dir /tmp/vr',
    '<%= config.bin %> nh --get 40',
    '<%= config.bin %> nh --list --json',
    '<%= config.bin %> nh --create 60 --type 2 --vrf 2 --oif 3 --smac 00:1b:21:aa:bb:01 --dmac 00:00:5e:00:01:00 --pol',
    '<%= config.bin %> nh --create 61 --type 3 --vrf 0 --oif 0 --smac 00:1b:21:aa:bb:01 --dmac 00:1b:21:cc:dd:02 --sip 192.168.10.7 --dip 192.168.10.8 --udp',
    '<%= config.bin %> nh --create 62 --type 6 --vrf 2 --ecmp --cni 21 --cni 22',
    '<%= config.bin %> nh --delete 62',
  ]

  protected override readonly fixes = {
    'nh-get-norecurse': '--get prints only the next hop asked for, not its members (also --no-recurse)',
    'nh-flags-trim': 'no separator after the last flag',
  }
  protected readonly tool = 'nh'
  protected readonly usageText = NH_USAGE
  protected readonly legacyExits = {ok: 0, help: 234, usage: 234, 'vrouter-error': 0, 'no-connection': 1}
  protected readonly options = {...NH_OPTIONS, long: [...NH_OPTIONS.long, {name: 'no-recurse', arg: 'none', id: 'no-recurse', extension: true} as const]}

  protected async execute(parsed: Parsed): Promise<Outcome> {
    const walk = walkNhOptions(parsed)
    if ('fault' in walk) {
      if (walk.fault === 'help') return this.help()
      return this.usage(walk.fault === 'usage' ? NH_USAGE : NH_COMMAND_USAGE)
    }
    const command = walk.ok
    const client = await this.connect()
    try {
      if (command.verb === 'create' || command.verb === 'delete') {
        const fields = command.verb === 'create' ? {...command.fields, h_op: SandeshOp.ADD} : {h_op: SandeshOp.DEL, nhr_id: command.id}
        await client.request(codecFor('current').defaults('vr_nexthop_req', fields))
        return 'ok'
      }
      const out = this.json || this.table ? this.objects() : undefined
      const trimFlags = this.fixed('nh-flags-trim')
      const show = (o: SandeshObject<'vr_nexthop_req'>) => (out ? out.push(nhJson(o.fields)) : this.write(nhBlock(o.fields, {trimFlags})))
      if (command.verb === 'list') {
        const progress = new DumpProgress('nh: next hops')
        for await (const page of client.dumpPages(codecFor('current').defaults('vr_nexthop_req', {h_op: SandeshOp.DUMP}))) {
          for (const o of page) {
            show(o as SandeshObject<'vr_nexthop_req'>)
            progress.tick()
          }
        }
        progress.done()
      } else {
        await this.getRecursively(client, command.id, show, !(this.has('no-recurse') || this.fixed('nh-get-norecurse')))
      }
      out?.end()
      return 'ok'
    } finally {
      client.close()
    }
  }

  /** A next hop, then (depth first) each member of a composite and the direct next hop of an indirect one. */
  private async getRecursively(client: KsyncClient, id: number, show: (o: SandeshObject<'vr_nexthop_req'>) => void, recurse: boolean): Promise<void> {
    const request = codecFor('current').defaults('vr_nexthop_req', {h_op: SandeshOp.GET, nhr_id: id})
    const nh = await client.get(request)
    show(nh)
    if (!recurse) return
    const f = nh.fields
    // Both, as the stock tool does, should a composite also be marked indirect.
    const members = [...(f.nhr_type === NH_TYPE.COMPOSITE ? f.nhr_nh_list.filter((m) => m !== -1) : []), ...(f.nhr_flags & NH_FLAG.INDIRECT ? f.nhr_nh_list.slice(0, 1) : [])]
    for (const member of members) await this.getRecursively(client, member, show, true)
  }
}
