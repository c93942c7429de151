/** Shared test helpers: fixtures, object construction. */
import {readFileSync, readdirSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {parseHex} from '../src/lib/ksync/hex.js'
import {codecFor} from '../src/lib/sandesh/codec.js'
import type {MessageFields, MessageName, SandeshObject, Variant} from '../src/lib/sandesh/schema.js'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const GOLDEN = `${ROOT}test/golden`
export const PEER = `${ROOT}test/fixtures/peer`

export function hexFixture(path: string): Uint8Array {
  return parseHex(readFileSync(`${GOLDEN}/${path}`, 'utf8'))
}

/** An object of message `name`: every field zero/empty except `fields`. */
export function objectOf<N extends MessageName>(name: N, fields: Partial<MessageFields<N>> = {}, variant: Variant = 'current'): SandeshObject<N> {
  const o = codecFor(variant).defaults(name)
  Object.assign(o.fields, fields)
  return o
}

export interface PeerCase {
  readonly name: string
  readonly dir: string
  readonly argv: string
  readonly requests: Uint8Array[]
  readonly replies: Uint8Array[]
  readonly stdout: string
  readonly exit: number
  readonly objects: {exchanges: {request: number; request_object: {name: string; fields: Record<string, unknown>}; reply_messages: {nlmsg_flags: number; objects: {name: string; fields: Record<string, unknown>}[]}[]}[]}
}

export function peerCases(): PeerCase[] {
  return readdirSync(PEER, {withFileTypes: true})
    .filter((e) => e.isDirectory())
    .map((e) => {
      const dir = `${PEER}/${e.name}`
      const files = readdirSync(dir)
      const numbered = (prefix: string) =>
        files
          .filter((f) => f.startsWith(prefix))
          .sort()
          .map((f) => new Uint8Array(readFileSync(`${dir}/${f}`)))
      return {
        name: e.name,
        dir,
        argv: readFileSync(`${dir}/argv.txt`, 'utf8').trim(),
        requests: numbered('request-'),
        replies: numbered('reply-'),
        stdout: readFileSync(`${dir}/stdout.txt`, 'utf8'),
        exit: Number(readFileSync(`${dir}/exit.txt`, 'utf8')),
        // Integers beyond 2^53 are quoted before parsing, so that none is rounded.
        objects: JSON.parse(readFileSync(`${dir}/objects.json`, 'utf8').replace(/([:\[,]\s*)(-?\d{16,})(?=\s*[,\]}])/g, '$1"$2"')),
      }
    })
}
