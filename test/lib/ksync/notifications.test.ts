/**
 * Messages that answer no request (the kernel vRouter's route multicasts, seq 0 and pid 0, to a connection joined to
 * its group): handed to the listener in order, never taken for a reply; the listener learns when the connection ends.
 */
import assert from 'node:assert/strict'
import {Duplex} from 'node:stream'
import {test} from 'node:test'
import {DecodeError} from '../../../src/lib/errors.js'
import {KsyncClient} from '../../../src/lib/ksync/client.js'
import {NL_ATTR_VR_MESSAGE_PROTOCOL, SANDESH_REQUEST, decodeMessage, encodeMessage, encodeReplyBatch} from '../../../src/lib/ksync/frame.js'
import {codecFor} from '../../../src/lib/sandesh/codec.js'
import type {SandeshObject} from '../../../src/lib/sandesh/schema.js'
import {TransportError} from '../../../src/lib/transport/endpoint.js'
import {type MessageEndpoint, messageStream} from '../../../src/lib/transport/message-stream.js'
import {objectOf} from '../../helpers.js'

const FAMILY = 0x1a
const codec = codecFor('current')

/** A route multicast as TF linux/vr_genetlink.c sends it: nla_len counting its header, seq 0, pid 0, flags 0. */
function multicast(op: number, prefix: number[]): Uint8Array {
  const payload = codec.encode(
    objectOf('vr_response', {h_op: 4, resp_code: 0}),
    objectOf('vr_route_req', {h_op: op, rtr_family: 2, rtr_vrf_id: 1, rtr_prefix: prefix, rtr_prefix_len: 32, rtr_nh_id: 9}),
  )
  const padded = (payload.length + 3) & ~3
  return encodeMessage({
    kind: 'sandesh', type: FAMILY, flags: 0, seq: 0, pid: 0, cmd: SANDESH_REQUEST, version: 1, reserved: 0,
    nlaType: NL_ATTR_VR_MESSAGE_PROTOCOL, nlaLengthStyle: 'with-header', payload, padding: new Uint8Array(padded - payload.length),
  })
}

/** A connection whose other end is the test: what the client writes is kept, what the test pushes is read. */
function scriptedConnection(): {stream: Duplex; written: Uint8Array[]} {
  const written: Uint8Array[] = []
  const stream = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, done) {
      written.push(new Uint8Array(chunk))
      done()
    },
  })
  return {stream, written}
}

test('multicasts go to the listener in order, between and apart from the reply to a request', async () => {
  const {stream, written} = scriptedConnection()
  const client = new KsyncClient(stream, {flavour: 'linux', family: FAMILY, firstSeq: 1, timeoutMs: 2000})
  const heard: SandeshObject[][] = []
  const ended = client.listen((objects) => heard.push([...objects]))
  const reply = client.get(objectOf('vrouter_ops', {h_op: 1}))
  stream.push(multicast(0, [10, 1, 1, 3]))
  const request = decodeMessage(written[0])
  assert.equal(request.seq, 1)
  const answer = codec.encode(objectOf('vr_response', {h_op: 4}), objectOf('vrouter_ops', {h_op: 1, vo_genetlink_group_id: 5}))
  const [batch] = encodeReplyBatch('linux', {type: FAMILY, seq: 1, cmd: SANDESH_REQUEST, version: 1, reserved: 0}, [answer], 77)
  // The reply and a second multicast in one read, the multicast cut in two.
  const second = multicast(2, [10, 1, 1, 4])
  stream.push(Buffer.concat([batch, second.subarray(0, 30)]))
  assert.equal((await reply).fields.vo_genetlink_group_id, 5)
  stream.push(second.subarray(30))
  await new Promise((resolve) => setImmediate(resolve))
  assert.deepEqual(
    heard.map((objects) => objects.map((o) => (o.name === 'vr_route_req' ? `${o.fields.h_op} ${o.fields.rtr_prefix.join('.')}` : o.name))),
    [['vr_response', '0 10.1.1.3'], ['vr_response', '2 10.1.1.4']],
  )
  stream.destroy()
  await assert.rejects(ended, (error: unknown) => error instanceof TransportError && error.code === 'CLOSED')
})

test('without a listener, a multicast is dropped and a request of seq 0 still gets its own reply', async () => {
  const {stream} = scriptedConnection()
  const client = new KsyncClient(stream, {flavour: 'linux', family: FAMILY, timeoutMs: 2000})
  const reply = client.get(objectOf('vrouter_ops', {h_op: 1}))
  const answer = codec.encode(objectOf('vr_response', {h_op: 4}), objectOf('vrouter_ops', {h_op: 1, vo_mpls_labels: 5000}))
  const [batch] = encodeReplyBatch('linux', {type: FAMILY, seq: 0, cmd: SANDESH_REQUEST, version: 1, reserved: 0}, [answer], 77)
  stream.push(batch)
  assert.equal((await reply).fields.vo_mpls_labels, 5000)
  stream.push(multicast(0, [10, 1, 1, 3]))
  client.close()
})

test('a multicast that does not decode ends the listening with the decode error', async () => {
  const {stream} = scriptedConnection()
  const client = new KsyncClient(stream, {flavour: 'linux', family: FAMILY, firstSeq: 1, timeoutMs: 2000})
  const ended = client.listen(() => assert.fail('nothing decodes'))
  const broken = multicast(0, [10, 1, 1, 3])
  broken[24 + 3] = 0x7f // the first object's name length: far beyond the message
  stream.push(broken)
  await assert.rejects(ended, (error: unknown) => error instanceof DecodeError && error.code === 'UNKNOWN_OBJECT')
  client.close()
})

test('over a transport that receives only while something is awaited, listening is what starts the receiving', async () => {
  const queued = [multicast(0, [10, 1, 1, 7])]
  let receives = 0
  const endpoint: MessageEndpoint = {
    send() {},
    receive(into) {
      receives++
      const next = queued.shift()
      if (!next) return 0
      into.set(next)
      return next.length
    },
    close() {},
  }
  let client: KsyncClient | undefined = undefined
  const stream = messageStream(endpoint, {maxMessageLength: 4096, sliceMs: 1, awaiting: () => client?.awaiting ?? false})
  client = new KsyncClient(stream, {flavour: 'linux', family: FAMILY, firstSeq: 1, timeoutMs: 2000})
  await new Promise((resolve) => setImmediate(resolve))
  assert.equal(receives, 0, 'nothing is received while nothing is awaited')
  const heard = await new Promise<readonly SandeshObject[]>((resolve) => void client!.listen(resolve).catch(() => undefined))
  assert.deepEqual(heard.map((o) => o.name), ['vr_response', 'vr_route_req'])
  client.close()
})
