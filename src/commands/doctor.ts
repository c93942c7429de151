import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {DEFAULT_DOCTOR_OPTIONS, runChecks} from '../cli/doctor.js'

export default class Doctor extends BaseCommand {
  static override summary = 'Check what this host offers the tools: vRouter flavour, ksync endpoint, table files'

  static override description = `One line per check, each saying what is wrong when something is: the platform the agent config names
(as the stock tools read it), the ksync endpoint (there, permitted, answering), and the flow and bridge tables
(where the forwarding plane says they are, and whether they can be read). Exit status 0 when nothing failed, 1
otherwise.`

  static override examples = ['<%= config.bin %> doctor', '<%= config.bin %> doctor --sock-dir /tmp/vr']

  static override flags = {
    'sock-dir': Flags.string({description: 'check the forwarding plane on DIR/dpdk_netlink (an emulator, vtest mode)'}),
    config: Flags.string({description: 'the agent config to read', default: DEFAULT_DOCTOR_OPTIONS.configPath}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Doctor)
    const checks = await runChecks({configPath: flags.config, sockDir: flags['sock-dir'], timeoutMs: DEFAULT_DOCTOR_OPTIONS.timeoutMs})
    this.print(checks.map((c) => `${c.status.padEnd(4)} ${c.line}`))
    if (checks.some((c) => c.status === 'fail')) process.exitCode = 1
  }
}
