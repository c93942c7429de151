/**
 * qosmap: the stock command line (walked without a forwarding plane), then the real command against the running
 * emulator: the requests as the stock tool fills them, round trips, paged dumps, errors and exit statuses.
 */
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {describe, test} from 'node:test'
import {Ajv} from 'ajv'
import {getopt} from '../../src/cli/legacy/getopt.js'
import {QOSMAP_OPTIONS, type QosmapWalk, walkQosmapOptions} from '../../src/cli/legacy/qosmap-options.js'
import type {Platform} from '../../src/lib/ksync/platform.js'
import {codecFor} from '../../src/lib/sandesh/codec.js'
import type {SandeshObject} from '../../src/lib/sandesh/schema.js'
import {QOSMAP_USAGE} from '../../src/lib/render/qosmap.js'
import {req} from '../emulator/harness.js'
import {runCliAsync} from '../cli.js'
import {useDemoEmulator} from './demo-emulator.js'

const walk = (argv: string[], platform: Platform = 'kernel'): QosmapWalk =>
  walkQosmapOptions(getopt('qosmap', argv, QOSMAP_OPTIONS), {platform: () => platform, interfaceExists: (name) => name === 'eth1'})
/** The walk in brief: the operation and its values, or the fault and what was printed before it. */
const brief = (argv: string[], platform?: Platform) => {
  const w = walk(argv, platform)
  return 'fault' in w ? {fault: w.fault, printed: w.printed, stderr: w.stderr} : {verb: w.ok.verb, index: w.ok.index, markings: w.ok.markings, fc: w.ok.fc}
}
const usage = (printed = '', stderr = '') => ({fault: 'usage', printed, stderr})

