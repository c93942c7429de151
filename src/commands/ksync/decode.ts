import {Flags} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {readInput} from '../../cli/input.js'
import {annotate} from '../../lib/ksync/annotate.js'
import {decodeKsync, documentToJson} from '../../lib/ksync/document.js'
import {FLAVOURS} from '../../lib/ksync/frame.js'
import {isHexText, parseHex} from '../../lib/ksync/hex.js'
import {renderAnnotatedHex} from '../../lib/render/annotated-hex.js'
import {stringifyJson} from '../../lib/render/json.js'
import {renderKsyncDocument} from '../../lib/render/ksync.js'
import {VARIANTS} from '../../lib/sandesh/schema.js'

export default class KsyncDecode extends BaseCommand {
  static override summary = 'Decode ksync bytes (netlink frames or a bare Sandesh payload) into legible objects or JSON'

  static override description = `Reads hex text (plain, annotated with # comments, or a dump with an offset column such as
xxd, hexdump -C or tcpdump -X print) or raw bytes, from --hex, --file or standard input. Frames
of any flavour are decoded message by message: envelope, then every object with its fields by name,
enumerations and flags named, addresses as addresses. --json prints the same as JSON that
\`ksync encode\` turns back into the same bytes.

Exit status: 0 decoded; 1 the bytes do not decode (one line names the error code and byte offset); 2 usage.`

  static override examples = [
    {description: 'Decode a frame pasted as hex', command: '<%= config.bin %> <%= command.id %> --hex "49 00 00 00 20 00 01 00 ..."'},
    {description: 'Decode a capture file and keep only non-zero fields', command: '<%= config.bin %> <%= command.id %> --file reply.bin --nonzero'},
    {description: 'Show which bytes are which field', command: '<%= config.bin %> <%= command.id %> --file request.bin --annotate'},
    {description: 'Round trip: JSON out, bytes back', command: '<%= config.bin %> <%= command.id %> --file req.bin --json | <%= config.bin %> ksync encode'},
    {description: 'Decode a hex dump from stdin as Windows-port objects', command: 'xxd capture.bin | <%= config.bin %> <%= command.id %> --schema windows --flavour windows'},
  ]

  static override flags = {
    hex: Flags.string({char: 'x', description: 'hex text to decode', exclusive: ['file']}),
    file: Flags.string({char: 'f', description: 'file with raw bytes or hex text ("-" = stdin)'}),
    flavour: Flags.string({description: 'framing flavour (default: detected from the family id)', options: [...FLAVOURS]}),
    schema: Flags.string({description: 'IDL generation of the objects', options: [...VARIANTS], default: 'current'}),
    form: Flags.string({description: 'what the bytes are (default: detected)', options: ['frames', 'payload']}),
    json: Flags.boolean({description: 'print JSON (the form `ksync encode` reads)', exclusive: ['annotate']}),
    annotate: Flags.boolean({char: 'a', description: 'print the bytes as annotated hex: each field\'s bytes with what they are'}),
    nonzero: Flags.boolean({description: 'leave out fields that are zero or empty'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(KsyncDecode)
    let bytes: Uint8Array
    if (flags.hex !== undefined) {
      bytes = parseHex(flags.hex)
    } else {
      const raw = await readInput(flags.file, 'bytes to decode')
      bytes = isHexText(raw) ? parseHex(new TextDecoder().decode(raw)) : raw
    }
    const doc = decodeKsync(bytes, {
      flavour: flags.flavour as (typeof FLAVOURS)[number] | undefined,
      variant: flags.schema as (typeof VARIANTS)[number],
      form: flags.form as 'frames' | 'payload' | undefined,
    })
    if (flags.json) this.print([stringifyJson(documentToJson(doc))])
    else if (flags.annotate) this.print(renderAnnotatedHex(bytes, annotate(doc, bytes)))
    else this.print(renderKsyncDocument(doc, {nonzero: flags.nonzero}))
  }
}
