/**
 * A scripted forwarding plane for replaying the stock tools' captures (test/fixtures/peer): on a Unix socket it
 * answers the N-th request message of each connection with the exact bytes of reply-N.bin, and records the requests
 * it got (of every connection, in order).
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {type Server, createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {FrameParser} from '../src/lib/ksync/frame.js'
import {encodeMessage} from '../src/lib/ksync/frame.js'
import type {PeerCase} from './helpers.js'

export interface Replay {
  readonly dir: string
  /** Request messages received, re-encoded byte for byte. */
  readonly requests: Uint8Array[]
  close(): Promise<void>
}

export async function replay(peer: Pick<PeerCase, 'replies'>): Promise<Replay> {
  const dir = mkdtempSync(join(tmpdir(), 'peer-'))
  const requests: Uint8Array[] = []
  const server: Server = createServer((socket) => {
    const parser = new FrameParser()
    let n = 0
    socket.on('data', (chunk: Buffer) => {
      for (const m of parser.push(new Uint8Array(chunk))) {
        requests.push(encodeMessage(m))
        const reply = peer.replies[n++]
        if (reply && reply.length > 0) socket.write(reply)
      }
    })
    socket.on('error', () => undefined)
  })
  await new Promise<void>((resolve) => server.listen(join(dir, 'dpdk_netlink'), resolve))
  return {
    dir,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          rmSync(dir, {recursive: true, force: true})
          resolve()
        })
      }),
  }
}

/**
 * The flow cases' table-data reply names its table file `TABLEFILE`: the captured table's real path goes in its place
 * (string length, attribute and message lengths adjusted).
 */
export function withTablePath(reply: Uint8Array, path: string): Uint8Array {
  const bytes = Buffer.from(reply)
  const at = bytes.indexOf('TABLEFILE')
  if (at < 0) return reply
  const name = Buffer.from(path)
  const delta = name.length - 'TABLEFILE'.length
  const out = Buffer.concat([bytes.subarray(0, at), name, bytes.subarray(at + 'TABLEFILE'.length)])
  out.writeInt32BE(name.length, at - 4)
  out.writeUInt32LE(out.readUInt32LE(0) + delta, 0)
  out.writeUInt16LE(out.readUInt16LE(20) + delta, 20)
  return new Uint8Array(out)
}
