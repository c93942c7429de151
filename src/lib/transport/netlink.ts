/**
 * A generic netlink socket, as the stock tools open it to reach the kernel vRouter: AF_NETLINK, SOCK_DGRAM,
 * NETLINK_GENERIC, bound with port id 0 so that the kernel assigns one (TF utils/unix_util.c, utils/ini_parser.c).
 * One datagram is one message each way. The stock tools also join the vRouter's multicast group; we join it only for
 * `rt --monitor`: its route notifications (seq 0, pid 0) could be taken for the reply to a request of seq 0.
 */
import {TransportError} from './endpoint.js'
import type {MessageEndpoint} from './message-stream.js'
import {AF_NETLINK, RawSocket, SOCK_DGRAM} from './raw-socket.js'

export const NETLINK_GENERIC = 16
const SOL_NETLINK = 270
const NETLINK_ADD_MEMBERSHIP = 1
/** sizeof(struct sockaddr_nl): family u16, pad u16, port id u32, groups u32. */
const SOCKADDR_NL_LENGTH = 12

export class NetlinkSocket implements MessageEndpoint {
  private constructor(
    private readonly socket: RawSocket,
    /** The port id the kernel assigned: the nlmsg_pid of its replies. */
    readonly portId: number,
  ) {}

  /** Opens and binds a socket of a netlink protocol (NETLINK_GENERIC by default); TransportError when it cannot. */
  static open(protocol = NETLINK_GENERIC): NetlinkSocket {
    const socket = RawSocket.create(AF_NETLINK, SOCK_DGRAM, protocol)
    try {
      const address = new Uint8Array(SOCKADDR_NL_LENGTH)
      new DataView(address.buffer).setUint16(0, AF_NETLINK, true)
      socket.bind(address)
      const bound = socket.address()
      return new NetlinkSocket(socket, new DataView(bound.buffer, bound.byteOffset, bound.length).getUint32(4, true))
    } catch (error) {
      socket.close()
      throw error
    }
  }

  /** Joins a multicast group (its messages then arrive with the replies), as the stock tools' connect helper does (TF utils/unix_util.c). */
  join(group: number): void {
    const value = new Uint8Array(4)
    new DataView(value.buffer).setUint32(0, group, true)
    this.socket.setOption(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, value)
  }

  /** Sends one message to the kernel (port id 0). */
  send(bytes: Uint8Array): void {
    this.socket.send(bytes)
  }

  receive(into: Uint8Array, waitMs: number): number {
    return this.socket.receive(into, waitMs) ?? 0
  }

  /** One message within `timeoutMs`, waiting in short slices that yield to the event loop; TransportError TIMEOUT otherwise. */
  async receiveWithin(into: Uint8Array, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const length = this.receive(into, Math.max(0, Math.min(10, deadline - Date.now())))
      if (length > 0) return length
      if (Date.now() >= deadline) throw new TransportError('TIMEOUT', `no netlink reply within ${timeoutMs} ms`)
      await new Promise((resolve) => setImmediate(resolve))
    }
  }

  close(): void {
    this.socket.close()
  }
}
