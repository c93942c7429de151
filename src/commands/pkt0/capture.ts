import {Flags} from '@oclif/core'
import {createWriteStream} from 'node:fs'
import {BaseCommand} from '../../cli/base-command.js'
import {InputError} from '../../cli/exit.js'
import {PKT0_ENDPOINT_FLAGS, pkt0Flags, pkt0SourceOf} from '../../cli/pkt0-endpoint.js'
import {DecodeError} from '../../lib/errors.js'
import {PLATFORMS, agentConfig} from '../../lib/ksync/platform.js'
import type {Pkt0Frame} from '../../lib/model/packet.js'
import {PKT0_INTERFACE, type Pkt0Direction, agentCommandCode, trapMeaning} from '../../lib/model/pkt0.js'
import {decodePkt0Frame, looksLikePkt0Frame} from '../../lib/pkt0/frame.js'
import {decodePacket} from '../../lib/pkt0/packet.js'
import {CAPTURE_FORMATS, type CaptureFormat, CaptureWriter, pkt0Comment} from '../../lib/pkt0/pcap.js'
import {frameJson, frameLine, headerSummary} from '../../lib/render/pkt0.js'
import {InterfaceCapture} from '../../lib/transport/interface-capture.js'
import {AgentPkt0, describePkt0Path} from '../../lib/transport/pkt0.js'

/** A --filter: every given field must match one of its values. */
interface Filter {
  trap?: Set<number>
  vif?: Set<number>
  vrf?: Set<number>
  flow?: Set<number>
}

export function parseFilters(texts: readonly string[]): Filter {
  const filter: Filter = {}
  for (const text of texts) {
    const m = text.match(/^(trap|vif|vrf|flow)=(.+)$/)
    if (!m) throw new InputError(`--filter ${text}: trap=NAME[,NAME…], vif=N[,N…], vrf=N[,N…] or flow=N[,N…]`)
    const values = m[2].split(',').map((v) => {
      const n = m[1] === 'trap' ? agentCommandCode(v) : /^\d+$/.test(v) ? Number(v) : undefined
      if (n === undefined) throw new InputError(`--filter ${text}: ${JSON.stringify(v)} is not ${m[1] === 'trap' ? 'a trap name or code' : 'a number'}`)
      return n
    })
    filter[m[1] as keyof Filter] = new Set(values)
  }
  return filter
}

function matches(filter: Filter, frame: Pkt0Frame): boolean {
  const h = frame.header
  const flow = filter.flow && trapMeaning(h).flowIndex
  return (
    (!filter.trap || filter.trap.has(h.cmd)) &&
    (!filter.vif || filter.vif.has(h.ifindex)) &&
    (!filter.vrf || filter.vrf.has(h.vrf)) &&
    (!filter.flow || (flow !== undefined && filter.flow.has(flow)))
  )
}

/**
 * Where frames come from: the kernel vRouter's tap (AF_PACKET, both directions: what pkt0 transmits goes to the
 * agent) or the agent's end of the channel.
 */
interface FrameSource {
  on(event: 'frame', listener: (frame: Uint8Array, outgoing?: boolean) => void): unknown
  on(event: 'close', listener: () => void): unknown
  on(event: 'error', listener: (error: Error) => void): unknown
  close(): void
}

export default class Pkt0Capture extends BaseCommand {
  static override summary = 'Show every frame on pkt0: on the kernel vRouter\'s tap beside the agent, or in the agent\'s place on a socket'

  static override description = `Prints one line per frame: (on the tap) its direction, the trap, interface, VRF and what the
agent header's parameters say (flow index, generation, next hop, …), then the packet as tcpdump
summarises it. --json prints one JSON object per line instead. -w writes the packets to a capture file
(pcap, or pcapng with each frame's agent header and direction in the packet record); --frames writes
whole frames instead, as tcpdump -i pkt0 does. pkt0 decode reads either back.

Where, as the stock tools choose the forwarding plane (the agent config's platform, --platform):
kernel — an AF_PACKET socket on the interface pkt0 (--interface), beside the agent, both directions;
needs CAP_NET_RAW. DPDK (or --sock-dir, the emulator) — binds the agent's socket DIR/agent_pkt0 when
nothing is there (the emulator's case); a socket there is never taken over or removed: on a DPDK
vRouter capture by other means (vifdump) and read the file with pkt0 decode -r. Windows — opens the pkt0 pipe as its one opener (the device is
the agent's while it runs). Runs until --count frames matched or interrupted (the file is then complete).

Exit status: 0 stopped; 4 no pkt0 interface, no privilege, or the socket or device is held.`

