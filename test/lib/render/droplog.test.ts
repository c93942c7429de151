/** The drop log as the stock dropstats prints it (TF utils/vr_util.c, utils/dropstats.c format strings), byte for byte. */
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {
  asctime,
  dropLogDisabled,
  dropLogEntry,
  dropLogEntryJson,
  dropLogPage,
  dropTypeConflict,
  dropTypeHelp,
  dropTypeSet,
} from '../../../src/lib/render/droplog.js'
import {dropLogRecord} from '../../../src/lib/model/droplog.js'
import {objectOf} from '../../helpers.js'

// asctime(localtime()): the process's time zone.
process.env.TZ = 'UTC'

const v4 = (...bytes: number[]) => Uint8Array.from([...bytes, ...new Array(12).fill(0)])
const header = (...bytes: number[]) => Uint8Array.from({length: 100}, (_, i) => bytes[i] ?? 0)
const reply = (fields: Parameters<typeof objectOf<'vr_pkt_drop_log_req'>>[1] = {}) =>
  objectOf('vr_pkt_drop_log_req', {vdl_max_num_cores: 4, vdl_pkt_droplog_max_bufsz: 200, vdl_pkt_droplog_en: 1, vdl_pkt_droplog_sysctl_en: 1, vdl_pkt_droplog_type: 55, ...fields}).fields

const flowDrop = dropLogRecord({
  timestamp: 1764230402, vpType: 2, dropReason: 11, vifIdx: 3, nhId: 21, src: v4(10, 1, 1, 5), dst: v4(10, 1, 3, 20), file: 80, line: 936, pktLen: 4, header: header(0x45, 0, 0, 0x54),
})

test('asctime: "%.3s %.3s%3d %.2d:%.2d:%.2d %d\\n"', () => {
  assert.equal(asctime(1762329600), 'Wed Nov  5 08:00:00 2025\n')
  assert.equal(asctime(2000000000), 'Wed May 18 03:33:20 2033\n')
})

test('a record: the fixed fields, the ones shown when not zero, asctime\'s newline inside', () => {
  assert.equal(
    dropLogEntry(7, flowDrop),
    'sl no: 7  Epoch Time: 1764230402 Local Time: Thu Nov 27 08:00:02 2025\n' +
      ' Packet Type: IP  Drop reason: Flow Action Drop  Vif idx: 3  Nexthop id: 21  Src IP: 10.1.1.5  Dst IP: 10.1.3.20  ' +
      'file: VR_FLOW_C  line no: 936  Packet Length: 4  Packet Data: 45  00  00  54  \n\n',
  )
  const ipv6 = dropLogRecord({
    timestamp: 0, vpType: 3, src: Uint8Array.of(0xfd, ...new Array(14).fill(0), 5), dst: Uint8Array.of(...new Array(10).fill(0), 0xff, 0xff, 1, 2, 3, 4), sport: 53, dport: 4789,
  })
  assert.equal(
    dropLogEntry(0, ipv6),
    'sl no: 0  Epoch Time: 0 Local Time: Thu Jan  1 00:00:00 1970\n Packet Type: IP6  Src IPv6: fd00::5  Dst IPv6: ::ffff:1.2.3.4  Source port: 53  Dest port: 4789  line no: 0  \n\n',
  )
  const odd = dropLogRecord({timestamp: 60, vpType: 9, dropReason: 60, nhId: 0xffffffff, file: 999, line: 1, src: v4(1, 1, 1, 1)})
  assert.equal(dropLogEntry(3, odd), 'sl no: 3  Epoch Time: 60 Local Time: Thu Jan  1 00:01:00 1970\n Packet Type: UNKNOWN  Drop reason: Unknow  Nexthop id: -1  file: 999  line no: 1  \n\n')
  const arp = dropLogRecord({timestamp: 0, vpType: 1, dropReason: 4, pktLen: 300, header: header(...Array.from({length: 100}, (_, i) => i))})
  const text = dropLogEntry(0, arp)
  assert.ok(text.includes(' Packet Type: ARP  Drop reason: Invalid ARP  line no: 0  Packet Length: 300  Packet Data: 00  01  '), 'no addresses for ARP')
  assert.ok(text.endsWith('62  63  \n\n'), 'at most 100 bytes')
})

