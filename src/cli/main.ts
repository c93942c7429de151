/**
 * The oclif entry with an in-memory configuration: commands come from the COMMANDS map (never discovered on disk),
 * so the CLI runs the same from sources, from dist, and bundled into one binary. Invoked under a tool's name (a link
 * named `vif`, `rt`, …) it runs that tool.
 */
import {Config, Plugin, flush, handle, run} from '@oclif/core'
import {dirname} from 'node:path'
import {VERSION} from '../version.js'
import {COMMANDS} from './commands.js'
import {LegacyTool} from './legacy/tool.js'
import {versionText} from './version.js'

const NAME = 'vrouter-utils'

const pjson = {
  name: NAME,
  version: VERSION,
  oclif: {
    bin: NAME,
    dirname: NAME,
    topicSeparator: ' ',
    commands: {strategy: 'explicit', target: './commands', identifier: 'COMMANDS'},
    topics: {
      emulator: {description: 'Run, check and save the emulated vRouter forwarding plane'},
      ksync: {description: 'Decode and encode ksync messages (Sandesh objects in netlink frames) byte for byte'},
    },
  },
}

/** The command a multi-call invocation names: `vif --list` run through a link named vif is `vrouter-utils vif --list`. */
export function commandLine(invokedAs: string, argv: readonly string[]): string[] {
  const tool = (invokedAs.split(/[\\/]/).pop() ?? '').replace(/\.(exe|cmd|js|mjs|cjs)$/i, '')
  return tool in COMMANDS ? [tool, ...argv] : [...argv]
}

export async function main(argv: readonly string[] = process.argv.slice(2), invokedAs = process.argv[1] ?? NAME): Promise<void> {
  const root = dirname(process.execPath)
  const plugin = new Plugin({root, pjson: pjson as never, isRoot: true, ignoreManifest: true})
  // Pre-seeding the (private) command cache keeps oclif from import()ing a commands file from disk.
  ;(plugin as unknown as {commandCache: unknown}).commandCache = COMMANDS
  await plugin.load()
  const config = new Config({root, pjson: pjson as never, plugins: new Map([[NAME, plugin]])})
  await config.load()
  const line = commandLine(invokedAs, argv)
  if (line.length === 1 && (line[0] === '--version' || line[0] === 'version')) {
    process.stdout.write(`${versionText()}\n`)
    return
  }
  const command = COMMANDS[line[0] as keyof typeof COMMANDS] as unknown
  try {
    // The stock-compatible tools parse their own command line (getopt rules, their own --help), so oclif's help
    // handling must not see it; `vrouter-utils help mpls` still shows ours.
    if (typeof command === 'function' && command.prototype instanceof LegacyTool) await (command as unknown as {run(argv: string[], config: Config): Promise<unknown>}).run(line.slice(1), config)
    else await run(line, config)
    await flush()
  } catch (error) {
    await handle(error as Error)
  }
}
