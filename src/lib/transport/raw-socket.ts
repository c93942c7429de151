/**
 * Sockets Node has no API for — generic netlink (the kernel vRouter's ksync channel) and AF_PACKET (capture on its
 * pkt0 interface) — through the rawsock addon (native/rawsock.c). Calls are synchronous; a receive waits at most the
 * time it is given, so callers wait in short slices and yield to the event loop between them (Ctrl-C stays prompt).
 */
import {ownAddon} from '../native/addon.js'
import {TransportError} from './endpoint.js'

interface Rawsock {
  open(domain: number, type: number, protocol: number): number
  bind(fd: number, sockaddr: Uint8Array): void
  sockname(fd: number): Uint8Array
  setsockopt(fd: number, level: number, name: number, value: Uint8Array): void
  send(fd: number, bytes: Uint8Array, to?: Uint8Array): number
  recv(fd: number, into: Uint8Array, timeoutMs: number, from?: Uint8Array): number
  close(fd: number): void
}

export const AF_UNIX = 1
export const AF_NETLINK = 16
export const AF_PACKET = 17
export const SOCK_DGRAM = 2
export const SOCK_RAW = 3
export const SOL_SOCKET = 1
export const SO_RCVBUF = 8

let addon: Rawsock | undefined
let problem: string | undefined

/** The addon, or a TransportError that says why there is none. */
function rawsock(): Rawsock {
  if (addon) return addon
  if (problem === undefined) {
    try {
      if (process.platform !== 'linux') throw new Error(`${process.platform} has no netlink or AF_PACKET sockets`)
      addon = ownAddon<Rawsock>('rawsock')
      return addon
    } catch (error) {
      problem = (error as Error).message.split('\n')[0]
    }
  }
  throw new TransportError('IO', `raw sockets are not available here (${problem})`)
}

/** A failed call as a TransportError carrying the errno name (EPERM, EPROTONOSUPPORT, …). */
function failed(what: string, error: unknown): TransportError {
  const errno = (error as NodeJS.ErrnoException).code
  return new TransportError('IO', `${what}: ${(error as Error).message}`, errno)
}

export class RawSocket {
  private open = true

  private constructor(
    private readonly native: Rawsock,
    readonly fd: number,
  ) {}

  static create(domain: number, type: number, protocol: number): RawSocket {
    const native = rawsock()
    try {
      return new RawSocket(native, native.open(domain, type, protocol))
    } catch (error) {
      throw failed('socket', error)
    }
  }

  bind(sockaddr: Uint8Array): void {
    this.call('bind', () => this.native.bind(this.fd, sockaddr))
  }

  /** The bytes of the address the socket is bound to. */
  address(): Uint8Array {
    return this.call('getsockname', () => this.native.sockname(this.fd))
  }

  setOption(level: number, name: number, value: Uint8Array): void {
    this.call('setsockopt', () => this.native.setsockopt(this.fd, level, name, value))
  }

  send(bytes: Uint8Array, to?: Uint8Array): void {
    this.call('send', () => this.native.send(this.fd, bytes, to))
  }

  /**
   * One datagram into `into`, waiting at most `timeoutMs`: its full length (more than `into` holds when it was cut),
   * or undefined when nothing came. `from` receives the sender's address bytes.
   */
  receive(into: Uint8Array, timeoutMs: number, from?: Uint8Array): number | undefined {
    const length = this.call('recv', () => this.native.recv(this.fd, into, timeoutMs, from))
    return length < 0 ? undefined : length
  }

  close(): void {
    if (!this.open) return
    this.open = false
    this.native.close(this.fd)
  }

  private call<T>(what: string, run: () => T): T {
    if (!this.open) throw new TransportError('CLOSED', `${what}: the socket is closed`)
    try {
      return run()
    } catch (error) {
      throw failed(what, error)
    }
  }
}
