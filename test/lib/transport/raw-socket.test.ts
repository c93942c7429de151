import assert from 'node:assert/strict'
import {test} from 'node:test'
import {AF_NETLINK, RawSocket, SOCK_RAW} from '../../../src/lib/transport/raw-socket.js'
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
