/**
 * Pre-encoded pages, as the stock tools were measured (notes/performance.md): a server that answers each request with
 * the bytes the emulator answered it with the first time, so that a dump measures the tool and the transport, not
 * the emulator building pages. Requests are matched byte for byte (a tool's sequence numbers restart at 0 each run).
 */
import {type Socket, connect, createServer} from 'node:net'

const NLMSG_HEADER = 16
const MULTI = 0x2

/** Splits a byte stream into netlink messages (u32 LE length first). */
class MessageSplitter {
  private pending: Buffer = Buffer.alloc(0)

  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk])
    const out: Buffer[] = []
    while (this.pending.length >= NLMSG_HEADER) {
      const length = this.pending.readUInt32LE(0)
      if (length < NLMSG_HEADER || this.pending.length < length) break
      out.push(this.pending.subarray(0, length))
      this.pending = this.pending.subarray(length)
    }
    return out
  }
}

/** Asks the emulator once: the reply bytes up to the message without MULTI. */
function ask(upstream: Socket, request: Buffer): Promise<Buffer> {
  return new Promise((resolve) => {
    const splitter = new MessageSplitter()
    const parts: Buffer[] = []
    const onData = (chunk: Buffer) => {
      for (const m of splitter.push(chunk)) {
        parts.push(Buffer.from(m))
        if ((m.readUInt16LE(6) & MULTI) === 0) {
          upstream.off('data', onData)
          resolve(Buffer.concat(parts))
        }
      }
    }
    upstream.on('data', onData)
    upstream.write(request)
  })
}

export async function replay(upstreamPath: string, listenPath: string): Promise<void> {
  const cache = new Map<string, Buffer>()
  const server = createServer((client) => {
    const splitter = new MessageSplitter()
    let upstream: Socket | undefined
    let queue = Promise.resolve()
    client.on('data', (chunk: Buffer) => {
      for (const request of splitter.push(chunk)) {
        const key = request.toString('latin1')
        const cached = cache.get(key)
        if (cached) {
          queue = queue.then(() => void client.write(cached))
          continue
        }
        queue = queue.then(async () => {
          upstream ??= connect(upstreamPath)
          const reply = await ask(upstream, Buffer.from(request))
          cache.set(key, reply)
          client.write(reply)
        })
      }
    })
    client.on('close', () => upstream?.destroy())
    client.on('error', () => upstream?.destroy())
  })
  await new Promise<void>((resolve) => server.listen(listenPath, resolve))
}
