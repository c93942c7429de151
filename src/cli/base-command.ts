/**
 * What every command shares: one error path. Errors the user can act on (bytes that do not decode, values that do
 * not encode, input that cannot be read, a forwarding plane that refuses or cannot be reached) become one line on
 * stderr, `<command>: <message>`, and exit status 1; usage errors are oclif's (exit status 2). Never a stack trace
 * for those.
 */
import {Command} from '@oclif/core'
import {DecodeError, EncodeError, VrouterError} from '../lib/errors.js'
import {TransportError} from '../lib/transport/endpoint.js'

/** An error in what the user gave (a file that cannot be read, text that is not JSON, …). */
export class InputError extends Error {
  override readonly name = 'InputError'
}

/** Exit statuses: what went wrong, for scripts. */
export const EXIT = {OK: 0, BAD_INPUT: 1, USAGE: 2, VROUTER_ERROR: 3, CONNECTION: 4} as const

function exitStatus(error: Error): number | undefined {
  if (error instanceof DecodeError || error instanceof EncodeError || error instanceof InputError) return EXIT.BAD_INPUT
  if (error instanceof VrouterError) return EXIT.VROUTER_ERROR
  if (error instanceof TransportError) return EXIT.CONNECTION
  return undefined
}

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
