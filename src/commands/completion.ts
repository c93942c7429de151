import {Args, type Command} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {loadCommands} from '../cli/commands.js'
import {bashCompletion, zshCompletion} from '../cli/completion.js'
import {EXTENSION_OPTIONS, isToolClass} from '../cli/legacy/tool.js'
import type {OptionTable} from '../cli/legacy/getopt.js'

export default class Completion extends BaseCommand {
  static override summary = 'Print a shell completion script (bash or zsh) for every command and tool name'

  static override description = `Completes command names after vrouter-utils, and every option of every command: the stock tools' own
options (long and short, as their getopt tables have them) and ours, also when a tool is run through a link named
after it (vif, rt, nh, …). Load it in the current shell with source <(vrouter-utils completion bash), or add
that line to ~/.bashrc (~/.zshrc for zsh).`

  static override examples = ['source <(<%= config.bin %> completion bash)', 'source <(<%= config.bin %> completion zsh)']

  static override args = {
    shell: Args.string({description: 'the shell', options: ['bash', 'zsh'], required: true}),
  }

  async run(): Promise<void> {
    const {args} = await this.parse(Completion)
    const commands = Object.entries(await loadCommands())
    const entries = commands.map(([id, command]) => ({id, options: this.optionsOf(command)}))
    const tools = commands.filter(([, command]) => isToolClass(command)).map(([id]) => id)
    process.stdout.write((args.shell === 'zsh' ? zshCompletion : bashCompletion)(entries, tools))
  }

  /** A command's options: a stock tool's getopt table and our additions, or an oclif command's flags. */
  private optionsOf(command: unknown): string[] {
    if (isToolClass(command)) {
      // The option table is an instance member (some tools compute it from their spec): a bare instance reads it.
      const table = (new command([]) as unknown as {options: OptionTable}).options
      const shorts = [...table.short.replaceAll(':', '').replace(/^-/, '')].map((letter) => `-${letter}`)
      return [...table.long, ...EXTENSION_OPTIONS].map((o) => `--${o.name}`).concat(shorts)
    }
    const flags = Object.entries((command as typeof Command).flags ?? {}).flatMap(([name, flag]) => [`--${name}`, ...(flag.char ? [`-${flag.char}`] : [])])
    return [...flags, '--help']
  }
}
