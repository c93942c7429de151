import {Flags} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {connectClient, endpointFlags} from '../../cli/endpoint.js'
import {type PacketFlags, packetBytes, packetFlags} from '../../cli/packet-flags.js'
import {pkt0Flags, pkt0PathOf} from '../../cli/pkt0-endpoint.js'
import {AGENT, AGENT_DESTINATION_MAC, AGENT_SOURCE_MAC, CMD_PARAM_1_DIAG, CMD_PARAM_PACKET_CTRL, PKT0_ETHERTYPE} from '../../lib/model/pkt0.js'
import {formatMac} from '../../lib/model/addresses.js'
import type {PacketDefaults} from '../../lib/pkt0/build.js'
import {encodePkt0Frame} from '../../lib/pkt0/frame.js'
import {decodePacket} from '../../lib/pkt0/packet.js'
import {packetSummary} from '../../lib/render/pkt0.js'
import {describePkt0Path, sendToVrouter} from '../../lib/transport/pkt0.js'

export default class Pkt0Send extends BaseCommand {
  static override summary = 'Send a packet to the forwarding plane as the agent does: out of an interface, or in as if received'

  static override description = `Builds an agent frame (outer Ethernet 00:00:00:00:00:01 → 00:00:00:00:00:02 and an agent header)
around a packet (--proto and its fields, or --hex) and sends it to the forwarding plane's pkt0
endpoint. --cmd switch sends the packet out of interface --vif (as the agent answers ARP and DHCP);
--cmd route has the forwarding plane take it in as if received on --vif in --vrf; --diag marks it
as a diagnostic packet. Addresses the packet does not give come from interface --vif (over ksync,
when the forwarding plane answers). On a DPDK vRouter the frame comes from an unbound socket, so
the agent (or pkt0 capture) keeps its own.

Exit status: 0 sent; 1 the packet cannot be built; 4 nothing serves pkt0.`

  static override examples = [
    {description: 'Answer a VM\'s ARP request as the agent would', command: '<%= config.bin %> <%= command.id %> --sock-dir /tmp/vr --cmd switch --vif 3 --vrf 2 --proto arp --op reply --src 10.1.1.1 --dst 10.1.1.5 --dst-mac 02:00:00:00:00:03'},
    {description: 'A diagnostic probe routed from the fabric', command: '<%= config.bin %> <%= command.id %> --sock-dir /tmp/vr --cmd route --vif 0 --diag --proto udp --src 192.168.10.7 --dst 192.168.10.8 --dport 33434'},
  ]

  static override flags = {
    ...endpointFlags,
    ...pkt0Flags,
    cmd: Flags.string({description: 'what the forwarding plane does with it', options: ['switch', 'route'], default: 'route'}),
    vif: Flags.integer({description: 'interface (hdr_ifindex)', required: true, min: 0, max: 0xffff}),
    vrf: Flags.integer({description: 'VRF (hdr_vrf); default: the interface\'s', min: 0, max: 0xffff}),
    diag: Flags.boolean({description: 'mark it as a diagnostic packet (params 0 and 1 = 1)'}),
    ...packetFlags,
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Pkt0Send)
    // Out of an interface, the packet goes to the VM from the vRouter; routed in, it comes from the VM.
    const towardsVm = (d: PacketDefaults) => (flags.cmd === 'switch' ? {...d, srcMac: d.dstMac, dstMac: d.srcMac} : d)
    const packet = await packetBytes(flags as PacketFlags, flags.vif, () => connectClient(flags), towardsVm)
    const {bytes} = packet
    const vrf = flags.vrf ?? packet.vrf ?? 0
    const cmd = flags.cmd === 'switch' ? AGENT.SWITCH : AGENT.ROUTE
    const params = flags.diag ? ([CMD_PARAM_PACKET_CTRL, CMD_PARAM_1_DIAG, 0, 0, 0, 0] as const) : ([0, 0, 0, 0, 0, 0] as const)
    const frame = encodePkt0Frame({
      outer: {layer: 'ethernet', dst: formatMac(AGENT_DESTINATION_MAC), src: formatMac(AGENT_SOURCE_MAC), ethertype: PKT0_ETHERTYPE},
      header: {ifindex: flags.vif, vrf, cmd, params: [...params], pad: 0},
      packet: bytes,
    })
    const path = pkt0PathOf(flags, flags['sock-dir'])
    await sendToVrouter(path, [frame])
    this.print([`sent ${flags.cmd.toUpperCase()} vif ${flags.vif} vrf ${vrf}${flags.diag ? ' diag' : ''} to ${describePkt0Path(path)}: ${packetSummary(decodePacket(bytes))}`])
  }
}