test('a page: the header before the first record shown, once per run, and only below serial 200', () => {
  const records = [dropLogRecord(), flowDrop, dropLogRecord({...flowDrop, dropReason: 1, line: 7})]
  const first = dropLogPage(reply({vdl_core: 0, vdl_log_idx: 40}), records, {show: 55, headerShown: false})
  assert.equal(first.headerShown, true)
  assert.ok(first.text.startsWith("**********PKT DROP LOG**********\nTotal No. of CPU's 4\nPkt Drop Log for Core 1\n\nsl no: 41  "), 'core 0 ("all") reads core 1')
  assert.equal(first.text.split('sl no:').length, 3)
  const again = dropLogPage(reply({vdl_core: 3, vdl_log_idx: 0}), records, {show: 55, headerShown: true})
  assert.ok(again.text.startsWith('sl no: 1  '), 'no header the second time')
  const shown = dropLogPage(reply({vdl_core: 3, vdl_log_idx: 0}), records, {show: 1, headerShown: false})
  assert.ok(shown.text.startsWith('**********PKT DROP LOG**********\nTotal No. of CPU\'s 4\nPkt Drop Log for Core 3\n\nsl no: 2  '), '--show: that type only')
  assert.equal(shown.text.split('sl no:').length, 2)
  const late = dropLogPage(reply({vdl_log_idx: 200, vdl_pkt_droplog_max_bufsz: 400}), records, {show: 55, headerShown: false})
  assert.deepEqual([late.headerShown, late.text.startsWith('sl no: 201  ')], [false, true], 'VR_PKT_DROP_LOG_MAX, not the ring size, decides')
  assert.equal(dropLogPage(reply({vdl_log_idx: 199}), [flowDrop, flowDrop], {show: 55, headerShown: false}).text.split('sl no:').length, 2, 'one slot left of the ring')
})

test('the messages: type set, type conflict, log off (the source\'s runs of spaces), the drop-type list', () => {
  assert.equal(dropTypeSet(1), '\nDropstats log type set successfully VP_DROP_DISCARD\n\n')
  assert.equal(dropTypeConflict(reply({vdl_pkt_droplog_type: 11})), 'Pkt drop type already set to VP_DROP_FLOW_ACTION_DROP \n')
  assert.equal(
    dropLogDisabled(reply({vdl_pkt_droplog_sysctl_en: 0})),
    '\n\nPacket Drop Log sysctl is not enabled or misconfigured,                 Configured value is 0\n' +
      'You can enable it by passing "echo 1 >                 /proc/sys/net/vrouter/pkt_drop_log_enable"\n',
  )
  assert.equal(
    dropLogDisabled(reply({vdl_pkt_droplog_en: 0})),
    '\n\nPkt drop stats log support is not enabled or misconfigured                     in vrouter module parameters. Configured value is 0\n' +
      'You can enable by providing "options vrouter                     vr_pkt_droplog_buf_en=1" in /etc/modprobe.d/vrouter.conf\n',
  )
  const help = dropTypeHelp('help').split('\n')
  assert.deepEqual([help[0], help[1], help.at(-2), help.length], ['Invalid log type help', 'VP_DROP_DISCARD', 'VP_DROP_INVALID_UNDERLAY_ECMP', 56])
})

test('a record as JSON', () => {
  assert.deepEqual(dropLogEntryJson(reply({vdl_core: 2}), 7, flowDrop), {
    core: 2, index: 7, time: 1764230402, packet_type: 'IP', reason: 'VP_DROP_FLOW_ACTION_DROP', vif: 3, nexthop: 21, src: '10.1.1.5', dst: '10.1.3.20',
    sport: 0, dport: 0, file: 'VR_FLOW_C', line: 936, length: 4, data: '45 00 00 54',
  })
  assert.deepEqual(Object.values(dropLogEntryJson(reply(), 0, dropLogRecord({vpType: 1}))).slice(4, 9), [null, 0, 0, null, null])
})
