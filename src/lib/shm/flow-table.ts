/**
 * Reading the flow table and the bridge table as the stock tools read them (TF utils/flow.c flow_dump_table,
 * utils/rt.c bridge dump): every slot in order, the overflow chain hanging off a slot, and the checks that keep a
 * reader inside the table — a chain index beyond the table or a chain that loops is a broken chain here (the stock
 * tool would read past the mapping, or loop for ever), and a chained index of 0 is the stock tool's "corrupted".
 */
import {type BridgeEntry, type FlowEntry, type FlowMatch, FLOW_FLAG, INVALID_HENTRY_INDEX} from '../model/flow.js'
import {VP_TYPE} from '../model/constants.js'
import {BRIDGE_ENTRY, FLOW_LAYOUTS, type FlowEntrySize, type Layout, decodeEntry} from './layout.js'
import {TableError, type TableBytes} from './table.js'

/**
 * Entries judged per call of slotsInUse: their indexes fit a small reused array, and the candidates its first pass
 * finds are still in the cache when the second reads them again.
 */
const WINDOW = 1024
/** Entries per turn of a candidate finder's loop. */
const UNROLL = 8
/** A candidate finder's scratch room (scans run one window at a time, each to its end). */
const TURNS = new Int32Array(WINDOW / UNROLL)

/**
 * Writes to `out` the word index (in `words`, the chunk as 32-bit words) of each entry of [from, to) that may be
 * listed, and returns how many: every entry that is active or heads a chain; or, when a --match can only select an
 * entry through its addresses (an address screen), every entry that heads a chain or whose source or destination
 * begins with `first` or `second` — a superset of what the listing shows, judged again in slotsInUse. `turns` is
 * scratch room for one word per turn of the loop.
 */
type CandidateFinder = (words: Int32Array, from: number, to: number, out: Int32Array, first: number, second: number, turns: Int32Array) => number

/**
 * The first pass of a scan, compiled for a layout (and, screened, for the destination's word and the number of
 * address words). What costs here is memory, and what keeps it flowing is having many entries' loads in flight: a
 * branch on a flags word, taken or not at random (most entries are unused, a fraction active), stalls every load
 * behind it when it is mispredicted, and each load waiting for memory holds a place that later entries' loads cannot
 * take. So each entry is judged without a branch and appended to the candidates (an entry that is no candidate, the
 * common case, is overwritten by the next), eight entries a turn, with the word offsets and the mask as literals (the
 * same loop over variables ran about a fifth slower).
 *
 * A screened pass never reads the flags (88 bytes in): what it needs — the chain link and the addresses — is in an
 * entry's first 64 bytes. It first reads one word an entry from memory, the chain link, and keeps each turn's links
 * ANDed together (all -1: no entry of the turn heads a chain); then, the lines in the cache by then, it tests the
 * addresses of a turn's eight entries in one chain of ||, and only a turn with a chain or an address of the screen
 * (rare) has its entries judged one by one. (The same test as one expression of | kept every index and address
 * computed for it live at once: V8 spilled them to the stack, and the whole scan took 5–7 % longer.)
 */
