/**
 * Emulator throughput, measured side by side in one run against one emulator process: GET round trips per second
 * with 1 and 16 concurrent sessions, and dump throughput of a table of 100,000 routes — each through our client
 * (our codec decoding the replies) and through a baseline client that decodes the same replies with npm thrift.
 * One request at a time, both clients read the socket as the tools do (synchronously: send, then wait in poll) and
 * the emulator busy-polls; further rows turn either off (event-loop clients, busy polling off) to show what each
 * does, beside the floor: an echo server answering a GET-sized frame with no ksync work.
 * Target (issue 5): ≥ 50 k GET/s with one session.
 * Run: npx tsx bench/emulator.ts [--routes N] [--seconds S]
 */
import {type ChildProcess, spawn} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {connect} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Duplex} from 'node:stream'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'
import {make} from '../src/emulator/state/common.js'
import {KsyncClient} from '../src/lib/ksync/client.js'
import {openKsync} from '../src/lib/ksync/connect.js'
import {DUMP_INCOMPLETE} from '../src/lib/sandesh/types.js'
import {FrameParser, type SandeshMessage, encodeRequest} from '../src/lib/ksync/frame.js'
import {codecFor} from '../src/lib/sandesh/codec.js'
import type {SandeshObject} from '../src/lib/sandesh/schema.js'
import {connectStream} from '../src/lib/transport/endpoint.js'
import {messageStream} from '../src/lib/transport/message-stream.js'
import {connectUnixStream} from '../src/lib/transport/unix-stream.js'
import {thriftDecode} from '../test/thrift-oracle.js'
import {serve} from './emulator-server.js'
import {formatRate, printTable} from './measure.js'

const {values} = parseArgs({options: {routes: {type: 'string', default: '100000'}, seconds: {type: 'string', default: '2'}, serve: {type: 'string'}}})
const codec = codecFor('current')

/** How a client reads its socket: synchronously as the tools do (waiting in poll), or through the event loop. */
type Reading = 'sync' | 'loop'

/** A client that decodes replies with npm thrift: the same requests and framing, thrift's TBinaryProtocol for the objects. */
class ThriftClient {
  private readonly parser = new FrameParser()
  private seq = 0
  private pending: {resolve: (objects: SandeshObject[]) => void; objects: SandeshObject[]} | undefined

  private constructor(private readonly stream: Duplex) {
    stream.on('data', (chunk: Buffer) => {
      for (const m of this.parser.push(new Uint8Array(chunk))) {
        const p = this.pending!
        p.objects.push(...thriftDecode((m as SandeshMessage).payload))
        if (m.flags === 0) {
          this.pending = undefined
          p.resolve(p.objects)
        }
      }
    })
  }

  static async connect(path: string, reading: Reading): Promise<ThriftClient> {
    if (reading === 'loop') return new ThriftClient(await connectStream(path))
    let client: ThriftClient | undefined
    const stream = messageStream(connectUnixStream(path, 60000), {maxMessageLength: 65536, sliceMs: 10, awaiting: () => client?.pending !== undefined})
    client = new ThriftClient(stream)
    return client
  }

  request(object: SandeshObject): Promise<SandeshObject[]> {
    return new Promise((resolve) => {
      this.pending = {resolve, objects: []}
      this.stream.write(encodeRequest(codec.encode(object), {family: 0, seq: this.seq++}))
    })
  }

  close(): void {
    this.stream.destroy()
  }
}

interface Contender {
  get(id: number): Promise<unknown>
  /** `depth` GETs sent before waiting for their replies (one session, pipelined). */
  getMany?(ids: number[]): Promise<unknown>
  dump(): Promise<number>
  close(): void
}

async function ours(path: string, reading: Reading = 'loop'): Promise<Contender> {
  // Synchronously, through what the tools open; else the client of the tests, on the event loop.
  const client = reading === 'sync' ? (await openKsync({transport: 'socket', path, family: 0, timeoutMs: 60000})).client : await KsyncClient.connect(path, {flavour: 'dpdk', family: 0, timeoutMs: 60000})
  return {
    get: (id) => client.get(make('vr_nexthop_req', {h_op: 1, nhr_id: id})),
    getMany: (ids) => Promise.all(ids.map((id) => client.get(make('vr_nexthop_req', {h_op: 1, nhr_id: id})))),
    async dump() {
      let n = 0
      for await (const _ of client.dump(make('vr_route_req', {h_op: 3, rtr_vrf_id: 1, rtr_family: 2}))) n++
      return n
    },
    close: () => client.close(),
  }
}

