/**
 * What every command shares: one error path. Errors the user can act on (bytes that do not decode, values that do
 * not encode, input that cannot be read, a forwarding plane that refuses or cannot be reached) become one line on
 * stderr, `<command>: <message>`, and exit status 1; usage errors are oclif's (exit status 2). Never a stack trace
 * for those.
 */
import {Command} from '@oclif/core'
import {exitStatus} from './exit.js'

export abstract class BaseCommand extends Command {
  protected override async catch(error: Error & {exitCode?: number}): Promise<unknown> {
    const status = exitStatus(error)
    if (status !== undefined) {
      process.stderr.write(`${this.id?.replaceAll(':', ' ') ?? this.config.bin}: ${error.message}\n`)
      process.exitCode = status
      return undefined
    }
    return super.catch(error)
  }

  /** Writes lines to stdout in one call (large outputs are written in chunks by the stream). */
  protected print(lines: readonly string[]): void {
    if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`)
  }
}
