/**
 * The forwarding plane's IP route table (TF dp-core/vr_ip_mtrie.c), reproduced so that dumps list exactly what the
 * real one lists: a multibit trie of 8 bits per level (4 levels for IPv4, 16 for IPv6), whose entries are leaves
 * (next hop, label, label flags, bridge index, and the prefix length of the route that wrote them) or buckets of 256
 * entries. A table starts as one root leaf (discard next hop, length 0). ADD turns every leaf on its path into a
 * bucket and writes the covered entries unless they hold a longer prefix; DEL writes the replacement the request
 * carries over entries of exactly the deleted length and collapses uniform buckets back into leaves. A dump emits
 * every leaf, depth first, with the level's length as rtr_prefix_len and the route's own length as rtr_replace_plen.
 */


/** Label of an entry without one (24 bits all set). */
export const NO_LABEL = 0xffffff
/** Bridge index of an entry without a stitched MAC. */
export const NO_INDEX = 0xffffffff

export interface LeafData {
  readonly nh: number
  /** Prefix length of the route that wrote this entry (rtr_replace_plen in dumps). */
  readonly plen: number
  readonly flags: number
  readonly label: number
  readonly index: number
}

/** Called with (next hop, +n / -n) whenever route-table slots start or stop pointing at a next hop. */
export type NexthopRefs = (nh: number, delta: number) => void

/** A bucket of 256 entries, as parallel arrays; `child[i]` set means entry i is itself a bucket. */
class Bucket {
  readonly nh = new Int32Array(256)
  readonly plen = new Uint8Array(256)
  readonly flags = new Uint8Array(256)
  readonly label = new Uint32Array(256)
  readonly index = new Uint32Array(256)
  readonly child: (Bucket | undefined)[] = new Array(256).fill(undefined)

  constructor(private readonly refs: NexthopRefs) {}

  /** A bucket whose 256 entries all copy `leaf`. */
  static filledWith(leaf: LeafData, refs: NexthopRefs): Bucket {
    const b = new Bucket(refs)
    refs(leaf.nh, 256)
    b.nh.fill(leaf.nh)
    b.plen.fill(leaf.plen)
    b.flags.fill(leaf.flags)
    b.label.fill(leaf.label)
    b.index.fill(leaf.index)
    return b
  }

  leaf(i: number): LeafData {
    return {nh: this.nh[i], plen: this.plen[i], flags: this.flags[i], label: this.label[i], index: this.index[i]}
  }

  /** Entry i (a leaf) takes `d`. */
  set(i: number, d: LeafData): void {
    this.setNh(i, d.nh)
    this.plen[i] = d.plen
    this.flags[i] = d.flags
    this.label[i] = d.label
    this.index[i] = d.index
  }

  setNh(i: number, nh: number): void {
    this.refs(this.nh[i], -1)
    this.refs(nh, 1)
    this.nh[i] = nh
  }

  /** Entry i turned into a bucket of copies of itself (its own length, flags, label and index stay). */
  split(i: number): Bucket {
    const b = Bucket.filledWith(this.leaf(i), this.refs)
    this.refs(this.nh[i], -1)
    this.child[i] = b
    return b
  }

  /** Entry i, a bucket whose entries are all the same leaf, becomes that leaf. */
  join(i: number): void {
    const child = this.child[i]!
    this.child[i] = undefined
    const leaf = child.leaf(0)
    this.refs(leaf.nh, -256)
    this.refs(leaf.nh, 1)
    this.nh[i] = leaf.nh
    this.plen[i] = leaf.plen
    this.flags[i] = leaf.flags
    this.label[i] = leaf.label
    this.index[i] = leaf.index
  }

  /** True when all 256 entries are leaves with the same contents (the parent entry may become that leaf). */
  uniform(): boolean {
    for (let i = 0; i < 256; i++) {
      if (this.child[i] || this.nh[i] !== this.nh[0] || this.plen[i] !== this.plen[0] || this.flags[i] !== this.flags[0]) return false
      if (this.label[i] !== this.label[0] || this.index[i] !== this.index[0]) return false
    }
    return true
  }
}

/** One leaf as a dump lists it. */
export interface DumpedLeaf extends LeafData {
  /** Address bytes: the path to the leaf, host bytes zero. */
  readonly prefix: number[]
  /** 8 × depth (0 for the root leaf). */
  readonly depth: number
}

export class Mtrie {
  /** The root entry: a leaf (its data) or a bucket. */
  private rootLeaf: LeafData = {nh: 0, plen: 0, flags: 0, label: NO_LABEL, index: NO_INDEX}
  private root: Bucket | undefined

  /** Address length in bytes: 4 (IPv4) or 16 (IPv6); `refs` hears of every slot pointing at a next hop. */
  constructor(
    readonly bytes: number,
    private readonly refs: NexthopRefs = () => undefined,
  ) {
    refs(this.rootLeaf.nh, 1)
  }

  private setRootLeaf(leaf: LeafData): void {
    this.refs(this.rootLeaf.nh, -1)
    this.refs(leaf.nh, 1)
    this.rootLeaf = leaf
  }

