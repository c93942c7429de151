/** `rt --monitor` lines: the stock tool's irregular JSON (TF utils/rt.c vr_print_route_json) and the standard form. */
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {routeNotification, routeNotificationLine} from '../../../src/lib/render/rt.js'
import type {MessageFields} from '../../../src/lib/sandesh/schema.js'
import {objectOf} from '../../helpers.js'

const route = (fields: Partial<MessageFields<'vr_route_req'>>) => objectOf('vr_route_req', fields).fields as MessageFields<'vr_route_req'>

test('an added inet route with a stitched MAC, as the spec example prints it', () => {
  const r = route({h_op: 0, rtr_family: 2, rtr_vrf_id: 2, rtr_prefix: [10, 1, 1, 3], rtr_prefix_len: 32, rtr_nh_id: 23, rtr_label_flags: 0x2, rtr_mac: [0, 0, 0x5e, 0, 1, 0], rtr_index: 27012})
  assert.equal(
    routeNotificationLine(routeNotification(r)),
    '{"operation":"add","family":"AF_INET","vrf_id":2,"prefix":32,"address":"10.1.1.3","nh_id":23,"flags":{"label_valid":false, "arp_proxy":true, "arp_trap":false,"arp_flood":false, "macip_learnt":false},"mac_address":"0:0:5e:0:1:0","mac_index":27012}\n',
  )
})

test('a deleted inet6 route with a label: the label after the flags, no MAC', () => {
  const prefix = [0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x11]
  const r = route({h_op: 2, rtr_family: 10, rtr_vrf_id: 5, rtr_prefix: prefix, rtr_prefix_len: 128, rtr_nh_id: 40, rtr_label_flags: 0x1d, rtr_label: 37})
  assert.equal(
    routeNotificationLine(routeNotification(r)),
    '{"operation":"delete","family":"AF_INET6","vrf_id":5,"prefix":128,"address":"fd00::11","nh_id":40,"flags":{"label_valid":true, "arp_proxy":false, "arp_trap":true,"arp_flood":true, "macip_learnt":true},"label":37}\n',
  )
})

test('without a prefix: no prefix, address or next hop; bridge and unknown families carry only operation and family', () => {
  assert.equal(
    routeNotificationLine(routeNotification(route({h_op: 0, rtr_family: 2, rtr_vrf_id: 1}))),
    '{"operation":"add","family":"AF_INET","vrf_id":1,"flags":{"label_valid":false, "arp_proxy":false, "arp_trap":false,"arp_flood":false, "macip_learnt":false}}\n',
  )
  assert.equal(routeNotificationLine(routeNotification(route({h_op: 2, rtr_family: 7, rtr_mac: [2, 0, 0, 0, 0, 1]}))), '{"operation":"delete","family":"AF_BRIDGE"}\n')
  assert.equal(routeNotificationLine(routeNotification(route({h_op: 1, rtr_family: 3}))), '{"operation":"unknown","family":"unknown"}\n')
})

test('a prefix shorter than its family reads as zero-filled (inet_ntop reads 4 or 16 bytes)', () => {
  assert.equal(routeNotification(route({h_op: 0, rtr_family: 2, rtr_prefix: [10, 9], rtr_prefix_len: 16})).address, '10.9.0.0')
})

test('the standard form (--json, --fix monitor-json) is JSON with prefix_len for the length, in the same order', () => {
  const r = route({h_op: 0, rtr_family: 2, rtr_vrf_id: 2, rtr_prefix: [10, 1, 1, 3], rtr_prefix_len: 32, rtr_nh_id: 23, rtr_label_flags: 0x1, rtr_label: 16})
  assert.equal(
    JSON.stringify(routeNotification(r)),
    '{"operation":"add","family":"AF_INET","vrf_id":2,"prefix_len":32,"address":"10.1.1.3","nh_id":23,"flags":{"label_valid":true,"arp_proxy":false,"arp_trap":false,"arp_flood":false,"macip_learnt":false},"label":16}',
  )
})
