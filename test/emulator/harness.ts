/** Starting the real emulator server on a real Unix socket for a test, and clients to talk to it. */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {KsyncServer, type ServerLimits} from '../../src/emulator/server/server.js'
import {VrouterState} from '../../src/emulator/state/index.js'
import type {VrouterConfig} from '../../src/emulator/state/config.js'
import {Datapath} from '../../src/emulator/traffic/datapath.js'
import {Pkt0Endpoint} from '../../src/emulator/traffic/endpoint.js'
import {WIRE_SOCKET_NAME, WireServer} from '../../src/emulator/traffic/wire.js'
import {KsyncClient} from '../../src/lib/ksync/client.js'
import {PKT0_AGENT_SOCKET, PKT0_VROUTER_SOCKET} from '../../src/lib/model/pkt0.js'
import type {Pkt0Path} from '../../src/lib/transport/pkt0.js'
import {codecFor} from '../../src/lib/sandesh/codec.js'
import type {MessageFields, MessageName, SandeshObject} from '../../src/lib/sandesh/schema.js'

export interface Emulator {
  readonly dir: string
  readonly path: string
  readonly state: VrouterState
  readonly server: KsyncServer
  /** Requests served so far (every session). */
  requests(): number
  client(options?: {timeoutMs?: number}): Promise<KsyncClient>
  close(): Promise<void>
}

export async function startEmulator(options: {config?: Partial<VrouterConfig>; limits?: Partial<ServerLimits>; state?: VrouterState; busyPollUs?: number} = {}): Promise<Emulator> {
  const dir = mkdtempSync(join(tmpdir(), 'vrouter-emu-'))
  const path = join(dir, 'dpdk_netlink')
  const state = options.state ?? new VrouterState(options.config)
  state.tableDirectory.dir = dir
  const server = new KsyncServer(state, {path, limits: options.limits, busyPollUs: options.busyPollUs})
  const faults: Error[] = []
  server.on('fault', (error) => faults.push(error))
  let served = 0
  server.on('request', () => served++)
  await server.listen()
  const clients: KsyncClient[] = []
  return {
    dir,
    path,
    state,
    server,
    requests: () => served,
    async client(o = {}) {
      const c = await KsyncClient.connect(path, {flavour: 'dpdk', family: 0, timeoutMs: o.timeoutMs ?? 5000})
      clients.push(c)
      return c
    },
    async close() {
      for (const c of clients) c.close()
      await server.close()
      state.tableDirectory.remove()
      rmSync(dir, {recursive: true, force: true})
      if (faults.length > 0) throw new Error(`the emulator faulted: ${faults.map((f) => f.stack).join('\n')}`)
    },
  }
}

export interface Traffic {
  readonly datapath: Datapath
  readonly pkt0: Pkt0Endpoint
  readonly pkt0Path: Pkt0Path
  readonly wirePath: string
  close(): Promise<void>
}

/** The emulator's datapath, pkt0 endpoint (datagram sockets in its directory, or `pipe`) and wire, as `emulator start` opens them. */
export async function startTraffic(emu: Emulator, options: {pipe?: string} = {}): Promise<Traffic> {
  const datapath = new Datapath(emu.state)
  const pkt0Path: Pkt0Path = options.pipe ? {kind: 'stream', path: options.pipe} : {kind: 'dgram', vrouter: join(emu.dir, PKT0_VROUTER_SOCKET), agent: join(emu.dir, PKT0_AGENT_SOCKET)}
  const pkt0 = await Pkt0Endpoint.open(datapath, pkt0Path)
  const wirePath = join(emu.dir, WIRE_SOCKET_NAME)
  const wire = await WireServer.listen(wirePath, datapath)
  return {
    datapath,
    pkt0,
    pkt0Path,
    wirePath,
    async close() {
      await pkt0.close()
      await wire.close()
    },
  }
}

/** A request object: every field zero/empty but `fields`. */
export function req<N extends MessageName>(name: N, fields: Partial<MessageFields<N>>): SandeshObject<N> {
  const o = codecFor('current').defaults(name)
  Object.assign(o.fields, fields)
  return o
}
