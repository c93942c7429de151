/**
 * The entry of every command. A stock tool (`vif`, `rt`, …) runs at once, without oclif: it parses its own command
 * line, and loading oclif and every other command would take most of its start-up time. The other commands go
 * through oclif (./oclif.ts). Invoked under a command's name (a link named `vif`, …), it runs that command.
 */
import {COMMAND_LOADERS, isCommandId} from './commands.js'
import {isToolClass} from './legacy/tool.js'

/** The command a multi-call invocation names: `vif --list` run through a link named vif is `vrouter-utils vif --list`. */
export function commandLine(invokedAs: string, argv: readonly string[]): string[] {
  const tool = (invokedAs.split(/[\\/]/).pop() ?? '').replace(/\.(exe|cmd|js|mjs|cjs)$/i, '')
  return isCommandId(tool) ? [tool, ...argv] : [...argv]
}

/** The shell's status of a process killed by SIGPIPE, as the stock tools are when their reader goes away. */
const PIPE_CLOSED_STATUS = 128 + 13

export async function main(argv: readonly string[] = process.argv.slice(2), invokedAs = process.argv[1] ?? 'vrouter-utils'): Promise<void> {
  // `vif --list | head`: once the reader is gone, stop quietly (Node ignores SIGPIPE and would report the EPIPE).
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error
    process.exit(PIPE_CLOSED_STATUS)
  })
  const line = commandLine(invokedAs, argv)
  if (line.length === 1 && (line[0] === '--version' || line[0] === 'version')) {
    const {versionText} = await import('./version.js')
    process.stdout.write(`${versionText()}\n`)
    return
  }
  const id = line[0]
  if (id !== undefined && isCommandId(id)) {
    const command: unknown = await COMMAND_LOADERS[id]()
    if (isToolClass(command)) {
      await command.run(line.slice(1))
      return
    }
  }
  const {runOclif} = await import('./oclif.js')
  await runOclif(line)
}
