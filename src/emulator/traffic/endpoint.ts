/**
 * The emulator's pkt0 endpoint: the datapath's traps go out to the attached agent, the agent's frames come into the
 * datapath. A trap nobody takes (no agent attached) is lost, as on the real one, and counted as an output error of
 * the agent interface.
 */
import type {Pkt0Path} from '../../lib/transport/pkt0.js'
import {VrouterPkt0} from '../../lib/transport/pkt0.js'
import type {Datapath} from './datapath.js'

export class Pkt0Endpoint {
  readonly counters = {sent: 0, lost: 0, received: 0}

  private constructor(
    readonly channel: VrouterPkt0,
    private readonly datapath: Datapath,
  ) {
    datapath.on('trap', (frame) => void this.forward(frame))
    channel.on('frame', (frame) => {
      this.counters.received++
      datapath.fromAgent(frame)
    })
  }

  static async open(datapath: Datapath, path: Pkt0Path): Promise<Pkt0Endpoint> {
    return new Pkt0Endpoint(await VrouterPkt0.open(path), datapath)
  }

  private async forward(frame: Uint8Array): Promise<void> {
    if (await this.channel.send(frame).catch(() => false)) {
      this.counters.sent++
      return
    }
    this.counters.lost++
    const agent = this.datapath.agentInterface()
    if (agent) agent.fields.vifr_oerrors = Number(agent.fields.vifr_oerrors) + 1
  }

  close(): Promise<void> {
    return this.channel.close()
  }
}