function compileCandidateFinder(size: FlowEntrySize, flagsOffset: number, screen?: Screen): CandidateFinder {
  const stride = size >> 2
  const flagsAt = flagsOffset >> 2
  // The ACTIVE bit's place in its 32-bit word (the flags are its upper half in the 128-byte layout).
  const activeBit = ((flagsOffset & 2) << 3) + 31 - Math.clz32(ACTIVE)
  const offsets = Array.from({length: UNROLL}, (_, k) => k * stride)
  const link = (at: number) => `words[w + ${at + NEXT_WORD}]`
  // Whether an address word (read once) is one of the screen's.
  const screened = (word: number) => (screen?.pair ? `(x = words[w + ${word}]) === first || x === second` : `words[w + ${word}] === first`)
  const eitherAddress = (at: number) => `${screened(at + SOURCE_WORD)} || ${screened(at + screen!.destinationWord)}`
  // 1 for a candidate, else 0: without a branch for a listing (each comparison is compiled to a flag); with the
  // branches of || when screened, where entries are judged one by one only in the rare turns that need it.
  const candidate = screen
    ? (at: number) => `+(${link(at)} !== ${NO_NEXT} || ${eitherAddress(at)})`
    : (at: number) => `((words[w + ${at + flagsAt}] >>> ${activeBit}) & 1) | +(${link(at)} !== ${NO_NEXT})`
  const judge = (at: number) => `out[n] = w + ${at}; n += ${candidate(at)};`
  const turn = `for (; w + ${(UNROLL - 1) * stride} < end; w += ${UNROLL * stride})`
  const loops = screen
    ? `${turn} turns[t++] = ${offsets.map(link).join(' & ')};
  w = from * ${stride}; t = 0;
  ${turn} {
    if (turns[t++] !== ${NO_NEXT} || ${offsets.map(eitherAddress).join(' || ')}) {
      ${offsets.map(judge).join('\n      ')}
    }
  }`
    : `${turn} {
    ${offsets.map(judge).join('\n    ')}
  }`
  const source = `return function candidates_${size}${screen ? `_screened_${screen.destinationWord}` : ''}(words, from, to, out, first, second, turns) {
  const end = to * ${stride};
  let w = from * ${stride}, n = 0, t = 0, x = 0;
  ${loops}
  for (; w < end; w += ${stride}) { ${judge(0)} }
  return n;
}`
  // eslint-disable-next-line no-new-func -- generated from the layout, as the codec's decoders are
  return new Function(source)() as CandidateFinder
}

/** What a screened first pass compares: the destination's word, and whether there are two address words or one. */
interface Screen {
  readonly destinationWord: number
  readonly pair: boolean
}

/** The candidate finders compiled so far, by layout and screen (a handful: 2 layouts × 2 families × 1 or 2 words). */
const CANDIDATE_FINDERS = new Map<string, CandidateFinder>()

function candidateFinder(size: FlowEntrySize, screen?: Screen): CandidateFinder {
  const key = screen ? `${size}/${screen.destinationWord}/${screen.pair}` : `${size}`
  let finder = CANDIDATE_FINDERS.get(key)
  if (!finder) {
    finder = compileCandidateFinder(size, FLOW_LAYOUTS[size].fields.fe_flags!.offset, screen)
    CANDIDATE_FINDERS.set(key, finder)
  }
  return finder
}

/**
 * The tight part of a scan, kept out of the generator so that it compiles to plain loops over whole words: the
 * indexes of [from, to) that a listing shows (active and kept, or heading a chain) into `out`. Entries are 128 or
 * 256 bytes and chunks start on an entry, so every word read is aligned. The candidates (see compileCandidateFinder)
 * are judged in a second pass, their words in the cache by then; an active entry that the screen rules out is told
 * by its address words, without a call.
 */
function slotsInUse(bytes: Uint8Array, size: FlowEntrySize, flagsOffset: number, findCandidates: CandidateFinder, from: number, to: number, hidden: number, accept: EntryTest | undefined, out: Int32Array): number {
  const words = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2)
  const screen = accept?.addressScreen
  const [a1, a2] = screen?.words ?? [0, 0]
  const candidates = findCandidates(words, from, to, out, a1, a2, TURNS)
  const perEntry = 31 - Math.clz32(size >> 2)
  const flagsAt = flagsOffset >> 2
  const shift = (flagsOffset & 2) << 3
  const active = ACTIVE << shift
  const hide = hidden << shift
  const destinationWord = screen?.destinationWord ?? 0
  let n = 0
  // Each kept entry's index goes where its candidate was or before: n never passes k.
  for (let k = 0; k < candidates; k++) {
    const at = out[k]
    const flags = words[at + flagsAt]
    if ((flags & active) !== 0) {
      if (flags & hide) continue
      if (screen !== undefined) {
        const s = words[at + SOURCE_WORD]
        const d = words[at + destinationWord]
        if (s !== a1 && s !== a2 && d !== a1 && d !== a2) continue
      }
      if (accept !== undefined && !accept(bytes, (at >> perEntry) * size)) continue
    } else if (words[at + NEXT_WORD] === NO_NEXT) {
      // An unused entry that a screen let through on its addresses.
      continue
    }
    out[n++] = at >> perEntry
  }
  return n
}

