/**
 * The common shape of the forwarding plane's indexed tables (MPLS labels, mirrors, VXLAN VNIs, VRFs, QoS and
 * forwarding-class maps, next hops, interfaces): ADD replaces or creates the entry of a key, DEL removes it, GET
 * returns it, DUMP walks keys after the marker in order. What differs per table is data: the key field, the range,
 * the errno of each failure, what ADD checks, and what an op the table does not handle gets.
 */
import type {ErrnoName} from '../../lib/errors.js'
import type {MessageFields, MessageName, SandeshObject} from '../../lib/sandesh/schema.js'
import {SandeshOp} from '../../lib/sandesh/types.js'
import {KeyedTable, type Replies, dumpPage, fail, ok} from './common.js'

/** What a table answers to an op it does not handle: nothing at all (as most of the dp does), or an error. */
export type Unhandled = 'no-reply' | ErrnoName

export interface TableSpec<N extends MessageName> {
  readonly message: N
  /** The key of a request or stored object. */
  readonly key: (fields: MessageFields<N>) => number
  /** Keys are 0 .. size - 1. */
  readonly size: () => number
  /** errno of a GET whose key is out of range (ADD and DEL: EINVAL). */
  readonly outOfRange: ErrnoName
  /** errno of a GET of a free key. */
  readonly missing: ErrnoName
  /** errno of a DEL of a free key (undefined: success). */
  readonly deleteMissing: ErrnoName | undefined
  /** ADD drops the current entry before checking the new one (so a refused ADD leaves the key free). */
  readonly dropBeforeCheck?: boolean
  /** The DUMP marker of a request: the walk resumes after this key. */
  readonly marker: (fields: MessageFields<N>) => number
  /** Checks an ADD (references to other objects, values); returns an errno to refuse it. */
  readonly checkAdd?: (fields: MessageFields<N>) => ErrnoName | undefined
  /** The stored object made from an ADD request (defaults to the request's fields). */
  readonly fromAdd?: (fields: MessageFields<N>, previous: MessageFields<N> | undefined) => MessageFields<N>
  /** The object returned for a stored entry to a GET or DUMP `request`. */
  readonly view: (stored: MessageFields<N>, request: MessageFields<N>) => MessageFields<N>
  /** An entry was stored / removed (reference counting). */
  readonly onStore?: (fields: MessageFields<N>) => void
  readonly onRemove?: (fields: MessageFields<N>) => void
  readonly unhandled: Unhandled
}

export class IndexedTable<N extends MessageName> {
  readonly entries = new KeyedTable<MessageFields<N>>()

  constructor(readonly spec: TableSpec<N>) {}

  get(key: number): MessageFields<N> | undefined {
    return this.entries.get(key)
  }

  /** Stores an entry without the checks of ADD (scenario loading, after its own validation). */
  put(fields: MessageFields<N>): void {
    this.drop(this.spec.key(fields))
    this.store(fields)
  }

  handle(object: SandeshObject<N>): Replies {
    const fields = object.fields as MessageFields<N>
    const op = (fields as {h_op?: number}).h_op ?? SandeshOp.ADD
    switch (op) {
      case SandeshOp.ADD:
        return this.add(fields)
      case SandeshOp.GET:
        return this.getOne(fields)
      case SandeshOp.DEL:
        return this.remove(fields)
      case SandeshOp.DUMP:
        return this.dump(fields)
      default:
        return this.spec.unhandled === 'no-reply' ? [] : fail(this.spec.unhandled)
    }
  }

  private inRange(key: number): boolean {
    return Number.isInteger(key) && key >= 0 && key < this.spec.size()
  }

  private object(stored: MessageFields<N>, request: MessageFields<N>): SandeshObject<N> {
    return {name: this.spec.message, fields: this.spec.view(stored, request)} as unknown as SandeshObject<N>
  }

  private store(fields: MessageFields<N>): void {
    this.entries.set(this.spec.key(fields), fields)
    this.spec.onStore?.(fields)
  }

  private drop(key: number): boolean {
    const found = this.entries.get(key)
    if (!found) return false
    this.entries.delete(key)
    this.spec.onRemove?.(found)
    return true
  }

  add(fields: MessageFields<N>): Replies {
    const key = this.spec.key(fields)
    if (!this.inRange(key)) return fail('EINVAL')
    const previous = this.entries.get(key)
    if (this.spec.dropBeforeCheck) this.drop(key)
    const refused = this.spec.checkAdd?.(fields)
    if (refused) return fail(refused)
    const next = this.spec.fromAdd ? this.spec.fromAdd(fields, previous) : {...fields}
    this.drop(key)
    this.store(next)
    return ok()
  }

  private getOne(fields: MessageFields<N>): Replies {
    const key = this.spec.key(fields)
    if (!this.inRange(key)) return fail(this.spec.outOfRange)
    const found = this.entries.get(key)
    return found ? ok(this.object(found, fields)) : fail(this.spec.missing)
  }

  private remove(fields: MessageFields<N>): Replies {
    const key = this.spec.key(fields)
    if (!this.inRange(key)) return fail('EINVAL')
    if (this.drop(key) || !this.spec.deleteMissing) return ok()
    return fail(this.spec.deleteMissing)
  }

  private dump(fields: MessageFields<N>): Replies {
    const after = this.entries.after(this.spec.marker(fields))
    const self = this
    return dumpPage(
      (function* () {
        for (const [, stored] of after) yield self.object(stored, fields)
      })(),
    )
  }
}
