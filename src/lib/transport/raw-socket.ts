/**
 * Sockets Node has no API for — generic netlink (the kernel vRouter's ksync channel), AF_PACKET (capture on its
 * pkt0 interface), a Unix stream socket read without the event loop (the tools' synchronous transport, the emulator's
 * busy polling) — through the rawsock addon (native/rawsock.c). Calls are synchronous; a receive waits at most the
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
  connect(fd: number, sockaddr: Uint8Array, timeoutMs: number): void
  read(fd: number, into: Uint8Array, timeoutMs: number): number
  relax(): void
  close(fd: number): void
}

export const AF_UNIX = 1
export const AF_NETLINK = 16
export const AF_PACKET = 17
export const SOCK_STREAM = 1
export const SOCK_DGRAM = 2
export const SOCK_RAW = 3

let addon: Rawsock | undefined
let problem: string | undefined

/** Whether the addon can be loaded here (without it, the transports that need it are off). */
export function rawSocketsAvailable(): boolean {
  try {
    rawsock()
    return true
  } catch {
    return false
  }
}

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

/**
 * The bytes a stream socket someone else owns (a Node socket's descriptor) holds now, into `into`, without waiting:
 * how many (0 at the stream's end), undefined when there are none.
 */
export function readNow(fd: number, into: Uint8Array): number | undefined {
  let length: number
  try {
    length = rawsock().read(fd, into, 0)
  } catch (error) {
    throw error instanceof TransportError ? error : failed('read', error)
  }
  return length < 0 ? undefined : length
}

/**
 * Sends what a stream socket someone else owns (a non-blocking Node socket's descriptor) takes now, without waiting:
 * how many bytes (0 when it has no room).
 */
export function sendNow(fd: number, bytes: Uint8Array): number {
  try {
    return rawsock().send(fd, bytes)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EAGAIN') return 0
    throw error instanceof TransportError ? error : failed('send', error)
  }
}

/** Lets another runnable thread have this CPU (sched_yield): a busy poll that found nothing stays polite. */
export function relax(): void {
  rawsock().relax()
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

  /** Sends `bytes` (to `to` on a datagram socket); returns how many were taken (a stream may take fewer). */
  send(bytes: Uint8Array, to?: Uint8Array): number {
    return this.call('send', () => this.native.send(this.fd, bytes, to))
  }

  /** Connects a stream socket, waiting at most `timeoutMs` for the listener, and bounds later sends by that too. */
  connect(sockaddr: Uint8Array, timeoutMs: number): void {
    this.call('connect', () => this.native.connect(this.fd, sockaddr, timeoutMs))
  }

  /** Stream bytes into `into`, waiting at most `timeoutMs`: how many (0 at the stream's end), undefined when none came. */
  read(into: Uint8Array, timeoutMs: number): number | undefined {
    const length = this.call('read', () => this.native.read(this.fd, into, timeoutMs))
    return length < 0 ? undefined : length
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