async function thrift(path: string, reading: Reading = 'loop'): Promise<Contender> {
  const client = await ThriftClient.connect(path, reading)
  return {
    get: (id) => client.request(make('vr_nexthop_req', {h_op: 1, nhr_id: id})),
    async dump() {
      let marker = [0, 0, 0, 0]
      let n = 0
      for (;;) {
        const objects = await client.request(make('vr_route_req', {h_op: 3, rtr_vrf_id: 1, rtr_family: 2, rtr_prefix: marker, rtr_marker: marker}))
        const page = objects.slice(1) as SandeshObject<'vr_route_req'>[]
        n += page.length
        if (!((objects[0] as SandeshObject<'vr_response'>).fields.resp_code & DUMP_INCOMPLETE) || page.length === 0) return n
        marker = page.at(-1)!.fields.rtr_prefix
      }
    },
    close: () => client.close(),
  }
}

const echoRequest = encodeRequest(codec.encode(make('vr_nexthop_req', {h_op: 1, nhr_id: 1})), {family: 0, seq: 0})

/** Round trips per second of a GET-sized request to the echo server (the transport's floor), read through the event loop. */
async function echoRate(path: string, seconds: number): Promise<number> {
  const socket = connect(`${path}.echo`)
  await new Promise((resolve) => socket.once('connect', resolve))
  let n = 0
  const start = performance.now()
  const end = start + seconds * 1000
  await new Promise<void>((resolve) => {
    socket.on('data', () => {
      n++
      if (performance.now() < end) socket.write(echoRequest)
      else resolve()
    })
    socket.write(echoRequest)
  })
  socket.destroy()
  return n / ((performance.now() - start) / 1000)
}

/** The same, read synchronously as the tools read (an echo comes back whole: one read). */
function echoRateSync(path: string, seconds: number): number {
  const endpoint = connectUnixStream(`${path}.echo`, 5000)
  const into = new Uint8Array(4096)
  let n = 0
  const start = performance.now()
  const end = start + seconds * 1000
  while (performance.now() < end) {
    endpoint.send(echoRequest)
    for (let got = 0; got < echoRequest.length; ) got += endpoint.receive(into, 1000) as number
    n++
  }
  endpoint.close()
  return n / ((performance.now() - start) / 1000)
}

/** GETs per second over `seconds`, from `sessions` contenders running at once. */
async function getRate(sessions: Contender[], seconds: number): Promise<number> {
  const end = performance.now() + seconds * 1000
  const start = performance.now()
  const counts = await Promise.all(
    sessions.map(async (c, i) => {
      let n = 0
      while (performance.now() < end) {
        await c.get(1 + ((n + i) % 100))
        n++
      }
      return n
    }),
  )
  return counts.reduce((a, b) => a + b, 0) / ((performance.now() - start) / 1000)
}

/** GETs per second over `seconds` from one session keeping `depth` requests in flight. */
async function pipelinedRate(c: Contender, depth: number, seconds: number): Promise<number> {
  const start = performance.now()
  const end = start + seconds * 1000
  let n = 0
  while (performance.now() < end) {
    await c.getMany!(Array.from({length: depth}, (_, i) => 1 + ((n + i) % 100)))
    n += depth
  }
  return n / ((performance.now() - start) / 1000)
}

