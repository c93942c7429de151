/**
 * The tools' synchronous transport on a Unix stream socket (the client waits in poll, not in the event loop), against
 * a scripted forwarding plane in a worker thread (this thread blocks while it waits, so the plane cannot live on its
 * event loop): replies cut at every offset, dumps of several pages, a plane that closes, one that never answers, none.
 */
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {Worker} from 'node:worker_threads'
import {VrouterState} from '../../../src/emulator/state/index.js'
import {KsyncClient} from '../../../src/lib/ksync/client.js'
import {type KsyncConnection, openKsync} from '../../../src/lib/ksync/connect.js'
import {TransportError} from '../../../src/lib/transport/endpoint.js'
import {rawSocketsAvailable} from '../../../src/lib/transport/raw-socket.js'
import {objectOf} from '../../helpers.js'
import {inProcessPlane, labels, planeWith} from '../../in-process-plane.js'

const skip = !rawSocketsAvailable() && 'the rawsock addon is not built here'

/**
 * The plane: connection k answers its n-th request with replies[n] in two writes cut at `cuts[k]` bytes (or, past the
 * replies: `mode` "close" hangs up, "silent" says nothing).
 */
const PLANE = `
const {createServer} = require('node:net')
const {parentPort, workerData: {path, replies, cuts, mode}} = require('node:worker_threads')
let connection = 0
const server = createServer((socket) => {
  const cut = cuts[connection++] ?? 0
  let pending = Buffer.alloc(0)
  let n = 0
  socket.on('error', () => undefined)
  socket.on('data', (chunk) => {
    pending = Buffer.concat([pending, chunk])
    while (pending.length >= 4 && pending.length >= pending.readUInt32LE(0)) {
      pending = pending.subarray(pending.readUInt32LE(0))
      const reply = replies[n++]
      if (reply === undefined) {
        if (mode === 'close') socket.destroy()
        continue
      }
      const bytes = Buffer.from(reply)
      const at = Math.min(cut, bytes.length)
      if (at > 0) socket.write(bytes.subarray(0, at))
      if (at < bytes.length) setImmediate(() => socket.write(bytes.subarray(at)))
    }
  })
})
server.listen(path, () => parentPort.postMessage('ready'))
parentPort.on('message', () => server.close(() => process.exit(0)))
`

interface Plane {
  readonly path: string
  close(): Promise<void>
}

async function startPlane(dir: string, name: string, data: {replies: Uint8Array[]; cuts?: number[]; mode?: 'close' | 'silent'}): Promise<Plane> {
  const path = join(dir, name)
  const worker = new Worker(PLANE, {eval: true, workerData: {path, cuts: [], mode: 'silent', ...data}})
  await new Promise((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
  })
  return {
    path,
    async close() {
      worker.postMessage('stop')
      await new Promise((resolve) => worker.once('exit', resolve))
    },
  }
}

/** The emulator's reply batches (dpdk framing) to the requests a client sends for `run`, recorded in this thread. */
async function recordReplies(state: VrouterState, run: (client: KsyncClient) => Promise<unknown>): Promise<Uint8Array[]> {
  const {stream, replies} = inProcessPlane(state, 'dpdk', (length) => length)
  const client = new KsyncClient(stream, {flavour: 'dpdk', family: 0, timeoutMs: 2000})
  await run(client)
  client.close()
  return replies
}

const open = (path: string, timeoutMs = 2000): Promise<KsyncConnection> => openKsync({transport: 'socket', path, family: 0, timeoutMs})

describe('the synchronous socket transport', {skip}, () => {
  let dir: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vrouter-sync-'))
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  test('the tools open it where the addon is, and a one-page dump survives its reply cut at every offset', async () => {
    const replies = await recordReplies(planeWith(3), labels)
    assert.equal(replies.length, 1)
    const cuts = Array.from({length: replies[0].length + 1}, (_, at) => at)
    const plane = await startPlane(dir, 'one-page', {replies, cuts})
    try {
      for (const at of cuts) {
        const {client, description} = await open(plane.path)
        assert.equal(description, `socket ${plane.path}, family 0x0, synchronous`)
        assert.deepEqual(await labels(client), [0, 1, 2], `cut at ${at}`)
        client.close()
      }
    } finally {
      await plane.close()
    }
  })

  test('a dump of three pages (the next page asked for before the last is used), cut at many offsets', async () => {
    const replies = await recordReplies(planeWith(200), labels)
    assert.equal(replies.length, 3)
    const cuts = Array.from({length: 50}, (_, k) => 1 + k * 83)
    const plane = await startPlane(dir, 'three-pages', {replies, cuts})
    try {
      for (const at of cuts) {
        const {client} = await open(plane.path)
        assert.deepEqual(await labels(client), Array.from({length: 200}, (_, l) => l), `cut at ${at}`)
        client.close()
      }
    } finally {
      await plane.close()
    }
  })

  test('a plane that hangs up fails the request (CLOSED), also in the middle of a reply', async () => {
    const [reply] = await recordReplies(planeWith(3), labels)
    const closing = await startPlane(dir, 'closing', {replies: [], mode: 'close'})
    // Half a reply, then the plane hangs up on the next request: the half is never taken for a reply.
    const half = await startPlane(dir, 'half', {replies: [reply.subarray(0, 20)], cuts: [reply.length], mode: 'close'})
    try {
      const {client} = await open(closing.path)
      await assert.rejects(client.get(objectOf('vr_mpls_req', {h_op: 1, mr_label: 1})), (e: unknown) => e instanceof TransportError && e.code === 'CLOSED')
      client.close()
      const {client: other} = await open(half.path)
      const first = other.get(objectOf('vr_mpls_req', {h_op: 1, mr_label: 1}))
      const second = other.get(objectOf('vr_mpls_req', {h_op: 1, mr_label: 2}))
      for (const request of [first, second]) await assert.rejects(request, (e: unknown) => e instanceof TransportError && e.code === 'CLOSED')
      other.close()
    } finally {
      await closing.close()
      await half.close()
    }
  })

  test('a plane that never answers: TIMEOUT, and the event loop kept turning while the client waited', async () => {
    const plane = await startPlane(dir, 'silent', {replies: []})
    try {
      const {client} = await open(plane.path, 300)
      let ticks = 0
      const ticker = setInterval(() => ticks++, 20)
      try {
        await assert.rejects(client.get(objectOf('vr_mpls_req', {h_op: 1, mr_label: 1})), (e: unknown) => e instanceof TransportError && e.code === 'TIMEOUT')
      } finally {
        clearInterval(ticker)
      }
      assert.ok(ticks > 0, 'timers ran during the wait')
      client.close()
    } finally {
      await plane.close()
    }
  })

  test('nothing listening: NO_SERVER, as on the event-loop transport', async () => {
    await assert.rejects(open(join(dir, 'absent')), (e: unknown) => e instanceof TransportError && e.code === 'NO_SERVER' && e.message === `cannot connect to ${join(dir, 'absent')}: No such file or directory`)
  })
})
