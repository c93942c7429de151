/** qosmap output: the stock format strings of TF utils/qosmap.c byte for byte, from objects built here. */
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {
  QOSMAP_USAGE,
  fcMapJson,
  fcMapMarker,
  fcMapText,
  priorityText,
  qosMapJson,
  qosMapText,
} from '../../../src/lib/render/qosmap.js'
import {objectOf} from '../../helpers.js'

const fc = (ids: number[], dscp: number[], exp: number[], dot1p: number[], queue: number[]) =>
  objectOf('vr_fc_map_req', {fmr_id: ids, fmr_dscp: dscp, fmr_mpls_qos: exp, fmr_dotonep: dot1p, fmr_queue_id: queue}).fields

test('forwarding classes: the title while the marker is -1, then "%3u        %8u  %3u  %3u %8u"', () => {
  const first = fc([1, 5], [10, 46], [1, 5], [1, 5], [1, 5])
  assert.equal(
    fcMapText(first, -1),
    'Forwarding Class Map 0\n' +
      ' FC            DSCP  EXP  .1p    Queue\n' +
      '  1              10    1    1        1\n' +
      '  5              46    5    5        5\n',
  )
  assert.equal(fcMapMarker(first, -1), 5)
  assert.equal(fcMapText(fc([200], [63], [7], [7], [255]), 5), '200              63    7    7 4294967295\n', 'no title once a marker is set')
  assert.equal(fcMapText({...fc([3], [0], [0], [0], [0]), fmr_rid: 2}, -1).split('\n')[0], 'Forwarding Class Map 2')
})

test('forwarding classes: C int8_t/int16_t values through %u, missing list elements, empty objects', () => {
  assert.equal(fcMapText(fc([-1], [200], [128], [0], [127]), 0), '4294967295        4294967240  4294967168    0      127\n')
  assert.equal(fcMapText(fc([4], [], [], [], []), 0), '  4               0    0    0        0\n', 'an element past its list reads 0')
  const none = fc([], [], [], [], [])
  assert.equal(fcMapText(none, 7), '')
  assert.equal(fcMapMarker(none, 7), 7, 'an object without classes keeps the marker')
  assert.equal(fcMapMarker(fc([-1], [0], [0], [0], [0]), 9), -1, 'id -1 sets the marker back to -1 (the title comes again)')
})

const qos = (id: number, points: Partial<Record<'dscp' | 'exp' | 'dot1p', [number, number][]>>, sizes = {dscp: 64, exp: 8, dot1p: 8}) => {
  const lists = (size: number, pairs: [number, number][] = []) => {
    const codePoints = Array<number>(size).fill(0)
    const classes = Array<number>(size).fill(0)
    for (const [point, cls] of pairs) {
      codePoints[point] = point
      classes[point] = cls
    }
    return [codePoints, classes]
  }
  const [qmr_dscp, qmr_dscp_fc_id] = lists(sizes.dscp, points.dscp)
  const [qmr_mpls_qos, qmr_mpls_qos_fc_id] = lists(sizes.exp, points.exp)
  const [qmr_dotonep, qmr_dotonep_fc_id] = lists(sizes.dot1p, points.dot1p)
  return objectOf('vr_qos_map_req', {qmr_id: id, qmr_dscp, qmr_dscp_fc_id, qmr_mpls_qos, qmr_mpls_qos_fc_id, qmr_dotonep, qmr_dotonep_fc_id}).fields
}

test('a QoS map: rid/id, a table per marking with the code points of a class other than 0, blank lines', () => {
  const map = qos(1, {dscp: [[10, 1], [18, 2], [46, 5], [20, 0]], exp: [[3, 3]], dot1p: [[5, 200]]})
  assert.equal(
    qosMapText(map),
    'QOS Map 0/1\n' +
      '    DSCP              FC\n' +
      '      10               1\n' +
      '      18               2\n' +
      '      46               5\n' +
      '\n' +
      '     EXP              FC\n' +
      '       3               3\n' +
      '\n' +
      ' DOTONEP              FC\n' +
      '       5        4294967240\n' +
      '\n' +
      '\n',
  )
  assert.equal(qosMapText(qos(4095, {}, {dscp: 0, exp: 0, dot1p: 0})), 'QOS Map 0/4095\n\n', 'an object without lists: the title and a blank line')
  assert.equal(qosMapText(qos(2, {}, {dscp: 64, exp: 0, dot1p: 0})), 'QOS Map 0/2\n    DSCP              FC\n\n\n', 'a marking with no class still prints its head')
})

test('JSON: one object per class; a map as code point → class', () => {
  assert.deepEqual(fcMapJson(fc([1, 200], [10, 46], [1, 5], [1, 5], [1, 255])), [
    {id: 1, dscp: 10, mpls_qos: 1, dotonep: 1, queue: 1},
    {id: 200, dscp: 46, mpls_qos: 5, dotonep: 5, queue: 255},
  ])
  assert.deepEqual(qosMapJson(qos(1, {dscp: [[10, 1], [46, 5], [20, 0]], dot1p: [[5, 200]]})), {id: 1, dscp: {10: 1, 46: 5}, mpls_qos: {}, dotonep: {5: 200}})
})

test('the --set-queue report (dump_priority): 28-column labels, 5-column values', () => {
  const text = priorityText({
    ifname: 'eth1',
    dcbxMode: 0x04,
    dcbEnabled: false,
    prioToTc: [0, 1, 2, 3, 4, 5, 6, 7],
    tcToGroup: [0, 0, 1, 1, 2, 2, 3, 3],
    groupBandwidth: [40, 30, 0, 30, 0, 0, 0, 0],
    strictness: 0b100,
  })
  assert.equal(
    text,
    'Priority Operation\n' +
      'Interface:                   eth1\n' +
      'DCBX:                         CEE\n' +
      'DCB State:                  Disabled\n' +
      '\n' +
      '                               P0   P1   P2   P3   P4   P5   P6   P7\n' +
      'Traffic Class:                  0    1    2    3    4    5    6    7\n' +
      '\n' +
      '                              TC0  TC1  TC2  TC3  TC4  TC5  TC6  TC7\n' +
      'Priority Group:                 0    0    1    1    2    2    3    3\n' +
      '\n' +
      '                              PG0  PG1  PG2  PG3  PG4  PG5  PG6  PG7\n' +
      'Priority Group Bandwidth:      40   30    0   30    0    0    0    0\n' +
      'Strictness:                     0    0    1    0    0    0    0    0\n',
  )
  const dcbx = (dcbxMode: number) => priorityText({ifname: 'lo', dcbxMode, dcbEnabled: true, prioToTc: [], tcToGroup: [], groupBandwidth: [], strictness: 0}).split('\n').slice(1, 4)
  assert.deepEqual(dcbx(0x08), ['Interface:                     lo', 'DCBX:                        IEEE', 'DCB State:                  Enabled'])
  assert.equal(dcbx(0xea)[1], 'DCBX:                        IEEE', 'a bad --dcbx value (0xea) has the IEEE bit')
  assert.equal(dcbx(0)[1], 'DCBX:                       Unknown DCBX mode')
})

test('the stock usage text', () => {
  const lines = QOSMAP_USAGE.split('\n')
  assert.equal(lines.length, 10)
  assert.equal(lines[0], 'qosmap --get-fc <fc-id>')
  assert.equal(lines[4], '       --set-queue <ifname> --dcbx <cee | ieee> --pg 0,1,2.. --bw 10,20,.. --strict 101..')
  assert.equal(lines[8], '       --delete-qos <index>')
})