describe('the stock command line', () => {
  test('one operation, with the markings it wants; repeated options count once, the last value wins', () => {
    assert.deepEqual(brief(['--get-fc', '0x10']), {verb: 'get-fc', index: 16, markings: {}, fc: 0})
    assert.deepEqual(brief(['--get-fc', '1', '--get-fc', '2']), {verb: 'get-fc', index: 2, markings: {}, fc: 0})
    assert.deepEqual(brief(['--set-fc', '3', '--dscp', '26', '--mpls_qos', '3', '--dotonep', '010', '--queue', '-1']), {
      verb: 'set-fc', index: 3, markings: {dscp: 26, mpls_qos: 3, dotonep: 8, queue: 255}, fc: 0,
    })
    assert.deepEqual(brief(['--set-qos', '4096', '--dscp', '300', '--fc', '5']), {verb: 'set-qos', index: 4096, markings: {dscp: 44}, fc: 5}, 'uint8_t values')
    assert.deepEqual(brief(['--set-qos', '1', '--queue', '3', '--fc', '5']), {verb: 'set-qos', index: 1, markings: {queue: 3}, fc: 5}, '--queue passes the stock check')
    assert.deepEqual(brief(['--dump-fc', '--fc', '2']), {verb: 'dump-fc', index: 0, markings: {}, fc: 2})
    assert.deepEqual(brief(['--delete-qos', '-1']), {verb: 'delete-qos', index: 0xffffffff, markings: {}, fc: 0})
    assert.deepEqual(brief(['--dump-q']), {verb: 'dump-qos', index: 0, markings: {}, fc: 0}, 'abbreviated')
    assert.deepEqual(brief(['--delete-fc', '3']), {verb: 'delete-fc', index: 3, markings: {}, fc: 0}, 'our addition')
  })

  test('the stock complaints, each followed by the usage', () => {
    assert.deepEqual(brief([]), usage())
    assert.deepEqual(brief(['--get-fc', '1', '--get-qos', '1']), usage())
    assert.deepEqual(brief(['--get-fc', '1', '--fc', '2']), usage('Invalid arguments for --get-fc\n'))
    assert.deepEqual(brief(['--get-qos', '1', '--dscp', '2']), usage('Invalid arguments to --get-qos\n'))
    assert.deepEqual(brief(['--set-fc', '1', '--dscp', '1', '--mpls_qos', '1', '--dotonep', '1']), usage('Invalid options to --set-fc\n'))
    assert.deepEqual(brief(['--set-fc', '1', '--dscp', '1', '--mpls_qos', '1', '--dotonep', '1', '--queue', '1', '--fc', '1']), usage('Invalid options to --set-fc\n'))
    assert.deepEqual(brief(['--set-qos', '1', '--dscp', '1']), usage('Invalid options to --set-qos\n'))
    assert.deepEqual(brief(['--set-qos', '1', '--dscp', '1', '--dotonep', '1', '--fc', '1']), usage('Invalid options to --set-qos\n'))
    assert.deepEqual(brief(['--dump-qos', '--queue', '1']), usage('Invalid options\n'))
    assert.deepEqual(brief(['--delete-fc', '1', '--dscp', '1']), usage('Invalid options\n'))
    assert.deepEqual(brief(['--get-fc', '18446744073709551616']), usage('', 'parse_long_opts: Numerical result out of range\n'))
    assert.deepEqual(brief(['--get-fc', '18446744073709551615']).index, 0xffffffff, 'ULONG_MAX itself is no overflow')
    assert.deepEqual(brief(['--d']), usage(), 'ambiguous')
    assert.deepEqual(brief(['--sock', 'x']), usage(), 'our --sock-dir is never abbreviated')
    assert.deepEqual(brief(['--help', '--bogus']), {fault: 'help', printed: '', stderr: ''})
    assert.deepEqual(brief(['--bogus', '--help']), usage(), 'options act in order')
  })

  test('queue options: the interface first, then the platform, then the DCB set', () => {
    assert.deepEqual(brief(['--get-queue', 'eth9']), {fault: 'exit', printed: 'eth9: No such interface exist in the system\n', stderr: ''})
    assert.deepEqual(brief(['--get-queue', 'eth1'], 'dpdk'), {fault: 'exit', printed: 'Queue options are valid only for kernel based vRouter\n', stderr: ''})
    assert.deepEqual(brief(['--get-fc', '1', '--dcbx', 'cee'], 'vtest'), {fault: 'exit', printed: 'Queue options are valid only for kernel based vRouter\n', stderr: ''})
    assert.equal(brief(['--get-queue', 'eth1']).verb, 'get-queue')
    assert.deepEqual(brief(['--get-queue', 'eth1', '--dscp', '1']), usage('Invalid options\n'))
    assert.deepEqual(brief(['--set-queue', 'eth1']), usage('Incorrect mode \n'))
    assert.deepEqual(brief(['--set-queue', 'eth1', '--dcbx', 'ieee', '--bw', '10', '--strict', '00000000', '--pg', '0']), usage('--pg option is not accepted for IEEE mode\n'))
    assert.deepEqual(brief(['--set-queue', 'eth1', '--dcbx', 'cee', '--bw', '10', '--strict', '00000000']), usage(), 'CEE needs --pg')
    assert.deepEqual(brief(['--set-queue', 'eth1', '--dcbx', 'cee', '--pg', '0', '--bw', '60,50', '--strict', '00000000']), usage('Aggregate bandwidth is greater than 100\n'))
    assert.deepEqual(brief(['--strict', '1010']), usage('Invalid value in strictness\n'), 'fewer than 8 digits reach the NUL')
    assert.deepEqual(brief(['--strict', '101000001']), usage('Invalid value in strictness\n'))
    assert.deepEqual(brief(['--tc', '1,8']), usage('Invalid value in the priority to tc mapping\n'))
    assert.deepEqual(brief(['--bw', '101']), usage('Invalid value in the priority group bandwidth\n'))
    assert.deepEqual(brief(['--pg', '1,,2']), usage('Malformed request: separator used incorrectly \n'))
    // The stock offsets skip a later token's leading space to land on the NUL it wrote: a crash there, the usage here.
    assert.deepEqual(brief(['--pg', '1, 2']), usage())
    assert.deepEqual(brief(['--pg', '0 ,1 ,2']), usage())
    assert.deepEqual(brief(['--pg', '']), usage())
    assert.deepEqual(brief(['--dcbx', 'cee', '--get-fc', '1']), usage(), 'an operation with a DCB option')
  })

  test('--set-queue: the stock lists (values past the eighth ignored), strictness over bandwidth, then the report', () => {
    const w = walk(['--set-queue', 'eth1', '--dcbx', 'cee', '--pg', '0,1,2,3,4,5,6,7,1', '--bw', '50,30,20', '--strict', '01000000'])
    assert.ok('ok' in w)
    assert.deepEqual([w.ok.priority.tcToGroup, w.ok.priority.prioToTc, w.ok.priority.groupBandwidth], [
      [0, 1, 2, 3, 4, 5, 6, 7],
      [0, 1, 2, 3, 4, 5, 6, 7],
      [50, 0, 20, 0, 0, 0, 0, 0],
    ])
    assert.equal(w.ok.priority.strictness, 0b10)
    const lines = w.printed.split('\n')
    assert.deepEqual(lines.slice(0, 4), ['NOTE: Bandwidth specification does not work with strict priority', 'Priority Operation', 'Interface:                   eth1', 'DCBX:                         CEE'])
    const ieee = walk(['--set-queue', 'eth1', '--dcbx', 'ieee', '--bw', '40,40', '--strict', '00000000', '--tc', '7 ,6'])
    assert.ok('ok' in ieee)
    assert.deepEqual([ieee.ok.priority.tcToGroup, ieee.ok.priority.prioToTc], [[0, 1, 2, 3, 4, 5, 6, 7], [7, 6, 0, 0, 0, 0, 0, 0]], '--tc replaces the default map (a space before the last comma reads)')
  })
})

