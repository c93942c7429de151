/**
 * vrouter's logging options and runtime knobs against the running emulator: the vrouter_ops requests as the stock
 * tool fills them (decoded as the emulator received them), set-then-get round trips, the platform checks and faults.
 */
import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, test} from 'node:test'
import {Ajv} from 'ajv'
import {useDemoEmulator} from './demo-emulator.js'

const demo = useDemoEmulator()
let dir: string
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'agent-conf-'))
  writeFileSync(join(dir, 'dpdk.conf'), '[DEFAULT]\nplatform=dpdk\n')
  writeFileSync(join(dir, 'nic.conf'), '[DEFAULT]\nplatform=nic\n')
})
after(() => rmSync(dir, {recursive: true, force: true}))

/** vrouter against the emulator with the agent config `config` (none by default: the kernel platform). */
async function run(argv: string[], config = 'none.conf') {
  const r = await demo.run(['vrouter', ...argv], {env: {VROUTER_UTILS_CONFIG: join(dir, config)}})
  return {...r, sent: r.received.map((o) => o.fields as Record<string, unknown>)}
}
const dpdk = (...argv: string[]) => run(argv, 'dpdk.conf')

const KNOBS = ['perfr', 'perfs', 'from_vm_mss_adj', 'to_vm_mss_adj', 'perfr1', 'perfr2', 'perfr3', 'perfp', 'perfq1', 'perfq2', 'perfq3', 'udp_coff', 'flow_hold_limit', 'mudp']
const pick = (sent: Record<string, unknown>, keys: string[]) => keys.map((k) => sent[`vo_${k}`])

test('--set-log-level and --enable-log-type: one ADD with the logging fields, the knobs unchanged (-1), burst and tagging 0', async () => {
  const r = await dpdk('--set-log-level', 'debug', '--enable-log-type', 'uvhost', '--enable-log-type', 'dpcore', '--enable-log-type', 'uvhost', '--disable-log-type', 'usock')
  assert.deepEqual([r.status, r.stdout, r.sent.length], [0, '', 1])
  const s = r.sent[0]
  assert.deepEqual(pick(s, ['log_level', 'log_type_enable', 'log_type_disable']), [8, [4, 8], [2]])
  assert.deepEqual(pick(s, [...KNOBS, 'packet_dump']), new Array(15).fill(-1))
  assert.deepEqual([s.h_op, ...pick(s, ['burst_tokens', 'burst_interval', 'burst_step', 'priority_tagging', 'rid'])], [0, 0, 0, 0, 0, 0])
  const get = await dpdk('--get-log-level', '--get-enabled-log-types')
  assert.deepEqual([get.status, get.stdout], [0, `${'Current log level'.padEnd(41)}debug\n${'Enabled log types'.padEnd(41)}vrouter uvhost dpcore \n`])
  assert.deepEqual([get.sent[0].h_op, get.sent[0].vo_log_level, get.sent[0].vo_perfr], [1, 0, 0], 'a GET is all zeros')
  assert.equal((await dpdk('--get-enabled-log-types')).stdout, `${'Enabled log types'.padEnd(41)}vrouter uvhost dpcore \n`)
})

test('the stock quirks: an unknown type is sent as 0; --disable-log-type alone sends the knobs, nothing disabled', async () => {
  const unknown = await dpdk('--enable-log-type', 'bogus')
  assert.deepEqual([unknown.status, unknown.sent[0].vo_log_type_enable], [0, [0]])
  const alone = await dpdk('--disable-log-type', 'vrouter')
  assert.deepEqual([alone.sent[0].vo_log_type_disable, alone.sent[0].vo_perfr, alone.sent[0].vo_burst_tokens], [[], -1, -1])
  assert.equal((await dpdk('--get-enabled-log-types')).stdout, `${'Enabled log types'.padEnd(41)}vrouter uvhost dpcore \n`)
  await dpdk('--set-log-level', 'info', '--disable-log-type', 'vrouter', '--disable-log-type', 'uvhost', '--disable-log-type', 'dpcore')
  assert.equal((await dpdk('--get-enabled-log-types')).stdout, `${'Enabled log types'.padEnd(41)}none\n\n`, 'none, then an empty line')
  const json = await dpdk('--get-log-level', '--get-enabled-log-types', '--json')
  const value = JSON.parse(json.stdout) as unknown
  assert.ok(new Ajv({strict: true}).compile(JSON.parse(readFileSync('docs/json/vrouter-log.schema.json', 'utf8')))(value))
  assert.deepEqual(value, {log_level: 'info', enabled_log_types: []})
  await dpdk('--enable-log-type', 'vrouter', '--enable-log-type', 'usock', '--enable-log-type', 'uvhost', '--enable-log-type', 'dpcore')
})

