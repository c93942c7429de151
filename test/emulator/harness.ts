/** Starting the real emulator server on a real Unix socket for a test, and clients to talk to it. */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {KsyncServer, type ServerLimits} from '../../src/emulator/server/server.js'
import {VrouterState} from '../../src/emulator/state/index.js'
import type {VrouterConfig} from '../../src/emulator/state/config.js'
import {KsyncClient} from '../../src/lib/ksync/client.js'
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

export async function startEmulator(options: {config?: Partial<VrouterConfig>; limits?: Partial<ServerLimits>; state?: VrouterState} = {}): Promise<Emulator> {
  const dir = mkdtempSync(join(tmpdir(), 'vrouter-emu-'))
  const path = join(dir, 'dpdk_netlink')
  const state = options.state ?? new VrouterState(options.config)
  state.tableDirectory.dir = dir
  const server = new KsyncServer(state, {path, limits: options.limits})
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

/** A request object: every field zero/empty but `fields`. */
export function req<N extends MessageName>(name: N, fields: Partial<MessageFields<N>>): SandeshObject<N> {
  const o = codecFor('current').defaults(name)
  Object.assign(o.fields, fields)
  return o
}
