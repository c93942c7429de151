/**
 * The emulator's ksync server: listens on a Unix stream socket (the DPDK vRouter's `dpdk_netlink`) or a Windows
 * named pipe, and keeps one session per connection — its own frame parser, its own reply queue, its own dump
 * cursors (markers travel in the requests). Requests of a session are served in order, one at a time; replies are
 * written message by message, each with one write. A client that stops reading gets back-pressure on its own
 * connection only: once its unsent replies pass the limit, the server stops reading that connection until they
 * drain. Bad bytes close that connection alone.
 *
 * Busy polling (as the DPDK vRouter's lcores poll their queues): after serving a session, the server keeps reading
 * that connection without waiting for a short window, and serves what comes inline — a client sending one request at
 * a time gets its next reply without the server waking up and passing through its event loop. Each read goes through
 * the same path as one the event loop delivers (parser, limits, reply queue, back-pressure). The window restarts with
 * each request; a turn ends after at most MAX_BUSY_POLL_US, when the session is back-pressured or has replies the
 * event loop must send, or when it closes, so the other sessions wait at most that long. Only a session that has the
 * server to itself is polled (see `delivered`). A poll that found nothing yields the CPU to any other runnable thread
 * (the client, on a busy machine). Off without the rawsock addon (or a descriptor).
 */
import {EventEmitter} from 'node:events'
import {existsSync, unlinkSync} from 'node:fs'
import {type Server, type Socket, createServer} from 'node:net'
import {DecodeError, ERRNO} from '../../lib/errors.js'
import {
  type Flavour,
  FrameParser,
  type NetlinkMessage,
  type SandeshMessage,
  encodeReplyBatch,
} from '../../lib/ksync/frame.js'
import {codecFor} from '../../lib/sandesh/codec.js'
import type {SandeshObject, Variant} from '../../lib/sandesh/schema.js'
import {SandeshOp} from '../../lib/sandesh/types.js'
import {TransportError, checkEndpointPath, connectStream, isPipePath} from '../../lib/transport/endpoint.js'
import {rawSocketsAvailable, readNow, relax, sendNow} from '../../lib/transport/raw-socket.js'

export interface ServerLimits {
  /** Connections served at once; more are accepted and closed at once. */
  readonly maxSessions: number
  /** Largest request message (nlmsg_len); a longer one closes the connection. */
  readonly maxMessageLength: number
  /** Unsent reply bytes per session above which the server stops reading that session. */
  readonly maxQueuedBytes: number
}

export const DEFAULT_LIMITS: ServerLimits = {maxSessions: 256, maxMessageLength: 65536, maxQueuedBytes: 256 * 1024}

/** How long a session is polled after its last request (µs) by default, and at most in one turn of the event loop. */
export const DEFAULT_BUSY_POLL_US = 100
export const MAX_BUSY_POLL_US = 1000

/** What serves the requests: the objects of one request message in, the reply messages (each a list of objects) out. */
export interface RequestHandler {
  handle(objects: readonly SandeshObject[]): SandeshObject[][]
}

export interface ServerOptions {
  readonly path: string
  /** Reply framing: dpdk on a Unix socket (the default), windows on a pipe, linux for netlink-framing tests. */
  readonly flavour?: Flavour
  /** linux flavour: the nlmsg_pid of every reply (a kernel puts the client's port id there). */
  readonly portId?: number
  readonly variant?: Variant
  readonly limits?: Partial<ServerLimits>
  /** Busy polling window in µs (0: off; at most MAX_BUSY_POLL_US). */
  readonly busyPollUs?: number
}

export interface SessionInfo {
  readonly id: number
  /** Reply bytes written to the connection but not yet taken by the peer. */
  readonly queuedBytes: number
  readonly requests: number
  /** Of those, the ones busy polling read (the others came through the event loop). */
  readonly polled: number
}

export interface ServerEvents {
  session: [event: 'open' | 'close', info: SessionInfo, reason?: string]
  request: [info: SessionInfo, request: readonly SandeshObject[], replies: number]
  rejected: [reason: string]
  fault: [error: Error, request: readonly SandeshObject[]]
}

/** Where busy polling reads: a scratch buffer (the parser copies what it keeps: payloads and a message's first part). */
const pollBuffer = new Uint8Array(65536)