/**
 * A test of an active entry on its bytes (a --match). `addressScreen`, when there, says that the test can only pass
 * for an entry whose source address or destination address (at `destinationWord`, the word index in the entry of
 * the match's family) begins with one of two 32-bit words (in host order, as an Int32Array of the entry reads
 * them): a scan looks for those first.
 */
export type EntryTest = ((bytes: Uint8Array, offset: number) => boolean) & {
  readonly addressScreen?: {readonly words: readonly [number, number]; readonly destinationWord: number}
}

/** How a chain ended early. */
export interface BrokenChain {
  /** 'zero': a chained entry links to 0 (the stock tool's "flow file corrupted"); 'beyond': to an index past the table; 'loop': back into the chain. */
  readonly kind: 'zero' | 'beyond' | 'loop'
  /** The entry whose link is bad, and the link. */
  readonly at: number
  readonly next: number
}

/** One slot of a listing: the flow in it (when active and kept), and the overflow entries chained from it. */
export interface FlowSlot {
  readonly index: number
  readonly flow?: FlowEntry
  /** Each chained entry's own hentry_index, as the stock tool prints them. */
  readonly chain: readonly number[]
  readonly broken?: BrokenChain
}

export interface FlowScanOptions {
  readonly showEvicted?: boolean
  /**
   * Keeps an active entry, judged on its bytes (no decoding for the entries it rejects). A rejected entry is skipped
   * with its chain, as the stock tool skips it.
   */
  readonly accept?: EntryTest
}

const OFF = {next: 16, index: 8, bucket: 12}
/** The chain link and the first word of the key's addresses (source; IPv4 destination at +1, IPv6 at +4) as word indexes (both layouts). */
const NEXT_WORD = OFF.next >> 2
const SOURCE_WORD = FLOW_LAYOUTS[256].fields.key_ip!.offset >> 2
/** The chain of a slot that heads none (one shared array: a scan yields hundreds of thousands of slots). */
const NO_CHAIN: readonly number[] = Object.freeze([])
// Module-level copies of the imported constants the hot loops test (an imported binding can cost a property read
// through a getter per test when the sources run transpiled, as under tsx).
const ACTIVE = FLOW_FLAG.ACTIVE
const EVICTED = FLOW_FLAG.EVICTED
/** INVALID_HENTRY_INDEX read as an Int32. */
const NO_NEXT = INVALID_HENTRY_INDEX | 0
const TYPE_IP = VP_TYPE.IP
const TYPE_IP6 = VP_TYPE.IP6

/**
 * The entry size of a table: hentry_index of entries 1..3 is their own index in a real table (set at creation),
 * which tells 256 from 128 bytes; when neither fits (a zero-filled table, say) the current layout is assumed.
 */
export function detectEntrySize(table: TableBytes): FlowEntrySize {
  for (const size of [256, 128] as const) {
    if (table.size < 4 * size) continue
    const head = table.read(0, 4 * size)
    const view = new DataView(head.buffer, head.byteOffset, head.byteLength)
    if ([1, 2, 3].every((i) => view.getUint32(i * size + OFF.index, true) === i)) return size
  }
  return 256
}

/** Checks that the table holds whole entries (the stock tools would silently drop a remainder). */
export function checkTableSize(table: TableBytes, entrySize: number): number {
  if (table.size < entrySize || table.size % entrySize !== 0) {
    throw new TableError('bad-size', table.path, `${table.size} bytes is not a whole number of ${entrySize}-byte entries`)
  }
  return table.size / entrySize
}

