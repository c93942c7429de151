/** Opening and scanning table files: mmap and pread agree, and bad files end in one TableError, never a bad read. */
import assert from 'node:assert/strict'
import {copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, test} from 'node:test'
import {FlowTableReader, bridgeEntries, detectEntrySize, flowMatcher} from '../../../src/lib/shm/flow-table.js'
import fc from 'fast-check'
import {BRIDGE_ENTRY, FLOW_ENTRY_128, FLOW_ENTRY_256, type FlowEntrySize, encodeEntry, writeUnusedEntry} from '../../../src/lib/shm/layout.js'
import {FLOW_FLAG, type FlowEntry} from '../../../src/lib/model/flow.js'
import {VP_TYPE} from '../../../src/lib/model/constants.js'
import {TableError, type TableBytes, openTable, shmmap} from '../../../src/lib/shm/table.js'
import {PEER} from '../../helpers.js'

const dir = mkdtempSync(join(tmpdir(), 'shm-table-'))
after(() => rmSync(dir, {recursive: true, force: true}))
const PEER_TABLE = `${PEER}/flow-list/table.bin`
const modes = ['mmap', 'pread'] as const

test('the mmap addon is built here (npm run build), so both access paths are tested', () => {
  assert.ok(shmmap(), 'build/shmmap.node')
})

test('mmap and pread read the same bytes, and scan the same slots', () => {
  const listings = modes.map((mode) => {
    const table = openTable(PEER_TABLE, 524288, mode)
    assert.equal(table.mapped, mode === 'mmap')
    const reader = new FlowTableReader(table, detectEntrySize(table))
    assert.equal(reader.entries, 2048)
    const slots = [...reader.scan()].map((s) => [s.index, s.flow?.hentry_index ?? null, s.chain])
    assert.deepEqual(Buffer.from(table.read(616 * 256, 256)), readFileSync(PEER_TABLE).subarray(616 * 256, 617 * 256))
    table.close()
    return slots
  })
  assert.deepEqual(listings[0], [[543, null, [1024]], [616, 616, []], [640, 640, []], [656, 656, []], [1024, 1024, []]])
  assert.deepEqual(listings[1], listings[0])
})

test('--match on the bytes: one address as either end, two as a pair, protocol and VRF', () => {
  const table = openTable(PEER_TABLE, 524288)
  const reader = new FlowTableReader(table, 256)
  const v4 = (text: string) => Uint8Array.from(text.split('.').map(Number))
  const listed = (match: Parameters<typeof flowMatcher>[0]) => [...reader.scan({accept: flowMatcher(match, FLOW_ENTRY_256)})].filter((s) => s.flow).map((s) => s.index)
  assert.deepEqual(listed({family: 'inet', first: {address: v4('10.1.1.5'), port: -1}, proto: -1, vrf: -1}), [616, 656, 1024])
  assert.deepEqual(listed({family: 'inet', first: {address: v4('10.1.1.6'), port: 80}, second: {address: v4('10.1.1.5'), port: -1}, proto: -1, vrf: -1}), [616, 656])
  assert.deepEqual(listed({family: 'inet', first: {port: 53}, proto: 17, vrf: -1}), [1024], 'a wildcard address with a port')
  assert.deepEqual(listed({proto: 17, vrf: 2}), [640, 1024])
  assert.deepEqual(listed({proto: -1, vrf: 3}), [])
})