class Session {
  readonly parser: FrameParser
  private inbox: NetlinkMessage[] = []
  private waitingForDrain = false
  /** The connection's descriptor when busy polling is on, else -1. */
  private readonly fd: number
  requests = 0
  polled = 0
  /** Serving what busy polling read. */
  private polling = false

  constructor(
    readonly id: number,
    readonly socket: Socket,
    private readonly server: KsyncServer,
  ) {
    this.parser = new FrameParser({maxMessageLength: server.limits.maxMessageLength})
    const handle = (socket as unknown as {_handle?: {fd?: unknown}})._handle
    this.fd = server.busyPollUs > 0 && typeof handle?.fd === 'number' ? handle.fd : -1
    socket.on('data', (chunk: Buffer) => {
      this.receive(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length))
      if (this.fd >= 0 && server.delivered(this.id)) this.busyPoll()
    })
    socket.on('drain', () => {
      this.waitingForDrain = false
      socket.resume()
      this.serve()
    })
  }

  get info(): SessionInfo {
    return {id: this.id, queuedBytes: this.socket.writableLength, requests: this.requests, polled: this.polled}
  }

  private receive(chunk: Uint8Array): void {
    try {
      this.inbox.push(...this.parser.push(chunk))
    } catch (error) {
      this.close(error instanceof DecodeError ? error.message : String(error))
      return
    }
    this.serve()
  }

  /** Reads the connection without waiting until it stays quiet for the window, serving each read as `data` would be. */
  private busyPoll(): void {
    const window = this.server.busyPollUs / 1000
    const start = performance.now()
    let quietUntil = start + window
    const end = start + MAX_BUSY_POLL_US / 1000
    // Replies still queued are the event loop's to send; a back-pressured or closed session is not read.
    while (!this.waitingForDrain && !this.socket.destroyed && this.socket.writableLength === 0) {
      let length: number | undefined
      try {
        length = readNow(this.fd, pollBuffer)
      } catch {
        return // an error of the connection: the event loop meets it too and closes the session
      }
      const now = performance.now()
      if (length === 0) return // the peer closed: likewise
      if (length !== undefined) {
        this.polling = true
        this.receive(pollBuffer.subarray(0, length))
        this.polling = false
        quietUntil = now + window
      } else if (now >= quietUntil) return
      else relax()
      if (now >= end) return
    }
  }

  private serve(): void {
    while (this.inbox.length > 0 && !this.waitingForDrain && !this.socket.destroyed) {
      const message = this.inbox.shift()!
      if (message.kind !== 'sandesh') continue
      this.requests++
      if (this.polling) this.polled++
      const {objects, replies} = this.server.answer(message)
      const batch = encodeReplyBatch(this.server.flavour, message, replies, this.server.portId)
      for (const bytes of batch) this.write(bytes)
      if (this.server.listenerCount('request') > 0) this.server.emit('request', this.info, objects, batch.length)
      if (this.socket.writableLength > this.server.limits.maxQueuedBytes) {
        // Back-pressure on this connection only: read nothing more from it until its replies drain.
        this.waitingForDrain = true
        this.socket.pause()
      }
    }
  }

  /**
   * Writes a reply: a busy-polled session straight to its descriptor while nothing is queued (what the socket does not
   * take at once, and any error, left to the Node stream, which sends it after and meets the error too) — a Node
   * write costs more than serving a GET.
   */
  private write(bytes: Uint8Array): void {
    if (this.fd >= 0 && this.socket.writableLength === 0) {
      let sent = 0
      try {
        sent = sendNow(this.fd, bytes)
      } catch {
        // the stream's write below fails the same way and closes the session
      }
      if (sent === bytes.length) return
      bytes = bytes.subarray(sent)
    }
    this.socket.write(bytes)
  }

  close(reason: string): void {
    this.server.drop(this, reason)
    this.socket.destroy()
  }
}

export class KsyncServer extends EventEmitter<ServerEvents> {
  readonly path: string
  readonly flavour: Flavour
  readonly portId: number
  readonly limits: ServerLimits
  /** The busy polling window in µs; 0 when off. */
  readonly busyPollUs: number
  private readonly codec
  private readonly handler: RequestHandler
  private readonly sessions = new Map<number, Session>()
  private server: Server | undefined
  private nextId = 1
  private lastDelivered = 0