export class FlowTableReader {
  readonly layout: Layout<FlowEntry>
  readonly entries: number

  constructor(
    readonly table: TableBytes,
    readonly entrySize: FlowEntrySize,
  ) {
    this.layout = FLOW_LAYOUTS[entrySize]
    this.entries = checkTableSize(table, entrySize)
  }

  /** The entry at `index`; a TableError past the table. */
  entry(index: number): FlowEntry {
    if (!Number.isInteger(index) || index < 0 || index >= this.entries) throw new TableError('bad-index', this.table.path, `no entry ${index} in a table of ${this.entries}`)
    return decodeEntry(this.layout, this.table.read(index * this.entrySize, this.entrySize), 0)
  }

  /** The slots a listing shows, in order: active flows (kept by the options) and slots with a chain. */
  *scan(options: FlowScanOptions = {}): Generator<FlowSlot> {
    const size = this.entrySize
    const hidden = options.showEvicted ? 0 : EVICTED
    const found = new Int32Array(WINDOW)
    const flagsOffset = this.layout.fields.fe_flags!.offset
    const screen = options.accept?.addressScreen
    const findCandidates = candidateFinder(size, screen && {destinationWord: screen.destinationWord, pair: screen.words[0] !== screen.words[1]})
    for (const {first, bytes} of this.table.chunks(size)) {
      const count = bytes.length / size
      for (let from = 0; from < count; from += WINDOW) {
        const n = slotsInUse(bytes, size, flagsOffset, findCandidates, from, Math.min(count, from + WINDOW), hidden, options.accept, found)
        for (let k = 0; k < n; k++) {
          const i = found[k]
          const o = i * size
          const active = (bytes[o + flagsOffset] & FLOW_FLAG.ACTIVE) !== 0
          const flow = active ? decodeEntry(this.layout, bytes, o) : undefined
          const next = (bytes[o + OFF.next] | (bytes[o + OFF.next + 1] << 8) | (bytes[o + OFF.next + 2] << 16) | (bytes[o + OFF.next + 3] << 24)) >>> 0
          if (next === INVALID_HENTRY_INDEX) {
            yield {index: first + i, flow: flow!, chain: NO_CHAIN}
            continue
          }
          const slot = this.chain(first + i, next)
          yield flow ? {...slot, flow} : slot
          if (slot.broken) return
        }
      }
    }
  }

  /** The chain from a slot whose next index is `next`, as far as it is sound. */
  chain(index: number, next: number): FlowSlot {
    const chain: number[] = []
    const seen = new Set<number>()
    let at = index
    while (next !== INVALID_HENTRY_INDEX) {
      if (next >= this.entries) return {index, chain, broken: {kind: 'beyond', at, next}}
      if (seen.has(next)) return {index, chain, broken: {kind: 'loop', at, next}}
      seen.add(next)
      const header = this.table.read(next * this.entrySize, 21)
      const view = new DataView(header.buffer, header.byteOffset, 21)
      chain.push(view.getUint32(OFF.index, true))
      at = next
      next = view.getUint32(OFF.next, true)
      if (next === 0) return {index, chain, broken: {kind: 'zero', at, next}}
    }
    return {index, chain}
  }
}

/** What a broken chain means, in one line. */
export function brokenChainMessage(b: BrokenChain, entries: number): string {
  switch (b.kind) {
    case 'zero':
      return `broken chain: overflow entry ${b.at} links to entry 0 (a zero-filled or corrupted table)`
    case 'beyond':
      return `broken chain: entry ${b.at} links to entry ${b.next}, beyond the table's ${entries} entries`
    case 'loop':
      return `broken chain: entry ${b.at} links back to entry ${b.next}, which the chain already passed`
  }
}

/**
 * The stock tool's --match test on an entry's bytes (utils/flow.c flow_dump_table): VRF, protocol, then the
 * family of fe_type and the one or two endpoints, each tried as source and as destination.
 */
