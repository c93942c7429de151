/**
 * Transports read by plain calls instead of the event loop — a generic netlink socket, the Windows ksync device (one
 * whole message per read and per write), a Unix stream socket read synchronously (bytes as they come) — as the byte
 * stream the ksync client reads. Nothing in them blocks for long: a receive waits at most a short slice (a device
 * never waits at all: an empty reply queue reads as 0 bytes), and between empty receives the stream gives the event
 * loop a turn (a growing pause when the endpoint cannot wait), so timers and Ctrl-C stay prompt while a reply is
 * awaited.
 */
import {Duplex} from 'node:stream'
import {TransportError} from './endpoint.js'

/** What `receive` returns when the peer has closed a stream. */
export const END_OF_STREAM = -1

export interface MessageEndpoint {
  /** Sends one whole message. */
  send(bytes: Uint8Array): void | Promise<void>
  /**
   * Receives one message (on a stream: the bytes there are) into `into`, waiting at most `waitMs`: its length (more
   * than `into` holds when a message was cut), 0 when none came, END_OF_STREAM when the peer closed the stream.
   */
  receive(into: Uint8Array, waitMs: number): number | Promise<number>
  close(): void
}

export interface MessageStreamOptions {
  /** The largest message expected; a longer one fails the stream (it cannot be told apart from garbage). */
  readonly maxMessageLength: number
  /** How long one receive may wait (0: poll). */
  readonly sliceMs?: number
  /** The longest pause between empty receives of an endpoint that cannot wait (sliceMs 0). */
  readonly maxPauseMs?: number
  /**
   * Whether a reply is awaited. Given, the stream receives only then — starting as soon as a message is sent, with no
   * pause — and stops when nothing more is awaited; without it, it receives whenever its reader wants data.
   */
  readonly awaiting?: () => boolean
}

/** A Duplex over a message endpoint: each write is one message, each receive one chunk. */
export interface MessageStream extends Duplex {
  /** Something is awaited without a message sent (a listener for notifications came): receiving starts now. */
  awaken(): void
}

export function messageStream(endpoint: MessageEndpoint, options: MessageStreamOptions): MessageStream {
  const into = new Uint8Array(options.maxMessageLength)
  const slice = options.sliceMs ?? 0
  const maxPause = options.maxPauseMs ?? 16
  const awaiting = options.awaiting ?? (() => true)
  let wanted = false
  let reading = false
  let closed = false
  let pause = 1
  let timer: NodeJS.Timeout | NodeJS.Immediate | undefined

  const stream: Duplex = new Duplex({
    write(chunk: Buffer, _encoding, done) {
      pause = 1
      let sent: void | Promise<void>
      try {
        sent = endpoint.send(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length))
      } catch (error) {
        return done(error as Error)
      }
      if (sent instanceof Promise) sent.then(() => sentAll(done), done)
      else sentAll(done)
    },
    read() {
      wanted = true
      // Never inside this call: what pump pushes here would wait for the next tick, and pump with it, in poll.
      if (!reading && timer === undefined) readSoon()
    },
    destroy(error, done) {
      closed = true
      stopWaiting()
      endpoint.close()
      done(error)
    },
  })

  function stopWaiting(): void {
    clearTimeout(timer as NodeJS.Timeout)
    clearImmediate(timer as NodeJS.Immediate)
    timer = undefined
  }

  function sentAll(done: () => void): void {
    done()
    wake()
  }

  /**
   * A message went out: its reply is awaited from now, so a pending pause ends; receiving starts once the code of this
   * turn has run (it may send more first).
   */
  function wake(): void {
    if (!wanted || reading || closed) return
    stopWaiting()
    readSoon()
  }

  function readSoon(): void {
    reading = true
    queueMicrotask(startReading)
  }

  function startReading(): void {
    reading = false
    void pump()
  }

  /** Receives until the reader has enough, nothing is awaited, or nothing comes; then waits a little and tries again. */
  async function pump(): Promise<void> {
    reading = true
    try {
      while (!closed && awaiting()) {
        // A synchronous endpoint's count is used as it is: an await would cost a turn of the microtask queue.
        const received = endpoint.receive(into, slice)
        const length = typeof received === 'number' ? received : await received
        if (closed) return
        if (length === END_OF_STREAM) {
          stream.destroy()
          return
        }
        if (length > into.length) throw new TransportError('IO', `a message of ${length} bytes (at most ${into.length} expected)`)
        if (length === 0) {
          // The receive waited its slice already: one turn of the event loop is pause enough.
          if (slice > 0) timer = setImmediate(resume)
          else {
            timer = setTimeout(resume, pause)
            pause = Math.min(pause * 2, maxPause)
          }
          return
        }
        pause = 1
        if (!stream.push(Buffer.from(into.subarray(0, length)))) {
          wanted = false
          return
        }
      }
    } catch (error) {
      stream.destroy(error as Error)
    } finally {
      reading = false
    }
  }

  function resume(): void {
    timer = undefined
    void pump()
  }

  return Object.assign(stream, {awaken: wake})
}
