import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {DEFAULT_DOCTOR_OPTIONS, runChecks} from '../cli/doctor.js'
import {TRANSPORTS} from '../lib/ksync/connect.js'

export default class Doctor extends BaseCommand {
  static override summary = 'Check what this host offers the tools: vRouter flavour, ksync endpoint, table files'

  static override description = `One line per check, each saying what is wrong when something is: the platform the agent config names
(as the stock tools read it), the transport the tools take to the forwarding plane (generic netlink on a
kernel vRouter, the socket on DPDK, the device on Windows), its endpoint (there, permitted, answering), and the flow and bridge tables
(where the forwarding plane says they are, and whether they can be read). Exit status 0 when nothing failed, 1
otherwise.`

  static override examples = ['<%= config.bin %> doctor', '<%= config.bin %> doctor --sock-dir /tmp/vr']

  static override flags = {
    'sock-dir': Flags.string({description: 'check the forwarding plane on DIR/dpdk_netlink (an emulator, vtest mode)'}),
    transport: Flags.string({description: 'check this transport instead of the one the tools would choose', options: [...TRANSPORTS]}),
    config: Flags.string({description: 'the agent config to read', default: DEFAULT_DOCTOR_OPTIONS.configPath}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Doctor)
    const checks = await runChecks({configPath: flags.config, sockDir: flags['sock-dir'], transport: flags.transport as (typeof TRANSPORTS)[number] | undefined, timeoutMs: DEFAULT_DOCTOR_OPTIONS.timeoutMs})
    this.print(checks.map((c) => `${c.status.padEnd(4)} ${c.line}`))
    if (checks.some((c) => c.status === 'fail')) process.exitCode = 1
  }
}
