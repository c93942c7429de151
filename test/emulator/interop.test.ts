/**
 * The bytes the stock C tools send (test/fixtures/peer, and the spec's worked examples), written raw to the real
 * emulator socket: the replies are framed as the DPDK forwarding plane frames them — type and seq echoed, pid 0,
 * MULTI on all but the last message, no DONE, nla_len without its header, vr_response first — and carry what was
 * asked for.
 */
import assert from 'node:assert/strict'
import {connect} from 'node:net'
import {after, before, describe, test} from 'node:test'
import {FrameParser, type NetlinkMessage, type SandeshMessage} from '../../src/lib/ksync/frame.js'
import {codecFor} from '../../src/lib/sandesh/codec.js'
import type {SandeshObject} from '../../src/lib/sandesh/schema.js'
import {hexFixture, peerCases} from '../helpers.js'
import {type Emulator, req, startEmulator} from './harness.js'

const codec = codecFor('current')
let emu: Emulator

/** Writes `bytes` and collects reply messages until one with flags 0 (what a stock tool does). */
async function exchange(path: string, requests: Uint8Array[]): Promise<NetlinkMessage[][]> {
  const socket = connect(path)
  await new Promise((resolve) => socket.once('connect', resolve))
  const parser = new FrameParser()
  const batches: NetlinkMessage[][] = []
  let current: NetlinkMessage[] = []
  let waiting: (() => void) | undefined
  socket.on('data', (chunk: Buffer) => {
    for (const m of parser.push(new Uint8Array(chunk))) {
      current.push(m)
      if (m.flags === 0) {
        batches.push(current)
        current = []
        waiting?.()
      }
    }
  })
  for (const r of requests) {
    const done = new Promise<void>((resolve) => (waiting = resolve))
    socket.write(r)
    await done
  }
  socket.destroy()
  return batches
}

const objectsOf = (m: NetlinkMessage) => codec.decodePayload((m as SandeshMessage).payload)

before(async () => {
  emu = await startEmulator()
  const c = await emu.client()
  // The fixture objects of the captures (test/fixtures/peer/README.md).
  await c.request(req('vr_interface_req', {h_op: 0, vifr_idx: 1, vifr_type: 2, vifr_name: 'eth0', vifr_transport: 1, vifr_os_idx: 24, vifr_mac: [0, 0x1b, 0x21, 0xaa, 0xbb, 0x02]}))
  await c.request(req('vr_interface_req', {h_op: 0, vifr_idx: 0, vifr_type: 0, vifr_name: 'vhost0', vifr_transport: 1, vifr_flags: 0x2c0, vifr_mac: [0, 0x1b, 0x21, 0xaa, 0xbb, 0x01]}))
  await c.request(req('vr_interface_req', {h_op: 0, vifr_idx: 2, vifr_type: 3, vifr_name: 'tapa1b2c3d4-e5', vifr_transport: 2, vifr_vrf: 2, vifr_flags: 0x101c1, vifr_mac: [0, 0, 0x5e, 0, 1, 0]}))
  await c.request(req('vr_nexthop_req', {h_op: 0, nhr_id: 21, nhr_type: 2, nhr_family: 2, nhr_flags: 3, nhr_vrf: 2, nhr_encap_oif_id: [2], nhr_encap: Array(14).fill(0), nhr_encap_family: 0x0806}))
  for (const [label, nh] of [[16, 21], [25, 21], [26, 0]]) await c.request(req('vr_mpls_req', {h_op: 0, mr_label: label, mr_nhid: nh}))
  await c.request(req('vr_route_req', {h_op: 0, rtr_family: 2, rtr_vrf_id: 0, rtr_prefix: [10, 1, 1, 5], rtr_prefix_len: 32, rtr_nh_id: 21}))
})
after(() => emu.close())

