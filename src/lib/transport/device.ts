/**
 * The Windows vRouter's ksync device (`\\.\vrouterKsync`; its documentation calls it a named pipe), opened as the
 * stock tools open it (WIN utils/windows_util.c): one handle, one request per write, one reply message per read,
 * and a read of an empty reply queue returns 0 bytes at once instead of waiting (WIN windows/vr_ksync_user.c).
 *
 * Elsewhere the same path names a stand-in with the same behaviour, for the emulator and the tests: a Unix datagram
 * socket, one message per datagram each way, answered at the (automatically bound) address the requests came from.
 */
import {existsSync, statSync} from 'node:fs'
import {open} from 'node:fs/promises'
import {TransportError, checkEndpointPath, isPipePath} from './endpoint.js'
import type {MessageEndpoint} from './message-stream.js'
import {AF_UNIX, RawSocket, SOCK_DGRAM} from './raw-socket.js'

/** The ksync device as user programs open it. */
export const KSYNC_DEVICE = '\\\\.\\vrouterKsync'

/** The bytes of a sockaddr_un naming `path` (or, with no path, one that asks the kernel to pick an abstract name). */
export function unixAddress(path?: string): Uint8Array {
  const name = path === undefined ? new Uint8Array(0) : new TextEncoder().encode(`${path}\0`)
  const address = new Uint8Array(2 + name.length)
  new DataView(address.buffer).setUint16(0, AF_UNIX, true)
  address.set(name, 2)
  return address
}

/** Opens the ksync device at `path` (a Windows device path on Windows, a datagram stand-in elsewhere). */
export async function openKsyncDevice(path: string): Promise<MessageEndpoint> {
  return process.platform === 'win32' ? openWindowsDevice(path) : openStandIn(path)
}

async function openWindowsDevice(path: string): Promise<MessageEndpoint> {
  if (isPipePath(path)) throw new TransportError('BAD_PATH', `${path} is a named pipe, not the ksync device: use --transport socket`)
  let handle
  try {
    handle = await open(path, 'r+')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const absent = code === 'ENOENT'
    throw new TransportError(absent ? 'NO_SERVER' : 'IO', `cannot open ${path}: ${(error as Error).message}${absent ? ' (is the vRouter forwarding extension running?)' : ''}`, code)
  }
  return {
    async send(bytes) {
      await handle.write(bytes)
    },
    async receive(into) {
      return (await handle.read(into, 0, into.length, null)).bytesRead
    },
    close() {
      void handle.close()
    },
  }
}

function openStandIn(path: string): MessageEndpoint {
  checkEndpointPath(path)
  if (!existsSync(path) || !statSync(path).isSocket()) throw new TransportError('NO_SERVER', `cannot open ${path}: no ksync device there`, 'ENOENT')
  const socket = RawSocket.create(AF_UNIX, SOCK_DGRAM, 0)
  try {
    socket.bind(unixAddress())
  } catch (error) {
    socket.close()
    throw error
  }
  const to = unixAddress(path)
  return {
    send(bytes) {
      try {
        socket.send(bytes, to)
      } catch (error) {
        const errno = (error as TransportError).errno
        if (errno === 'ECONNREFUSED' || errno === 'ENOENT') throw new TransportError('NO_SERVER', `cannot send to ${path}: nobody serves it`, errno)
        throw error
      }
    },
    receive: (into, waitMs) => socket.receive(into, waitMs) ?? 0,
    close: () => socket.close(),
  }
}
