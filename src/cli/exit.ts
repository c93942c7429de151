/**
 * Exit statuses and the errors that map to them, shared by the oclif commands (base-command.ts) and the stock tools,
 * which run without oclif (legacy/tool.ts): this module must stay free of oclif so a tool starts fast.
 */
import {DecodeError, EncodeError, VrouterError} from '../lib/errors.js'
import {TransportError} from '../lib/transport/endpoint.js'

/** An error in what the user gave (a file that cannot be read, text that is not JSON, …). */
export class InputError extends Error {
  override readonly name = 'InputError'
}

/** Exit statuses: what went wrong, for scripts. */
export const EXIT = {OK: 0, BAD_INPUT: 1, USAGE: 2, VROUTER_ERROR: 3, CONNECTION: 4} as const

/** The exit status of an error the user can act on (one line, no stack), undefined for any other. */
export function exitStatus(error: Error): number | undefined {
  if (error instanceof DecodeError || error instanceof EncodeError || error instanceof InputError) return EXIT.BAD_INPUT
  if (error instanceof VrouterError) return EXIT.VROUTER_ERROR
  if (error instanceof TransportError) return EXIT.CONNECTION
  return undefined
}
