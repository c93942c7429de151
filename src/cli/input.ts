/** Reading what a command is given: a file, or standard input when it is not a terminal. */
import {readFile} from 'node:fs/promises'
import {InputError} from './exit.js'

/** The bytes of `file` ("-" = stdin), or of stdin when no file is named; `what` names the input in errors. */
export async function readInput(file: string | undefined, what: string): Promise<Uint8Array> {
  if (file !== undefined && file !== '-') {
    try {
      return new Uint8Array(await readFile(file))
    } catch (error) {
      throw new InputError(`cannot read ${file}: ${(error as Error).message.replace(/^[A-Z]+: /, '')}`)
    }
  }
  if (process.stdin.isTTY) throw new InputError(`no ${what}: pass it with --file, or pipe it on standard input`)
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return new Uint8Array(Buffer.concat(chunks))
}