test('--match screening an entry by its address words selects what the matcher alone selects, in both layouts', () => {
  const pool = [Uint8Array.of(10, 0, 0, 1), Uint8Array.of(10, 0, 0, 2), Uint8Array.of(0xfd, 0, 0, 0x10, ...new Uint8Array(11), 1), Uint8Array.of(0xfd, 0, 0, 0x10, ...new Uint8Array(11), 2)]
  const end = fc.record({address: fc.option(fc.constantFrom(...pool), {nil: undefined}), port: fc.constantFrom(-1, 80)}, {requiredKeys: ['port']})
  const match = fc.record({family: fc.constantFrom('inet' as const, 'inet6' as const), first: end, second: fc.option(end, {nil: undefined}), proto: fc.constantFrom(-1, 6), vrf: fc.constantFrom(-1, 2)}, {requiredKeys: ['proto', 'vrf']})
  const entry = fc.record({raw: fc.uint8Array({minLength: 256, maxLength: 256}), flags: fc.constantFrom(0, 1, 0x801, 0x2001), type: fc.constantFrom(VP_TYPE.IP, VP_TYPE.IP6), source: fc.constantFrom(...pool), destination: fc.constantFrom(...pool), chained: fc.boolean()})
  for (const layout of [FLOW_ENTRY_256, FLOW_ENTRY_128]) {
    fc.assert(
      fc.property(fc.array(entry, {minLength: 1, maxLength: 40}), match, fc.boolean(), (entries, m, showEvicted) => {
        const size = layout.size
        const bytes = new Uint8Array(entries.length * size)
        entries.forEach((e, i) => {
          const o = i * size
          bytes.set(e.raw.subarray(0, size), o)
          encodeEntry(layout, {fe_flags: e.flags, fe_type: e.type, key_sport: 80, key_proto: 6, fe_vrf: 2, hentry_next_index: e.chained ? 0xffffffff : (i + 1) % entries.length} as Partial<FlowEntry> as FlowEntry, bytes, o)
          bytes.set(e.source, o + 36)
          bytes.set(e.destination, o + 36 + (e.type === VP_TYPE.IP6 ? 16 : 4))
        })
        const table: TableBytes = {
          path: 'memory',
          size: bytes.length,
          mapped: true,
          read: (at, n) => bytes.subarray(at, at + n),
          *chunks() {
            yield {first: 0, bytes}
          },
          close: () => undefined,
        }
        const reader = new FlowTableReader(table, size as FlowEntrySize)
        const test = flowMatcher(m, layout)
        const slots = (accept: (b: Uint8Array, o: number) => boolean) => [...reader.scan({showEvicted, accept})].map((s) => [s.index, s.flow !== undefined, s.chain, s.broken?.kind])
        assert.deepEqual(slots(test), slots((b, o) => test(b, o)))
        if (m.family && m.first?.address && (!m.second || m.second.address)) assert.ok(test.addressScreen, 'every end has an address: screened')
      }),
      {numRuns: 300},
    )
  }
})

test('a scan lists what the stock loop lists, entry by entry, whatever the table size and its chunks (both layouts)', () => {
  // Flags: unused, active, active and evicted, other bits alone; a link to the last entry (a sound chain) or none;
  // `selected` is what the --match test says of an active entry: a --match on a byte of the entry, or on an address
  // (which a scan screens for before reading flags), the entry's source or destination.
  // Links and selections are one in eight: a scan handles eight entries a turn, and a turn with neither takes another
  // path than one with either.
  const oneInEight = fc.nat(7).map((v) => v === 0)
  const entry = fc.record({flags: fc.constantFrom(0, 0, 0, FLOW_FLAG.ACTIVE, FLOW_FLAG.ACTIVE | FLOW_FLAG.EVICTED, FLOW_FLAG.EVICTED, 0x100), linked: oneInEight, selected: oneInEight, asDestination: fc.boolean()})
  const target = Uint8Array.of(10, 0, 0, 1)
  for (const layout of [FLOW_ENTRY_256, FLOW_ENTRY_128]) {
    const byAddress = flowMatcher({family: 'inet', first: {address: target, port: -1}, proto: -1, vrf: -1}, layout)
    fc.assert(
      fc.property(fc.array(entry, {minLength: 1, maxLength: 2600}), fc.integer({min: 1, max: 3000}), fc.boolean(), fc.constantFrom('none', 'byte', 'address'), (entries, perChunk, showEvicted, filter) => {
        const size = layout.size
        const last = entries.length - 1
        const bytes = new Uint8Array(entries.length * size)
        const SELECTED_AT = 120
        entries.forEach((e, i) => {
          const next = e.linked && i !== last ? last : 0xffffffff
          encodeEntry(layout, {fe_flags: e.flags, fe_type: VP_TYPE.IP, hentry_index: i, hentry_next_index: next} as Partial<FlowEntry> as FlowEntry, bytes, i * size)
          bytes[i * size + SELECTED_AT] = e.selected ? 1 : 0
          if (e.selected) bytes.set(target, i * size + 36 + (e.asDestination ? 4 : 0))
        })
        const table: TableBytes = {
          path: 'memory',
          size: bytes.length,
          mapped: true,
          read: (at, n) => bytes.subarray(at, at + n),
          *chunks() {
            for (let first = 0; first < entries.length; first += perChunk) yield {first, bytes: bytes.subarray(first * size, Math.min(entries.length, first + perChunk) * size)}
          },
          close: () => undefined,
        }
        const accept = {none: undefined, byte: (b: Uint8Array, o: number) => b[o + SELECTED_AT] === 1, address: byAddress}[filter]
        const listed = [...new FlowTableReader(table, size as FlowEntrySize).scan({showEvicted, accept})].map((s) => [s.index, s.flow !== undefined, s.chain.length])
        // utils/flow.c flow_dump_table: an active entry is shown unless evicted (without --show-evicted) or not
        // matched, and then its chain is not; an inactive entry is shown when it heads a chain.
        const expected = entries.flatMap((e, i) => {
          const chained = e.linked && i !== last
          if (e.flags & FLOW_FLAG.ACTIVE) {
            if ((e.flags & FLOW_FLAG.EVICTED && !showEvicted) || (filter !== 'none' && !e.selected)) return []
            return [[i, true, chained ? 1 : 0]]
          }
          return chained ? [[i, false, 1]] : []
        })
        assert.deepEqual(listed, expected)
      }),
      {numRuns: 60},
    )
  }
})

