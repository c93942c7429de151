/**
 * dropstats' drop log and offload options against the running emulator: the requests as the stock tool fills them
 * (decoded as the emulator received them), the stock text byte for byte, set-then-get round trips, and the faults.
 */
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, test} from 'node:test'
import {Ajv} from 'ajv'
import {readFileSync} from 'node:fs'
import {useDemoEmulator} from './demo-emulator.js'

const demo = useDemoEmulator()
let dir: string
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'agent-conf-'))
  writeFileSync(join(dir, 'offload.conf'), '[DEFAULT]\nplatform=kernel\noffload = enabled\n')
})
after(() => rmSync(dir, {recursive: true, force: true}))

/** The tool against the emulator, in UTC, without an agent config (unless `config` names one); what it sent. */
async function run(argv: string[], config = 'none.conf') {
  return demo.run(argv, {env: {TZ: 'UTC', VROUTER_UTILS_CONFIG: join(dir, config)}, sockDir: false})
}
const sock = (...argv: string[]) => [...argv, '--sock-dir', demo.emulator.dir]
const pages = (sent: Record<string, unknown>[]) => sent.map((s) => [s.vdl_core, s.vdl_log_idx])
const validate = (schema: string) => new Ajv({allErrors: true, strict: true}).compile(JSON.parse(readFileSync(`docs/json/${schema}.schema.json`, 'utf8')))

const HEADER = (core: number) => `**********PKT DROP LOG**********\nTotal No. of CPU's 2\nPkt Drop Log for Core ${core}\n\n`
const ARP =
  'sl no: 0  Epoch Time: 1764230400 Local Time: Thu Nov 27 08:00:00 2025\n Packet Type: ARP  Drop reason: Invalid ARP  Vif idx: 3  file: VR_DATAPATH_C  line no: 262  ' +
  'Packet Length: 28  Packet Data: 00  01  08  00  06  04  00  01  00  00  5E  00  01  00  0A  01  01  05  00  00  00  00  00  00  0A  01  01  63  \n\n'
const FLOW =
  'sl no: 1  Epoch Time: 1764230402 Local Time: Thu Nov 27 08:00:02 2025\n Packet Type: IP  Drop reason: Flow Action Drop  Vif idx: 3  Nexthop id: 21  Src IP: 10.1.1.5  ' +
  'Dst IP: 10.1.3.20  file: VR_FLOW_C  line no: 936  Packet Length: 28  Packet Data: 45  00  00  1C  1C  46  40  00  40  01  4F  C2  0A  01  01  05  0A  01  03  14  08  00  F7  FF  00  01  00  01  \n\n'
const NH = 'sl no: 2  Epoch Time: 1764230405 Local Time: Thu Nov 27 08:00:05 2025\n Packet Type: IP  Drop reason: Invalid NH  Vif idx: 4  Src IP: 10.1.1.6  Dst IP: 10.9.9.9  file: VR_DATAPATH_C  line no: 469  \n\n'
const TTL = 'sl no: 0  Epoch Time: 1764230410 Local Time: Thu Nov 27 08:00:10 2025\n Packet Type: IP  Drop reason: TTL Exceeded  Src IP: 192.168.10.8  Dst IP: 10.1.1.6  file: VR_PROTO_IP_C  line no: 245  \n\n'
const DISCARD = 'sl no: 1  Epoch Time: 1764230417 Local Time: Thu Nov 27 08:00:17 2025\n Packet Type: IP6  Drop reason: Discards  Src IPv6: fd00:10:1:1::5  Dst IPv6: fd00:10:1:2::9  file: VR_NEXTHOP_C  line no: 2064  \n\n'

test('--log 0: every core, page by page (cores from 1, 0 = core 1 and "all"), the header once', async () => {
  const r = await run(sock('dropstats', '--log', '0'))
  assert.equal(r.status, 0)
  assert.equal(r.stdout, HEADER(1) + ARP + FLOW + NH + TTL + DISCARD)
  const each = Array.from({length: 10}, (_, i) => i * 20)
  assert.deepEqual(pages(r.sent), [...each.map((i) => [0, i]), ...each.map((i) => [2, i])])
  assert.deepEqual([r.sent[0].name, r.sent[0].h_op, r.sent[0].vdl_rid, r.sent[0].vdl_pkt_droplog_type], ['vr_pkt_drop_log_req', 1, 0, 0])
})

