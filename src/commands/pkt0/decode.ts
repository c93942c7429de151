import {Flags} from '@oclif/core'
import {Args} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {readInput} from '../../cli/input.js'
import {isHexText, parseHex} from '../../lib/ksync/hex.js'
import type {DecodedPacket, Pkt0Frame} from '../../lib/model/packet.js'
import type {Pkt0Direction} from '../../lib/model/pkt0.js'
import {frameRuns, packetRuns} from '../../lib/pkt0/annotate.js'
import {decodePkt0Frame, looksLikePkt0Frame} from '../../lib/pkt0/frame.js'
import {decodePacket} from '../../lib/pkt0/packet.js'
import {headersFromComment, isCapture, readCapture} from '../../lib/pkt0/pcap.js'
import {renderAnnotatedHex} from '../../lib/render/annotated-hex.js'
import {stringifyJson} from '../../lib/render/json.js'
import {frameJson, frameLine, packetSummary} from '../../lib/render/pkt0.js'

/** One input record: a whole pkt0 frame, or only its packet (a pcap keeps no agent header). */
interface Item {
  readonly bytes: Uint8Array
  readonly frame?: Pkt0Frame
  readonly packet: DecodedPacket
  readonly micros?: number
  readonly direction?: Pkt0Direction
}

export default class Pkt0Decode extends BaseCommand {
  static override summary = 'Decode saved pkt0 frames: a capture file, hex text or raw bytes'

  static override description = `Reads a pcap or pcapng file (as pkt0 capture -w writes, or tcpdump -i pkt0 on a kernel vRouter,
or vifdump on the agent's vif of a DPDK one), hex text (plain, annotated with # comments, or
xxd/hexdump/tcpdump -X dumps) or raw bytes, from FILE (-r FILE), --hex or standard input. Prints one
line per frame as pkt0 capture does; --json prints the frames' fields, --annotate the bytes as
annotated hex, field by field. Hex and raw input is one frame from its outer Ethernet header on
(--packet: only the packet, without the agent header). In a capture file, a record that is a whole
frame (outer header saying IPv4, then no IPv4 header: an agent header) is read as one, as are the
frames a pcapng file of pkt0 capture keeps in its comments, with their direction; any other record is
a packet without its agent header; --frames reads every record as a whole frame.

Exit status: 0 decoded; 1 the input cannot be read or is not a pkt0 frame (one line says where).`

  static override examples = [
    {description: 'A saved capture', command: '<%= config.bin %> <%= command.id %> traps.pcapng'},
    {description: 'What tcpdump took on a kernel vRouter\'s pkt0', command: '<%= config.bin %> <%= command.id %> -r tap.pcap'},
    {description: 'A frame pasted as hex, field by field', command: '<%= config.bin %> <%= command.id %> --hex "00 00 5e 00 01 00 ..." --annotate'},
  ]

  static override args = {file: Args.string({description: 'capture file, hex text or raw frame ("-" = stdin)'})}

  static override flags = {
    read: Flags.string({char: 'r', description: 'the file to read, as tcpdump -r (the same as FILE)', exclusive: ['file', 'hex']}),
    hex: Flags.string({char: 'x', description: 'the frame as hex text', exclusive: ['file']}),
    packet: Flags.boolean({description: 'the bytes are a packet without outer and agent header', exclusive: ['frames']}),
    frames: Flags.boolean({description: 'each record of a capture file is a whole frame (tcpdump on a kernel vRouter\'s pkt0 tap)'}),
    json: Flags.boolean({description: 'print JSON', exclusive: ['annotate']}),
    annotate: Flags.boolean({char: 'a', description: 'print the bytes as annotated hex'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Pkt0Decode)
    const items = await this.items(flags.read ?? args.file, flags)
    if (flags.json) {
      this.print([stringifyJson(items.map((i) => (i.frame ? frameJson(i.frame, i.packet, i.micros, i.direction) : {summary: packetSummary(i.packet), layers: i.packet.layers, ...(i.packet.issue ? {issue: i.packet.issue} : {})})))])
    } else if (flags.annotate) {
      this.print(items.flatMap((i, n) => [...(n > 0 ? [''] : []), ...renderAnnotatedHex(i.bytes, i.frame ? frameRuns(i.frame, i.packet) : packetRuns(i.packet))]))
    } else {
      this.print(items.map((i) => (i.frame ? frameLine(i.frame, i.packet, undefined, i.direction) : packetSummary(i.packet))))
    }
  }

  private async items(file: string | undefined, flags: {hex?: string; packet?: boolean; frames?: boolean}): Promise<Item[]> {
    const raw = flags.hex !== undefined ? undefined : await readInput(file, 'frames to decode')
    if (raw && isCapture(raw)) {
      return readCapture(raw).records.map((r) => {
        const headers = headersFromComment(r.comment)
        if (headers && !flags.frames) return this.item(new Uint8Array([...headers, ...r.data]), false, r.micros, r.direction)
        return this.item(r.data, !flags.frames && !looksLikePkt0Frame(r.data), r.micros, r.direction)
      })
    }
    const bytes = flags.hex !== undefined ? parseHex(flags.hex) : isHexText(raw!) ? parseHex(new TextDecoder().decode(raw)) : raw!
    return [this.item(bytes, flags.packet ?? false)]
  }

  private item(bytes: Uint8Array, packetOnly: boolean, micros?: number, direction?: Pkt0Direction): Item {
    if (packetOnly) return {bytes, packet: decodePacket(bytes), micros}
    const frame = decodePkt0Frame(bytes)
    return {bytes, frame, packet: decodePacket(frame.packet), micros, direction}
  }
}
