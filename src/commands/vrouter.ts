import {type OptionTable, type Parsed, strtol} from '../cli/legacy/getopt.js'
import {LegacyTool, type Outcome} from '../cli/legacy/tool.js'
import {VROUTER_USAGE, vrouterInfo, vrouterJson} from '../lib/render/vrouter.js'
import {codecFor} from '../lib/sandesh/codec.js'
import type {SandeshObject} from '../lib/sandesh/schema.js'
import {SandeshOp} from '../lib/sandesh/types.js'

/** Runtime knobs: option name → vrouter_ops field. */
const KNOBS: Record<string, string> = {
  perfr: 'vo_perfr', perfs: 'vo_perfs', from_vm_mss_adj: 'vo_from_vm_mss_adj', to_vm_mss_adj: 'vo_to_vm_mss_adj', perfr1: 'vo_perfr1',
  perfr2: 'vo_perfr2', perfr3: 'vo_perfr3', perfp: 'vo_perfp', perfq1: 'vo_perfq1', perfq2: 'vo_perfq2', perfq3: 'vo_perfq3',
  udp_coff: 'vo_udp_coff', flow_hold_limit: 'vo_flow_hold_limit', mudp: 'vo_mudp', burst_tokens: 'vo_burst_tokens',
  burst_interval: 'vo_burst_interval', burst_step: 'vo_burst_step', 'set-priority-tagging': 'vo_priority_tagging', 'packet-dump': 'vo_packet_dump',
}

export default class Vrouter extends LegacyTool {
  static override summary = 'Global parameters of the forwarding plane, as the stock `vrouter` tool (same options, same output)'

  static override description = `vrouter --info | --<knob> <value> ...

--info prints the sizes, runtime settings and counters of vrouter_ops byte for byte as the stock tool (the kernel
usage text; on DPDK the logging lines of the stock DPDK build). Setting knobs sends every other knob as -1
("unchanged"). Additions: --json, --sock-dir DIR, --socket PATH, --platform P, exit statuses that tell the truth
(0 done, 2 usage, 3 refused, 4 no forwarding plane; --legacy-exit: 1 usage and no connection, 0 otherwise).
Not yet: the logging options.`

  static override examples = ['<%= config.bin %> vrouter --info --sock-dir /tmp/vr', '<%= config.bin %> vrouter --flow_hold_limit 512']

  protected readonly tool = 'vrouter'
  protected readonly usageText = VROUTER_USAGE
  protected readonly legacyExits = {ok: 0, help: 1, usage: 1, 'vrouter-error': 0, 'no-connection': 1}
  protected readonly options: OptionTable = {
    long: [
      {name: 'info', arg: 'none', id: 'info'},
      {name: 'help', arg: 'none', id: 'help'},
      ...Object.keys(KNOBS).map((name) => ({name, arg: 'required' as const, id: name})),
      ...['set-log-level', 'enable-log-type', 'disable-log-type'].map((name) => ({name, arg: 'required' as const, id: name})),
      ...['get-log-level', 'get-enabled-log-types'].map((name) => ({name, arg: 'none' as const, id: name})),
      {name: 'sock-dir', arg: 'required', id: 'sock-dir', extension: true},
    ],
    short: '',
    shortIds: {},
  }

  protected async execute(parsed: Parsed): Promise<Outcome> {
    if (parsed.errors.length > 0) return this.usage()
    if (this.has('help')) return this.help()
    const logging = ['set-log-level', 'enable-log-type', 'disable-log-type', 'get-log-level', 'get-enabled-log-types'].find((o) => this.has(o))
    if (logging) {
      process.stderr.write(`vrouter: --${logging} is not supported by this version of vrouter-utils yet\n`)
      return 'usage'
    }
    const knobs = Object.keys(KNOBS).filter((k) => this.has(k))
    if (this.has('info') && knobs.length > 0) {
      this.write('vrouter: Can not use both get AND set options together\n')
      return this.usage()
    }
    if (!this.has('info') && knobs.length === 0) return this.usage()
    const request = codecFor('current').defaults('vrouter_ops')
    const client = await this.connect()
    try {
      if (this.has('info')) {
        request.fields.h_op = SandeshOp.GET
        const ops = (await client.get(request)) as SandeshObject<'vrouter_ops'>
        const platform = this.platform()
        if (this.json || this.table) this.objects().single(vrouterJson(ops.fields))
        else this.write(vrouterInfo(ops.fields, {dpdk: platform === 'dpdk' || platform === 'nic'}))
        return 'ok'
      }
      request.fields.h_op = SandeshOp.ADD
      const fields = request.fields as Record<string, unknown>
      for (const [option, field] of Object.entries(KNOBS)) fields[field] = this.has(option) ? strtol(this.value(option)!).value : -1
      // The stock tool leaves priority tagging at 0 unless asked (the dp applies it unconditionally).
      if (!this.has('set-priority-tagging')) fields.vo_priority_tagging = 0
      await client.request(request)
      return 'ok'
    } finally {
      client.close()
    }
  }
}