test('--log N: one core; --show a type; --json with its schema', async () => {
  const core2 = await run(sock('dropstats', '--log', '2'))
  assert.equal(core2.stdout, HEADER(2) + TTL + DISCARD)
  assert.deepEqual(pages(core2.sent), Array.from({length: 10}, (_, i) => [2, i * 20]))
  const shown = await run(sock('dropstats', '--log', '1', '--show', 'VP_DROP_FLOW_ACTION_DROP'))
  assert.equal(shown.stdout, HEADER(1) + FLOW)
  const json = await run(sock('dropstats', '--log', '0', '--json'))
  const value = JSON.parse(json.stdout) as {entries: {core: number; index: number; reason: string}[]}
  assert.ok(validate('dropstats-log')(value))
  assert.deepEqual(value.entries.map((e) => [e.core, e.index, e.reason]), [
    [1, 0, 'VP_DROP_INVALID_ARP'], [1, 1, 'VP_DROP_FLOW_ACTION_DROP'], [1, 2, 'VP_DROP_INVALID_NH'], [2, 0, 'VP_DROP_TTL_EXCEEDED'], [2, 1, 'VP_DROP_DISCARD'],
  ])
  assert.deepEqual(Object.keys(value).slice(0, 5).map((k) => [k, (value as Record<string, unknown>)[k]]), [['cores', 2], ['buffer_size', 200], ['log_enabled', true], ['sysctl_enabled', true], ['drop_type', 'VP_DROP_MAX']])
})

test('--log reads its core from the second word (a stock quirk); where there is none, the stock tool crashes and ours takes the value', async () => {
  const early = await run(['dropstats', '-s', demo.emulator.dir, '-l', '2'])
  assert.deepEqual([early.status, early.stdout.split('\n')[0], early.sent], [2, `Invalid argument ${demo.emulator.dir}`, []])
  assert.equal((await run(sock('dropstats', '--log=2'))).stdout.split('\n')[0], 'Invalid argument --sock-dir')
  assert.equal((await run(['dropstats', '-l', '2', '-s', demo.emulator.dir])).stdout, HEADER(2) + TTL + DISCARD)
  assert.equal((await run(['dropstats', '--json', '--log', '2', '--sock-dir', demo.emulator.dir])).status, 0, 'our additions are not words of the stock command line')
  assert.equal((await run(['dropstats', '-l2', '--socket', demo.emulator.path])).stdout, HEADER(2) + TTL + DISCARD)
})

test('a ring that is not whole pages: one more request past its end, as the stock tool asks', async () => {
  demo.emulator.state.ops.ops.vo_pkt_droplog_bufsz = 50
  try {
    const r = await run(sock('dropstats', '--log', '1'))
    assert.deepEqual(pages(r.sent), [[1, 0], [1, 20], [1, 40], [1, 60]])
    assert.equal(r.stdout, HEADER(1) + ARP + FLOW + NH)
  } finally {
    demo.emulator.state.ops.ops.vo_pkt_droplog_bufsz = 200
  }
})

test('--drop-type: the ADD, the confirmation, the type the log keeps to; --show of another type is refused by the tool', async () => {
  const set = await run(sock('dropstats', '--drop-type', 'VP_DROP_DISCARD'))
  assert.equal(set.stdout, '\nDropstats log type set successfully VP_DROP_DISCARD\n\n')
  assert.deepEqual(set.sent, [
    {name: 'vr_pkt_drop_log_req', h_op: 0, vdl_rid: 0, vdl_core: 0, vdl_log_idx: 0, vdl_max_num_cores: 0, vdl_pkt_droplog_max_bufsz: 0, vdl_pkt_droplog_en: 0, vdl_pkt_droplog_sysctl_en: 0, vdl_pkt_droplog_arr: [], vdl_pkt_droplog_type: 1, vdl_pkt_droplog_min_sysctl_en: 0, vdl_pkt_droplog_config: 1},
  ])
  const other = await run(sock('dropstats', '--log', '1', '--show', 'VP_DROP_INVALID_NH'))
  assert.deepEqual([other.stdout, other.sent.length], ['Pkt drop type already set to VP_DROP_DISCARD \n', 1])
  assert.equal((await run(sock('dropstats', '--log', '1'))).stdout, HEADER(1) + ARP + FLOW + NH, 'the records already logged stay')
  const json = JSON.parse((await run(sock('dropstats', '--log', '1', '--json'))).stdout) as {drop_type: string}
  assert.equal(json.drop_type, 'VP_DROP_DISCARD')
  assert.equal((await run(sock('dropstats', '--drop-type', 'VP_DROP_MAX'))).stdout, '\nDropstats log type set successfully VP_DROP_MAX\n\n')
  assert.equal(demo.emulator.state.dropLog.type, 55)
})

test('--drop-type help or a name that is none: the list; nothing sent', async () => {
  const help = await run(sock('dropstats', '--drop-type', 'help'))
  const lines = help.stdout.split('\n')
  assert.deepEqual([help.status, lines[0], lines[1], lines.at(-2), lines.length, help.sent], [0, 'Invalid log type help', 'VP_DROP_DISCARD', 'VP_DROP_INVALID_UNDERLAY_ECMP', 56, []])
  assert.equal((await run(sock('dropstats', '--drop-type', 'help', '--legacy-exit'))).status, 234)
  const bad = await run(sock('dropstats', '--show', 'VP_DROP_INVALID', '--log', '1'))
  assert.deepEqual([bad.status, bad.stdout.split('\n')[0], bad.sent], [2, 'Invalid log type VP_DROP_INVALID', []])
  const json = await run(sock('dropstats', '--drop-type', 'help', '--json'))
  assert.ok(validate('dropstats-drop-types')(JSON.parse(json.stdout)))
  assert.equal((JSON.parse(json.stdout) as string[]).length, 54)
})

