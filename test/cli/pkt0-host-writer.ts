/**
 * Runs inside the network namespace of test/cli/pkt0-host.test.ts, where veth0 and pkt0 are a veth pair: starts
 * `pkt0 capture` with the arguments after `--`, and once it is capturing writes the codec's fixtures on the
 * interfaces named — on pkt0 (pkt0 transmits it: to the agent) or on veth0 (pkt0 receives it: from the agent).
 * FIXTURE/packet writes only its packet (an ordinary frame, not the agent's). With `each`, the next frame is written
 * only after the capture printed the line of the one before (the two directions reach a capture by different kernel
 * paths, so only that keeps their order), and a capture still running after the last line is interrupted (SIGINT,
 * as Ctrl-C); with `all`, they are written one after the other. Prints the capture's status, stdout and stderr as
 * one JSON object.
 *
 *   node --import tsx test/cli/pkt0-host-writer.ts each|all IFACE:FIXTURE[/packet][,…] -- CAPTURE-ARGS…
 */
import {spawn} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {endianness} from 'node:os'
import {PKT0_HEADROOM} from '../../src/lib/model/pkt0.js'
import {AF_PACKET, RawSocket, SOCK_RAW} from '../../src/lib/transport/raw-socket.js'
import {ROOT} from '../helpers.js'
import {FIXTURES, buildFixture} from '../lib/pkt0/fixtures.js'

const [mode, plan, separator, ...captureArgs] = process.argv.slice(2)
if ((mode !== 'each' && mode !== 'all') || separator !== '--') throw new Error('usage: each|all IFACE:FIXTURE,… -- CAPTURE-ARGS…')

/** A packet socket on `name` that sends whole Ethernet frames. */
function writerOn(name: string): RawSocket {
  const ifindex = Number(readFileSync(`/sys/class/net/${name}/ifindex`, 'utf8'))
  const address = new Uint8Array(20)
  const v = new DataView(address.buffer)
  v.setUint16(0, AF_PACKET, endianness() === 'LE')
  v.setInt32(4, ifindex, endianness() === 'LE')
  const socket = RawSocket.create(AF_PACKET, SOCK_RAW, 0)
  socket.bind(address)
  return socket
}

const writers = new Map(['veth0', 'pkt0'].map((name) => [name, writerOn(name)]))
const frames = plan.split(',').map((item) => {
  const [iface, name, part] = item.split(/[:/]/)
  const fixture = FIXTURES.find((f) => f.name === name)
  if (!fixture || !writers.has(iface)) throw new Error(`no fixture ${name} or interface ${iface}`)
  const frame = buildFixture(fixture)
  return {socket: writers.get(iface)!, bytes: part === 'packet' ? frame.subarray(PKT0_HEADROOM) : frame}
})

const binary = process.env.VROUTER_UTILS_BIN
const child = binary ? spawn(binary, captureArgs) : spawn(process.execPath, [`${ROOT}bin/run.js`, ...captureArgs], {env: {...process.env, NO_COLOR: '1'}})
const out: Buffer[] = []
const err: Buffer[] = []
let lines = 0
let waiting: (() => void) | undefined
child.stdout.on('data', (b: Buffer) => {
  out.push(b)
  lines += b.toString('utf8').split('\n').length - 1
  waiting?.()
})
const untilLines = (n: number) =>
  new Promise<void>((resolve) => {
    const check = () => (lines >= n ? resolve() : (waiting = check))
    check()
  })
let ready: () => void
const capturing = new Promise<void>((resolve) => (ready = resolve))
child.stderr.on('data', (b: Buffer) => {
  err.push(b)
  if (Buffer.concat(err).toString('utf8').includes('capturing on')) ready()
})
const done = new Promise<number | null>((resolve) => child.on('close', resolve))
void done.then(() => ready())

await capturing
for (const [i, frame] of frames.entries()) {
  if (child.exitCode !== null) break
  frame.socket.send(frame.bytes)
  if (mode === 'each') await Promise.race([done, untilLines(i + 1)])
}
if (mode === 'each' && child.exitCode === null) child.kill('SIGINT')
const status = await done
for (const socket of writers.values()) socket.close()
process.stdout.write(JSON.stringify({status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8')}))
