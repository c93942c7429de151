/**
 * The emulator's packet drop log and logging settings, as dp-core answers them (vr_pkt_droplog.c, vrouter.c and the
 * DPDK host's log hooks): pages of a core's ring, core numbering, the drop type, minimal logging, reset, switches.
 */
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {VrouterState} from '../../src/emulator/state/index.js'
import {DROP_LOG_RECORD_SIZE, type DropLogRecord, decodeDropLog, dropLogRecord, encodeDropLog} from '../../src/lib/model/droplog.js'
import type {MessageFields, SandeshObject} from '../../src/lib/sandesh/schema.js'
import {req} from './harness.js'

const ADD = 0
const GET = 1
const DEL = 2
const RESET = 5

type LogReply = MessageFields<'vr_pkt_drop_log_req'>

function get(state: VrouterState, core: number, index: number): LogReply {
  const [[response, reply]] = state.dispatch(req('vr_pkt_drop_log_req', {h_op: GET, vdl_core: core, vdl_log_idx: index}))
  assert.equal((response as SandeshObject<'vr_response'>).fields.resp_code, 0)
  return (reply as SandeshObject<'vr_pkt_drop_log_req'>).fields
}

const record = (reason: number, line: number, more: Partial<DropLogRecord> = {}) => dropLogRecord({vpType: 2, dropReason: reason, line, timestamp: 1000 + line, ...more})
const lines = (reply: LogReply) => decodeDropLog(reply.vdl_pkt_droplog_arr).map((r) => r.line)

test('a record is 168 bytes in the x86-64 layout of vr_pkt_drop_log_t, and comes back the same', () => {
  const r = dropLogRecord({
    timestamp: 1764230400, vpType: 3, dropReason: 11, vifIdx: 0x0102, nhId: 0x03040506, src: Uint8Array.from({length: 16}, (_, i) => i + 1),
    dst: new Uint8Array(16).fill(0xee), sport: 0x1122, dport: 0x3344, file: 80, line: 936, pktLen: 84, header: new Uint8Array(100).fill(0x45),
  })
  const bytes = encodeDropLog([r, dropLogRecord()])
  assert.equal(bytes.length, 2 * DROP_LOG_RECORD_SIZE)
  const at = (offset: number, n: number) => Array.from(bytes.subarray(offset, offset + n))
  assert.deepEqual(at(0, 8), [0x00, 0x05, 0x28, 0x69, 0, 0, 0, 0], 'time_t, little-endian')
  assert.deepEqual([at(8, 1), at(10, 2), at(12, 2), at(16, 4)], [[3], [11, 0], [2, 1], [6, 5, 4, 3]], 'vp_type, drop_reason, vif_idx, nh_id (after padding)')
  assert.deepEqual([at(20, 2), at(36, 1), at(52, 4), at(56, 4), at(60, 4), at(64, 2), at(66, 1), at(165, 1)], [[1, 2], [0xee], [0x22, 0x11, 0x44, 0x33], [80, 0, 0, 0], [0xa8, 3, 0, 0], [84, 0], [0x45], [0x45]])
  assert.deepEqual(decodeDropLog(bytes), [r, dropLogRecord()])
  assert.equal(decodeDropLog(bytes.subarray(0, 200)).length, 1, 'a partial record is not one')
})

test('GET: a page of 20 of the core asked for (counted from 1, 0 reading core 0), the settings, and the end of the ring', () => {
  const state = new VrouterState({cores: 2})
  for (let i = 0; i < 25; i++) state.dropLog.append(0, record(1, i))
  state.dropLog.append(1, record(3, 500))
  const all = get(state, 0, 0)
  assert.deepEqual([all.vdl_core, all.vdl_log_idx, all.vdl_max_num_cores, all.vdl_pkt_droplog_max_bufsz, all.vdl_pkt_droplog_en, all.vdl_pkt_droplog_sysctl_en, all.vdl_pkt_droplog_type], [0, 0, 2, 200, 1, 1, 55])
  assert.deepEqual(lines(all), Array.from({length: 20}, (_, i) => i))
  assert.deepEqual(lines(get(state, 1, 20)).slice(0, 6), [20, 21, 22, 23, 24, 0], 'core 1 is core 0; unwritten slots are empty')
  assert.equal(get(state, 1, 20).vdl_core, 1)
  assert.deepEqual(lines(get(state, 2, 0)).slice(0, 2), [500, 0])
  assert.equal(decodeDropLog(get(state, 2, 0).vdl_pkt_droplog_arr).length, 20)
  assert.equal(decodeDropLog(get(state, 1, 190).vdl_pkt_droplog_arr).length, 10, 'what is left of the ring')
  assert.equal(decodeDropLog(get(state, 1, 300).vdl_pkt_droplog_arr).length, 20, 'past the end: a whole page (unsigned arithmetic), empty')
  assert.ok(lines(get(state, 5, 0)).every((l) => l === 0), 'a core it does not have: empty slots')
})

test('the ring wraps; RESET empties it but writing goes on where it was', () => {
  const state = new VrouterState({cores: 1})
  state.ops.ops.vo_pkt_droplog_bufsz = 30
  for (let i = 0; i < 33; i++) state.dropLog.append(0, record(1, i + 1))
  assert.deepEqual(lines(get(state, 1, 0)).slice(0, 4), [31, 32, 33, 4])
  const [[, reset]] = state.dispatch(req('vr_pkt_drop_log_req', {h_op: RESET}))
  assert.equal((reset as SandeshObject<'vr_pkt_drop_log_req'>).fields.h_op, RESET)
  assert.ok(lines(get(state, 1, 0)).every((l) => l === 0))
  state.dropLog.append(0, record(1, 99))
  assert.deepEqual(lines(get(state, 1, 0)).slice(3, 5), [99, 0])
})

