/**
 * The ksync client over each transport and framing flavour: the dump loop against the emulator's answers in every
 * flavour (MULTI + DONE, or flags 0 at the end) with replies cut at every offset; the emulator serving the netlink
 * flavour on a socket (padding, port id); the Windows device through its stand-in; the family lookup's bytes.
 */
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync} from 'node:fs'
import {connect} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {KsyncServer} from '../../../src/emulator/server/server.js'
import {VrouterError} from '../../../src/lib/errors.js'
import {KsyncClient} from '../../../src/lib/ksync/client.js'
import {openKsync} from '../../../src/lib/ksync/connect.js'
import {
  FAMILY_ID,
  type Flavour,
  FLAVOURS,
  FrameParser,
  NLM_F_MULTI,
  NLMSG_DONE,
  type NetlinkMessage,
  decodeMessage,
  encodeReplyBatch,
  encodeRequest,
} from '../../../src/lib/ksync/frame.js'
import {getFamilyRequest} from '../../../src/lib/ksync/genl.js'
import {codecFor} from '../../../src/lib/sandesh/codec.js'
import type {SandeshObject} from '../../../src/lib/sandesh/schema.js'
import {TransportError} from '../../../src/lib/transport/endpoint.js'
import {END_OF_STREAM, type MessageEndpoint, messageStream} from '../../../src/lib/transport/message-stream.js'
import {DeviceDouble} from '../../device-double.js'
import {PORT_ID, inProcessPlane, labels, planeWith} from '../../in-process-plane.js'
import {hexFixture, objectOf} from '../../helpers.js'

const LINUX_FAMILY = 0x1a
const familyOf = (flavour: Flavour) => (flavour === 'linux' ? LINUX_FAMILY : flavour === 'windows' ? FAMILY_ID.windows : FAMILY_ID.dpdk)

describe('the dump loop over every flavour', () => {
  const small = planeWith(3)
  const large = planeWith(200)
  const everyLabel = (n: number) => Array.from({length: n}, (_, l) => l)

  for (const flavour of FLAVOURS) {
    test(`${flavour}: one page, the reply cut at every offset`, async () => {
      const whole = encodeReplyBatch(flavour, {type: familyOf(flavour), seq: 0, cmd: 1, version: 0, reserved: 0}, [codecFor('current').encode(objectOf('vr_response', {h_op: 4, resp_code: 3})), new Uint8Array(3 * 49)])
      const length = whole.reduce((n, m) => n + m.length, 0)
      for (let at = 0; at <= length; at++) {
        const {stream} = inProcessPlane(small, flavour, () => at)
        const client = new KsyncClient(stream, {flavour, family: familyOf(flavour), timeoutMs: 2000})
        assert.deepEqual(await labels(client), everyLabel(3), `cut at ${at}`)
        client.close()
      }
    })

    test(`${flavour}: three pages, each cut at many offsets`, async () => {
      for (let at = 1; at < 4200; at += 83) {
        const {stream, seqs} = inProcessPlane(large, flavour, () => at)
        const client = new KsyncClient(stream, {flavour, family: familyOf(flavour), timeoutMs: 2000, firstSeq: flavour === 'linux' ? 1 : 0})
        assert.deepEqual(await labels(client), everyLabel(200), `cut at ${at}`)
        assert.deepEqual(seqs, flavour === 'linux' ? [1, 2, 3] : [0, 1, 2], 'one request per page, numbered as the stock tools number them')
        client.close()
      }
    })
  }
})

describe('the emulator speaking the generic netlink flavour on a socket', () => {
  let dir: string
  let server: KsyncServer
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vrouter-genl-'))
    server = new KsyncServer(planeWith(200), {path: join(dir, 'genl'), flavour: 'linux', portId: PORT_ID})
    await server.listen()
  })
  after(async () => {
    await server.close()
    rmSync(dir, {recursive: true, force: true})
  })

  test('a dump page: MULTI on every message, then DONE; padded to 4; the port id in every reply', async () => {
    const socket = connect(server.path)
    const parser = new FrameParser({align: true})
    const messages: NetlinkMessage[] = []
    await new Promise<void>((resolve, reject) => {
      socket.on('data', (chunk: Buffer) => {
        messages.push(...parser.push(new Uint8Array(chunk)))
        if (messages.at(-1)?.kind === 'done') resolve()
      })
      socket.on('error', reject)
      socket.write(encodeRequest(codecFor('current').encode(objectOf('vr_mpls_req', {h_op: 3, mr_marker: -1})), {family: LINUX_FAMILY, seq: 1}))
    })
    socket.destroy()
    assert.deepEqual(messages.map((m) => [m.kind, m.flags, m.seq, m.pid, m.type]), [
      ['sandesh', NLM_F_MULTI, 1, PORT_ID, LINUX_FAMILY],
      ['sandesh', NLM_F_MULTI, 1, PORT_ID, LINUX_FAMILY],
      ['done', 0, 1, PORT_ID, NLMSG_DONE],
    ])
    for (const m of messages) {
      if (m.kind !== 'sandesh') continue
      assert.equal((m.payload.length + m.padding.length) % 4, 0, 'nlmsg_len padded to 4')
      assert.equal(m.padding.length, (4 - (m.payload.length % 4)) % 4)
    }
  })

  test('the client follows the pages', async () => {
    const client = await KsyncClient.connect(server.path, {flavour: 'linux', family: LINUX_FAMILY, firstSeq: 1, timeoutMs: 3000})
    try {
      assert.deepEqual(await labels(client), Array.from({length: 200}, (_, l) => l))
    } finally {
      client.close()
    }
  })
})