async function dumpRate(c: Contender): Promise<{rate: number; objects: number}> {
  const start = performance.now()
  const objects = await c.dump()
  return {rate: objects / ((performance.now() - start) / 1000), objects}
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vr-bench-'))
  const path = join(dir, 'dpdk_netlink')
  const routes = Number(values.routes)
  const seconds = Number(values.seconds)
  const server: ChildProcess = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--serve', path, '--routes', String(routes)], {stdio: ['ignore', 'pipe', 'inherit']})
  try {
    await new Promise<void>((resolve, reject) => {
      server.stdout!.once('data', () => resolve())
      server.once('exit', () => reject(new Error('the emulator did not start')))
    })
    if (!existsSync(path)) throw new Error('no socket')
    const rows: string[][] = []
    const best = (values: number[]) => Math.max(...values)
    const echo = {loop: [] as number[], sync: [] as number[]}
    for (let round = 0; round < 3; round++) {
      echo.loop.push(await echoRate(path, seconds / 2))
      echo.sync.push(echoRateSync(path, seconds / 2))
    }
    rows.push(['raw echo of a GET-sized frame, 1 session (floor)', formatRate(best(echo.loop)), '', ''])
    rows.push(['raw echo, 1 session, synchronous client', formatRate(best(echo.sync)), '', ''])
    // The first row is the tools' way; then one thing changed at a time. Variants and contenders alternate, best of 3.
    const nopoll = `${path}.nopoll`
    const variants: {label: string; sessions: number; reading: Reading; server: string}[] = [
      {label: 'GET round trips, 1 session', sessions: 1, reading: 'sync', server: path},
      {label: 'GET, 1 session, synchronous client, busy poll off', sessions: 1, reading: 'sync', server: nopoll},
      {label: 'GET, 1 session, event-loop client, busy poll on', sessions: 1, reading: 'loop', server: path},
      {label: 'GET, 1 session, event-loop client, busy poll off', sessions: 1, reading: 'loop', server: nopoll},
      {label: 'GET round trips, 16 sessions', sessions: 16, reading: 'loop', server: path},
      {label: 'GET, 16 sessions, busy poll off', sessions: 16, reading: 'loop', server: nopoll},
    ]
    const samples = variants.map(() => ({ours: [] as number[], thrift: [] as number[]}))
    for (let round = 0; round < 3; round++) {
      for (const [v, variant] of variants.entries()) {
        for (const [name, open] of [['ours', ours], ['thrift', thrift]] as const) {
          const clients = await Promise.all(Array.from({length: variant.sessions}, () => open(variant.server, variant.reading)))
          samples[v][name].push(await getRate(clients, seconds / 2))
          for (const c of clients) c.close()
        }
      }
    }
    for (const [v, variant] of variants.entries()) {
      const [o, t] = [best(samples[v].ours), best(samples[v].thrift)]
      rows.push([variant.label, formatRate(o), formatRate(t), `${(o / t).toFixed(2)}×`])
    }
    const results: Record<string, number> = {get1: best(samples[0].ours)}
    let pipelined = 0
    for (let round = 0; round < 3; round++) {
      const c = await ours(path)
      pipelined = Math.max(pipelined, await pipelinedRate(c, 16, seconds / 2))
      c.close()
    }
    rows.push(['GET, 1 session, 16 requests in flight (pipelined)', formatRate(pipelined), '', ''])
    results.pipelined = pipelined
    const dump = {ours: 0, thrift: 0}
    let objects = 0
    for (let round = 0; round < 2; round++) {
      for (const [name, make] of [['ours', ours], ['thrift', thrift]] as const) {
        const c = await make(path)
        const r = await dumpRate(c)
        objects = r.objects
        dump[name] = Math.max(dump[name], r.rate)
        c.close()
      }
    }
    rows.push([`route dump, ${routes} routes (${objects} objects)`, formatRate(dump.ours), formatRate(dump.thrift), `${(dump.ours / dump.thrift).toFixed(2)}×`])
    console.log(`emulator throughput, best rounds, client and emulator in two processes (node ${process.version})\n`)
    printTable(['workload', 'our client', 'thrift-decoding client', 'ratio'], rows)
    console.log(`\ntarget ≥ 50 k GET/s with one session: ${results.get1 >= 50000 ? 'met' : 'not met'} one request at a time (${formatRate(results.get1)}), ${results.pipelined >= 50000 ? 'met' : 'not met'} pipelined (${formatRate(results.pipelined)})`)
  } finally {
    server.kill()
    rmSync(dir, {recursive: true, force: true})
  }
}

if (values.serve) await serve(values.serve, {routes: Number(values.routes), nexthops: 100})
else await main()
