/**
 * The two ends of the pkt0 channel. DPDK: the forwarding plane binds `<dir>/dpdk_pkt0` and sends its traps to
 * `<dir>/agent_pkt0`, which the agent binds; the agent sends to `dpdk_pkt0`; one datagram is one frame. Windows: one
 * opener at a time of the forwarding plane's endpoint, one frame per read or write; Node reaches it as a named pipe
 * (a byte stream), so frames travel there with a 4-byte little-endian length in front (the emulator serves the same
 * on a Unix stream socket for tests).
 */
import {EventEmitter} from 'node:events'
import {existsSync, unlinkSync} from 'node:fs'
import {type Server, type Socket, createServer} from 'node:net'
import {DatagramSocket} from './datagram.js'
import {TransportError, checkEndpointPath, connectStream, isPipePath} from './endpoint.js'

export type Pkt0Path = {readonly kind: 'dgram'; readonly vrouter: string; readonly agent: string} | {readonly kind: 'stream'; readonly path: string}

/** The largest frame either side accepts on a stream (a jumbo frame and the headers, with room). */
export const MAX_PKT0_FRAME = 65536

export function describePkt0Path(p: Pkt0Path): string {
  return p.kind === 'dgram' ? `${p.vrouter} ↔ ${p.agent}` : p.path
}

export interface ChannelEvents {
  frame: [frame: Uint8Array]
  close: []
}

/** Length-prefixed frames (u32 little-endian length, then the bytes) over a stream socket or pipe. */
export class FramedStream extends EventEmitter<ChannelEvents & {error: [error: Error]}> {
  private pending: Buffer = Buffer.alloc(0)

  constructor(readonly socket: Socket) {
    super()
    socket.on('data', (chunk: Buffer) => this.receive(chunk))
    socket.on('close', () => this.emit('close'))
    socket.on('error', (error) => this.emit('error', error))
  }

  private receive(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk])
    while (this.pending.length >= 4) {
      const length = this.pending.readUInt32LE(0)
      if (length > MAX_PKT0_FRAME) {
        this.emit('error', new TransportError('IO', `a frame of ${length} bytes on ${this.socket.remoteAddress ?? 'the pipe'}: more than ${MAX_PKT0_FRAME}`))
        this.socket.destroy()
        return
      }
      if (this.pending.length < 4 + length) return
      const frame = this.pending.subarray(4, 4 + length)
      this.pending = this.pending.subarray(4 + length)
      this.emit('frame', new Uint8Array(frame.buffer, frame.byteOffset, frame.length))
    }
  }

  send(frame: Uint8Array): void {
    const head = Buffer.alloc(4)
    head.writeUInt32LE(frame.length)
    this.socket.write(Buffer.concat([head, frame]))
  }
}

/** The forwarding plane's end (the emulator's): traps out to whoever is attached, the agent's frames in. */
export class VrouterPkt0 extends EventEmitter<ChannelEvents & {attach: []; detach: []}> {
  private agent: FramedStream | undefined

  private constructor(
    readonly path: Pkt0Path,
    private readonly socket?: DatagramSocket,
    private readonly server?: Server,
  ) {
    super()
  }

