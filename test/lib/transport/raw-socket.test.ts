import assert from 'node:assert/strict'
import {mkdtempSync, rmSync} from 'node:fs'
import {type Socket, createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {test} from 'node:test'
import {unixAddress} from '../../../src/lib/transport/device.js'
import {AF_NETLINK, AF_UNIX, RawSocket, SOCK_RAW, SOCK_STREAM} from '../../../src/lib/transport/raw-socket.js'
import {TransportError} from '../../../src/lib/transport/endpoint.js'

const NETLINK_GENERIC = 16
const linux = process.platform === 'linux'

test('a generic netlink socket binds to a port id the kernel picks, and an idle receive times out', {skip: !linux && 'Linux only'}, () => {
  const socket = RawSocket.create(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC)
  try {
    const sockaddr = new Uint8Array(12) // sockaddr_nl: family, pad, port id 0 (the kernel picks), groups
    sockaddr[0] = AF_NETLINK
    socket.bind(sockaddr)
    const address = new DataView(socket.address().buffer)
    assert.equal(address.getUint16(0, true), AF_NETLINK)
    assert.notEqual(address.getUint32(4, true), 0, 'port id assigned on bind')
    assert.equal(socket.receive(new Uint8Array(64), 0), undefined)
  } finally {
    socket.close()
  }
  assert.throws(() => socket.receive(new Uint8Array(64), 0), (error: unknown) => error instanceof TransportError && error.code === 'CLOSED')
})

test('a failing call reports the errno name', {skip: !linux && 'Linux only'}, () => {
  assert.throws(
    () => RawSocket.create(4095, SOCK_RAW, 0),
    (error: unknown) => error instanceof TransportError && error.errno === 'EAFNOSUPPORT' && /^socket: /.test(error.message),
  )
})

test('a stream read is exact: a short buffer takes the first bytes, the next read the rest, then 0 at the end', {skip: !linux && 'Linux only'}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vrouter-raw-'))
  const path = join(dir, 'stream')
  const bytes = Uint8Array.from({length: 100}, (_, i) => i)
  let peer: Socket | undefined
  const server = createServer((socket) => (peer = socket))
  await new Promise<void>((resolve) => server.listen(path, resolve))
  const socket = RawSocket.create(AF_UNIX, SOCK_STREAM, 0)
  try {
    socket.connect(unixAddress(path), 1000)
    while (!peer) await new Promise((resolve) => setImmediate(resolve))
    await new Promise((resolve) => peer!.write(bytes.subarray(0, 60), resolve))
    await new Promise((resolve) => peer!.write(bytes.subarray(60), resolve))
    const into = new Uint8Array(10)
    assert.equal(socket.read(into, 1000), 10)
    assert.deepEqual([...into], [...bytes.subarray(0, 10)])
    const rest = new Uint8Array(200)
    let got = 0
    while (got < 90) got += socket.read(rest.subarray(got), 1000) ?? 0
    assert.deepEqual([...rest.subarray(0, got)], [...bytes.subarray(10)], 'nothing dropped, nothing more')
    assert.equal(socket.read(rest, 0), undefined, 'nothing more there')
    await new Promise<void>((resolve) => peer!.end(() => resolve()))
    assert.equal(socket.read(rest, 1000), 0, 'the end of the stream')
  } finally {
    socket.close()
    server.close()
    rmSync(dir, {recursive: true, force: true})
  }
})
