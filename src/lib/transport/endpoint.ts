/**
 * Where a ksync server listens and how to reach it: the DPDK vRouter's Unix stream socket (`<dir>/dpdk_netlink`), or a
 * Windows named pipe. Unix paths longer than the kernel's limit are refused here, because Node would silently
 * truncate them and listen on another name.
 */
import {type Socket, connect} from 'node:net'
import {join} from 'node:path'

/** The DPDK vRouter's socket directory and file names. */
export const DEFAULT_SOCK_DIR = '/var/run/vrouter'
export const NETLINK_SOCKET_NAME = 'dpdk_netlink'
/** sizeof(sockaddr_un.sun_path) - 1 on Linux. */
export const MAX_UNIX_PATH = 107

/** A transport failure: nothing listens, the path is unusable, the peer went away, or nothing came back in time. */
export class TransportError extends Error {
  override readonly name = 'TransportError'
  constructor(
    readonly code: 'NO_SERVER' | 'BAD_PATH' | 'CLOSED' | 'TIMEOUT' | 'IO',
    message: string,
    readonly errno?: string,
  ) {
    super(message)
  }
}

export function socketPathIn(sockDir: string): string {
  return join(sockDir, NETLINK_SOCKET_NAME)
}

export function isPipePath(path: string): boolean {
  return /^\\\\[.?]\\pipe\\/i.test(path)
}

/** Checks that a server can listen on / a client can connect to `path`; throws TransportError BAD_PATH. */
export function checkEndpointPath(path: string): void {
  if (isPipePath(path)) return
  if (process.platform === 'win32') throw new TransportError('BAD_PATH', `${path}: on Windows the endpoint is a pipe (\\\\.\\pipe\\NAME)`)
  if (Buffer.byteLength(path) > MAX_UNIX_PATH) {
    throw new TransportError('BAD_PATH', `${path}: a Unix socket path has at most ${MAX_UNIX_PATH} bytes (this one has ${Buffer.byteLength(path)})`)
  }
}

const SOCKET_ERRORS: Record<string, string> = {
  ENOENT: 'No such file or directory',
  ECONNREFUSED: 'Connection refused',
  EACCES: 'Permission denied',
  ENOTSOCK: 'Socket operation on non-socket',
  EPIPE: 'Broken pipe',
  EBUSY: 'Device or resource busy',
}

/** A failed connection as a TransportError: NO_SERVER when nothing serves the path, TIMEOUT, IO otherwise. */
export function connectFailure(path: string, timeoutMs: number, code: string | undefined, message: string): TransportError {
  if (code === 'EAGAIN' || code === 'ETIMEDOUT') return new TransportError('TIMEOUT', `${path}: no connection within ${timeoutMs} ms`)
  const absent = code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'EPIPE' || code === 'EBUSY'
  return new TransportError(absent ? 'NO_SERVER' : 'IO', `cannot connect to ${path}: ${SOCKET_ERRORS[code ?? ''] ?? message}`, code)
}

/** Connects to a stream endpoint (Unix socket or named pipe); rejects with TransportError. */
export function connectStream(path: string, timeoutMs = 5000): Promise<Socket> {
  checkEndpointPath(path)
  return new Promise((resolve, reject) => {
    const socket = connect(path)
    const timer = setTimeout(() => {
      socket.destroy()
      reject(connectFailure(path, timeoutMs, 'ETIMEDOUT', ''))
    }, timeoutMs)
    socket.once('connect', () => {
      clearTimeout(timer)
      resolve(socket)
    })
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      reject(connectFailure(path, timeoutMs, error.code, error.message))
    })
  })
}
