/** QoS and forwarding-class maps in the emulator, as TF dp-core/vr_qos.c keeps and reports them. */
import assert from 'node:assert/strict'
import {after, before, test} from 'node:test'
import {VrouterError} from '../../src/lib/errors.js'
import type {KsyncClient} from '../../src/lib/ksync/client.js'
import type {SandeshObject} from '../../src/lib/sandesh/schema.js'
import {type Emulator, req, startEmulator} from './harness.js'

const ADD = 0
const GET = 1
const DEL = 2
const DUMP = 3

let emu: Emulator
let client: KsyncClient
before(async () => {
  emu = await startEmulator()
  client = await emu.client()
})
after(() => emu.close())

const errno = (promise: Promise<unknown>, name: string) => assert.rejects(promise, (e: unknown) => e instanceof VrouterError && e.errnoName === name, name)
const code = async (request: SandeshObject) => ((await client.request(request))[0] as SandeshObject<'vr_response'>).fields.resp_code
const fcAdd = (id: number, dscp: number, exp: number, dot1p: number, queue: number) =>
  req('vr_fc_map_req', {h_op: ADD, fmr_id: [id], fmr_dscp: [dscp], fmr_mpls_qos: [exp], fmr_dotonep: [dot1p], fmr_queue_id: [queue]})

test('forwarding classes: ADD, GET as a fresh object, EXP and 802.1p kept in 3 bits, DEL, GET refused', async () => {
  assert.equal(await code(fcAdd(7, 200, 13, 9, 250)), 0)
  const got = (await client.get(req('vr_fc_map_req', {h_op: GET, fmr_id: [7], fmr_marker: 4}))).fields
  assert.deepEqual(
    [got.h_op, got.fmr_marker, got.fmr_id, [...got.fmr_dscp], [...got.fmr_mpls_qos], [...got.fmr_dotonep], [...got.fmr_queue_id]],
    [0, 0, [7], [200], [13 & 7], [9 & 7], [250]],
  )
  assert.equal(await code(req('vr_fc_map_req', {h_op: DEL, fmr_id: [7]})), 0)
  await errno(client.get(req('vr_fc_map_req', {h_op: GET, fmr_id: [7]})), 'ENOENT')
  assert.equal(await code(req('vr_fc_map_req', {h_op: DEL, fmr_id: [7]})), 0, 'deleting a class that is not set clears it again')
  await errno(client.request(req('vr_fc_map_req', {h_op: DEL, fmr_id: [256]})), 'EINVAL')
  await errno(client.request(fcAdd(-3, 0, 0, 0, 0)), 'EINVAL')
  await errno(client.request(req('vr_fc_map_req', {h_op: ADD, fmr_id: [8], fmr_dscp: [1]})), 'EINVAL')
})

test('forwarding classes: DUMP after the marker; a marker below -1 dumps nothing', async () => {
  for (const id of [2, 4, 6]) assert.equal(await code(fcAdd(id, id, 0, 0, 0)), 0)
  const ids = async (marker: number) => {
    const out: number[] = []
    for await (const o of client.dump(req('vr_fc_map_req', {h_op: DUMP, fmr_marker: marker}), {resume: true})) out.push(...(o as SandeshObject<'vr_fc_map_req'>).fields.fmr_id)
    return out
  }
  assert.deepEqual(await ids(-1), [2, 4, 6])
  assert.deepEqual(await ids(2), [4, 6])
  assert.deepEqual(await ids(-2), [])
  assert.deepEqual(await ids(255), [])
})

test('QoS maps: ADD merges code points, GET reports 64/8/8 slots, EXP and 802.1p slot i only when DSCP slot i is set', async () => {
  const add = (fields: Partial<Parameters<typeof req<'vr_qos_map_req'>>[1]>) => code(req('vr_qos_map_req', {h_op: ADD, qmr_id: 9, ...fields}))
  assert.equal(await add({qmr_dscp: [2, 40, 99], qmr_dscp_fc_id: [1, 5, 6]}), 0, 'a code point out of range is skipped')
  assert.equal(await add({qmr_mpls_qos: [2, 3], qmr_mpls_qos_fc_id: [7, 8]}), 0)
  assert.equal(await add({qmr_dotonep: [3], qmr_dotonep_fc_id: [4]}), 0)
  const m = (await client.get(req('vr_qos_map_req', {h_op: GET, qmr_id: 9}))).fields
  assert.deepEqual([m.h_op, m.qmr_id, m.qmr_dscp.length, m.qmr_mpls_qos.length, m.qmr_dotonep.length], [0, 9, 64, 8, 8])
  assert.deepEqual([m.qmr_dscp[2], m.qmr_dscp_fc_id[2], m.qmr_dscp[40], m.qmr_dscp_fc_id[40]], [2, 1, 40, 5])
  assert.deepEqual([m.qmr_mpls_qos[2], m.qmr_mpls_qos_fc_id[2]], [2, 7], 'EXP 2 shows: DSCP 2 is set')
  assert.deepEqual([m.qmr_mpls_qos[3], m.qmr_mpls_qos_fc_id[3], m.qmr_dotonep[3], m.qmr_dotonep_fc_id[3]], [0, 0, 0, 0], 'EXP 3 and 802.1p 3 hidden: DSCP 3 is not')
  await errno(client.request(req('vr_qos_map_req', {h_op: ADD, qmr_id: 9, qmr_dscp: [1], qmr_dscp_fc_id: []})), 'EINVAL')
  await errno(client.request(req('vr_qos_map_req', {h_op: ADD, qmr_id: 4096})), 'EINVAL')
})

test('QoS maps: an ADD without code points still creates the map; DEL of a missing map succeeds; DUMP by marker', async () => {
  assert.equal(await code(req('vr_qos_map_req', {h_op: ADD, qmr_id: 11})), 0)
  assert.equal((await client.get(req('vr_qos_map_req', {h_op: GET, qmr_id: 11}))).fields.qmr_dscp_fc_id.every((c) => c === 0), true)
  const ids = async (marker: number) => {
    const out: number[] = []
    for await (const o of client.dump(req('vr_qos_map_req', {h_op: DUMP, qmr_marker: marker}), {resume: true})) out.push((o as SandeshObject<'vr_qos_map_req'>).fields.qmr_id)
    return out
  }
  assert.deepEqual(await ids(-1), [9, 11])
  assert.deepEqual(await ids(9), [11])
  assert.deepEqual(await ids(-5), [])
  assert.equal(await code(req('vr_qos_map_req', {h_op: DEL, qmr_id: 11})), 0)
  assert.equal(await code(req('vr_qos_map_req', {h_op: DEL, qmr_id: 11})), 0, 'no map, no error')
  await errno(client.get(req('vr_qos_map_req', {h_op: GET, qmr_id: 11})), 'ENOENT')
  await errno(client.request(req('vr_qos_map_req', {h_op: DEL, qmr_id: 4096})), 'EINVAL')
})
