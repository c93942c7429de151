/** The stock-compatible tools against the running emulator: writes, reads, usage and exit statuses. */
import assert from 'node:assert/strict'
import {after, before, test} from 'node:test'
import {DEMO_SCENARIO} from '../../src/emulator/scenario/demo.js'
import {loadScenario} from '../../src/emulator/scenario/load.js'
import {type Emulator, startEmulator} from '../emulator/harness.js'
import {runCliAsync} from '../cli.js'

let emu: Emulator
before(async () => {
  emu = await startEmulator({state: loadScenario(DEMO_SCENARIO, 'demo')})
})
after(() => emu.close())

const HEADER = 'MPLS Input Label Map\n\n   Label    NextHop\n-------------------\n'

test('mpls: create, get, delete, get again', async () => {
  const sock = ['--sock-dir', emu.dir]
  assert.equal((await runCliAsync(['mpls', '--create', '0x30', '--nh', '21', ...sock])).status, 0)
  const get = await runCliAsync(['mpls', '--get', '48', ...sock])
  assert.deepEqual([get.status, get.stdout], [0, `${HEADER}      48        21\n`])
  assert.equal((await runCliAsync(['mpls', '--delete', '48', ...sock])).status, 0)
  const gone = await runCliAsync(['mpls', '--get', '48', ...sock])
  assert.deepEqual([gone.status, gone.stdout], [3, `${HEADER}vRouter(Response): No such file or directory (2)\n`])
  assert.equal((await runCliAsync(['mpls', '--get', '48', ...sock, '--legacy-exit'])).status, 0, 'the stock tool exits 0 here')
  const json = await runCliAsync(['mpls', '--dump', ...sock, '--json'])
  assert.deepEqual(JSON.parse(json.stdout), [{label: 16, nexthop: 21}, {label: 17, nexthop: 22}, {label: 24, nexthop: 31}, {label: 25, nexthop: 32}])
})

test('mpls: usage, help, bad options', async () => {
  const none = await runCliAsync(['mpls'])
  assert.equal(none.status, 2)
  assert.match(none.stdout, /^Usage: {2}mpls --dump\n/)
  assert.equal((await runCliAsync(['mpls', '--legacy-exit'])).status, 1)
  const help = await runCliAsync(['mpls', '--help'])
  assert.deepEqual([help.status, help.stdout.split('\n')[0]], [0, 'Usage:  mpls --dump'])
  const create = await runCliAsync(['mpls', '--create', '5'])
  assert.match(create.stdout, /^Usage: {6}mpls --create <label> --nh <nh index>/)
  const bogus = await runCliAsync(['mpls', '--bogus'])
  assert.equal(bogus.stderr, "mpls: unrecognized option '--bogus'\n")
  assert.equal(bogus.status, 2)
})

test('no forwarding plane: exit 4 with a reason, or the stock silence with --legacy-exit', async () => {
  const r = await runCliAsync(['mpls', '--dump', '--sock-dir', `${emu.dir}/nowhere`])
  assert.equal(r.status, 4)
  assert.equal(r.stdout, HEADER, 'the header comes before connecting')
  assert.match(r.stderr, /^mpls: cannot connect to .*nowhere\/dpdk_netlink: No such file or directory\n$/)
  const legacy = await runCliAsync(['dropstats', '--sock-dir', `${emu.dir}/nowhere`, '--legacy-exit'])
  assert.deepEqual([legacy.status, legacy.stdout, legacy.stderr], [255, '', ''])
})

test('dropstats: all cores, one core (the line comes twice), debug, clear', async () => {
  const sock = ['--sock-dir', emu.dir]
  const all = await runCliAsync(['dropstats', ...sock])
  assert.equal(all.stdout, `${'Invalid ARP'.padEnd(30)}3\n${'Flow Action Drop'.padEnd(30)}17\n${'Discards'.padEnd(30)}12\n${'TTL Exceeded'.padEnd(30)}2\n${'Invalid NH'.padEnd(30)}1\n`)
  const core = await runCliAsync(['dropstats', '-c', '0', ...sock])
  assert.ok(core.stdout.startsWith('Statistics for core 0\n\nStatistics for core 0\n\n'))
  assert.equal((await runCliAsync(['dropstats', '--debug', ...sock])).stdout, `${'Cloned Original'.padEnd(30)}0\n`)
  const bad = await runCliAsync(['dropstats', '--core', 'x', ...sock, '--legacy-exit'])
  assert.deepEqual([bad.status, bad.stdout.split('\n')[0]], [234, 'Invalid argument x'])
  // --clear counts only when it is the last long option (stock quirk): here it is not.
  assert.equal((await runCliAsync(['dropstats', '--clear', ...sock])).stdout, all.stdout)
  const clear = await runCliAsync(['dropstats', '-s', emu.dir, '--clear'])
  assert.equal(clear.stdout, '\nDropstats counters cleared successfully on all cores \n\n')
  assert.equal((await runCliAsync(['dropstats', ...sock])).stdout, '')
  const json = JSON.parse((await runCliAsync(['dropstats', ...sock, '--json'])).stdout)
  assert.equal(json.counters.discard, 0)
})