describe('requests of the stock tools', () => {
  const expected: Record<string, (objects: SandeshObject[]) => void> = {
    'vif-list': (o) => assert.deepEqual(o.map((x) => (x as SandeshObject<'vr_interface_req'>).fields.vifr_name), ['vhost0', 'eth0', 'tapa1b2c3d4-e5']),
    'dpdk-vif-list': (o) => assert.equal(o.length, 3),
    'vif-list-multipage': (o) => assert.equal(o.length, 3),
    'mpls-dump': (o) => assert.deepEqual(o.map((x) => (x as SandeshObject<'vr_mpls_req'>).fields.mr_label), [16, 25, 26]),
    'nh-list': (o) => assert.deepEqual(o.map((x) => (x as SandeshObject<'vr_nexthop_req'>).fields.nhr_id), [0, 21]),
    'rt-dump-inet': (o) => assert.ok(o.some((x) => (x as SandeshObject<'vr_route_req'>).fields.rtr_prefix_len === 32)),
    dropstats: (o) => assert.equal(o[0].name, 'vr_drop_stats_req'),
  }

  for (const c of peerCases().filter((c) => expected[c.name])) {
    test(c.name, async () => {
      const [batch] = await exchange(emu.path, [c.requests[0]])
      const [request] = new FrameParser().push(c.requests[0]) as SandeshMessage[]
      for (const [i, m] of batch.entries()) {
        assert.equal(m.kind, 'sandesh')
        const s = m as SandeshMessage
        assert.equal(s.type, request.type, 'family id echoed')
        assert.equal(s.seq, request.seq, 'sequence number echoed')
        assert.equal(s.pid, 0)
        assert.equal(s.flags, i < batch.length - 1 ? 2 : 0, 'MULTI on all but the last')
        assert.equal(s.nlaLengthStyle, 'payload-only')
        assert.equal(s.padding.length, 0, 'no padding on the DPDK socket')
      }
      const [head, ...rest] = batch.map(objectsOf)
      assert.equal(head[0].name, 'vr_response', 'the response comes first')
      const objects = [...head.slice(1), ...rest.flat()]
      const code = (head[0] as SandeshObject<'vr_response'>).fields.resp_code
      if ((codec.decodePayload(request.payload)[0].fields as {h_op?: number}).h_op === 3) assert.equal(code & 0x3fffffff, objects.length, 'the count of a dump page')
      expected[c.name](objects)
    })
  }

  test('the spec example: mpls --dump on the DPDK socket (family 0x20)', async () => {
    const [dump] = await exchange(emu.path, [hexFixture('ksync/spec-2.7-mpls-dump-dpdk-request.hex')])
    assert.deepEqual(dump.map((m) => [m.type, m.flags, m.seq]), [[0x20, 2, 0], [0x20, 0, 0]])
    assert.deepEqual(objectsOf(dump[0]).map((o) => (o.fields as {resp_code?: number}).resp_code), [3])
  })

  test('a GET of a missing object: one message, flags 0, -ENOENT, no object', async () => {
    const payload = codec.encode(req('vr_mpls_req', {h_op: 1, mr_label: 99}))
    const frame = new Uint8Array(24 + payload.length)
    const dv = new DataView(frame.buffer)
    dv.setUint32(0, frame.length, true)
    dv.setUint16(4, 0x20, true)
    dv.setUint16(6, 1, true)
    dv.setUint32(8, 7, true)
    frame[16] = 1
    dv.setUint16(20, payload.length + 4, true)
    dv.setUint16(22, 1, true)
    frame.set(payload, 24)
    const [batch] = await exchange(emu.path, [frame])
    assert.equal(batch.length, 1)
    assert.deepEqual([batch[0].type, batch[0].flags, batch[0].seq], [0x20, 0, 7])
    assert.deepEqual(objectsOf(batch[0]).map((o) => [o.name, (o.fields as {resp_code?: number}).resp_code]), [['vr_response', -2]])
    assert.deepEqual((batch[0] as SandeshMessage).payload, hexFixture('ksync/spec-1.13-response-enoent-payload.hex'))
  })

  test('an undecodable request gets vr_response -1', async () => {
    const frame = new Uint8Array(24 + 8)
    const dv = new DataView(frame.buffer)
    dv.setUint32(0, frame.length, true)
    dv.setUint16(6, 1, true)
    frame[16] = 1
    dv.setUint16(20, 12, true)
    frame.set([0, 0, 0, 3, 0x78, 0x79, 0x7a, 0], 24)
    const [batch] = await exchange(emu.path, [frame])
    assert.deepEqual(objectsOf(batch[0]).map((o) => (o.fields as {resp_code?: number}).resp_code), [-1])
  })
})
