import {Flags} from '@oclif/core'
import {createWriteStream} from 'node:fs'
import {BaseCommand} from '../../cli/base-command.js'
import {InputError} from '../../cli/exit.js'
import {pkt0Flags, pkt0PathOf} from '../../cli/pkt0-endpoint.js'
import {DecodeError} from '../../lib/errors.js'
import type {Pkt0Frame} from '../../lib/model/packet.js'
import {agentCommandCode} from '../../lib/model/pkt0.js'
import {decodePkt0Frame} from '../../lib/pkt0/frame.js'
import {decodePacket} from '../../lib/pkt0/packet.js'
import {CAPTURE_FORMATS, type CaptureFormat, CaptureWriter, pkt0Comment} from '../../lib/pkt0/pcap.js'
import {frameJson, frameLine, headerSummary} from '../../lib/render/pkt0.js'
import {AgentPkt0, describePkt0Path} from '../../lib/transport/pkt0.js'

/** A --filter: every given field must match one of its values. */
interface Filter {
  trap?: Set<number>
  vif?: Set<number>
  vrf?: Set<number>
}

export function parseFilters(texts: readonly string[]): Filter {
  const filter: Filter = {}
  for (const text of texts) {
    const m = text.match(/^(trap|vif|vrf)=(.+)$/)
    if (!m) throw new InputError(`--filter ${text}: trap=NAME[,NAME…], vif=N[,N…] or vrf=N[,N…]`)
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
  return (!filter.trap || filter.trap.has(h.cmd)) && (!filter.vif || filter.vif.has(h.ifindex)) && (!filter.vrf || filter.vrf.has(h.vrf))
}

export default class Pkt0Capture extends BaseCommand {
  static override summary = "Take the agent's place on pkt0 and show every frame the forwarding plane traps to it"

  static override description = `Binds the agent's pkt0 socket (DIR/agent_pkt0 of a DPDK vRouter or of the emulator; the
pipe on Windows) and prints one line per frame: the trap, interface, VRF and what the agent header's
parameters say (flow index, generation, next hop, …), then the packet as tcpdump summarises it.
--json prints one JSON object per line instead. -w writes the packets to a capture file (pcap, or
pcapng with each frame's agent header in the packet comment) that tcpdump and Wireshark open.

The real agent holds that socket while it runs: stop it first on a live compute node (this tool
refuses to take a socket another process holds). Runs until --count frames matched or interrupted.

Exit status: 0 stopped; 4 the socket is held by another process or cannot be bound.`

  static override examples = [
    {description: 'Watch the emulator\'s traps', command: '<%= config.bin %> <%= command.id %> --sock-dir /tmp/vr'},
    {description: 'The next 10 flow misses, as JSON', command: '<%= config.bin %> <%= command.id %> --sock-dir /tmp/vr --filter trap=FLOW_MISS,FLOW_ACTION_HOLD --count 10 --json'},
    {description: 'Into a file for Wireshark', command: '<%= config.bin %> <%= command.id %> --sock-dir /tmp/vr -w traps.pcapng'},
  ]

  static override flags = {
    'sock-dir': Flags.string({description: 'directory of the pkt0 sockets (default /var/run/vrouter)'}),
    ...pkt0Flags,
    count: Flags.integer({char: 'c', description: 'stop after N matching frames', min: 1}),
    filter: Flags.string({description: 'only frames with trap=NAME[,NAME…], vif=N[,…], vrf=N[,…] (repeatable; all must match)', multiple: true}),
    write: Flags.string({char: 'w', description: 'also write the packets to this capture file'}),
    format: Flags.string({description: 'capture file format (default: pcapng for a .pcapng name, else pcap)', options: [...CAPTURE_FORMATS]}),
    json: Flags.boolean({description: 'one JSON object per frame (NDJSON)'}),
    timestamp: Flags.boolean({description: 'start lines with the time (--no-timestamp: without)', default: true, allowNo: true}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Pkt0Capture)
    const filter = parseFilters(flags.filter ?? [])
    const path = pkt0PathOf(flags, flags['sock-dir'])
    const format: CaptureFormat = (flags.format as CaptureFormat | undefined) ?? (flags.write?.endsWith('.pcapng') ? 'pcapng' : 'pcap')
    const writer = flags.write ? new CaptureWriter(format) : undefined
    const file = flags.write ? createWriteStream(flags.write) : undefined
    if (writer && file) file.write(writer.header())
    const agent = await AgentPkt0.attach(path)
    process.stderr.write(`pkt0: capturing on ${describePkt0Path(path)}${flags.write ? `, writing ${format} to ${flags.write}` : ''}\n`)
    let seen = 0
    let shown = 0
    let broken = 0
    await new Promise<void>((resolve) => {
      const stop = () => resolve()
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
      agent.on('close', stop)
      agent.on('frame', (bytes) => {
        seen++
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
        process.stdout.write(`${flags.json ? JSON.stringify(frameJson(frame, packet, time)) : frameLine(frame, packet, time)}\n`)
        if (writer && file) file.write(writer.record(frame.packet, micros, format === 'pcapng' ? pkt0Comment(headerSummary(frame), bytes) : undefined))
        if (flags.count !== undefined && shown >= flags.count) stop()
      })
    })
    agent.close()
    if (file) await new Promise<void>((resolve) => file.end(resolve))
    process.stderr.write(`pkt0: ${shown} frame(s) shown of ${seen} received${broken ? `, ${broken} too short to decode` : ''}\n`)
  }
}
