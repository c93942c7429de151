import {Args, Flags} from '@oclif/core'
import {writeFile} from 'node:fs/promises'
import {BaseCommand} from '../../cli/base-command.js'
import {InputError} from '../../cli/exit.js'
import {readInput} from '../../cli/input.js'
import {documentFromJson, encodeDocument} from '../../lib/ksync/document.js'
import {toHex} from '../../lib/ksync/hex.js'

export default class KsyncEncode extends BaseCommand {
  static override summary = 'Encode the JSON of `ksync decode --json` back into the exact bytes'

  static override description = `Reads JSON (a file or standard input) as \`ksync decode --json\` prints it: {"messages": [...]}
for frames or {"objects": [...]} for a bare payload. Fields left out are written as zero or empty, as the
C writer does; an unknown object, field or enumeration name, or a value out of range, is an error that
names where it is. Prints hex, one line per message, or writes the raw bytes with --out or --binary.

Exit status: 0 encoded; 1 the JSON is not valid or a value cannot be encoded; 2 usage.`

  static override examples = [
    {description: 'Bytes of a hand-written request', command: `echo '{"objects":[{"name":"vr_mpls_req","fields":{"h_op":"GET","mr_label":16}}]}' | <%= config.bin %> <%= command.id %>`},
    {description: 'Decode, edit, encode to a file', command: '<%= config.bin %> <%= command.id %> edited.json --out request.bin'},
  ]

  static override args = {file: Args.string({description: 'JSON file ("-" or none = stdin)', required: false, ignoreStdin: true})}

  static override flags = {
    out: Flags.string({char: 'o', description: 'write the raw bytes to this file instead of printing hex'}),
    binary: Flags.boolean({description: 'write the raw bytes to standard output', exclusive: ['out']}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(KsyncEncode)
    const text = new TextDecoder().decode(await readInput(args.file, 'JSON to encode'))
    let json
    try {
      json = JSON.parse(text)
    } catch (error) {
      throw new InputError(`not valid JSON: ${(error as Error).message}`)
    }
    const chunks = encodeDocument(documentFromJson(json))
    if (flags.out !== undefined) await writeFile(flags.out, Buffer.concat(chunks))
    else if (flags.binary) process.stdout.write(Buffer.concat(chunks))
    else this.print(chunks.map((c) => toHex(c, ' ')))
  }
}
