/**
 * Dumps through the real tools, measured side by side in one run against one emulator process: `rt --dump` of a VRF
 * with N routes and `nh --list` of M next hops, legacy text and --json, each as a whole CLI run (start-up
 * included) with its output to /dev/null; beside them a raw read client that sends the same requests and reads the
 * replies without decoding more than the last object of a page (for the next marker) and without printing. Peak RSS
 * of the CLI at 10 k and 100 k routes shows whether output is streamed (target: ratio ≤ 1.5).
 * Target (issue 6): ≥ 200 k routes/s in legacy text. Run: npx tsx bench/dump.ts [--routes N] [--nexthops M]
 */
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync} from 'node:fs'
import {connect} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'
import {make} from '../src/emulator/state/common.js'
import {DUMP_INCOMPLETE} from '../src/lib/sandesh/types.js'
import {FrameParser, type SandeshMessage, encodeRequest} from '../src/lib/ksync/frame.js'
import {codecFor} from '../src/lib/sandesh/codec.js'
import type {SandeshObject} from '../src/lib/sandesh/schema.js'
import {serve} from './emulator-server.js'
import {formatRate, printTable} from './measure.js'

const {values} = parseArgs({options: {routes: {type: 'string', default: '100000'}, nexthops: {type: 'string', default: '50000'}, serve: {type: 'string'}}})
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const codec = codecFor('current')

/** The single binary, when `npm run build:binary` has made it. */
const BINARY = `${ROOT}dist/vrouter-utils-linux-x64`