test('ADD sets the drop type (config 1) or minimal logging (config 0); logging follows both', () => {
  const state = new VrouterState({cores: 1})
  const [[, typed]] = state.dispatch(req('vr_pkt_drop_log_req', {h_op: ADD, vdl_pkt_droplog_config: 1, vdl_pkt_droplog_type: 11}))
  assert.deepEqual([(typed as SandeshObject<'vr_pkt_drop_log_req'>).fields.vdl_pkt_droplog_type, (typed as SandeshObject<'vr_pkt_drop_log_req'>).fields.vdl_pkt_droplog_config], [11, 1])
  assert.equal(get(state, 1, 0).vdl_pkt_droplog_type, 11)
  const full = {vifIdx: 3, nhId: 21, pktLen: 84, header: new Uint8Array(100).fill(7)}
  state.dropLog.log(0, record(1, 1, full))
  state.dropLog.log(0, record(11, 2, full))
  let logged = decodeDropLog(get(state, 1, 0).vdl_pkt_droplog_arr)
  assert.deepEqual(logged.slice(0, 2).map((r) => [r.line, r.vifIdx, r.pktLen]), [[2, 0, 0], [0, 0, 0]], 'only the type set; minimal by default')
  state.dispatch(req('vr_pkt_drop_log_req', {h_op: ADD, vdl_pkt_droplog_config: 0, vdl_pkt_droplog_min_sysctl_en: 0}))
  assert.equal(get(state, 1, 0).vdl_pkt_droplog_type, 11, 'a minimal-logging request leaves the type')
  const [[, ops]] = state.dispatch(req('vrouter_ops', {h_op: GET}))
  assert.equal((ops as SandeshObject<'vrouter_ops'>).fields.vo_pkt_droplog_min_en, 0, 'vrouter_ops reports it')
  state.dispatch(req('vr_pkt_drop_log_req', {h_op: ADD, vdl_pkt_droplog_config: 1, vdl_pkt_droplog_type: 55}))
  state.dropLog.log(0, record(1, 3, full))
  logged = decodeDropLog(get(state, 1, 0).vdl_pkt_droplog_arr)
  assert.deepEqual([logged[1].line, logged[1].vifIdx, logged[1].nhId, logged[1].pktLen, logged[1].header[99]], [3, 3, 21, 84, 7])
})

test('switches off: the sysctl (only it is said), the load-time switch; other ops get a response, then the GET', () => {
  const state = new VrouterState({cores: 1})
  state.ops.ops.vo_pkt_droplog_en = 0
  state.dropLog.log(0, record(1, 1))
  assert.deepEqual([get(state, 1, 0).vdl_pkt_droplog_sysctl_en, get(state, 1, 0).vdl_max_num_cores, get(state, 1, 0).vdl_pkt_droplog_arr.length], [0, 0, 0])
  state.ops.ops.vo_pkt_droplog_en = 1
  assert.ok(lines(get(state, 1, 0)).every((l) => l === 0), 'nothing was logged while it was off')
  state.ops.ops.vo_pkt_droplog_buf_en = 0
  assert.deepEqual([get(state, 1, 0).vdl_pkt_droplog_sysctl_en, get(state, 1, 0).vdl_pkt_droplog_en], [1, 0])
  const replies = state.dispatch(req('vr_pkt_drop_log_req', {h_op: DEL, vdl_core: 1}))
  assert.deepEqual(replies.map((m) => m.map((o) => o.name)), [['vr_response'], ['vr_response', 'vr_pkt_drop_log_req']])
})

test('moving traffic logs its drops in the rings of the interfaces\' cores', () => {
  const state = new VrouterState({cores: 2})
  state.dispatch(req('vr_interface_req', {h_op: ADD, vifr_idx: 3, vifr_type: 3, vifr_vrf: 0, vifr_ip: 0x0501010a, vifr_ipackets: 10, vifr_nh_id: 0}))
  for (let i = 0; i < 10; i++) state.tick()
  const logged = decodeDropLog(get(state, 2, 0).vdl_pkt_droplog_arr).filter((r) => r.vpType !== 0)
  assert.equal(logged.length, 1)
  assert.deepEqual([logged[0].dropReason, logged[0].line, Array.from(logged[0].src.subarray(0, 4))], [11, 936, [10, 1, 1, 5]])
})

test('vrouter_ops: log levels the DPDK host knows, log types enabled then disabled (unknown ones ignored)', () => {
  const state = new VrouterState()
  const ops = () => (state.dispatch(req('vrouter_ops', {h_op: GET}))[0][1] as SandeshObject<'vrouter_ops'>).fields
  assert.deepEqual([ops().vo_log_level, ops().vo_log_type_enable], [7, [1, 2, 4, 8]])
  state.dispatch(req('vrouter_ops', {h_op: ADD, vo_log_level: 8, vo_log_type_disable: [2, 4]}))
  assert.deepEqual([ops().vo_log_level, ops().vo_log_type_enable], [8, [1, 8]])
  state.dispatch(req('vrouter_ops', {h_op: ADD, vo_log_level: 9, vo_log_type_enable: [0, 16, 2], vo_log_type_disable: [8]}))
  assert.deepEqual([ops().vo_log_level, ops().vo_log_type_enable], [8, [1, 2]], 'level 9 and types 0 and 16 change nothing')
  state.dispatch(req('vrouter_ops', {h_op: ADD, vo_log_level: 0}))
  assert.equal(ops().vo_log_level, 8, 'level 0: unchanged')
})
