import {Flags} from '@oclif/core'
import {join} from 'node:path'
import {BaseCommand} from '../../cli/base-command.js'
import {connectClient, endpointFlags} from '../../cli/endpoint.js'
import {type PacketFlags, packetBytes, packetFlags} from '../../cli/packet-flags.js'
import type {Outcome} from '../../emulator/traffic/datapath.js'
import {WIRE_SOCKET_NAME, WireClient} from '../../emulator/traffic/wire.js'
import {decodePacket} from '../../lib/pkt0/packet.js'
import {stringifyJson} from '../../lib/render/json.js'
import {packetSummary} from '../../lib/render/pkt0.js'
import {DEFAULT_SOCK_DIR} from '../../lib/transport/endpoint.js'

export default class EmulatorInject extends BaseCommand {
  static override summary = 'Send packets into an interface of the running emulator, and say what became of them'

  static override description = `Builds a packet (--proto and its fields; addresses the interface does not give default to
the interface's: the VM's IP, the vRouter's MAC as gateway) or takes one as --hex, and sends it
into interface --vif through the emulator's wire, --count times. The emulator's datapath handles it
as the forwarding plane would: ARP proxied, flooded or trapped, DHCP trapped to the agent, IP routed
(from an interface with policy, as its flow says: a new flow is held and trapped as a flow miss until
a FLOW_SET gives it an action), with counters moving. One line per
packet: what it was, then its fates (trapped as …, sent out of vif N, dropped: VP_DROP_…).

Exit status: 0 sent; 1 the packet cannot be built; 4 the emulator cannot be reached.`

  static override examples = [
    {description: 'A VM asks for its gateway (proxied by the vRouter)', command: '<%= config.bin %> <%= command.id %> --sock-dir /tmp/vr --vif 3 --proto arp --dst 10.1.1.1'},
    {description: 'A booting VM (trapped to the agent as L3_PROTOCOLS)', command: '<%= config.bin %> <%= command.id %> --sock-dir /tmp/vr --vif 3 --proto dhcp'},
    {description: 'A TCP SYN to another VM', command: '<%= config.bin %> <%= command.id %> --sock-dir /tmp/vr --vif 3 --proto tcp --dst 10.1.1.6 --dport 80 --flags S'},
  ]

  static override flags = {
    ...endpointFlags,
    wire: Flags.string({description: `the emulator's wire (default DIR/${WIRE_SOCKET_NAME})`}),
    vif: Flags.integer({description: 'the interface the packet enters', required: true, min: 0}),
    ...packetFlags,
    count: Flags.integer({description: 'send it this many times', default: 1, min: 1}),
    json: Flags.boolean({description: 'print each packet\'s fates as JSON'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(EmulatorInject)
    const {bytes} = await packetBytes(flags as PacketFlags, flags.vif, () => connectClient(flags))
    const wire = await WireClient.connect(flags.wire ?? join(flags['sock-dir'] ?? DEFAULT_SOCK_DIR, WIRE_SOCKET_NAME), flags.timeout)
    try {
      const summary = packetSummary(decodePacket(bytes))
      for (let i = 0; i < flags.count; i++) {
        const outcomes = await wire.inject(flags.vif, bytes)
        this.print([flags.json ? stringifyJson({vif: flags.vif, packet: summary, outcomes}) : `vif ${flags.vif}: ${summary} → ${outcomes.map(fate).join('; ') || 'nothing'}`])
      }
    } finally {
      wire.close()
    }
  }
}

function fate(o: Outcome): string {
  switch (o.fate) {
    case 'trapped':
      return `trapped to the agent as ${o.trap}${o.flow !== undefined ? ` (flow ${o.flow})` : ''}`
    case 'sent':
      return `sent out of vif ${o.vif} (${o.why})`
    case 'held':
      return `held in flow ${o.flow}`
    case 'dropped':
      return `dropped: ${o.reason}`
  }
}