/** One CLI run (the sources, or the single binary): seconds and peak RSS (KiB, from /usr/bin/time). */
function cli(argv: string[], binary = false): {seconds: number; rssKiB: number} {
  const start = performance.now()
  const command = binary ? [BINARY, ...argv] : [process.execPath, `${ROOT}bin/run.js`, ...argv]
  const r = spawnSync('/usr/bin/time', ['-f', '%M', ...command], {stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8'})
  const seconds = (performance.now() - start) / 1000
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: exit ${r.status}: ${r.stderr}`)
  return {seconds, rssKiB: Number(r.stderr.trim().split('\n').at(-1))}
}

/** The raw read client: same requests, replies read whole, only a page's last object decoded. */
async function raw(path: string, first: SandeshObject, next: (last: SandeshObject, request: SandeshObject) => SandeshObject): Promise<{seconds: number; objects: number}> {
  const socket = connect(path)
  await new Promise((resolve) => socket.once('connect', resolve))
  const start = performance.now()
  const parser = new FrameParser()
  let seq = 0
  let request = first
  let objects = 0
  for (;;) {
    const messages: SandeshMessage[] = []
    await new Promise<void>((resolve) => {
      const onData = (chunk: Buffer) => {
        for (const m of parser.push(new Uint8Array(chunk))) {
          messages.push(m as SandeshMessage)
          if (m.flags === 0) {
            socket.off('data', onData)
            resolve()
          }
        }
      }
      socket.on('data', onData)
      socket.write(encodeRequest(codec.encode(request), {family: 0, seq: seq++}))
    })
    const count = codec.decodeObject(messages[0].payload).object as SandeshObject<'vr_response'>
    const n = count.fields.resp_code & ~DUMP_INCOMPLETE
    objects += n
    if (!(count.fields.resp_code & DUMP_INCOMPLETE) || n === 0) break
    const page = codec.decodePayload(messages[1].payload)
    request = next(page.at(-1)!, request)
  }
  socket.destroy()
  return {seconds: (performance.now() - start) / 1000, objects}
}

/** rt --dump against pre-encoded pages: warmed up once (the replay server learns the answers), then measured. */
async function preEncoded(dir: string, label: string, leaves: number): Promise<string[][]> {
  const replayDir = join(dir, 'replay')
  mkdirSync(replayDir)
  symlinkSync(join(dir, 'dpdk_netlink.replay'), join(replayDir, 'dpdk_netlink'))
  const sock = ['--sock-dir', replayDir]
  const first = make('vr_route_req', {h_op: 3, rtr_vrf_id: 1, rtr_family: 2, rtr_prefix: Array(4).fill(0), rtr_marker: Array(4).fill(0)})
  const next = (last: SandeshObject, r: SandeshObject) => {
    const p = (last as SandeshObject<'vr_route_req'>).fields.rtr_prefix
    return make('vr_route_req', {...(r.fields as object), rtr_prefix: p, rtr_marker: p})
  }
  for (const argv of [['rt', '--dump', '1'], ['rt', '--dump', '1', '--json'], ['rt', '--dump', '2']]) cli([...argv, ...sock])
  await raw(join(replayDir, 'dpdk_netlink'), first, next)
  const rawRun = await raw(join(replayDir, 'dpdk_netlink'), first, next)
  const startUp = cli(['rt', '--dump', '2', ...sock]).seconds
  const rows: string[][] = []
  for (const [mode, extra] of [['legacy text', []], ['--json', ['--json']]] as const) {
    const run = cli(['rt', '--dump', '1', ...extra, ...sock])
    rows.push([`${label}, ${mode}, pre-encoded pages`, formatRate(leaves / run.seconds), formatRate(leaves / (run.seconds - startUp)), mode === 'legacy text' ? formatRate(leaves / rawRun.seconds) : '', `${(run.seconds / rawRun.seconds).toFixed(2)}×`, `${(run.rssKiB / 1024).toFixed(0)} MiB`])
  }
  rows.push([`start-up: rt --dump of an empty VRF, pre-encoded pages`, '', '', '', '', `${(startUp * 1000).toFixed(0)} ms`])
  if (existsSync(BINARY)) {
    cli(['rt', '--dump', '1', ...sock], true)
    const binaryStart = cli(['rt', '--dump', '2', ...sock], true).seconds
    const run = cli(['rt', '--dump', '1', ...sock], true)
    rows.push([`${label}, legacy text, pre-encoded pages, single binary`, formatRate(leaves / run.seconds), formatRate(leaves / (run.seconds - binaryStart)), '', `${(run.seconds / rawRun.seconds).toFixed(2)}×`, `${(run.rssKiB / 1024).toFixed(0)} MiB`])
    rows.push([`start-up: the same with the single binary`, '', '', '', '', `${(binaryStart * 1000).toFixed(0)} ms`])
  }
  return rows
}

async function main(): Promise<void> {
  const routes = Number(values.routes)
  const nexthops = Number(values.nexthops)
  const rows: string[][] = []
  const rss: Record<number, number> = {}
  for (const size of [10000, routes]) {
    const dir = mkdtempSync(join(tmpdir(), 'vr-dump-'))
    const server = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--serve', join(dir, 'dpdk_netlink'), '--routes', String(size), '--nexthops', String(size === routes ? nexthops : 100)], {stdio: ['ignore', 'pipe', 'inherit']})
    await new Promise((resolve) => server.stdout!.once('data', resolve))
    try {
      const sock = ['--sock-dir', dir]
      const rawRoutes = await raw(join(dir, 'dpdk_netlink'), make('vr_route_req', {h_op: 3, rtr_vrf_id: 1, rtr_family: 2, rtr_prefix: Array(4).fill(0), rtr_marker: Array(4).fill(0)}), (last, r) => {
        const p = (last as SandeshObject<'vr_route_req'>).fields.rtr_prefix
        return make('vr_route_req', {...(r.fields as object), rtr_prefix: p, rtr_marker: p})
      })
      const text = cli(['rt', '--dump', '1', ...sock])
      const json = cli(['rt', '--dump', '1', '--json', ...sock])
      rss[size] = text.rssKiB
      const label = `rt --dump, ${size} routes (${rawRoutes.objects} trie leaves)`
      rows.push([`${label}, legacy text`, formatRate(rawRoutes.objects / text.seconds), '', formatRate(rawRoutes.objects / rawRoutes.seconds), `${(text.seconds / rawRoutes.seconds).toFixed(2)}×`, `${(text.rssKiB / 1024).toFixed(0)} MiB`])
      rows.push([`${label}, --json`, formatRate(rawRoutes.objects / json.seconds), '', '', `${(json.seconds / rawRoutes.seconds).toFixed(2)}×`, `${(json.rssKiB / 1024).toFixed(0)} MiB`])
      if (size === routes) rows.push(...(await preEncoded(dir, label, rawRoutes.objects)))
      if (size === routes) {
        const rawNh = await raw(join(dir, 'dpdk_netlink'), make('vr_nexthop_req', {h_op: 3, nhr_marker: -1}), (last) => make('vr_nexthop_req', {h_op: 3, nhr_marker: (last as SandeshObject<'vr_nexthop_req'>).fields.nhr_id}))
        const nhText = cli(['nh', '--list', ...sock])
        const nhJson = cli(['nh', '--list', '--json', ...sock])
        rows.push([`nh --list, ${rawNh.objects} next hops, legacy text`, formatRate(rawNh.objects / nhText.seconds), '', formatRate(rawNh.objects / rawNh.seconds), `${(nhText.seconds / rawNh.seconds).toFixed(2)}×`, `${(nhText.rssKiB / 1024).toFixed(0)} MiB`])
        rows.push([`nh --list, ${rawNh.objects} next hops, --json`, formatRate(rawNh.objects / nhJson.seconds), '', '', `${(nhJson.seconds / rawNh.seconds).toFixed(2)}×`, `${(nhJson.rssKiB / 1024).toFixed(0)} MiB`])
      }
    } finally {
      server.kill()
      rmSync(dir, {recursive: true, force: true})
    }
  }
  console.log(`dumps through the CLI (whole runs, start-up included, output to /dev/null) against the emulator (node ${process.version})`)
  console.log('"after start-up": objects / (run time - the time of the same command on an empty VRF); "pre-encoded pages": the')
  console.log("emulator's answers replayed byte for byte, as the stock tools were measured (notes/performance.md)\n")
  printTable(['workload', 'objects/s', 'after start-up', 'raw read client', 'time vs raw', 'peak RSS'], rows)
  console.log(`\npeak RSS ratio, ${routes} vs 10000 routes (legacy text): ${(rss[routes] / rss[10000]).toFixed(2)} (target ≤ 1.5)`)
}

if (values.serve) await serve(values.serve, {routes: Number(values.routes), nexthops: Number(values.nexthops)})
else await main()