  static async open(path: Pkt0Path): Promise<VrouterPkt0> {
    if (path.kind === 'dgram') {
      const socket = await DatagramSocket.bound(path.vrouter)
      const end = new VrouterPkt0(path, socket)
      socket.on('message', (frame) => end.emit('frame', frame))
      return end
    }
    checkEndpointPath(path.path)
    if (!isPipePath(path.path) && existsSync(path.path)) {
      const live = await connectStream(path.path, 1000).then(
        (s) => (s.destroy(), true),
        () => false,
      )
      if (live) throw new TransportError('BAD_PATH', `${path.path}: another process serves it`)
      unlinkSync(path.path)
    }
    const server = createServer()
    const end = new VrouterPkt0(path, undefined, server)
    server.on('connection', (socket) => end.accept(socket))
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen({path: path.path, readableAll: true, writableAll: true}, () => {
        server.off('error', reject)
        resolve()
      })
    })
    return end
  }

  /** One opener at a time, as the Windows device: a second one is closed at once. */
  private accept(socket: Socket): void {
    if (this.agent) {
      socket.destroy()
      return
    }
    const agent = new FramedStream(socket)
    this.agent = agent
    agent.on('frame', (frame) => this.emit('frame', frame))
    agent.on('error', () => socket.destroy())
    agent.on('close', () => {
      if (this.agent === agent) this.agent = undefined
      this.emit('detach')
    })
    this.emit('attach')
  }

  /** Sends a frame to the agent; false when none is there to take it (the frame is gone, as on the real one). */
  async send(frame: Uint8Array): Promise<boolean> {
    if (this.socket && this.path.kind === 'dgram') {
      try {
        await this.socket.send(frame, this.path.agent)
        return true
      } catch (error) {
        if (error instanceof TransportError && (error.code === 'NO_SERVER' || error.code === 'CLOSED')) return false
        throw error
      }
    }
    if (!this.agent) return false
    this.agent.send(frame)
    return true
  }

  async close(): Promise<void> {
    this.socket?.close()
    this.agent?.socket.destroy()
    const server = this.server
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

/** The agent's end (pkt0 capture, pkt0 send): the forwarding plane's frames in, ours out. */
export class AgentPkt0 extends EventEmitter<ChannelEvents> {
  private constructor(
    readonly path: Pkt0Path,
    private readonly socket?: DatagramSocket,
    private readonly stream?: FramedStream,
  ) {
    super()
  }

  /**
   * Takes the agent's place: binds the agent socket or opens the pipe. A socket file already at the agent's path is
   * never removed or rebound, whether a live agent holds it or one that stopped left it: a DPDK forwarding plane
   * stays connected to the agent's socket, so a new one there would receive nothing and break the agent's return.
   * A pipe (the Windows device) admits one opener: a busy one is said so. `connect` is the stream connector
   * (a test double in the tests).
   */
  static async attach(path: Pkt0Path, connect: typeof connectStream = connectStream): Promise<AgentPkt0> {
    if (path.kind === 'dgram') {
      if (existsSync(path.agent)) {
        throw new TransportError('BAD_PATH', `${path.agent} exists: it is the agent's socket (or one a stopped agent left), which pkt0 capture never takes over or removes`, 'EADDRINUSE')
      }
      const socket = await DatagramSocket.bound(path.agent)
      const end = new AgentPkt0(path, socket)
      socket.on('message', (frame) => end.emit('frame', frame))
      return end
    }
    const socket = await connect(path.path).catch((error: unknown) => {
      if (error instanceof TransportError && error.errno === 'EBUSY') {
        throw new TransportError('NO_SERVER', `${path.path} is busy: the pkt0 device admits one opener, and another process (the agent) has it open`, 'EBUSY')
      }
      throw error
    })
    const stream = new FramedStream(socket)
    const end = new AgentPkt0(path, undefined, stream)
    stream.on('frame', (frame) => end.emit('frame', frame))
    stream.on('close', () => end.emit('close'))
    stream.on('error', () => socket.destroy())
    return end
  }

  async send(frame: Uint8Array): Promise<void> {
    if (this.socket && this.path.kind === 'dgram') return this.socket.send(frame, this.path.vrouter)
    this.stream?.send(frame)
  }

  close(): void {
    this.socket?.close()
    this.stream?.socket.end()
  }
}

/**
 * Sends frames to the forwarding plane without taking the agent's place where that is possible (a datagram from an
 * unbound socket); on a pipe, as its one opener.
 */
export async function sendToVrouter(path: Pkt0Path, frames: readonly Uint8Array[]): Promise<void> {
  if (path.kind === 'dgram') {
    const socket = DatagramSocket.unbound()
    try {
      for (const frame of frames) await socket.send(frame, path.vrouter)
    } finally {
      socket.close()
    }
    return
  }
  const end = await AgentPkt0.attach(path)
  for (const frame of frames) await end.send(frame)
  // The pipe has the frames once the end is flushed.
  await new Promise<void>((resolve) => {
    end.once('close', resolve)
    end.close()
  })
}