  static override examples = [
    {description: 'Every frame on a kernel vRouter\'s pkt0, both directions', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'The next 10 flow misses, as JSON', command: '<%= config.bin %> <%= command.id %> --filter trap=FLOW_MISS,FLOW_ACTION_HOLD --count 10 --json'},
    {description: 'Watch the emulator\'s traps', command: '<%= config.bin %> <%= command.id %> --sock-dir /tmp/vr'},
    {description: 'Into a file for Wireshark', command: '<%= config.bin %> <%= command.id %> -w traps.pcapng'},
  ]

  static override flags = {
    interface: Flags.string({char: 'i', description: `capture on this interface with AF_PACKET (default on a kernel vRouter: ${PKT0_INTERFACE})`, exclusive: [...PKT0_ENDPOINT_FLAGS, 'platform']}),
    platform: Flags.string({description: 'the forwarding plane (default: the agent config\'s, as the stock tools; --sock-dir: the emulator)', options: [...PLATFORMS], exclusive: [...PKT0_ENDPOINT_FLAGS]}),
    'sock-dir': Flags.string({description: 'directory of the pkt0 sockets (default /var/run/vrouter)'}),
    ...pkt0Flags,
    count: Flags.integer({char: 'c', description: 'stop after N matching frames', min: 1}),
    filter: Flags.string({description: 'only frames with trap=NAME[,NAME…], vif=N[,…], vrf=N[,…], flow=N[,…] (the flow index a trap names; repeatable; all must match)', multiple: true}),
    write: Flags.string({char: 'w', description: 'also write the packets to this capture file'}),
    format: Flags.string({description: 'capture file format (default: pcapng for a .pcapng name, else pcap)', options: [...CAPTURE_FORMATS]}),
    frames: Flags.boolean({description: 'write whole frames, outer and agent header included (as tcpdump -i pkt0)', dependsOn: ['write']}),
    json: Flags.boolean({description: 'one JSON object per frame (NDJSON)'}),
    timestamp: Flags.boolean({description: 'start lines with the time (--no-timestamp: without)', default: true, allowNo: true}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Pkt0Capture)
    const filter = parseFilters(flags.filter ?? [])
    const format: CaptureFormat = (flags.format as CaptureFormat | undefined) ?? (flags.write?.endsWith('.pcapng') ? 'pcapng' : 'pcap')
    const writer = flags.write ? new CaptureWriter(format) : undefined
    const from = pkt0SourceOf(flags, agentConfig())
    const onTap = from.kind === 'interface'
    const source: FrameSource = onTap ? InterfaceCapture.open(from.name) : await AgentPkt0.attach(from.path)
    const where = onTap ? `${from.name} (AF_PACKET, both directions)` : describePkt0Path(from.path)
    const file = flags.write ? createWriteStream(flags.write) : undefined
    if (writer && file) file.write(writer.header())
    process.stderr.write(`pkt0: capturing on ${where}${flags.write ? `, writing ${flags.frames ? 'whole frames' : format} to ${flags.write}` : ''}\n`)
    let seen = 0
    let shown = 0
    let broken = 0
    let foreign = 0
    let failure: Error | undefined
    let stopped = false
    await new Promise<void>((resolve) => {
      const stop = () => {
        stopped = true
        resolve()
      }
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
      source.on('close', stop)
      source.on('error', (error) => {
        failure = error
        stop()
      })
      source.on('frame', (bytes, outgoing) => {
        if (stopped) return
        const direction: Pkt0Direction | undefined = outgoing === undefined ? undefined : outgoing ? 'to-agent' : 'from-agent'
        seen++
        // On the tap, the host's own traffic (IPv6 neighbour discovery, …) is not the agent's.
        if (onTap && !looksLikePkt0Frame(bytes)) {
          foreign++
          return
        }
        let frame: Pkt0Frame
        try {
          frame = decodePkt0Frame(bytes)
        } catch (error) {
          if (!(error instanceof DecodeError)) throw error
          broken++
          return
        }
        if (!matches(filter, frame)) return
        shown++
        const micros = Math.round((performance.timeOrigin + performance.now()) * 1000)
        const packet = decodePacket(frame.packet)
        const time = flags.timestamp ? micros : undefined
        process.stdout.write(`${flags.json ? JSON.stringify(frameJson(frame, packet, time, direction)) : frameLine(frame, packet, time, direction)}\n`)
        if (writer && file) {
          const comment = format === 'pcapng' ? (flags.frames ? headerSummary(frame) : pkt0Comment(headerSummary(frame), bytes)) : undefined
          file.write(writer.record(flags.frames ? bytes : frame.packet, micros, comment, direction))
        }
        if (flags.count !== undefined && shown >= flags.count) stop()
      })
    })
    source.close()
    if (file) await new Promise<void>((resolve) => file.end(resolve))
    const notes = [broken ? `, ${broken} too short to decode` : '', foreign ? `, ${foreign} not pkt0 frames` : ''].join('')
    process.stderr.write(`pkt0: ${shown} frame(s) shown of ${seen} received${notes}\n`)
    if (failure) throw failure
  }
}
