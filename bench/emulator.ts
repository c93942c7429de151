/**
 * Emulator throughput, measured side by side in one run against one emulator process: GET round trips per second
 * with 1 and 16 concurrent sessions, and dump throughput of a table of 100,000 routes — each through our client
 * (our codec decoding the replies) and through a baseline client that decodes the same replies with npm thrift.
 * Target (issue 5): ≥ 50 k GET/s with one session.
 * Run: npx tsx bench/emulator.ts [--routes N] [--seconds S]
 */
import {type ChildProcess, spawn} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {type Socket, connect} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'
import {make} from '../src/emulator/state/common.js'
import {KsyncClient} from '../src/lib/ksync/client.js'
import {DUMP_INCOMPLETE} from '../src/lib/sandesh/types.js'
import {FrameParser, type SandeshMessage, encodeRequest} from '../src/lib/ksync/frame.js'
import {codecFor} from '../src/lib/sandesh/codec.js'
import type {SandeshObject} from '../src/lib/sandesh/schema.js'
import {thriftDecode} from '../test/thrift-oracle.js'
import {serve} from './emulator-server.js'
import {formatRate, printTable} from './measure.js'

const {values} = parseArgs({options: {routes: {type: 'string', default: '100000'}, seconds: {type: 'string', default: '2'}, serve: {type: 'string'}}})
const codec = codecFor('current')

/** A client that decodes replies with npm thrift: the same requests and framing, thrift's TBinaryProtocol for the objects. */
class ThriftClient {
  private readonly parser = new FrameParser()
  private seq = 0
  private pending: {resolve: (objects: SandeshObject[]) => void; objects: SandeshObject[]} | undefined

  constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
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

  request(object: SandeshObject): Promise<SandeshObject[]> {
    return new Promise((resolve) => {
      this.pending = {resolve, objects: []}
      this.socket.write(encodeRequest(codec.encode(object), {family: 0, seq: this.seq++}))
    })
  }
}

interface Contender {
  get(id: number): Promise<unknown>
  /** `depth` GETs sent before waiting for their replies (one session, pipelined). */
  getMany?(ids: number[]): Promise<unknown>
  dump(): Promise<number>
  close(): void
}

async function ours(path: string): Promise<Contender> {
  const client = await KsyncClient.connect(path, {flavour: 'dpdk', family: 0, timeoutMs: 60000})
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

async function thrift(path: string): Promise<Contender> {
  const socket = connect(path)
  await new Promise((resolve) => socket.once('connect', resolve))
  const client = new ThriftClient(socket)
  return {
    get: (id) => client.request(make('vr_nexthop_req', {h_op: 1, nhr_id: id})),
    async dump() {
      let marker: Uint8Array = new Uint8Array(4)
      let n = 0
      for (;;) {
        const objects = await client.request(make('vr_route_req', {h_op: 3, rtr_vrf_id: 1, rtr_family: 2, rtr_prefix: marker, rtr_marker: marker}))
        const page = objects.slice(1) as SandeshObject<'vr_route_req'>[]
        n += page.length
        if (!((objects[0] as SandeshObject<'vr_response'>).fields.resp_code & DUMP_INCOMPLETE) || page.length === 0) return n
        marker = page.at(-1)!.fields.rtr_prefix
      }
    },
    close: () => socket.destroy(),
  }
}

/** Round trips per second of a GET-sized request to the echo server (the transport's floor). */
async function echoRate(path: string, seconds: number): Promise<number> {
  const socket = connect(`${path}.echo`)
  await new Promise((resolve) => socket.once('connect', resolve))
  const request = encodeRequest(codec.encode(make('vr_nexthop_req', {h_op: 1, nhr_id: 1})), {family: 0, seq: 0})
  let n = 0
  const start = performance.now()
  const end = start + seconds * 1000
  await new Promise<void>((resolve) => {
    socket.on('data', () => {
      n++
      if (performance.now() < end) socket.write(request)
      else resolve()
    })
    socket.write(request)
  })
  socket.destroy()
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
    const results: Record<string, number> = {}
    let echo = 0
    for (let round = 0; round < 3; round++) echo = Math.max(echo, await echoRate(path, seconds / 2))
    rows.push(['raw echo of a GET-sized frame, 1 session (floor)', formatRate(echo), '', ''])
    // Alternate contenders, best of 3 rounds each.
    for (const sessions of [1, 16]) {
      const best = {ours: 0, thrift: 0}
      for (let round = 0; round < 3; round++) {
        for (const [name, make] of [['ours', ours], ['thrift', thrift]] as const) {
          const clients = await Promise.all(Array.from({length: sessions}, () => make(path)))
          best[name] = Math.max(best[name], await getRate(clients, seconds / 2))
          for (const c of clients) c.close()
        }
      }
      results[`get${sessions}`] = best.ours
      rows.push([`GET round trips, ${sessions} session(s)`, formatRate(best.ours), formatRate(best.thrift), `${(best.ours / best.thrift).toFixed(2)}×`])
    }
    let pipelined = 0
    for (let round = 0; round < 3; round++) {
      const c = await ours(path)
      pipelined = Math.max(pipelined, await pipelinedRate(c, 16, seconds / 2))
      c.close()
    }
    rows.push(['GET, 1 session, 16 requests in flight (pipelined)', formatRate(pipelined), '', ''])
    results.pipelined = pipelined
    const best = {ours: 0, thrift: 0}
    let objects = 0
    for (let round = 0; round < 2; round++) {
      for (const [name, make] of [['ours', ours], ['thrift', thrift]] as const) {
        const c = await make(path)
        const r = await dumpRate(c)
        objects = r.objects
        best[name] = Math.max(best[name], r.rate)
        c.close()
      }
    }
    rows.push([`route dump, ${routes} routes (${objects} objects)`, formatRate(best.ours), formatRate(best.thrift), `${(best.ours / best.thrift).toFixed(2)}×`])
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
