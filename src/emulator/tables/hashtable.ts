/**
 * Placement of entries in the forwarding plane's hash tables (flow and bridge): N main slots in buckets of 4, then
 * O overflow slots chained from the last slot of a bucket (TF dp-core/vr_htable.c). An entry goes to the first free
 * slot of its bucket, else to the next free overflow slot, linked at the head of the chain hanging off slot b+3.
 */
import {HENTRY_FLAG, type HashEntryHeader} from '../../lib/model/flow.js'
import {bucketBase} from '../../lib/shm/hash.js'

/** A slot's chain link: no next entry. */
export const NO_NEXT = 0xffffffff

export interface Slot<T> {
  readonly key: Uint8Array
  value: T
}

const sameKey = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i])

export class HashTable<T> {
  /** Occupied slots by global index (main: 0..N-1, overflow: N..N+O-1). */
  private readonly slots = new Map<number, Slot<T>>()
  /** Chain links by global index (kept for main slots even when they are free, as the dp does). */
  readonly next = new Map<number, number>()
  /** The bucket slot an overflow entry hangs from. */
  readonly bucketOf = new Map<number, number>()
  private readonly freeOverflow: number[]
  /** Main slots that have held an entry (their bucket index is then all ones, as the dp leaves it). */
  private readonly used = new Set<number>()
  /** Told which slots changed (contents or links), so that a shared table file can follow. */
  onChange?: (indexes: readonly number[]) => void

  constructor(
    readonly mainEntries: number,
    readonly overflowEntries: number,
  ) {
    // The free list hands out overflow entries in index order.
    this.freeOverflow = Array.from({length: overflowEntries}, (_, i) => mainEntries + overflowEntries - 1 - i)
  }

  get size(): number {
    return this.slots.size
  }

  /** Global index of `key`, if present. */
  find(key: Uint8Array): number | undefined {
    const base = bucketBase(key, this.mainEntries)
    for (let i = base; i < base + 4; i++) if (this.slots.has(i) && sameKey(this.slots.get(i)!.key, key)) return i
    for (let i = this.next.get(base + 3) ?? NO_NEXT; i !== NO_NEXT; i = this.next.get(i) ?? NO_NEXT) {
      if (this.slots.has(i) && sameKey(this.slots.get(i)!.key, key)) return i
    }
    return undefined
  }

  at(index: number): Slot<T> | undefined {
    return this.slots.get(index)
  }

  /** The slot `insert` would give `key` now (undefined when full). */
  slotFor(key: Uint8Array): number | undefined {
    const base = bucketBase(key, this.mainEntries)
    for (let i = base; i < base + 4; i++) if (!this.slots.has(i)) return i
    return this.freeOverflow.at(-1)
  }

  /** Places a new key; returns its global index, or undefined when its bucket and the overflow are full. */
  insert(key: Uint8Array, value: T): number | undefined {
    const base = bucketBase(key, this.mainEntries)
    for (let i = base; i < base + 4; i++) {
      if (!this.slots.has(i)) {
        this.slots.set(i, {key, value})
        this.used.add(i)
        this.onChange?.([i])
        return i
      }
    }
    const index = this.freeOverflow.pop()
    if (index === undefined) return undefined
    const head = base + 3
    this.next.set(index, this.next.get(head) ?? NO_NEXT)
    this.next.set(head, index)
    this.bucketOf.set(index, head)
    this.slots.set(index, {key, value})
    this.onChange?.([index, head])
    return index
  }

  /** Frees a slot: a main slot keeps its chain; an overflow entry is unlinked and returned to the free list. */
  remove(index: number): void {
    if (!this.slots.delete(index)) return
    if (index < this.mainEntries) {
      this.onChange?.([index])
      return
    }
    const head = this.bucketOf.get(index)!
    let previous = head
    while (this.next.get(previous) !== index) previous = this.next.get(previous)!
    this.next.set(previous, this.next.get(index) ?? NO_NEXT)
    this.next.delete(index)
    this.bucketOf.delete(index)
    this.freeOverflow.push(index)
    this.onChange?.([index, previous])
  }

  /** The hash-table header of a slot as the forwarding plane keeps it (shm-pkt0 spec §3.1). */
  header(index: number): HashEntryHeader {
    const occupied = this.slots.has(index)
    const overflow = index >= this.mainEntries
    return {
      hentry_index: index,
      hentry_bucket_index: overflow ? (occupied ? this.bucketOf.get(index)! : NO_NEXT) : this.used.has(index) ? NO_NEXT : 0,
      hentry_next_index: this.next.get(index) ?? NO_NEXT,
      hentry_flags: occupied ? HENTRY_FLAG.VALID : overflow ? HENTRY_FLAG.IN_FREE_LIST : 0,
    }
  }

  /** Slots that differ from a fresh table's: occupied, once used, or linked. */
  touched(): number[] {
    return [...new Set([...this.slots.keys(), ...this.used, ...this.next.keys()])]
  }

  /** Occupied slots in index order. */
  *entries(): Generator<[number, Slot<T>]> {
    for (const index of [...this.slots.keys()].sort((a, b) => a - b)) yield [index, this.slots.get(index)!]
  }
}