test('vif against the demo node: list, get with drop counters, JSON', async () => {
  const sock = ['--sock-dir', emu.dir]
  const list = await runCliAsync(['vif', '--list', ...sock])
  assert.equal(list.status, 0)
  assert.ok(list.stdout.startsWith('Vrouter Interface Table\n\nFlags: P=Policy'))
  assert.match(list.stdout, /\nvif0\/3 {6}PMD: tapa1b2c3d4-e5 NH: 21\n {12}Type:Virtual HWaddr:00:00:5e:00:01:00 IPaddr:10\.1\.1\.5\n/)
  const get = await runCliAsync(['vif', '--get', '3', '--get-drop-stats', ...sock])
  assert.match(get.stdout, /\nInvalid ARP {19}3\nFlow Action Drop {14}17\n$/)
  const bad = await runCliAsync(['vif', '--get', '3x', ...sock])
  assert.deepEqual([bad.status, bad.stdout], [2, 'Invalid arguments for vif --get \n'])
  const json = JSON.parse((await runCliAsync(['vif', '--list', ...sock, '--json'])).stdout)
  assert.deepEqual(json.map((v: {name: string}) => v.name), ['eth0', 'vhost0', 'pkt0', 'tapa1b2c3d4-e5', 'tapb2c3d4e5-f6', 'tapc3d4e5f6-a7', 'tapd4e5f6a7-b8'])
})

test('nh --get of an ECMP composite shows its members too; rt --get masks to the matching route', async () => {
  const sock = ['--sock-dir', emu.dir]
  const nh = await runCliAsync(['nh', '--get', '40', ...sock])
  assert.deepEqual(nh.stdout.match(/^Id:\d+/gm), ['Id:40', 'Id:21', 'Id:10'])
  assert.match(nh.stdout, /Sub NH\(label\): 21 10\(38\)\n/)
  const rt = await runCliAsync(['rt', '--get', '10.1.2.77/32', '--vrf', '2', ...sock])
  assert.equal(rt.status, 0)
  assert.equal(rt.stdout.split('\n')[0], 'Match 10.1.2.77/32 in vRouter inet4 table 0/2/unicast')
  // PPL is the request's rtr_replace_plen echoed (rt sends 0), as on a real vRouter.
  assert.match(rt.stdout, /\n10\.1\.2\.0\/24 {13}0 {12}L {9}38 {13}10 {8}-\n$/)
  const dump = await runCliAsync(['rt', '--dump', '2', ...sock])
  assert.ok(dump.stdout.split('\n').length > 700, 'trie leaves, not configured routes')
  assert.match(dump.stdout, /\n10\.1\.1\.5\/32 {12}32 {12}P {10}- {13}21 {8}-\n/)
})

test('vrouter --info prints the stock report; knobs change one setting and leave the rest', async () => {
  const sock = ['--sock-dir', emu.dir]
  const info = await runCliAsync(['vrouter', '--info', ...sock])
  assert.equal(info.status, 0)
  const lines = info.stdout.split('\n')
  assert.equal(lines[0], 'vRouter module version       0.1.0 (Built by vrouter-utils@emulator on 2026-11-27 00:00:00.000000)')
  assert.ok(lines.includes(`${'    Interfaces limit'.padEnd(41)}4355`))
  assert.ok(lines.includes('    Vrouter pkt drop log buf size   \t  200'))
  assert.ok(lines.includes(`${'    Flow hold limit:'.padEnd(41)}1000`))
  assert.equal((await runCliAsync(['vrouter', '--flow_hold', '512', ...sock])).status, 0, 'abbreviated, as getopt allows')
  const after = (await runCliAsync(['vrouter', '--info', ...sock])).stdout.split('\n')
  assert.ok(after.includes(`${'    Flow hold limit:'.padEnd(41)}1`), 'an on/off knob: any value of 1 or more is 1')
  assert.ok(after.includes(`${'    GRO'.padEnd(41)}1`), 'knobs not given stay as they were')
  const both = await runCliAsync(['vrouter', '--info', '--perfr', '0', ...sock])
  assert.deepEqual([both.status, both.stdout], [0, ''], 'a knob is no "set option" to the stock check: the last option makes an ADD')
})

test('a link named after a tool is that tool', async () => {
  const {symlinkSync, mkdtempSync, rmSync} = await import('node:fs')
  const {tmpdir} = await import('node:os')
  const {join} = await import('node:path')
  const {spawn} = await import('node:child_process')
  const {ROOT} = await import('../helpers.js')
  const dir = mkdtempSync(join(tmpdir(), 'links-'))
  try {
    symlinkSync(join(ROOT, 'bin/run.js'), join(dir, 'mpls'))
    // Not spawnSync: this process serves the tool's requests.
    const child = spawn(process.execPath, [join(dir, 'mpls'), '--dump', '--sock-dir', emu.dir])
    let stdout = ''
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()))
    const status = await new Promise((resolve) => child.on('close', resolve))
    const r = {status, stdout}
    assert.equal(r.status, 0)
    assert.match(r.stdout, /^MPLS Input Label Map\n\n {3}Label {4}NextHop\n-{19}\n {6}16 {8}21\n/)
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
})
