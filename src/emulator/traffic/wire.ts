/**
 * The emulator's wire: a stream endpoint (`<dir>/emulator_wire`, or a named pipe) through which packets enter its
 * interfaces and through which what leaves an interface can be watched. Messages are length-prefixed frames:
 * [op u8][0 u8][vif u16 LE][body]. Client → emulator: INJECT (body: an Ethernet frame; answered by RESULT, the
 * packet's fates as JSON) and WATCH (vif 0xffff: every interface). Emulator → client: RESULT and TRANSMIT (body:
 * the frame leaving `vif`).
 */
import {EventEmitter} from 'node:events'
import {existsSync, unlinkSync} from 'node:fs'
import {type Server, createServer} from 'node:net'
import {TransportError, checkEndpointPath, connectStream, isPipePath} from '../../lib/transport/endpoint.js'
import {FramedStream} from '../../lib/transport/pkt0.js'
import type {Datapath, Outcome} from './datapath.js'

export const WIRE_SOCKET_NAME = 'emulator_wire'
export const WIRE_PIPE = '\\\\.\\pipe\\vrouterEmulatorWire'
const OP = {INJECT: 1, WATCH: 2, RESULT: 3, TRANSMIT: 4} as const
const EVERY_VIF = 0xffff

function message(op: number, vif: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + body.length)
  out[0] = op
  new DataView(out.buffer).setUint16(2, vif, true)
  out.set(body, 4)
  return out
}

export class WireServer {
  private constructor(private readonly server: Server) {}

  static async listen(path: string, datapath: Datapath): Promise<WireServer> {
    checkEndpointPath(path)
    if (!isPipePath(path) && existsSync(path)) {
      const live = await connectStream(path, 1000).then(
        (s) => (s.destroy(), true),
        () => false,
      )
      if (live) throw new TransportError('BAD_PATH', `${path}: another emulator serves it`)
      unlinkSync(path)
    }
    const server = createServer((socket) => {
      const stream = new FramedStream(socket)
      const watched = new Set<number>()
      const onTransmit = (vif: number, packet: Uint8Array) => {
        if (watched.has(vif) || watched.has(EVERY_VIF)) stream.send(message(OP.TRANSMIT, vif, packet))
      }
      datapath.on('transmit', onTransmit)
      stream.on('close', () => datapath.off('transmit', onTransmit))
      stream.on('error', () => socket.destroy())
      stream.on('frame', (m) => {
        if (m.length < 4) return socket.destroy()
        const vif = new DataView(m.buffer, m.byteOffset, m.length).getUint16(2, true)
        if (m[0] === OP.WATCH) watched.add(vif)
        else if (m[0] === OP.INJECT) stream.send(message(OP.RESULT, vif, new TextEncoder().encode(JSON.stringify(datapath.receive(vif, m.slice(4))))))
        else socket.destroy()
      })
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen({path, readableAll: true, writableAll: true}, () => {
        server.off('error', reject)
        resolve()
      })
    })
    return new WireServer(server)
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()))
  }
}

/** A client of the wire: injects packets, watches interfaces. */
export class WireClient extends EventEmitter<{transmit: [vif: number, packet: Uint8Array]}> {
  private readonly results: ((outcomes: Outcome[]) => void)[] = []

  private constructor(private readonly stream: FramedStream) {
    super()
    stream.on('frame', (m) => {
      const vif = new DataView(m.buffer, m.byteOffset, m.length).getUint16(2, true)
      if (m[0] === OP.RESULT) this.results.shift()?.(JSON.parse(new TextDecoder().decode(m.subarray(4))) as Outcome[])
      else if (m[0] === OP.TRANSMIT) this.emit('transmit', vif, m.slice(4))
    })
  }

  static async connect(path: string, timeoutMs = 5000): Promise<WireClient> {
    return new WireClient(new FramedStream(await connectStream(path, timeoutMs)))
  }

  /** Sends a packet into interface `vif`; resolves with what became of it. */
  inject(vif: number, packet: Uint8Array): Promise<Outcome[]> {
    return new Promise((resolve, reject) => {
      this.results.push(resolve)
      this.stream.once('close', () => reject(new TransportError('CLOSED', 'the emulator closed the wire')))
      this.stream.send(message(OP.INJECT, vif, packet))
    })
  }

  /** From now on, every packet leaving `vif` (undefined: any interface) comes as a 'transmit' event. */
  watch(vif?: number): void {
    this.stream.send(message(OP.WATCH, vif ?? EVERY_VIF, new Uint8Array(0)))
  }

  close(): void {
    this.stream.socket.destroy()
  }
}
