/**
 * The emulator's busy polling: what it reads is served exactly as what the event loop delivers. A client writing more
 * requests at once than one event-loop read takes (64 KiB) leaves the rest in the socket for busy polling to find,
 * so both paths serve one stream here without depending on timing (client and server share this thread: the client
 * cannot write while the server polls).
 */
import assert from 'node:assert/strict'
import {type Socket, connect} from 'node:net'
import {test} from 'node:test'
import {FrameParser, type NetlinkMessage, encodeMessage, encodeRequest} from '../../src/lib/ksync/frame.js'
import {codecFor} from '../../src/lib/sandesh/codec.js'
import type {SandeshObject} from '../../src/lib/sandesh/schema.js'
import {rawSocketsAvailable} from '../../src/lib/transport/raw-socket.js'
import {MAX_BUSY_POLL_US} from '../../src/emulator/server/server.js'
import {type Emulator, req, startEmulator} from './harness.js'

const skip = !rawSocketsAvailable() && 'the rawsock addon is not built here'
const codec = codecFor('current')

/**
 * Requests of every kind the tables answer (no flow table: its file path differs between emulators), numbered from 0.
 * Few and short replies per 64 KiB of requests, so that the server's replies to one event-loop read fit in the socket
 * (this thread does not read them while it serves): a session with replies waiting to be sent is not busy-polled.
 */
function requestStream(count: number): Uint8Array[] {
  const objects: SandeshObject[] = [req('vr_interface_req', {h_op: 0, vifr_idx: 1, vifr_type: 3, vifr_name: 'tap1'})]
  for (let i = 0; objects.length < count; i++) {
    objects.push(
      req('vr_nexthop_req', {h_op: 0, nhr_id: 10 + i, nhr_type: 2, nhr_family: 2, nhr_flags: 1, nhr_encap_oif_id: [1], nhr_encap: Array(14).fill(0)}),
      req('vr_mpls_req', {h_op: 0, mr_label: 100 + i, mr_nhid: 10 + i}),
      req('vr_mpls_req', {h_op: 1, mr_label: 100 + i}),
      req('vr_nexthop_req', {h_op: 1, nhr_id: 10 + i}),
      req('vr_mpls_req', {h_op: 1, mr_label: 99_999}), // ENOENT
      req('vr_mpls_req', {h_op: 3, mr_marker: 100 + i - 3}), // a short dump: the last labels
      req('vr_nexthop_req', {h_op: 1, nhr_id: 10 + i, nhr_nh_list: Array(3000).fill(i)}), // 12 KB in, a next hop out
    )
  }
  return objects.slice(0, count).map((o, seq) => encodeRequest(codec.encode(o), {family: 0, seq}))
}

/** Writes `bytes` at once and collects reply messages until `batches` batches ended (flags 0) or the server hung up. */
async function exchange(path: string, bytes: Uint8Array, batches: number): Promise<{messages: NetlinkMessage[]; closed: boolean}> {
  const socket: Socket = connect(path)
  await new Promise((resolve) => socket.once('connect', resolve))
  const parser = new FrameParser()
  const messages: NetlinkMessage[] = []
  let ended = 0
  const closed = await new Promise<boolean>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      for (const m of parser.push(new Uint8Array(chunk))) {
        messages.push(m)
        if (m.flags === 0 && ++ended === batches) resolve(false)
      }
    })
    socket.on('error', () => undefined)
    socket.on('close', () => resolve(true))
    socket.write(bytes)
  })
  socket.destroy()
  return {messages, closed}
}

async function withEmulators(run: (on: Emulator, off: Emulator) => Promise<void>): Promise<void> {
  const on = await startEmulator({busyPollUs: MAX_BUSY_POLL_US})
  const off = await startEmulator({busyPollUs: 0})
  for (const emu of [on, off]) {
    const counts = new Map<number, number>()
    emu.server.on('request', (info) => {
      counts.set(info.id, info.polled)
      polled.set(emu, [...counts.values()].reduce((a, b) => a + b, 0))
    })
  }
  try {
    await run(on, off)
  } finally {
    await on.close()
    await off.close()
  }
}

const join = (parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts))

/** Requests busy polling served, over the sessions of an emulator (as the last request served said). */
const polled = new WeakMap<Emulator, number>()
const polledOf = (emu: Emulator) => polled.get(emu) ?? 0

test('busy polling on and off: the same replies, byte for byte, to the same request stream', {skip}, async () => {
  await withEmulators(async (on, off) => {
    assert.equal(off.server.busyPollUs, 0)
    const requests = requestStream(140)
    const stream = join(requests)
    assert.ok(stream.length > 65536, 'more than one event-loop read')
    const [polled, plain] = await Promise.all([exchange(on.path, stream, requests.length), exchange(off.path, stream, requests.length)])
    assert.equal(polled.closed, false)
    assert.equal(plain.messages.filter((m) => m.flags === 0).length, requests.length)
    assert.deepEqual(polled.messages.map(encodeMessage), plain.messages.map(encodeMessage))
    assert.deepEqual(polled.messages.filter((m) => m.flags === 0).map((m) => m.seq), requests.map((_, seq) => seq), 'one batch per request, in order')
    assert.ok(polledOf(on) > 0, 'busy polling served some of them')
    assert.equal(polledOf(off), 0)
  })
})

test('garbage from one client while another is busy-polled: that one is closed, the other fully served', {skip}, async () => {
  await withEmulators(async (on) => {
    const requests = requestStream(140)
    const garbage = Uint8Array.from([0xff, 0xff, 0xff, 0x7f, ...Array(60).fill(0xab)])
    const [served, refused] = await Promise.all([exchange(on.path, join(requests), requests.length), exchange(on.path, garbage, 1)])
    assert.equal(refused.closed, true)
    assert.equal(refused.messages.length, 0)
    assert.equal(served.closed, false)
    assert.deepEqual(served.messages.filter((m) => m.flags === 0).map((m) => m.seq), requests.map((_, seq) => seq))
    assert.ok(polledOf(on) > 0)
  })
})

test('garbage in what busy polling reads closes that session after the requests before it, and nothing else', {skip}, async () => {
  await withEmulators(async (on, off) => {
    const requests = requestStream(100)
    const garbage = Uint8Array.from([0x08, 0, 0, 0, ...Array(60).fill(0xab)]) // nlmsg_len 8: shorter than a header
    const stream = join([...requests, garbage])
    const [polled, plain] = await Promise.all([exchange(on.path, stream, requests.length + 1), exchange(off.path, stream, requests.length + 1)])
    for (const {closed, messages} of [polled, plain]) {
      assert.equal(closed, true)
      // Replies not yet sent when the garbage came are dropped with the connection; those sent are whole and in order.
      const seqs = messages.filter((m) => m.flags === 0).map((m) => m.seq)
      assert.ok(seqs.length > 0 && seqs.length <= requests.length)
      assert.deepEqual(seqs, requests.slice(0, seqs.length).map((_, seq) => seq))
    }
    // Past the first read (64 KiB, the event loop's), busy polling read on: the next 64 KiB, then the rest and the garbage.
    assert.ok(stream.length > 2 * 65536)
    assert.ok(polledOf(on) > 0, 'busy polling read on')
    // The server goes on serving.
    const client = await on.client()
    assert.equal((await client.get(req('vr_mpls_req', {h_op: 1, mr_label: 100}))).fields.mr_nhid, 10)
  })
})