function tableFile(name: string, entries: number, edit: (bytes: Uint8Array) => void = () => undefined): string {
  const bytes = new Uint8Array(entries * 256)
  for (let i = 0; i < entries; i++) writeUnusedEntry(bytes, i * 256, i)
  edit(bytes)
  const path = join(dir, name)
  writeFileSync(path, bytes)
  return path
}

test('bad tables: missing, truncated, wrong size, zero-filled, chains past the end or in a loop', () => {
  const expectError = (fn: () => unknown, kind: string, message: RegExp) =>
    assert.throws(fn, (e: unknown) => e instanceof TableError && e.kind === kind && message.test(e.message))
  expectError(() => openTable(join(dir, 'absent'), 4096), 'open', /absent: No such file or directory$/)
  const truncated = join(dir, 'truncated')
  copyFileSync(PEER_TABLE, truncated)
  writeFileSync(truncated, readFileSync(PEER_TABLE).subarray(0, 100000))
  for (const mode of modes) expectError(() => openTable(truncated, 524288, mode), 'truncated', /has 100000 bytes, but the forwarding plane reports a table of 524288 bytes/)
  expectError(() => new FlowTableReader(openTable(PEER_TABLE, 1000), 256), 'bad-size', /1000 bytes is not a whole number of 256-byte entries/)
  expectError(() => openTable(PEER_TABLE, 0), 'bad-size', /reports a table of 0 bytes/)

  const zeros = join(dir, 'zeros')
  writeFileSync(zeros, new Uint8Array(8 * 256))
  for (const mode of modes) {
    const slots = [...new FlowTableReader(openTable(zeros, 8 * 256, mode), 256).scan()]
    assert.deepEqual(slots, [{index: 0, chain: [0], broken: {kind: 'zero', at: 0, next: 0}}], 'the stock tool stops at entry 0 of a zero-filled table')
  }
  const beyond = tableFile('beyond', 8, (b) => new DataView(b.buffer).setUint32(3 * 256 + 16, 99999, true))
  assert.deepEqual([...new FlowTableReader(openTable(beyond, 8 * 256), 256).scan()], [{index: 3, chain: [], broken: {kind: 'beyond', at: 3, next: 99999}}])
  const loop = tableFile('loop', 8, (b) => {
    const v = new DataView(b.buffer)
    v.setUint32(3 * 256 + 16, 5, true)
    v.setUint32(5 * 256 + 16, 6, true)
    v.setUint32(6 * 256 + 16, 5, true)
  })
  assert.deepEqual([...new FlowTableReader(openTable(loop, 8 * 256), 256).scan()], [{index: 3, chain: [5, 6], broken: {kind: 'loop', at: 6, next: 5}}])
  const reader = new FlowTableReader(openTable(loop, 8 * 256), 256)
  expectError(() => reader.entry(8), 'bad-index', /no entry 8 in a table of 8/)
})

test('the entry size from the table itself: 256 or 128 bytes', () => {
  const small = join(dir, 'windows')
  const bytes = new Uint8Array(16 * 128)
  for (let i = 0; i < 16; i++) writeUnusedEntry(bytes, i * 128, i)
  writeFileSync(small, bytes)
  assert.equal(detectEntrySize(openTable(small, bytes.length)), 128)
  assert.equal(detectEntrySize(openTable(PEER_TABLE, 524288)), 256)
})

test('bridge entries of one VRF, valid ones only, in slot order', () => {
  const path = join(dir, 'bridge')
  const bytes = new Uint8Array(16 * 64)
  const put = (i: number, vrf: number, flags: number) =>
    encodeEntry(BRIDGE_ENTRY, {hentry_index: i, hentry_bucket_index: 0, hentry_next_index: 0xffffffff, hentry_flags: 1, be_mac: Uint8Array.of(2, 0, 0, 0, 0, i), be_vrf_id: vrf, be_packets: i * 10, be_label: 0, be_nh_id: 5, be_flags: flags}, bytes, i * 64)
  put(9, 2, 1)
  put(4, 2, 3)
  put(5, 1, 1)
  put(6, 2, 0)
  writeFileSync(path, bytes)
  for (const mode of modes) assert.deepEqual([...bridgeEntries(openTable(path, bytes.length, mode), 2)].map((e) => [e.index, e.entry.be_packets]), [[4, 40], [9, 90]])
})
