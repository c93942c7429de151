/** What every object store of the emulator shares: replies, dump pages, keyed tables. */
import {ERRNO, type ErrnoName} from '../../lib/errors.js'
import {codecFor} from '../../lib/sandesh/codec.js'
import type {MessageFields, MessageName, SandeshObject} from '../../lib/sandesh/schema.js'
import {DUMP_INCOMPLETE, SandeshOp} from '../../lib/sandesh/types.js'

/** Bytes of objects in one dump page (VR_MESSAGE_PAGE_SIZE = 4096 - 128). */
export const PAGE_SIZE = 3968

/** Reply messages of one request object: each message a list of objects (an empty list of messages = no reply). */
export type Replies = SandeshObject[][]

const codec = codecFor('current')

export function response(code: number): SandeshObject<'vr_response'> {
  return {name: 'vr_response', fields: {h_op: SandeshOp.RESPONSE, resp_code: code}}
}

/** One message: vr_response 0, then `objects` (a GET's object, a RESET echo). */
export function ok(...objects: SandeshObject[]): Replies {
  return [[response(0), ...objects]]
}

/** One message: vr_response -errno. */
export function fail(errno: ErrnoName): Replies {
  return [[response(-ERRNO[errno])]]
}

/** An object of message `name` with every field zero/empty but `fields`. */
export function make<N extends MessageName>(name: N, fields: Partial<MessageFields<N>>): SandeshObject<N> {
  return codec.defaults(name, fields)
}

/**
 * A dump page as the forwarding plane builds it: objects are added while they fit in PAGE_SIZE bytes; if one does
 * not, the count says more remain (DUMP_INCOMPLETE). Two messages — vr_response(count), then the objects — or one
 * message when there is no object.
 */
export function dumpPage(objects: Iterable<SandeshObject>): Replies {
  const page: SandeshObject[] = []
  let size = 0
  let incomplete = false
  for (const o of objects) {
    const n = codec.encodedSize(o)
    if (size + n > PAGE_SIZE) {
      incomplete = true
      break
    }
    page.push(o)
    size += n
  }
  const head = response(page.length | (incomplete ? DUMP_INCOMPLETE : 0))
  return page.length === 0 ? [[head]] : [[head], page]
}

/** A table keyed by a non-negative integer, iterated in key order (as the dp walks its arrays). */
export class KeyedTable<T> {
  private readonly values = new Map<number, T>()
  private sorted: number[] = []

  get size(): number {
    return this.values.size
  }

  get(key: number): T | undefined {
    return this.values.get(key)
  }

  has(key: number): boolean {
    return this.values.has(key)
  }

  set(key: number, value: T): void {
    if (!this.values.has(key)) {
      const at = this.indexAfter(key - 1)
      this.sorted.splice(at, 0, key)
    }
    this.values.set(key, value)
  }

  delete(key: number): boolean {
    if (!this.values.delete(key)) return false
    this.sorted.splice(this.indexAfter(key - 1), 1)
    return true
  }

  clear(): void {
    this.values.clear()
    this.sorted = []
  }

  /** Entries with a key greater than `marker`, in key order. */
  *after(marker: number): Generator<[number, T]> {
    for (let i = this.indexAfter(marker); i < this.sorted.length; i++) {
      const key = this.sorted[i]
      yield [key, this.values.get(key)!]
    }
  }

  /** Index in `sorted` of the first key greater than `marker`. */
  private indexAfter(marker: number): number {
    let lo = 0
    let hi = this.sorted.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.sorted[mid] <= marker) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

/** Copy of a request's fields as a stored object's (the request's op is not part of the stored state). */
export function stored<N extends MessageName>(name: N, fields: MessageFields<N>): SandeshObject<N> {
  return {name, fields: {...fields}} as unknown as SandeshObject<N>
}
