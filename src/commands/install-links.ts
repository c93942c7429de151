import {realpathSync} from 'node:fs'
import {dirname, resolve} from 'node:path'
import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {InputError} from '../cli/exit.js'
import {loadCommands} from '../cli/commands.js'
import {isToolClass} from '../cli/legacy/tool.js'
import {installLinks, uninstallLinks} from '../cli/links.js'

export default class InstallLinks extends BaseCommand {
  static override summary = 'Make the tool names (vif, rt, nh, …) links to this binary, so it runs as each of them'

  static override description = `Creates, in DIR (default: the binary's own directory), a link per tool — symlinks on Linux, .cmd shims on
Windows — and records them in DIR/.vrouter-utils-links.json. A name something else already has (the stock vif, say)
is left alone and reported. --uninstall removes exactly the links recorded there that still point at this binary.`

  static override examples = ['<%= config.bin %> install-links /usr/local/bin', '<%= config.bin %> install-links /usr/local/bin --uninstall']

  static override args = {dir: Args.string({description: 'where the links go'})}
  static override flags = {uninstall: Flags.boolean({description: 'remove the links this command made'})}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(InstallLinks)
    // The binary itself, or bin/run.js when running from a checkout.
    const target = process.env.VROUTER_UTILS_BUNDLED ? process.execPath : realpathSync(process.argv[1] ?? process.execPath)
    const dir = resolve(args.dir ?? dirname(target))
    const names = Object.entries(await loadCommands())
      .filter(([, command]) => isToolClass(command))
      .map(([name]) => name)
    const plan = {dir, target, names, windows: process.platform === 'win32'}
    let report
    try {
      report = flags.uninstall ? uninstallLinks(plan) : installLinks(plan)
    } catch (error) {
      throw new InputError(`${dir}: ${(error as Error).message}`)
    }
    if (report.made.length > 0) this.log(`linked in ${dir}: ${report.made.join(' ')}`)
    if (report.removed.length > 0) this.log(`removed from ${dir}: ${report.removed.join(' ')}`)
    if (report.skipped.length > 0) this.log(`left alone (not ours): ${report.skipped.join(' ')}`)
    if (report.made.length + report.removed.length + report.skipped.length === 0) this.log(flags.uninstall ? `no links of ours in ${dir}` : `all links already in ${dir}`)
  }
}
