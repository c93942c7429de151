/** The shared-memory entry layouts: spec bytes (shm-pkt0 §3, §4, §9.5), round trips, and the stock tool's capture. */
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {test} from 'node:test'
import fc from 'fast-check'
import {BRIDGE_ENTRY, BRIDGE_KEY, FLOW_ENTRY_128, FLOW_ENTRY_256, FLOW_KEY_OFFSET, type Layout, decodeEntry, encodeEntry, writeUnusedEntry} from '../../../src/lib/shm/layout.js'
import {bucketBase, vrHash} from '../../../src/lib/shm/hash.js'
import type {BridgeEntry, FlowEntry} from '../../../src/lib/model/flow.js'
import {parseHex} from '../../../src/lib/ksync/hex.js'
import {PEER} from '../../helpers.js'

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

/** The V1 flow of the spec's worked example (§9.5): HOLD, index 1234, gen id 7, from vif 3. */
function v1Entry(): FlowEntry {
  return {
    hentry_index: 1234,
    hentry_bucket_index: 0xffffffff,
    hentry_next_index: 0xffffffff,
    hentry_flags: 1,
    fe_ttl: 0,
    fe_qos_id: 0,
    key_family: 2,
    key_proto: 1,
    key_sport: 0x1a2b,
    key_dport: 0,
    key_nh_id: 12,
    key_ip: Uint8Array.of(10, 0, 0, 1, 10, 0, 0, 2, ...new Uint8Array(24)),
    key_len: 20,
    fe_gen_id: 7,
    fe_tcp_flags: 0,
    fe_tcp_seq: 0,
    fe_rflow: -1,
    fe_flags: 1,
    fe_flags1: 0,
    fe_action: 1,
    fe_vrf: 1,
    fe_dvrf: 0,
    fe_mirror_id: 255,
    fe_sec_mirror_id: 255,
    fe_src_nh_index: 0,
    flow_bytes: 98,
    flow_packets: 1,
    flow_bytes_oflow: 0,
    flow_packets_oflow: 0,
    fe_ecmp_nh_index: -1,
    fe_drop_reason: 0,
    fe_type: 2,
    fe_udp_src_port: 0,
    fe_src_info: 3,
    fe_tcp_ack: 0,
    fe_underlay_ecmp_index: -1,
    fe_bucket_lock: 0,
  }
}

test('the worked example of the spec: V1 as a HOLD entry at 1234, byte for byte (§9.5)', () => {
  const bytes = new Uint8Array(256)
  encodeEntry(FLOW_ENTRY_256, v1Entry(), bytes, 0)
  const at = (offset: number, length: number) => hex(bytes.subarray(offset, offset + length))
  assert.equal(at(0, 8), '0000000000000000', 'the chain pointer stays 0')
  assert.equal(at(8, 4), 'd2040000')
  assert.equal(at(12, 4), 'ffffffff')
  assert.equal(at(16, 4), 'ffffffff')
  assert.equal(at(20, 1), '01')
  assert.equal(at(FLOW_KEY_OFFSET, 20), '020100001a2b00000c0000000a0000010a000002', 'the V1 key bytes')
  assert.equal(at(68, 2), '1407')
  assert.equal(at(84, 4), 'ffffffff')
  assert.deepEqual([at(88, 2), at(92, 2), at(94, 2), at(98, 2), at(115, 1), at(117, 1), at(120, 4), at(136, 1)], ['0100', '0100', '0100', 'ffff', 'ff', '02', '03000000', 'ff'])
  assert.equal(vrHash(bytes.subarray(FLOW_KEY_OFFSET, FLOW_KEY_OFFSET + 20)), 0x71a9d61f, 'the key hashes as the spec vector')
  assert.deepEqual(decodeEntry(FLOW_ENTRY_256, bytes, 0), v1Entry())
})

test('an unused entry: its index, no chain, zeros (§7.5)', () => {
  const bytes = new Uint8Array(512).fill(0)
  writeUnusedEntry(bytes, 256, 1)
  assert.equal(hex(bytes.subarray(256, 256 + 21)), `${'00'.repeat(8)}01000000${'00'.repeat(4)}ffffffff00`)
})

