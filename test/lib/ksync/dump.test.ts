/** Dump continuation rules of the QoS messages, as qosmap follows its marker (TF utils/qosmap.c). */
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {dumpRule} from '../../../src/lib/ksync/dump.js'

test('FC maps resume after the last class of the last object; an object without classes keeps the marker', () => {
  const rule = dumpRule('vr_fc_map_req')!
  assert.deepEqual(rule.start({}), {fmr_marker: -1})
  assert.deepEqual(rule.next({fmr_id: [4, 9]}, {fmr_marker: -1}), {fmr_marker: 9})
  assert.deepEqual(rule.next({fmr_id: []}, {fmr_marker: 9}), {fmr_marker: 9})
})

test('QoS maps resume after the id of the last map', () => {
  const rule = dumpRule('vr_qos_map_req')!
  assert.deepEqual(rule.start({}), {qmr_marker: -1})
  assert.deepEqual(rule.next({qmr_id: 4095}, {qmr_marker: 17}), {qmr_marker: 4095})
})