describe('against the emulator', () => {
  const demo = useDemoEmulator()

  /** An object's name and fields in one record, for comparison. */
  const plain = (o: SandeshObject) => ({name: o.name, ...o.fields}) as Record<string, unknown>
  async function run(...argv: string[]) {
    const r = await demo.run(['qosmap', ...argv])
    return {...r, sent: r.received.map(plain)}
  }
  const FC_EMPTY = {name: 'vr_fc_map_req', h_op: 0, fmr_rid: 0, fmr_id: [], fmr_dscp: [], fmr_mpls_qos: [], fmr_dotonep: [], fmr_queue_id: [], fmr_marker: 0}
  const QOS_EMPTY = {
    name: 'vr_qos_map_req', h_op: 0, qmr_rid: 0, qmr_id: 0, qmr_dscp: [], qmr_dscp_fc_id: [], qmr_mpls_qos: [], qmr_mpls_qos_fc_id: [], qmr_dotonep: [], qmr_dotonep_fc_id: [], qmr_marker: 0,
  }
  const FC_TITLE = 'Forwarding Class Map 0\n FC            DSCP  EXP  .1p    Queue\n'
  const ENOENT = 'vRouter(Response): No such file or directory (2)\n'

  test('--dump-fc and --get-fc: the requests and the stock table', async () => {
    const dump = await run('--dump-fc')
    assert.equal(dump.status, 0)
    assert.deepEqual(dump.sent, [{...FC_EMPTY, h_op: 3, fmr_marker: -1}])
    assert.equal(dump.stdout, `${FC_TITLE}  1              10    1    1        1\n  2              18    2    2        2\n  5              46    5    5        5\n`)
    const get = await run('--get-fc', '261')
    assert.deepEqual(get.sent, [{...FC_EMPTY, h_op: 1, fmr_id: [5]}], 'the id narrowed to a uint8_t')
    assert.deepEqual([get.status, get.stdout], [0, `${FC_TITLE}  5              46    5    5        5\n`])
  })

  test('--set-fc then --get-fc; --delete-fc then --get-fc refused', async () => {
    const set = await run('--set-fc', '3', '--dscp', '26', '--mpls_qos', '3', '--dotonep', '11', '--queue', '2')
    assert.deepEqual([set.status, set.stdout], [0, ''])
    assert.deepEqual(set.sent, [{...FC_EMPTY, fmr_id: [3], fmr_dscp: [26], fmr_mpls_qos: [3], fmr_dotonep: [11], fmr_queue_id: [2]}], 'h_op left 0 = ADD')
    const get = await run('--get-fc', '3')
    assert.deepEqual([get.status, get.stdout], [0, `${FC_TITLE}  3              26    3    3        2\n`], '802.1p 11 kept in its 3 bits')
    const del = await run('--delete-fc', '3')
    assert.deepEqual([del.status, del.stdout, del.sent], [0, '', [{...FC_EMPTY, h_op: 2, fmr_id: [3]}]])
    const gone = await run('--get-fc', '3')
    assert.deepEqual([gone.status, gone.stdout], [3, ENOENT])
    const wide = await run('--set-fc', '65539', '--dscp', '1', '--mpls_qos', '1', '--dotonep', '1', '--queue', '1')
    assert.deepEqual(wide.sent[0].fmr_id, [3], 'an ADD reads the int16_t at the start of the unsigned int')
    assert.equal((await run('--delete-fc', '3')).status, 0)
    const outside = await run('--set-fc', '300', '--dscp', '1', '--mpls_qos', '1', '--dotonep', '1', '--queue', '1')
    assert.deepEqual([outside.status, outside.stdout, outside.sent[0].fmr_id], [3, 'vRouter(Response): Invalid argument (22)\n', [300]])
  })

  test('--set-qos then --get-qos; --delete-qos then --get-qos refused', async () => {
    const set = await run('--set-qos', '2', '--dscp', '26', '--fc', '3')
    assert.deepEqual([set.status, set.stdout], [0, ''])
    assert.deepEqual(set.sent, [{...QOS_EMPTY, qmr_id: 2, qmr_dscp: [26], qmr_dscp_fc_id: [3]}])
    const exp = await run('--set-qos', '2', '--mpls_qos', '6', '--fc', '4')
    assert.deepEqual(exp.sent, [{...QOS_EMPTY, qmr_id: 2, qmr_mpls_qos: [6], qmr_mpls_qos_fc_id: [4]}])
    await run('--set-qos', '2', '--dscp', '6', '--fc', '7')
    const dot1p = await run('--set-qos', '2', '--dotonep', '5', '--fc', '1')
    assert.deepEqual(dot1p.sent, [{...QOS_EMPTY, qmr_id: 2, qmr_dotonep: [5], qmr_dotonep_fc_id: [1]}])
    const get = await run('--get-qos', '2')
    assert.deepEqual(get.sent, [{...QOS_EMPTY, h_op: 1, qmr_id: 2}])
    // EXP 6 shows because DSCP 6 is set; 802.1p 5 does not (DSCP 5 is not): the forwarding plane's own quirk.
    const table = 'QOS Map 0/2\n    DSCP              FC\n       6               7\n      26               3\n\n     EXP              FC\n       6               4\n\n DOTONEP              FC\n\n\n'
    assert.deepEqual([get.status, get.stdout], [0, table])
    const del = await run('--delete-qos', '2')
    assert.deepEqual([del.status, del.sent], [0, [{...QOS_EMPTY, h_op: 2, qmr_id: 2}]])
    const gone = await run('--get-qos', '2')
    assert.deepEqual([gone.status, gone.stdout], [3, ENOENT])
    assert.equal((await run('--get-qos', '65538')).sent[0].qmr_id, 2, 'the id narrowed to the u16 field')
  })

  test('dumps over several pages: markers from the last object, the class title once', async () => {
    const client = await demo.emulator.client()
    for (let id = 100; id < 200; id++) {
      await client.request(req('vr_fc_map_req', {h_op: 0, fmr_id: [id], fmr_dscp: [id % 64], fmr_mpls_qos: [1], fmr_dotonep: [2], fmr_queue_id: [3]}))
    }
    for (let id = 100; id < 140; id++) await client.request(req('vr_qos_map_req', {h_op: 0, qmr_id: id, qmr_dscp: [1], qmr_dscp_fc_id: [5]}))
    const fc = await run('--dump-fc')
    assert.equal(fc.status, 0)
    assert.ok(fc.sent.length >= 3, `${fc.sent.length} pages`)
    const ids = fc.stdout.split('\n').slice(2, -1).map((row) => Number(row.slice(0, 3)))
    assert.deepEqual(ids, [1, 2, 5, ...Array.from({length: 100}, (_, i) => 100 + i)])
    assert.equal(fc.stdout.split('Forwarding Class Map').length, 2, 'one title')
    const markers = fc.sent.map((r) => r.fmr_marker as number)
    const perPage = Math.floor(3968 / codecFor('current').encodedSize(req('vr_fc_map_req', {fmr_id: [100], fmr_dscp: [1], fmr_mpls_qos: [1], fmr_dotonep: [1], fmr_queue_id: [1]})))
    assert.deepEqual(markers.slice(0, 2), [-1, ids[perPage - 1]], 'the second page resumes after the last class of the first')
    const qos = await run('--dump-qos', '--json')
    const maps = JSON.parse(qos.stdout) as {id: number}[]
    assert.deepEqual(maps.map((m) => m.id), [1, ...Array.from({length: 40}, (_, i) => 100 + i)])
    assert.ok(qos.sent.length >= 3)
    assert.deepEqual(qos.sent.map((r) => r.qmr_marker), [-1, ...qos.sent.slice(1).map((r) => r.qmr_marker)])
    for (const r of qos.sent.slice(1)) assert.ok(maps.some((m) => m.id === r.qmr_marker), 'each marker is the id of a map received')
    for (let id = 100; id < 200; id++) await client.request(req('vr_fc_map_req', {h_op: 2, fmr_id: [id]}))
    for (let id = 100; id < 140; id++) await client.request(req('vr_qos_map_req', {h_op: 2, qmr_id: id}))
  })

  test('bad command lines: usage, nothing sent', async () => {
    for (const argv of [[], ['--set-fc', '1', '--dscp', '1'], ['--get-fc', '1', '--fc', '2'], ['--set-qos', '1', '--dscp', '1', '--mpls_qos', '2', '--fc', '1'], ['--dump-qos', '--dscp', '1'], ['--get-fc', '99999999999999999999'], ['--bogus']]) {
      const r = await run(...argv)
      assert.equal(r.status, 2, argv.join(' '))
      assert.ok(r.stdout.endsWith(QOSMAP_USAGE), argv.join(' '))
      assert.deepEqual(r.sent, [], argv.join(' '))
    }
    const bogus = await run('--bogus', '--legacy-exit')
    assert.deepEqual([bogus.status, bogus.stderr, bogus.stdout], [22, "qosmap: unrecognized option '--bogus'\n", QOSMAP_USAGE])
    const help = await run('--help')
    assert.deepEqual([help.status, help.stdout], [0, QOSMAP_USAGE])
    assert.equal((await run('--help', '--legacy-exit')).status, 22)
  })

  test('--legacy-exit: the stock status is the size of the last reply after its netlink header', async () => {
    const set = await run('--set-fc', '9', '--dscp', '1', '--mpls_qos', '1', '--dotonep', '1', '--queue', '1', '--legacy-exit')
    assert.equal(set.status, 38, 'a bare vr_response: 4 + 4 + 30 bytes')
    const refused = await run('--get-qos', '77', '--legacy-exit')
    assert.deepEqual([refused.status, refused.stdout], [38, ENOENT])
    const codec = codecFor('current')
    const reply = codec.encodedSize({name: 'vr_response', fields: {h_op: 4, resp_code: 0}}) + codec.encodedSize(req('vr_fc_map_req', {fmr_id: [9], fmr_dscp: [1], fmr_mpls_qos: [1], fmr_dotonep: [1], fmr_queue_id: [1]}))
    assert.equal((await run('--get-fc', '9', '--legacy-exit')).status, (8 + reply) & 0xff)
    assert.equal((await run('--delete-fc', '9')).status, 0)
  })

  test('queue options: no rtnetlink DCB here, said in one line; nothing sent', async () => {
    const vtest = await run('--get-queue', 'lo')
    assert.deepEqual([vtest.status, vtest.stdout, vtest.sent], [2, 'Queue options are valid only for kernel based vRouter\n', []])
    const kernel = await runCliAsync(['qosmap', '--get-queue', 'lo', '--platform', 'kernel'])
    assert.equal(kernel.status, 4)
    assert.match(kernel.stderr, /^qosmap: --get-queue configures DCB through rtnetlink .*\n$/)
    const legacy = await runCliAsync(['qosmap', '--set-queue', 'lo', '--dcbx', 'ieee', '--bw', '50,50', '--strict', '00000000', '--platform', 'kernel', '--legacy-exit'])
    assert.equal(legacy.status, 1)
    assert.match(legacy.stdout, /^Priority Operation\nInterface: +lo\nDCBX: +IEEE\n/)
    assert.equal(legacy.stderr.split('\n').length, 2, 'one line')
    const missing = await run('--get-queue', 'nosuch0')
    assert.deepEqual([missing.status, missing.stdout], [2, 'nosuch0: No such interface exist in the system\n'])
  })

  test('--json validates against the published schemas; --table; errors as JSON', async () => {
    const ajv = new Ajv({allErrors: true, strict: true})
    const check = (schema: string, text: string) => {
      const validate = ajv.compile(JSON.parse(readFileSync(`docs/json/${schema}.schema.json`, 'utf8')) as object)
      assert.ok(validate(JSON.parse(text)), `${schema}: ${ajv.errorsText(validate.errors)}`)
    }
    const fc = await run('--dump-fc', '--json')
    check('qosmap-fc', fc.stdout)
    assert.deepEqual((JSON.parse(fc.stdout) as unknown[])[0], {id: 1, dscp: 10, mpls_qos: 1, dotonep: 1, queue: 1})
    check('qosmap-fc', (await run('--get-fc', '5', '--json')).stdout)
    const qos = await run('--get-qos', '1', '--json')
    check('qosmap-qos', qos.stdout)
    assert.deepEqual(JSON.parse(qos.stdout), [{id: 1, dscp: {10: 1, 18: 2, 46: 5}, mpls_qos: {}, dotonep: {}}])
    check('qosmap-qos', (await run('--dump-qos', '--json')).stdout)
    const missing = await run('--get-fc', '99', '--json')
    assert.equal(missing.status, 3)
    check('errors', missing.stdout)
    check('errors', (await run('--set-fc', '1', '--json')).stdout)
    const table = await run('--dump-fc', '--table')
    assert.equal(table.stdout.split('\n')[1], '│ id │ dscp │ mpls_qos │ dotonep │ queue │')
    assert.ok(table.stdout.split('\n').includes('│ 5  │ 46   │ 5        │ 5       │ 5     │'))
    const qosTable = await run('--dump-qos', '--table')
    // A map's entries are columns of their own (nested keys dotted).
    assert.equal(qosTable.stdout.split('\n')[1], '│ id │ dscp.10 │ dscp.18 │ dscp.46 │')
    assert.ok(qosTable.stdout.split('\n').includes('│ 1  │ 1       │ 2       │ 5       │'))
  })
})
