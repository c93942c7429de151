/**
 * A Unix stream socket used the way the stock tools use the DPDK vRouter's: a blocking socket, each request sent
 * whole, the reply read by waiting in poll — no event loop in between. A tool that sends one request at a time pays
 * the two event-loop wake-ups of each round trip otherwise (one to send, one to read).
 */
import {TransportError, checkEndpointPath, connectFailure} from './endpoint.js'
import {unixAddress} from './device.js'
import {END_OF_STREAM, type MessageEndpoint} from './message-stream.js'
import {AF_UNIX, RawSocket, SOCK_STREAM, relax} from './raw-socket.js'

/**
 * How long the first read after a request spins (non-blocking reads, yielding the CPU between them) before it waits
 * in poll: a local forwarding plane answers a GET within tens of µs, and a thread woken from poll costs about as much
 * again on a VM (the emulator's busy polling is the same trade on the other side).
 */
const SPIN_AFTER_SEND_MS = 0.1

/** The peer went away under a send or a read. */
const GONE = new Set(['EPIPE', 'ECONNRESET', 'ENOTCONN'])

/**
 * Connects to the socket at `path`, waiting at most `timeoutMs` for its listener; a send waits at most as long for
 * room. Throws TransportError (NO_SERVER when nothing listens there).
 */
export function connectUnixStream(path: string, timeoutMs: number): MessageEndpoint {
  checkEndpointPath(path)
  const socket = RawSocket.create(AF_UNIX, SOCK_STREAM, 0)
  try {
    socket.connect(unixAddress(path), Math.max(1, Math.ceil(timeoutMs)))
  } catch (error) {
    socket.close()
    const failure = error as TransportError
    throw connectFailure(path, timeoutMs, failure.errno, failure.message)
  }
  const closed = (error: unknown) =>
    GONE.has((error as TransportError).errno ?? '') ? new TransportError('CLOSED', 'the forwarding plane closed the connection', (error as TransportError).errno) : error
  /** A request went out since the last read: its reply is close. */
  let replyDue = false
  return {
    send(bytes) {
      replyDue = true
      try {
        for (let sent = 0; sent < bytes.length; ) sent += socket.send(sent === 0 ? bytes : bytes.subarray(sent))
      } catch (error) {
        if ((error as TransportError).errno === 'EAGAIN') throw new TransportError('TIMEOUT', `no room to send a request within ${timeoutMs} ms`)
        throw closed(error)
      }
    },
    receive(into, waitMs) {
      let length: number | undefined
      try {
        if (replyDue) {
          replyDue = false
          const until = performance.now() + SPIN_AFTER_SEND_MS
          while ((length = socket.read(into, 0)) === undefined && performance.now() < until) relax()
        }
        length ??= socket.read(into, waitMs)
      } catch (error) {
        throw closed(error)
      }
      return length === undefined ? 0 : length === 0 ? END_OF_STREAM : length
    },
    close: () => socket.close(),
  }
}