test('the Windows layout: its own offsets after byte 84, absent fields undefined (not 0)', () => {
  const bytes = new Uint8Array(128)
  encodeEntry(FLOW_ENTRY_128, v1Entry(), bytes, 0)
  assert.equal(hex(bytes.subarray(84, 92)), '01000100ffffffff', 'action, flags, rflow')
  assert.equal(bytes[113], 2, 'fe_type')
  const back = decodeEntry(FLOW_ENTRY_128, bytes, 0)
  for (const absent of ['fe_flags1', 'fe_tcp_ack', 'fe_underlay_ecmp_index', 'fe_bucket_lock'] as const) {
    assert.ok(absent in back && back[absent] === undefined, absent)
  }
  assert.deepEqual(back, {...v1Entry(), fe_flags1: undefined, fe_tcp_ack: undefined, fe_underlay_ecmp_index: undefined, fe_bucket_lock: undefined})
})

test('every layout: fields inside the entry and never overlapping', () => {
  const sizes = {u8: 1, i8: 1, u16: 2, i16: 2, be16: 2, u32: 4, i32: 4, u64: 8} as Record<string, number>
  for (const layout of [FLOW_ENTRY_256, FLOW_ENTRY_128, BRIDGE_ENTRY] as Layout<unknown>[]) {
    const used = new Uint8Array(layout.size)
    for (const [name, spec] of Object.entries(layout.fields) as [string, {offset: number; kind: string; length?: number} | undefined][]) {
      if (!spec) continue
      const length = spec.length ?? sizes[spec.kind]
      assert.ok(spec.offset + length <= layout.size, `${layout.name}.${name}`)
      for (let i = spec.offset; i < spec.offset + length; i++) {
        assert.equal(used[i], 0, `${layout.name}.${name} overlaps at ${i}`)
        used[i] = 1
      }
    }
  }
})

const u = (bits: number) => fc.integer({min: 0, max: 2 ** bits - 1})
const s = (bits: number) => fc.integer({min: -(2 ** (bits - 1)), max: 2 ** (bits - 1) - 1})
const flowArb = (windows: boolean): fc.Arbitrary<FlowEntry> =>
  fc.record({
    hentry_index: u(32), hentry_bucket_index: u(32), hentry_next_index: u(32), hentry_flags: u(8),
    fe_ttl: u(8), fe_qos_id: s(16), key_family: u(8), key_proto: u(8), key_sport: u(16), key_dport: u(16), key_nh_id: u(32),
    key_ip: fc.uint8Array({minLength: 32, maxLength: 32}), key_len: u(8), fe_gen_id: u(8), fe_tcp_flags: u(16), fe_tcp_seq: u(32),
    fe_rflow: s(32), fe_flags: u(16), fe_flags1: windows ? fc.constant(undefined) : u(16), fe_action: u(16), fe_vrf: u(16), fe_dvrf: u(16),
    fe_mirror_id: u(8), fe_sec_mirror_id: u(8), fe_src_nh_index: windows ? u(16) : u(32), flow_bytes: u(32), flow_packets: u(32),
    flow_bytes_oflow: u(16), flow_packets_oflow: u(8), fe_ecmp_nh_index: s(8), fe_drop_reason: u(8), fe_type: u(8), fe_udp_src_port: u(16),
    fe_src_info: u(32), fe_tcp_ack: windows ? fc.constant(undefined) : u(32), fe_underlay_ecmp_index: windows ? fc.constant(undefined) : s(8),
    fe_bucket_lock: windows ? fc.constant(undefined) : u(8),
  })

