/**
 * A stand-in for the Windows ksync device on a Unix datagram socket, answered by the emulator: each datagram in is
 * written to the "device" (a stream of netlink messages, as WriteFile's), each reply message goes back as one
 * datagram to the sender (one message per ReadFile), framed as the Windows driver frames it. One reply queue per
 * sender address, as the driver keeps one per handle.
 */
import {rmSync} from 'node:fs'
import {KsyncServer, type RequestHandler} from '../src/emulator/server/server.js'
import {FrameParser, encodeReplyBatch} from '../src/lib/ksync/frame.js'
import {unixAddress} from '../src/lib/transport/device.js'
import {AF_UNIX, RawSocket, SOCK_DGRAM} from '../src/lib/transport/raw-socket.js'

export class DeviceDouble {
  private readonly socket: RawSocket
  private readonly parsers = new Map<string, FrameParser>()
  private readonly answers: KsyncServer
  private timer: NodeJS.Timeout | undefined
  /** Reply datagrams sent so far. */
  replies = 0

  constructor(
    handler: RequestHandler,
    readonly path: string,
  ) {
    this.answers = new KsyncServer(handler, {path, flavour: 'windows'})
    this.socket = RawSocket.create(AF_UNIX, SOCK_DGRAM, 0)
    this.socket.bind(unixAddress(path))
    this.poll()
  }

  private poll(): void {
    const into = new Uint8Array(65536)
    const from = new Uint8Array(110)
    for (;;) {
      from.fill(0)
      const length = this.socket.receive(into, 0, from)
      if (length === undefined) break
      // The rawsock addon does not return the address length: an autobound (abstract) sender's name is "\0" and 5
      // hex digits, so the address ends at its last non-zero byte.
      let end = from.length
      while (end > 3 && from[end - 1] === 0) end--
      const sender = from.slice(0, end)
      const key = Buffer.from(sender).toString('hex')
      const parser = this.parsers.get(key) ?? new FrameParser()
      this.parsers.set(key, parser)
      for (const message of parser.push(into.slice(0, length))) {
        if (message.kind !== 'sandesh') continue
        for (const reply of encodeReplyBatch('windows', message, this.answers.answer(message).replies)) {
          this.socket.send(reply, sender)
          this.replies++
        }
      }
    }
    this.timer = setTimeout(() => this.poll(), 2)
  }

  close(): void {
    clearTimeout(this.timer)
    this.socket.close()
    rmSync(this.path, {force: true})
  }
}
