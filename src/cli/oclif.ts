/**
 * Commands other than the stock tools run through oclif, with an in-memory configuration: the commands come from
 * the loaders of commands.ts (never discovered on disk), so the CLI runs the same from sources, from dist, and
 * bundled into one binary.
 */
import {Config, Plugin, flush, handle, run} from '@oclif/core'
import {dirname} from 'node:path'
import {VERSION} from '../version.js'
import {loadCommands} from './commands.js'

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

export async function runOclif(line: string[]): Promise<void> {
  const root = dirname(process.execPath)
  const plugin = new Plugin({root, pjson: pjson as never, isRoot: true, ignoreManifest: true})
  // Pre-seeding the (private) command cache keeps oclif from import()ing a commands file from disk.
  ;(plugin as unknown as {commandCache: unknown}).commandCache = await loadCommands()
  await plugin.load()
  const config = new Config({root, pjson: pjson as never, plugins: new Map([[NAME, plugin]])})
  await config.load()
  try {
    await run(line, config)
    await flush()
  } catch (error) {
    await handle(error as Error)
  }
}