test('layouts round-trip: write an entry, read the same entry (256, 128, bridge)', () => {
  for (const [layout, windows] of [[FLOW_ENTRY_256, false], [FLOW_ENTRY_128, true]] as const) {
    fc.assert(
      fc.property(flowArb(windows), fc.integer({min: 0, max: 3}), (entry, slot) => {
        const bytes = new Uint8Array(layout.size * 4)
        encodeEntry(layout, entry, bytes, slot * layout.size)
        assert.deepEqual(decodeEntry(layout, bytes, slot * layout.size), {...entry})
        // Nothing is written outside the entry.
        assert.ok(bytes.every((b, i) => b === 0 || Math.floor(i / layout.size) === slot))
      }),
      {numRuns: 300},
    )
  }
  fc.assert(
    fc.property(
      fc.record({
        hentry_index: u(32), hentry_bucket_index: u(32), hentry_next_index: u(32), hentry_flags: u(8),
        be_mac: fc.uint8Array({minLength: 6, maxLength: 6}), be_vrf_id: u(16),
        be_packets: fc.oneof(fc.integer({min: 0, max: Number.MAX_SAFE_INTEGER}), fc.bigInt({min: 2n ** 53n, max: 2n ** 64n - 1n})),
        be_label: u(32), be_nh_id: s(32), be_flags: u(16),
      }),
      (entry: BridgeEntry) => {
        const bytes = new Uint8Array(64)
        encodeEntry(BRIDGE_ENTRY, entry, bytes, 0)
        assert.deepEqual(decodeEntry(BRIDGE_ENTRY, bytes, 0), {...entry})
      },
    ),
    {numRuns: 300},
  )
})

test('a bridge entry: its key is the spec vector V3 (MAC, then VRF little-endian)', () => {
  const bytes = new Uint8Array(64)
  encodeEntry(BRIDGE_ENTRY, {hentry_index: 13412, hentry_bucket_index: 0xffffffff, hentry_next_index: 0xffffffff, hentry_flags: 1, be_mac: Uint8Array.of(2, 0, 0, 0, 0, 1), be_vrf_id: 1, be_packets: 5, be_label: 25, be_nh_id: 30, be_flags: 3}, bytes, 0)
  const key = bytes.subarray(BRIDGE_KEY.offset, BRIDGE_KEY.offset + BRIDGE_KEY.length)
  assert.deepEqual(key, parseHex('02 00 00 00 00 01 01 00'))
  assert.equal(bucketBase(key, 262144), 13412)
  assert.deepEqual([bytes[37], bytes[45], bytes[49], bytes[53]], [5, 25, 30, 3])
})

test("the stock tool's capture table (peer flow-list): entries decode to what its notes say", () => {
  const table = new Uint8Array(readFileSync(`${PEER}/flow-list/table.bin`))
  const at = (i: number) => decodeEntry(FLOW_ENTRY_256, table, i * 256)
  const notes = JSON.parse(readFileSync(`${PEER}/flow-list/objects.json`, 'utf8')).table_file.flows as {index: number; hash: string; bucket_start: number; key: {proto: number; sport: number; dport: number; nh_id: number; key_len: number}; fe_rflow: number; fe_stats: {bytes: number; packets: number}; fe_udp_src_port: number; fe_src_info: number; fe_gen_id: number; fe_ttl: number}[]
  for (const n of notes) {
    const e = at(n.index)
    assert.equal(e.hentry_index, n.index)
    assert.deepEqual([e.key_proto, e.key_sport, e.key_dport, e.key_nh_id, e.key_len], [n.key.proto, n.key.sport, n.key.dport, n.key.nh_id, n.key.key_len])
    assert.deepEqual([e.fe_rflow, e.flow_bytes, e.flow_packets, e.fe_udp_src_port, e.fe_src_info, e.fe_gen_id, e.fe_ttl], [n.fe_rflow, n.fe_stats.bytes, n.fe_stats.packets, n.fe_udp_src_port, n.fe_src_info, n.fe_gen_id, n.fe_ttl])
    const key = table.subarray(n.index * 256 + FLOW_KEY_OFFSET, n.index * 256 + FLOW_KEY_OFFSET + e.key_len)
    assert.equal(vrHash(key), Number(n.hash), `hash of flow ${n.index}`)
    assert.equal(bucketBase(key, 1024), n.bucket_start)
  }
  assert.equal(at(543).hentry_next_index, 1024, 'the overflow entry hangs off the last slot of its bucket')
  assert.equal(at(1024).hentry_bucket_index, 543)
  assert.equal(at(1025).hentry_flags, 0x08, 'a free overflow entry is on the free list')
})
