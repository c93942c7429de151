/**
 * Transports that carry one whole message per read and per write — a generic netlink socket, the Windows ksync
 * device — as the byte stream the ksync client reads. Nothing in them blocks for long: a receive waits at most a
 * short slice (a device never waits at all: an empty reply queue reads as 0 bytes), and between empty receives the
 * stream yields to the event loop with a growing pause, so timers and Ctrl-C stay prompt while a reply is awaited.
 */
import {Duplex} from 'node:stream'
import {TransportError} from './endpoint.js'

export interface MessageEndpoint {
  /** Sends one whole message. */
  send(bytes: Uint8Array): void | Promise<void>
  /** Receives one message into `into`, waiting at most `waitMs`: its length (more than `into` holds when it was cut), 0 when none came. */
  receive(into: Uint8Array, waitMs: number): number | Promise<number>
  close(): void
}

export interface MessageStreamOptions {
  /** The largest message expected; a longer one fails the stream (it cannot be told apart from garbage). */
  readonly maxMessageLength: number
  /** How long one receive may wait (0: poll). */
  readonly sliceMs?: number
  /** The longest pause between empty receives. */
  readonly maxPauseMs?: number
}

/** A Duplex over a message endpoint: each write is one message, each received message one chunk. */
export function messageStream(endpoint: MessageEndpoint, options: MessageStreamOptions): Duplex {
  const into = new Uint8Array(options.maxMessageLength)
  const slice = options.sliceMs ?? 0
  const maxPause = options.maxPauseMs ?? 16
  let reading = false
  let closed = false
  let pause = 1
  let timer: NodeJS.Timeout | undefined

  const stream: Duplex = new Duplex({
    write(chunk: Buffer, _encoding, done) {
      pause = 1
      Promise.resolve()
        .then(() => endpoint.send(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)))
        .then(() => done(), done)
    },
    read() {
      if (!reading && timer === undefined) void pump()
    },
    destroy(error, done) {
      closed = true
      clearTimeout(timer)
      endpoint.close()
      done(error)
    },
  })

  /** Receives until the reader has enough or nothing comes; then waits a little and tries again. */
  async function pump(): Promise<void> {
    reading = true
    try {
      while (!closed) {
        const length = await endpoint.receive(into, slice)
        if (closed) return
        if (length > into.length) throw new TransportError('IO', `a message of ${length} bytes (at most ${into.length} expected)`)
        if (length === 0) {
          timer = setTimeout(() => {
            timer = undefined
            void pump()
          }, pause)
          pause = Math.min(pause * 2, maxPause)
          return
        }
        pause = 1
        if (!stream.push(Buffer.from(into.subarray(0, length)))) return
      }
    } catch (error) {
      stream.destroy(error as Error)
    } finally {
      reading = false
    }
  }

  return stream
}
