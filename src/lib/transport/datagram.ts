/**
 * Unix datagram sockets (AF_UNIX, SOCK_DGRAM), which Node does not have: the DPDK vRouter's pkt0 channel is a pair of
 * them. They come from the N-API addon of the npm package node-unix-socket (prebuilt, ABI-stable, no build step;
 * docs/decisions.md). From sources the package's own loader finds it; the single binary carries the addon as an
 * asset and loads it from a file written beside the other temporary files.
 */
import {EventEmitter} from 'node:events'
import {existsSync, unlinkSync} from 'node:fs'
import {createRequire} from 'node:module'
import {addonInBinary} from '../native/addon.js'
import {TransportError, checkEndpointPath} from './endpoint.js'

interface DgramWrap {
  init(self: object): void
  startRecv(): void
  bind(path: string): void
  sendTo(buf: Buffer, offset: number, length: number, path: string, cb: (error?: Error) => void): void
  setSendBufferSize(size: number): void
  setRecvBufferSize(size: number): void
  close(): void
}

interface Addon {
  DgramSocketWrap: new (emitter: object) => DgramWrap
}

/** The name of the addon among the single binary's assets (scripts/build-binary.mjs). */
export const DGRAM_ADDON_ASSET = 'node-unix-socket.node'

let addon: Addon | undefined

function load(): Addon {
  if (addon) return addon
  if (process.platform === 'win32') throw new TransportError('BAD_PATH', 'Windows has no Unix datagram sockets: use the named pipe')
  try {
    addon = addonInBinary<Addon>(DGRAM_ADDON_ASSET) ?? (createRequire(import.meta.url)('node-unix-socket/js/addon.js') as Addon)
  } catch (error) {
    throw new TransportError('IO', `Unix datagram sockets are not available here (${(error as Error).message.split('\n')[0]})`)
  }
  return addon
}

/** The addon reports errors by strerror text only. */
const ERRNO_OF: Readonly<Record<string, string>> = {
  'No such file or directory': 'ENOENT',
  'Connection refused': 'ECONNREFUSED',
  'Address already in use': 'EADDRINUSE',
  'Permission denied': 'EACCES',
  'Resource temporarily unavailable': 'EAGAIN',
  'No buffer space available': 'ENOBUFS',
}

function errnoOf(error: Error): string | undefined {
  return ERRNO_OF[error.message] ?? Object.entries(ERRNO_OF).find(([text]) => error.message.includes(text))?.[1]
}

export interface DatagramEvents {
  message: [bytes: Uint8Array, from: string]
  error: [error: Error]
}

/** One Unix datagram socket, bound to a path (its file is removed on close) or unbound (send only). */
export class DatagramSocket extends EventEmitter<DatagramEvents> {
  private readonly wrap: DgramWrap
  private closed = false

  private constructor(readonly path: string | undefined) {
    super()
    const {DgramSocketWrap} = load()
    // The addon calls emit on the object it is given, from the event loop.
    const inner = new EventEmitter()
    inner.emit = inner.emit.bind(inner)
    // An empty datagram is another process's probe (`reachable`), not a message.
    inner.on('_data', (buffer: Buffer, from: string) => buffer.length > 0 && this.emit('message', new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length), from))
    inner.on('_error', (error: Error) => this.emit('error', error))
    this.wrap = new DgramSocketWrap(inner)
    this.wrap.init(this.wrap)
    this.wrap.startRecv()
  }

  /**
   * Binds `path`. A file already there is taken over only if nobody is bound to it (a socket left by a process that
   * died refuses a probe datagram); a live owner is an error.
   */
  static async bound(path: string, buffers?: {send?: number; receive?: number}): Promise<DatagramSocket> {
    checkEndpointPath(path)
    if (existsSync(path)) {
      if (await DatagramSocket.reachable(path)) throw new TransportError('BAD_PATH', `${path}: another process is bound there`, 'EADDRINUSE')
      unlinkSync(path)
    }
    const socket = new DatagramSocket(path)
    try {
      socket.wrap.bind(path)
    } catch (error) {
      socket.wrap.close()
      throw new TransportError('BAD_PATH', `cannot bind ${path}: ${(error as Error).message}`, errnoOf(error as Error))
    }
    if (buffers?.send) socket.wrap.setSendBufferSize(buffers.send)
    if (buffers?.receive) socket.wrap.setRecvBufferSize(buffers.receive)
    return socket
  }

  /** A socket that only sends (its datagrams come from no address). */
  static unbound(): DatagramSocket {
    return new DatagramSocket(undefined)
  }

  /** Whether a process is bound to `path` (an empty datagram is sent there; the pkt0 peers drop frames that short). */
  static async reachable(path: string): Promise<boolean> {
    const probe = DatagramSocket.unbound()
    try {
      await probe.send(new Uint8Array(0), path)
      return true
    } catch (error) {
      if (error instanceof TransportError && error.code === 'NO_SERVER') return false
      throw error
    } finally {
      probe.close()
    }
  }

  /** Sends one datagram; nobody bound at `to` is a TransportError NO_SERVER. */
  send(bytes: Uint8Array, to: string): Promise<void> {
    if (this.closed) return Promise.reject(new TransportError('CLOSED', 'the datagram socket is closed'))
    return new Promise((resolve, reject) => {
      const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
      const done = (error?: Error | null) => {
        if (!error) return resolve()
        const errno = errnoOf(error)
        const absent = errno === 'ENOENT' || errno === 'ECONNREFUSED'
        reject(new TransportError(absent ? 'NO_SERVER' : 'IO', `cannot send to ${to}: ${error.message}`, errno))
      }
      try {
        this.wrap.sendTo(buffer, 0, buffer.length, to, done)
      } catch (error) {
        done(error as Error)
      }
    })
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.wrap.close()
    if (this.path !== undefined) {
      try {
        unlinkSync(this.path)
      } catch {
        // Already gone: nothing to clean.
      }
    }
  }
}