test('--min-log: the ADD (config 0), which vrouter --info reports; bad values print the usage and send nothing', async () => {
  const off = await run(sock('dropstats', '--min-log', '0'))
  assert.deepEqual([off.status, off.stdout], [0, ''])
  assert.deepEqual([off.sent[0].h_op, off.sent[0].vdl_pkt_droplog_config, off.sent[0].vdl_pkt_droplog_min_sysctl_en, off.sent[0].vdl_pkt_droplog_type], [0, 0, 0, 0])
  const info = await run(sock('vrouter', '--info'))
  assert.ok(info.stdout.includes('    Vrouter Packet drop log minimum enable 0\n'))
  assert.equal((await run(sock('dropstats', '-m', '257'))).sent[0].vdl_pkt_droplog_min_sysctl_en, 1, 'an uint8_t in the stock tool: 257 is 1')
  assert.ok((await run(sock('vrouter', '--info'))).stdout.includes('    Vrouter Packet drop log minimum enable 1\n'))
  const two = await run(sock('dropstats', '--min-log', '2'))
  assert.deepEqual([two.status, two.stdout.split('\n')[0], two.sent], [2, 'Usage: dropstats [--help]', []])
  const word = await run(sock('dropstats', '--min-log', 'on', '--legacy-exit'))
  assert.deepEqual([word.status, word.stdout.split('\n')[0], word.sent], [234, 'Invalid argument on', []])
})

test('--show without --log, as the last long option: the usage (after connecting), nothing sent', async () => {
  const r = await run(['dropstats', '-s', demo.emulator.dir, '--show', 'VP_DROP_DISCARD'])
  assert.deepEqual([r.status, r.stdout.split('\n')[1], r.sent], [2, 'Usage: dropstats [--core|-c] <core number> ', []])
  assert.equal((await run(sock('dropstats', '--show', 'VP_DROP_DISCARD'))).sent[0].name, 'vr_drop_stats_req', 'not last: the counters')
})

test('the log switched off: the stock explanations', async () => {
  demo.emulator.state.ops.ops.vo_pkt_droplog_en = 0
  try {
    const r = await run(sock('dropstats', '--log', '0'))
    assert.equal(r.stdout, '\n\nPacket Drop Log sysctl is not enabled or misconfigured,                 Configured value is 0\nYou can enable it by passing "echo 1 >                 /proc/sys/net/vrouter/pkt_drop_log_enable"\n')
    assert.equal(r.sent.length, 1)
    assert.deepEqual(JSON.parse((await run(sock('dropstats', '--log', '0', '--json'))).stdout).sysctl_enabled, false)
  } finally {
    demo.emulator.state.ops.ops.vo_pkt_droplog_en = 1
  }
})

test('--offload: refused without offload=enabled; with it, the NIC\'s counters (core -1 on the wire, the line twice)', async () => {
  const refused = await run(sock('dropstats', '--offload'))
  assert.deepEqual([refused.status, refused.stdout.split('\n').slice(0, 2), refused.sent], [2, ['Error: hardware offloads not enabled', 'Usage: dropstats [--help]'], []])
  const usage = await run(['dropstats', '--help'], 'offload.conf')
  assert.deepEqual(usage.stdout.split('\n').slice(1, 6), [
    'Usage: dropstats [--core|-c] <core number> [--offload|-o]', '', '--core <core number>\t Show statistics for a specified CPU core', '--sock-dir <netlink socket dir>', '--offload\t\t Show statistics for pkts offloaded on NIC',
  ])
  const offload = await run(sock('dropstats', '-o', 'x'), 'offload.conf')
  assert.deepEqual([offload.status, offload.stdout], [0, 'Statistics for NIC offloads\n\nStatistics for core 4294967294\n\n'])
  assert.deepEqual([offload.sent[0].h_op, offload.sent[0].vds_core], [1, -1])
  const json = JSON.parse((await run(sock('dropstats', '--offload', '--json'), 'offload.conf')).stdout) as {offload: boolean; counters: Record<string, number>}
  assert.ok(validate('dropstats')(json))
  assert.deepEqual([json.offload, json.counters.discard], [true, 0])
  const debug = await run(sock('dropstats', '--debug', '--core', '1'))
  assert.equal(debug.stdout, `Statistics for core 1\n\n${'Cloned Original'.padEnd(30)}0\n`)
})

test('--clear-drop-log: a RESET when it is the last long option (then the log is empty); else the counters', async () => {
  const notLast = await run(['dropstats', '--clear-drop-log', '--sock-dir', demo.emulator.dir])
  assert.deepEqual([notLast.sent[0].name, notLast.sent[0].h_op], ['vr_drop_stats_req', 1])
  const clear = await run(['dropstats', '-s', demo.emulator.dir, '--clear-drop-log'])
  assert.deepEqual([clear.status, clear.stdout, clear.sent.map((s) => [s.name, s.h_op])], [0, '', [['vr_pkt_drop_log_req', 5]]])
  assert.equal((await run(sock('dropstats', '--log', '0'))).stdout, '')
})
