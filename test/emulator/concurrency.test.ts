/**
 * 64 clients at once, each writing its own objects and dumping a shared multi-page table, while one client stops
 * reading, one sends garbage and one disconnects in the middle of a dump: every reply reaches its own session, every
 * dump is complete and ordered, nobody is disturbed, and the queued bytes of the stalled session stay bounded. The
 * server busy-polls (its default) as it serves them.
 */
import assert from 'node:assert/strict'
import {connect} from 'node:net'
import {after, before, test} from 'node:test'
import {encodeRequest} from '../../src/lib/ksync/frame.js'
import {codecFor} from '../../src/lib/sandesh/codec.js'
import type {SandeshObject} from '../../src/lib/sandesh/schema.js'
import {rawSocketsAvailable} from '../../src/lib/transport/raw-socket.js'
import {type Emulator, req, startEmulator} from './harness.js'

const CLIENTS = 64
const SHARED_LABELS = 1200
const MAX_QUEUED = 64 * 1024
const codec = codecFor('current')
let emu: Emulator

before(async () => {
  emu = await startEmulator({limits: {maxQueuedBytes: MAX_QUEUED}})
  const setup = await emu.client()
  await setup.request(req('vr_interface_req', {h_op: 0, vifr_idx: 1, vifr_type: 3, vifr_name: 'tap1'}))
  for (let i = 0; i < CLIENTS; i++) {
    await setup.request(req('vr_nexthop_req', {h_op: 0, nhr_id: 1000 + i, nhr_type: 2, nhr_family: 2, nhr_flags: 1, nhr_encap_oif_id: [1], nhr_encap: Array(14).fill(0)}))
  }
  for (let l = 0; l < SHARED_LABELS; l++) await setup.request(req('vr_mpls_req', {h_op: 0, mr_label: l, mr_nhid: 0}))
})
after(() => emu.close())

const dumpRequest = (marker: number) => encodeRequest(codec.encode(req('vr_mpls_req', {h_op: 3, mr_marker: marker})), {family: 0, seq: 0})

test('64 sessions, a stalled reader, a garbage sender and a quitter', async () => {
  assert.equal(emu.server.busyPollUs > 0, rawSocketsAvailable(), 'busy polling is on (its default) wherever it can be')
  // The stalled reader: sends many dump requests and never reads a byte.
  const stalled = connect(emu.path)
  await new Promise((resolve) => stalled.once('connect', resolve))
  stalled.pause()
  for (let i = 0; i < 400; i++) stalled.write(dumpRequest(-1))

  // The garbage sender: a netlink length that cannot be.
  const garbage = connect(emu.path)
  await new Promise((resolve) => garbage.once('connect', resolve))
  const garbageClosed = new Promise((resolve) => garbage.once('close', resolve))
  garbage.on('error', () => undefined)
  garbage.write(Uint8Array.from([0xff, 0xff, 0xff, 0x7f, ...Array(60).fill(0xab)]))

  // The quitter: asks for a dump and hangs up at once.
  const quitter = connect(emu.path)
  await new Promise((resolve) => quitter.once('connect', resolve))
  quitter.write(dumpRequest(-1))
  quitter.destroy()

  const clients = await Promise.all(Array.from({length: CLIENTS}, () => emu.client({timeoutMs: 30000})))
  let peakQueued = 0
  const sampler = setInterval(() => {
    for (const s of emu.server.sessionInfo) peakQueued = Math.max(peakQueued, s.queuedBytes)
  }, 5)
  try {
    await Promise.all(
      clients.map(async (client, i) => {
        const nh = 1000 + i
        for (let round = 0; round < 3; round++) {
          const own = 2000 + i * 10 + round
          await client.request(req('vr_mpls_req', {h_op: 0, mr_label: own, mr_nhid: nh}))
          const labels: number[] = []
          for await (const o of client.dump(req('vr_mpls_req', {h_op: 3}))) labels.push((o as SandeshObject<'vr_mpls_req'>).fields.mr_label)
          assert.ok(labels.every((l, k) => k === 0 || l > labels[k - 1]), `client ${i}: dump in order, no repeat`)
          for (let l = 0; l < SHARED_LABELS; l++) assert.equal(labels[l], l, `client ${i}: shared label ${l}`)
          assert.ok(labels.includes(own), `client ${i}: its own label ${own}`)
          const got = await client.get(req('vr_mpls_req', {h_op: 1, mr_label: own}))
          assert.equal(got.fields.mr_nhid, nh, `client ${i}: its own reply`)
        }
      }),
    )
  } finally {
    clearInterval(sampler)
  }
  await garbageClosed
  const stalledSession = emu.server.sessionInfo.find((s) => s.requests > 0 && s.queuedBytes > 0)
  assert.ok(stalledSession, 'the stalled session is still open, waiting')
  assert.ok(stalledSession.requests < 400, `the stalled session was not served further (${stalledSession.requests} requests)`)
  // Bounded: the limit plus the batch that crossed it.
  assert.ok(peakQueued <= MAX_QUEUED + 8192, `peak queued bytes ${peakQueued}`)
  stalled.destroy()
})