  /** Writes a route of length `plen` (host bits of `prefix` already zero). */
  add(prefix: ArrayLike<number>, plen: number, route: Omit<LeafData, 'plen'>): void {
    const data: LeafData = {...route, plen}
    if (!this.root) {
      this.root = Bucket.filledWith(this.rootLeaf, this.refs)
      this.refs(this.rootLeaf.nh, -1)
    }
    let bucket = this.root
    for (let level = 0; ; level++) {
      const i = prefix[level]
      if (plen > 8 * (level + 1)) {
        bucket = bucket.child[i] ?? bucket.split(i)
        continue
      }
      const count = plen > 8 * level ? 1 << (8 * (level + 1) - plen) : 256
      for (let j = i; j < i + count; j++) writeIfNotLonger(bucket, j, data)
      return
    }
  }

  /** Removes a route of length `plen`: entries holding exactly that length get `replacement`. */
  delete(prefix: ArrayLike<number>, plen: number, replacement: LeafData): void {
    if (!this.root) {
      if (this.rootLeaf.plen === plen) this.setRootLeaf(replacement)
      return
    }
    deleteIn(this.root, 0, prefix, plen, replacement)
    if (this.root.uniform()) {
      const leaf = this.root.leaf(0)
      this.refs(leaf.nh, -256 + 1)
      this.rootLeaf = leaf
      this.root = undefined
    }
  }

  /**
   * The leaf a lookup of `prefix`/`plen` finds (the forwarding plane's search: from entry prefix[level] on, wrapping,
   * a leaf matches when its length is at most the request's — strictly less once past the entries the request
   * covers; buckets are searched in turn).
   */
  lookup(prefix: ArrayLike<number>, plen: number): LeafData | undefined {
    return this.root ? lookupIn(this.root, 0, prefix, plen) : this.rootLeaf
  }

  /**
   * The leaves a dump lists, in order. With a marker (the last prefix of the previous page) the walk goes down the
   * marker's path to a leaf and resumes after it — except that a leaf at depth 0 or 1 on that path is listed again,
   * as the forwarding plane does (so a page ending on a /8 repeats it, and the all-zero first marker skips the first
   * leaf deeper than /8 on the zero path).
   */
  *dump(marker?: ArrayLike<number>): Generator<DumpedLeaf> {
    const path = new Uint8Array(this.bytes)
    let seeking = marker !== undefined && marker.length > 0
    const bytes = this.bytes
    const leafAt = (data: LeafData, depth: number): DumpedLeaf | undefined => {
      if (seeking) {
        seeking = false
        if (depth > 1) return undefined
      }
      const prefix = new Array<number>(bytes)
      for (let i = 0; i < bytes; i++) prefix[i] = i < depth ? path[i] : 0
      return {nh: data.nh, plen: data.plen, flags: data.flags, label: data.label, index: data.index, prefix, depth}
    }
    function* walk(bucket: Bucket, level: number): Generator<DumpedLeaf> {
      const start = seeking ? (marker![level] ?? 0) : 0
      for (let i = start; i < 256; i++) {
        path[level] = i
        const child = bucket.child[i]
        if (child) {
          yield* walk(child, level + 1)
        } else {
          const leaf = leafAt(bucket.leaf(i), level + 1)
          if (leaf) yield leaf
        }
      }
    }
    if (this.root) {
      yield* walk(this.root, 0)
    } else {
      const leaf = leafAt(this.rootLeaf, 0)
      if (leaf) yield leaf
    }
  }
}

/** add_to_tree: a leaf or a whole sub-bucket takes the route unless it holds a longer one. */
function writeIfNotLonger(bucket: Bucket, i: number, data: LeafData): void {
  if (bucket.plen[i] > data.plen) return
  const child = bucket.child[i]
  if (!child) {
    bucket.set(i, data)
    return
  }
  bucket.plen[i] = data.plen
  for (let j = 0; j < 256; j++) writeIfNotLonger(child, j, data)
}

function deleteIn(bucket: Bucket, level: number, prefix: ArrayLike<number>, plen: number, r: LeafData): void {
  if (plen > 8 * (level + 1)) {
    const i = prefix[level]
    const child = bucket.child[i]
    if (child) {
      deleteIn(child, level + 1, prefix, plen, r)
      collapse(bucket, i)
    } else if (bucket.plen[i] === plen) {
      bucket.set(i, r)
    }
    return
  }
  const count = plen > 8 * level ? 1 << (8 * (level + 1) - plen) : 256
  const start = count === 256 ? 0 : prefix[level] & ~(count - 1)
  for (let i = start; i < start + count; i++) {
    if (bucket.plen[i] !== plen) continue
    bucket.plen[i] = r.plen
    bucket.flags[i] = r.flags
    bucket.label[i] = r.label
    const child = bucket.child[i]
    if (child) {
      deleteIn(child, level + 1, prefix, plen, r)
      collapse(bucket, i)
    } else {
      bucket.setNh(i, r.nh)
      bucket.index[i] = r.index
    }
  }
}

/** Entry i of `bucket`, if a bucket whose entries are all the same leaf, becomes that leaf. */
function collapse(bucket: Bucket, i: number): void {
  if (bucket.child[i]?.uniform()) bucket.join(i)
}

function lookupIn(bucket: Bucket, level: number, prefix: ArrayLike<number>, plen: number): LeafData | undefined {
  const start = prefix[level]
  const covered = plen >= 8 * (level + 1) ? 1 : 1 << (8 * (level + 1) - plen)
  for (let k = 0; k < 256; k++) {
    const i = (start + k) & 0xff
    const child = bucket.child[i]
    if (child) {
      const found = lookupIn(child, level + 1, prefix, plen)
      if (found) return found
    } else if (k < covered ? bucket.plen[i] <= plen : bucket.plen[i] < plen) {
      return bucket.leaf(i)
    }
  }
  return undefined
}