describe('the Windows ksync device (its stand-in: one message per read)', () => {
  let dir: string
  let device: DeviceDouble
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vrouter-dev-'))
    device = new DeviceDouble(planeWith(200), join(dir, 'vrouterKsync'))
  })
  after(() => {
    device.close()
    rmSync(dir, {recursive: true, force: true})
  })

  test('dump, get and a refusal, each reply message read on its own', async () => {
    const {client, description} = await openKsync({transport: 'pipe', path: device.path, timeoutMs: 3000})
    try {
      assert.equal(description, `device ${device.path}, family 1`)
      const before = device.replies
      assert.deepEqual(await labels(client), Array.from({length: 200}, (_, l) => l))
      // 3 pages: vr_response, objects, DONE each.
      assert.equal(device.replies - before, 9)
      const got = (await client.get(objectOf('vr_mpls_req', {h_op: 1, mr_label: 7}))) as SandeshObject<'vr_mpls_req'>
      assert.equal(got.fields.mr_label, 7)
      await assert.rejects(client.get(objectOf('vr_mpls_req', {h_op: 1, mr_label: 900})), (e: unknown) => e instanceof VrouterError && e.errnoName === 'ENOENT')
    } finally {
      client.close()
    }
  })

  test('no device there: NO_SERVER', async () => {
    await assert.rejects(openKsync({transport: 'pipe', path: join(dir, 'absent'), timeoutMs: 1000}), (e: unknown) => e instanceof TransportError && e.code === 'NO_SERVER')
  })
})

describe('message streams', () => {
  test('empty receives are retried with pauses until a message comes; destroy closes the endpoint', async () => {
    let polls = 0
    let closed = false
    const message = Uint8Array.from([1, 2, 3])
    const endpoint: MessageEndpoint = {
      send: () => undefined,
      receive(into) {
        if (++polls < 6) return 0
        if (polls > 6) return 0
        into.set(message)
        return message.length
      },
      close: () => void (closed = true),
    }
    const stream = messageStream(endpoint, {maxMessageLength: 16})
    const chunk = await new Promise<Buffer>((resolve) => stream.once('data', resolve))
    assert.deepEqual(new Uint8Array(chunk), message)
    assert.ok(polls >= 6, "five empty receives were retried")
    stream.destroy()
    assert.equal(closed, true)
  })

  test('told what is awaited, it receives only from a send until the reply came, and at once', async () => {
    let receives = 0
    let queued: Uint8Array | undefined
    let awaited = false
    const endpoint: MessageEndpoint = {
      send(bytes) {
        queued = bytes.slice()
      },
      receive(into) {
        receives++
        if (!queued) return 0
        into.set(queued)
        const length = queued.length
        queued = undefined
        return length
      },
      close: () => undefined,
    }
    const stream = messageStream(endpoint, {maxMessageLength: 16, awaiting: () => awaited})
    const chunks: number[][] = []
    stream.on('data', (chunk: Buffer) => {
      chunks.push([...chunk])
      awaited = false
    })
    const turns = (n: number) => Array.from({length: n}).reduce<Promise<unknown>>((p) => p.then(() => new Promise((resolve) => setTimeout(resolve, 2))), Promise.resolve())
    await turns(5)
    assert.equal(receives, 0, 'nothing awaited: no receive')
    for (const message of [[1, 2], [3]]) {
      awaited = true
      const earlier: number = receives
      stream.write(Uint8Array.from(message))
      await turns(5)
      assert.deepEqual(chunks.at(-1), message)
      assert.equal(receives - earlier, 1, 'one receive took the reply, with no pause before it; then none')
    }
    stream.destroy()
  })

  test('a stream endpoint at its end closes the stream; no message is made up', async () => {
    const endpoint: MessageEndpoint = {send: () => undefined, receive: () => END_OF_STREAM, close: () => undefined}
    const stream = messageStream(endpoint, {maxMessageLength: 16})
    let data = 0
    stream.on('data', () => data++)
    await new Promise((resolve) => stream.once('close', resolve))
    assert.equal(data, 0)
  })

  test('a message longer than allowed fails the stream', async () => {
    const endpoint: MessageEndpoint = {send: () => undefined, receive: () => 100, close: () => undefined}
    const stream = messageStream(endpoint, {maxMessageLength: 16})
    stream.resume()
    const error = await new Promise<Error>((resolve) => stream.once('error', resolve))
    assert.ok(error instanceof TransportError && /100 bytes/.test(error.message))
  })
})

describe('the family lookup', () => {
  test('the request the stock tools send for "vrouter" (spec §2.4)', () => {
    assert.deepEqual(getFamilyRequest('vrouter', 0), hexFixture('ksync/spec-2.4-getfamily-request.hex'))
  })

  test('the name is NUL-terminated and zero-padded, and nla_len counts the padding', () => {
    const bytes = getFamilyRequest('nlctrl', 5)
    const m = decodeMessage(bytes)
    assert.equal(bytes.length, 32)
    assert.equal(new DataView(bytes.buffer, bytes.byteOffset).getUint16(20, true), 12)
    assert.ok(m.kind === 'control' && m.cmd === 3 && m.seq === 5)
    assert.deepEqual(m.kind === 'control' && [...m.attributes[0].data], [...new TextEncoder().encode('nlctrl'), 0, 0])
  })
})
