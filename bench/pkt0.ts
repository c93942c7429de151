/**
 * pkt0 throughput, side by side in one run and one process:
 * - traps/s: DHCP packets entering a VM interface of the emulator's datapath (demo scenario), each trapped behind
 *   an agent header, sent over the DPDK datagram socket pair, received by a capturing client that decodes the frame
 *   and renders its line (what `pkt0 capture` does per frame);
 * - baseline: the same number of frames of the same size sent raw from one datagram socket to another and counted
 *   (the transport's own limit here);
 * - pcap / pcapng records written per second (bytes built in memory and written to a file);
 * - decoding + rendering alone (no transport).
 * Run: npx tsx bench/pkt0.ts [--frames N] [--rounds R]
 */
import {closeSync, mkdtempSync, openSync, rmSync, writeSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parseArgs} from 'node:util'
import {DEMO_SCENARIO} from '../src/emulator/scenario/demo.js'
import {loadScenario} from '../src/emulator/scenario/load.js'
import {Datapath} from '../src/emulator/traffic/datapath.js'
import {Pkt0Endpoint} from '../src/emulator/traffic/endpoint.js'
import {buildPacket} from '../src/lib/pkt0/build.js'
import {decodePkt0Frame} from '../src/lib/pkt0/frame.js'
import {decodePacket} from '../src/lib/pkt0/packet.js'
import {CaptureWriter, pkt0Comment} from '../src/lib/pkt0/pcap.js'
import {frameLine, headerSummary} from '../src/lib/render/pkt0.js'
import {DatagramSocket} from '../src/lib/transport/datagram.js'
import {AgentPkt0} from '../src/lib/transport/pkt0.js'
import {formatRate, printTable} from './measure.js'

const {values} = parseArgs({options: {frames: {type: 'string', default: '20000'}, rounds: {type: 'string', default: '5'}}})
const FRAMES = Number(values.frames)
const ROUNDS = Number(values.rounds)
const dir = mkdtempSync(join(tmpdir(), 'bench-pkt0-'))

const state = loadScenario(DEMO_SCENARIO, 'demo')
const datapath = new Datapath(state)
const path = {kind: 'dgram' as const, vrouter: join(dir, 'dpdk_pkt0'), agent: join(dir, 'agent_pkt0')}
const endpoint = await Pkt0Endpoint.open(datapath, path)
const agent = await AgentPkt0.attach(path)
const dhcp = buildPacket({proto: 'dhcp'}, {srcMac: '02:00:00:00:00:03', dstMac: '00:00:5e:00:01:00', src: '10.1.1.5'})
const sample = (() => {
  let frame: Uint8Array | undefined
  datapath.once('trap', (f) => (frame = f))
  datapath.receive(3, dhcp)
  return frame!
})()

/** Seconds for `FRAMES` frames to reach `receiver` after `start` sends them (in batches, yielding between). */
function timed(receiver: {on(e: 'frame' | 'message', f: (b: Uint8Array) => void): unknown; off(e: 'frame' | 'message', f: (b: Uint8Array) => void): unknown}, event: 'frame' | 'message', perFrame: (b: Uint8Array) => void, send: (i: number) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    let got = 0
    const start = performance.now()
    const timer = setTimeout(() => reject(new Error(`only ${got} of ${FRAMES} frames arrived`)), 60_000)
    const on = (b: Uint8Array) => {
      perFrame(b)
      if (++got === FRAMES) {
        clearTimeout(timer)
        receiver.off(event, on)
        resolve((performance.now() - start) / 1000)
      }
    }
    receiver.on(event, on)
    let sent = 0
    const pump = () => {
      // Batches small enough for the socket buffers, so that no frame is lost on the way.
      for (let i = 0; i < 64 && sent < FRAMES; i++) send(sent++)
      if (sent < FRAMES) setImmediate(pump)
    }
    pump()
  })
}

let lines = 0
const render = (b: Uint8Array) => {
  const frame = decodePkt0Frame(b)
  lines += frameLine(frame, decodePacket(frame.packet)).length
}

const rawA = DatagramSocket.unbound()
const rawB = await DatagramSocket.bound(join(dir, 'raw'))
const best = {traps: 0, raw: 0}
for (let r = 0; r < ROUNDS; r++) {
  best.traps = Math.max(best.traps, FRAMES / (await timed(agent, 'frame', render, () => datapath.receive(3, dhcp))))
  best.raw = Math.max(best.raw, FRAMES / (await timed(rawB, 'message', () => {}, () => void rawA.send(sample, join(dir, 'raw')))))
}

function perSecond(run: () => void, ms = 300): number {
  let n = 0
  const start = performance.now()
  while (performance.now() - start < ms) {
    run()
    n++
  }
  return (n / (performance.now() - start)) * 1000
}

const file = join(dir, 'out')
const writeRate = (format: 'pcap' | 'pcapng') => {
  const w = new CaptureWriter(format)
  const frame = decodePkt0Frame(sample)
  const comment = pkt0Comment(headerSummary(frame), sample)
  const fd = openSync(file, 'w')
  writeSync(fd, w.header())
  // Records gathered 256 at a time into one write, as a write stream would.
  const rate = perSecond(() => {
    const records = Array.from({length: 256}, () => w.record(frame.packet, Date.now() * 1000, format === 'pcapng' ? comment : undefined))
    writeSync(fd, Buffer.concat(records))
  }) * 256
  closeSync(fd)
  return rate
}
const pcap = Math.max(...Array.from({length: ROUNDS}, () => writeRate('pcap')))
const pcapng = Math.max(...Array.from({length: ROUNDS}, () => writeRate('pcapng')))
const decode = Math.max(...Array.from({length: ROUNDS}, () => perSecond(() => render(sample))))

printTable(
  ['workload', `rate (best of ${ROUNDS})`, 'note'],
  [
    ['traps through the emulator to a capturing client', formatRate(best.traps), `${sample.length}-byte frames, decoded and rendered`],
    ['baseline: raw datagram echo, same frames', formatRate(best.raw), `${(best.traps / best.raw).toFixed(2)}× of it for the traps`],
    ['pcap records written', formatRate(pcap), `${((pcap * (sample.length - 44 + 16)) / 2 ** 20).toFixed(0)} MiB/s`],
    ['pcapng records written (with comment)', formatRate(pcapng), ''],
    ['decode + render one frame (no transport)', formatRate(decode), ''],
  ],
)
console.log(`(${FRAMES} frames per round; lost traps: ${endpoint.counters.lost}; rendered ${lines} characters)`)
agent.close()
rawA.close()
rawB.close()
await endpoint.close()
rmSync(dir, {recursive: true, force: true})