test('--info on DPDK: the DPDK build line and the logging lines', async () => {
  const info = await dpdk('--info')
  const lines = info.stdout.split('\n')
  assert.ok(lines[0].startsWith('vRouter/DPDK version         0.1.0 (Built by'))
  assert.deepEqual(lines.slice(-3), [`${'Current log level'.padEnd(41)}info`, `${'Enabled log types'.padEnd(41)}vrouter usock uvhost dpcore `, ''])
  const nic = await run(['--info'], 'nic.conf')
  assert.ok(nic.stdout.startsWith('vRouter module version ') && !nic.stdout.includes('Current log level'), 'nic is not DPDK to the stock tool')
})

test('logging options off DPDK, kernel knobs off the kernel: refused by name and platform, nothing sent', async () => {
  const kernel = await run(['--get-log-level'])
  assert.deepEqual([kernel.status, kernel.stdout.split('\n').slice(0, 3), kernel.sent], [2, ['Error: get-log-level option not supported on (null) platform', 'Usage:', 'vrouter --info | --help'], []])
  assert.equal((await run(['--set-log-level', 'debug', '--legacy-exit'])).status, 1)
  const perfr = await dpdk('--perfr', '1')
  assert.deepEqual([perfr.status, perfr.stdout.split('\n').slice(0, 3), perfr.sent], [2, ['Error: perfr option not supported on dpdk platform', 'Usage:', 'vrouter ([--info] [--get-log-level] [--get-enabled-log-types]) | --help'], []])
  const forced = await run(['--get-enabled-log-types', '--platform', 'nic'])
  assert.equal(forced.stdout.split('\n')[0], 'Error: get-enabled-log-types option not supported on nic platform')
})

test('bad values: the stock messages and usage, nothing sent', async () => {
  const level = await dpdk('--set-log-level', 'loud')
  assert.deepEqual([level.status, level.stdout.split('\n').slice(0, 3), level.sent], [2, ["vrouter: Invalid log level: 'loud'", '', 'Usage:'], []])
  const range = await run(['--perfq1', '99999999999999999999'])
  assert.deepEqual([range.status, range.stdout.split('\n')[0], range.sent], [2, 'vrouter: Error parsing perfq1: 99999999999999999999: Numerical result out of range (34)', []])
  const tagging = await run(['--set-priority-tagging', '-99999999999999999999'])
  assert.deepEqual([tagging.stdout.split('\n')[0], tagging.sent], ['vrouter: Error parsing priority tagging configurationUsage:', []])
  const both = await dpdk('--get-log-level', '--set-log-level', 'info')
  assert.deepEqual([both.status, both.stdout.split('\n')[0], both.sent], [2, 'vrouter: Can not use both get AND set options together', []])
  const none = await run([])
  assert.deepEqual([none.status, none.stdout.split('\n')[0], none.sent], [2, 'Usage:', []])
  const help = await dpdk('--help')
  assert.equal(help.status, 0)
  const levels = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'info', 'debug']
  assert.ok(help.stdout.endsWith(`--help Prints this message\n\n<type> is one of:\n    vrouter\n    usock\n    uvhost\n    dpcore\n\n<level> is one of:\n${levels.map((l) => `    ${l}\n`).join('')}\n`))
  const json = await dpdk('--set-log-level', 'loud', '--json')
  assert.equal((JSON.parse(json.stdout) as {error: {kind: string}}).error.kind, 'usage')
})

test('knobs: on/off ones send 1 for any value of 1 or more, the others as C reads them; the last option decides GET or ADD', async () => {
  const r = await run(['--flow_hold', '512', '--perfr', '7', '--perfq1', '0x10', '--burst_tokens', '-3', '--set-priority-tagging', '-1', '--mudp', '4294967296'])
  assert.equal(r.status, 0)
  assert.deepEqual(pick(r.sent[0], ['flow_hold_limit', 'perfr', 'perfq1', 'burst_tokens', 'priority_tagging', 'mudp', 'perfs', 'burst_step', 'packet_dump', 'log_level']), [1, 1, 16, -3, 1, 0, -1, -1, -1, 0])
  const info = (await run(['--info'])).stdout.split('\n')
  assert.ok(info.includes(`${'    Flow hold limit:'.padEnd(41)}1`))
  assert.ok(info.includes(`${'    CPU to send pkts to, if perfr1 set'.padEnd(41)}16`))
  const add = await run(['--info', '--mudp', '1'])
  assert.deepEqual([add.status, add.stdout, add.sent[0].h_op], [0, '', 0], 'an ADD: nothing to print')
  const get = await run(['--mudp', '1', '--info'])
  assert.deepEqual([get.sent[0].h_op, get.stdout.split('\n')[2]], [1, 'Startup parameters'])
  const operand = await run(['now'])
  assert.deepEqual([operand.status, operand.stdout, operand.sent], [0, '', []], 'no option: the stock tool connects and sends nothing')
})