export function flowMatcher(match: FlowMatch, layout: Layout<FlowEntry>): EntryTest {
  const vrfAt = layout.fields.fe_vrf!.offset
  const typeAt = layout.fields.fe_type!.offset
  const IP = layout.fields.key_ip!.offset
  const size = match.family === 'inet6' ? 16 : 4
  const wantType = match.family === 'inet6' ? TYPE_IP6 : TYPE_IP
  const vrf = match.vrf
  const proto = match.proto
  const family = match.family !== undefined
  const first = match.first
  const second = match.second
  const sameAddress = (bytes: Uint8Array, at: number, address: Uint8Array) => {
    if (bytes[at] !== address[0]) return false
    for (let k = 1; k < size; k++) if (bytes[at + k] !== address[k]) return false
    return true
  }
  const port = (bytes: Uint8Array, at: number) => (bytes[at] << 8) | bytes[at + 1]
  const source = (bytes: Uint8Array, o: number, e: FlowMatch['first']) => {
    if (!e || (!e.address && e.port < 0)) return false
    if (e.address && !sameAddress(bytes, o + IP, e.address)) return false
    return e.port < 0 || port(bytes, o + 28) === e.port
  }
  const destination = (bytes: Uint8Array, o: number, e: FlowMatch['first']) => {
    // The stock tool passes a wildcard's null address to memcmp here and crashes; a wildcard matches any address.
    if (!e || (!e.address && e.port < 0)) return false
    const addressSize = bytes[o + typeAt] === TYPE_IP6 ? 16 : 4
    if (e.address && !sameAddress(bytes, o + IP + addressSize, e.address)) return false
    return e.port < 0 || port(bytes, o + 30) === e.port
  }
  const test = (bytes: Uint8Array, o: number) => {
    if (vrf >= 0 && (bytes[o + vrfAt] | (bytes[o + vrfAt + 1] << 8)) !== vrf) return false
    if (proto >= 0 && bytes[o + 25] !== proto) return false
    if (!family) return true
    if (bytes[o + typeAt] !== wantType) return false
    let s = false
    let d = false
    if (first) {
      s = source(bytes, o, first)
      if (!s) d = destination(bytes, o, first)
    }
    if (second) {
      if (s) {
        d = destination(bytes, o, second)
        if (!d) return false
      } else if (d) {
        s = source(bytes, o, second)
        if (!s) return false
      } else {
        s = source(bytes, o, second)
        if (!s) d = destination(bytes, o, second)
      }
    }
    if (!s && !d) return false
    return !(first && second && !(s && d))
  }
  // An entry is selected only through an address of the match, when every end given has one.
  const ends = [first, second].filter((e) => e !== undefined)
  if (!family || ends.length === 0 || ends.some((e) => !e.address)) return test
  const [w1, w2 = w1] = ends.map((e) => new Int32Array(e.address!.slice(0, 4).buffer)[0])
  return Object.assign(test, {addressScreen: {words: [w1, w2] as const, destinationWord: (IP + size) >> 2}})
}

/** The bridge table's valid entries of one VRF, in slot order (utils/rt.c). */
export function* bridgeEntries(table: TableBytes, vrf: number): Generator<{index: number; entry: BridgeEntry}> {
  const size = BRIDGE_ENTRY.size
  checkTableSize(table, size)
  const flagsAt = BRIDGE_ENTRY.fields.be_flags!.offset
  const vrfAt = BRIDGE_ENTRY.fields.be_vrf_id!.offset
  for (const {first, bytes} of table.chunks(size)) {
    for (let o = 0, i = 0; o < bytes.length; o += size, i++) {
      if (!(bytes[o + flagsAt] & 0x1) || (bytes[o + vrfAt] | (bytes[o + vrfAt + 1] << 8)) !== vrf) continue
      yield {index: first + i, entry: decodeEntry(BRIDGE_ENTRY, bytes, o)}
    }
  }
}