  constructor(handler: RequestHandler, options: ServerOptions) {
    super()
    this.handler = handler
    this.path = options.path
    this.flavour = options.flavour ?? (isPipePath(options.path) ? 'windows' : 'dpdk')
    this.portId = options.portId ?? 0
    this.limits = {...DEFAULT_LIMITS, ...options.limits}
    const busyPoll = Math.min(Math.max(options.busyPollUs ?? DEFAULT_BUSY_POLL_US, 0), MAX_BUSY_POLL_US)
    this.busyPollUs = busyPoll > 0 && rawSocketsAvailable() ? busyPoll : 0
    this.codec = codecFor(options.variant ?? 'current')
  }

  /**
   * Notes that the event loop brought requests of session `id`; says whether that session may be busy-polled: when it
   * is the only one open, or the event loop's previous delivery was its too. While several sessions are active, each
   * is served from the event loop then, none waiting behind another's polling.
   */
  delivered(id: number): boolean {
    const alone = this.sessions.size === 1 || this.lastDelivered === id
    this.lastDelivered = id
    return alone
  }

  /** Sessions open now, with their queued bytes (for tests and `-v`). */
  get sessionInfo(): SessionInfo[] {
    return [...this.sessions.values()].map((s) => s.info)
  }

  /** Starts listening; a stale socket file (nobody behind it) is replaced, a live one is an error. */
  async listen(): Promise<void> {
    checkEndpointPath(this.path)
    if (!isPipePath(this.path) && existsSync(this.path)) await this.removeStaleSocket()
    const server = createServer((socket) => this.accept(socket))
    this.server = server
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen({path: this.path, readableAll: true, writableAll: true}, () => {
        server.off('error', reject)
        resolve()
      })
    })
  }

  async close(): Promise<void> {
    for (const s of this.sessions.values()) s.socket.destroy()
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }

  private async removeStaleSocket(): Promise<void> {
    try {
      const probe = await connectStream(this.path, 1000)
      probe.destroy()
      throw new TransportError('BAD_PATH', `${this.path}: another server is listening there`)
    } catch (error) {
      if (!(error instanceof TransportError) || error.code !== 'NO_SERVER') throw error
      unlinkSync(this.path)
    }
  }

  private accept(socket: Socket): void {
    if (this.sessions.size >= this.limits.maxSessions) {
      this.emit('rejected', `more than ${this.limits.maxSessions} sessions`)
      socket.destroy()
      return
    }
    const session = new Session(this.nextId++, socket, this)
    this.sessions.set(session.id, session)
    this.emit('session', 'open', session.info)
    socket.on('error', () => socket.destroy())
    socket.on('close', () => this.drop(session, 'closed by the peer'))
  }

  /** Forgets a session (once), saying why. */
  drop(session: Session, reason: string): void {
    if (this.sessions.delete(session.id)) this.emit('session', 'close', session.info, reason)
  }

  /** The reply payloads of one request message (decode failures answered as the dp does: vr_response -1). */
  answer(message: SandeshMessage): {objects: SandeshObject[]; replies: Uint8Array[]} {
    const objects: SandeshObject[] = []
    let failed = false
    for (let p = 0; p < message.payload.length; ) {
      try {
        const decoded = this.codec.decodeObject(message.payload, p)
        objects.push(decoded.object)
        p = decoded.end
      } catch (error) {
        if (!(error instanceof DecodeError)) throw error
        failed = true
        break
      }
    }
    let replies: SandeshObject[][]
    try {
      replies = this.handler.handle(objects)
    } catch (error) {
      // A fault of the emulator itself: say so, answer EINVAL, and keep serving everyone.
      this.emit('fault', error as Error, objects)
      replies = [[{name: 'vr_response', fields: {h_op: SandeshOp.RESPONSE, resp_code: -ERRNO.EINVAL}}]]
    }
    if (failed) replies.push([{name: 'vr_response', fields: {h_op: SandeshOp.RESPONSE, resp_code: -1}}])
    return {objects, replies: replies.map((reply) => this.codec.encode(...reply))}
  }
}
