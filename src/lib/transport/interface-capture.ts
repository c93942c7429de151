/**
 * Capture on a Linux network interface (the kernel vRouter's `pkt0` tap) with an AF_PACKET socket, beside the agent
 * that owns the tap: a packet socket gets a copy of every frame, both directions, and takes nothing away. Each frame
 * says whether the interface transmitted it (PACKET_OUTGOING: on pkt0, a trap on its way to the agent reading the
 * tap) or received it (on pkt0, a frame the agent wrote into the tap). Needs CAP_NET_RAW.
 */
import {EventEmitter} from 'node:events'
import {endianness} from 'node:os'
import {setImmediate as yieldToLoop} from 'node:timers/promises'
import {TransportError} from './endpoint.js'
import {interfaceIndex} from './ifname.js'
import {AF_PACKET, RawSocket, SOCK_RAW} from './raw-socket.js'

const ETH_P_ALL = 0x0003
const PACKET_OUTGOING = 4
/** sizeof(struct sockaddr_ll); sll_pkttype is at byte 10. */
const SOCKADDR_LL = 20
const SLL_PKTTYPE = 10
/** What one receive may take (tcpdump's default snapshot length; more than any frame on pkt0). */
const SNAPSHOT = 262144
/** How long one receive waits before the event loop runs again (signals, writes). */
const SLICE_MS = 50

export interface InterfaceCaptureEvents {
  frame: [frame: Uint8Array, outgoing: boolean]
  error: [error: Error]
  close: []
}

/** sockaddr_ll of every protocol on interface `ifindex` (family and index in host order, protocol in network order). */
function sockaddrLl(ifindex: number): Uint8Array {
  const out = new Uint8Array(SOCKADDR_LL)
  const v = new DataView(out.buffer)
  const le = endianness() === 'LE'
  v.setUint16(0, AF_PACKET, le)
  v.setUint16(2, ETH_P_ALL)
  v.setInt32(4, ifindex, le)
  return out
}

export class InterfaceCapture extends EventEmitter<InterfaceCaptureEvents> {
  private stopped = false

  private constructor(
    readonly name: string,
    private readonly socket: RawSocket,
  ) {
    super()
  }

  /**
   * Opens a packet socket on interface `name` and starts receiving. No such interface: TransportError NO_SERVER; no
   * privilege: TransportError IO with errno EPERM, saying it is CAP_NET_RAW that is missing.
   */
  static open(name: string): InterfaceCapture {
    const ifindex = interfaceIndex(name)
    if (ifindex === 0) throw new TransportError('NO_SERVER', `no interface ${name} here (is the vRouter agent running? on a DPDK vRouter pkt0 is a socket: see --platform)`)
    let socket: RawSocket
    try {
      // Protocol 0 receives nothing until bound, so no frame of another interface slips in before bind().
      socket = RawSocket.create(AF_PACKET, SOCK_RAW, 0)
    } catch (error) {
      const errno = (error as TransportError).errno
      if (errno === 'EPERM' || errno === 'EACCES') throw new TransportError('IO', `capturing on ${name} needs CAP_NET_RAW (run as root or grant the capability)`, errno)
      throw error
    }
    try {
      socket.bind(sockaddrLl(ifindex))
    } catch (error) {
      socket.close()
      throw new TransportError('IO', `cannot capture on ${name}: ${(error as Error).message}`, (error as TransportError).errno)
    }
    const capture = new InterfaceCapture(name, socket)
    void capture.run()
    return capture
  }

  private async run(): Promise<void> {
    const buffer = new Uint8Array(SNAPSHOT)
    const from = new Uint8Array(SOCKADDR_LL)
    try {
      while (!this.stopped) {
        const length = this.socket.receive(buffer, SLICE_MS, from)
        if (length !== undefined) {
          this.emit('frame', buffer.slice(0, Math.min(length, SNAPSHOT)), from[SLL_PKTTYPE] === PACKET_OUTGOING)
        }
        await yieldToLoop()
      }
    } catch (error) {
      if (!this.stopped) this.emit('error', error as Error)
    }
    this.socket.close()
    this.emit('close')
  }

  /** Stops after the receive under way (at most one slice); 'close' follows. */
  close(): void {
    this.stopped = true
  }
}
