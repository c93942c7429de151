/**
 * mpls, vxlan and mirror share the stock command line: the option walk (order matters, the first fault wins) and,
 * against the running emulator, the requests they send and the round trips of their writes.
 */
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {test} from 'node:test'
import {Ajv} from 'ajv'
import {type OptionTable, getopt} from '../../src/cli/legacy/getopt.js'
import {NEXTHOP_OPTION, walkIndexedOptions} from '../../src/cli/legacy/indexed-tool.js'
import {runCliAsync} from '../cli.js'
import {useDemoEmulator} from './demo-emulator.js'

const TABLE: OptionTable = {
  long: [
    ...['cmd', 'dump', 'help'].map((name) => ({name, arg: 'none' as const, id: name})),
    ...['create', 'delete', 'get', 'nh', 'sock-dir'].map((name) => ({name, arg: 'required' as const, id: name})),
  ],
  short: 'bcdgn:l:s:',
  shortIds: {b: 'short-dump', c: 'short-create', d: 'short-delete', g: 'short-get', n: 'nh', l: 'index', s: 'sock-dir'},
}
const walk = (...argv: string[]) => {
  const w = walkIndexedOptions(getopt('vxlan', argv, TABLE), {defaultIndex: 0, valueOptions: [NEXTHOP_OPTION], createNeeds: ['nh']})
  return 'fault' in w ? w.fault : {verb: w.ok.verb, index: w.ok.index, nexthop: w.ok.values.get('nh') ?? 0}
}

test('option walk: verbs, values and the stock faults in command-line order', () => {
  assert.deepEqual(walk('--get', '0x10'), {verb: 'get', index: 16, nexthop: 0})
  assert.deepEqual(walk('--create', '5', '--nh', '7'), {verb: 'create', index: 5, nexthop: 7})
  assert.deepEqual(walk('-c', '-n', '7'), {verb: 'create', index: 0, nexthop: 7}, 'short verbs act on the default index')
  assert.deepEqual(walk('-b'), {verb: 'dump', index: 0, nexthop: 0})
  assert.deepEqual(walk('--get', '-1'), {verb: 'get', index: -1, nexthop: 0}, 'strtoul wraps to the int')
  assert.equal(walk(), 'usage')
  assert.equal(walk('--create', '5'), 'command-usage', 'create needs --nh')
  assert.equal(walk('-b', '-l', '3'), 'command-usage', 'the index option never validates')
  assert.equal(walk('-b', '-g'), 'usage', 'a second short verb')
  assert.equal(walk('--dump', '--get', '1'), 'usage', 'two long verbs')
  assert.equal(walk('--cmd', '--help'), 'command-usage', 'first fault wins')
  assert.equal(walk('--help', '--cmd'), 'help')
  assert.equal(walk('--dump', '-x'), 'usage')
})

const demo = useDemoEmulator()
const run = (...argv: string[]) => demo.run(argv)

const VXLAN_HEADER = 'VXLAN Table\n\n VNID    NextHop\n----------------\n'

test('vxlan: create, get, dump, delete against the emulator; the requests as the stock tool fills them', async () => {
  const create = await run('vxlan', '--create', '700', '--nh', '21')
  assert.equal(create.status, 0)
  assert.deepEqual(create.sent, [{name: 'vr_vxlan_req', h_op: 0, vxlanr_rid: 0, vxlanr_vnid: 700, vxlanr_nhid: 21}])
  const get = await run('vxlan', '--get', '700')
  assert.deepEqual([get.status, get.stdout], [0, `${VXLAN_HEADER}    700    21\n`])
  const dump = await run('vxlan', '--dump', '--json')
  assert.ok((JSON.parse(dump.stdout) as {vnid: number}[]).some((e) => e.vnid === 700))
  assert.equal(dump.sent[0].vxlanr_vnid, 0, 'a dump starts at marker 0')
  assert.equal((await run('vxlan', '--delete', '700')).status, 0)
  const gone = await run('vxlan', '--get', '700')
  assert.deepEqual([gone.status, gone.stdout], [3, `${VXLAN_HEADER}vRouter(Response): No such file or directory (2)\n`])
  const badNexthop = await run('vxlan', '--create', '701', '--nh', '4000')
  assert.deepEqual([badNexthop.status, badNexthop.stdout], [3, 'vRouter(Response): Invalid argument (22)\n'])
})

test('mirror: create with VNI and --dyn, get, delete; usage and help exits', async () => {
  const create = await run('mirror', '--create', '5', '--nh', '21', '--vni', '5001', '--dyn')
  assert.equal(create.status, 0)
  assert.deepEqual(
    [create.sent[0].mirr_index, create.sent[0].mirr_nhid, create.sent[0].mirr_flags, create.sent[0].mirr_vni],
    [5, 21, 1, 5001],
  )
  const get = await run('mirror', '--get', '5')
  assert.equal(get.status, 0)
  assert.equal(get.stdout.split('\n').at(-2), '    5         21       D       5001       0')
  const plain = await run('mirror', '--create', '6', '--nh', '21')
  assert.equal(plain.sent[0].mirr_vni, -1, 'no --vni sends -1')
  const json = await run('mirror', '--dump', '--json')
  assert.deepEqual((JSON.parse(json.stdout) as {index: number}[]).map((e) => e.index).filter((i) => i >= 5), [5, 6])
  assert.equal(json.sent[0].mirr_marker, -1, 'a dump starts at marker -1')
  assert.equal((await run('mirror', '--delete', '5')).status, 0)
  assert.equal((await run('mirror', '--delete', '6')).status, 0)
  const none = await run('mirror')
  assert.deepEqual([none.status, none.stdout.split('\n')[0], none.sent.length], [2, 'Usage:  mirror --dump', 0])
  const legacy = await run('mirror', '--cmd', '--legacy-exit')
  assert.deepEqual([legacy.status, legacy.stdout.split('\n')[0]], [1, 'Usage:      mirror --create <index> --nh <nh index> --vni <vxlan id> --dyn'])
})

test('vrftable: create needs both HBS sides; create, get, delete round trip', async () => {
  const half = await run('vrftable', '--create', '9', '--hbs-l', '1')
  assert.deepEqual([half.status, half.stdout.split('\n')[0], half.sent.length], [2, 'Usage:      vrftable --create <vrf_idx> --hbs-l <vif index> --hbs-r <vif idx>', 0])
  const create = await run('vrftable', '--create', '9', '--hbs-l', '1', '--hbs-r', '2')
  assert.equal(create.status, 0)
  assert.deepEqual([create.sent[0].vrf_idx, create.sent[0].vrf_flags, create.sent[0].vrf_hbfl_vif_idx, create.sent[0].vrf_hbfr_vif_idx], [9, 7, 1, 2])
  const get = await run('vrftable', '--get', '9', '--json')
  assert.deepEqual(JSON.parse(get.stdout), {vrf: 9, valid: true, hbs_left: 1, hbs_right: 2}, 'a get is one object')
  assert.equal((await run('vrftable', '--delete', '9')).status, 0)
  const gone = await run('vrftable', '--get', '9')
  assert.equal(gone.status, 3)
})

test('vrfstats: dump pages by VRF with family AF_INET; long options only, usage exit 234 with --legacy-exit', async () => {
  const dump = await demo.run(['vrfstats', '--dump', '--socket', demo.emulator.path], {sockDir: false})
  assert.equal(dump.status, 0)
  assert.match(dump.stdout, /^Vrf: 2\nDiscards \d+, Resolves/)
  const first = dump.sent[0]
  assert.deepEqual([first.h_op, first.vsr_family, first.vsr_marker], [3, 2, -1])
  const get = await runCliAsync(['vrfstats', '--get', '3', '--socket', demo.emulator.path, '--json'])
  assert.equal((JSON.parse(get.stdout) as {vrf: number}).vrf, 3)
  const short = await runCliAsync(['vrfstats', '-d', '--legacy-exit'])
  assert.deepEqual([short.status, short.stderr, short.stdout.split('\n')[0]], [234, "vrfstats: invalid option -- 'd'\n", 'Usage: vrfstats --get <vrf>'])
  assert.equal((await runCliAsync(['vrfstats', '--get', '1', '--dump'])).status, 2)
})

test('vrmemstats: one GET; --help is ignored as by the stock tool; other options give its usage (234 legacy)', async () => {
  const r = await demo.run(['vrmemstats', '--help', '--socket', demo.emulator.path], {sockDir: false})
  assert.equal(r.status, 0)
  assert.match(r.stdout, /^vRouter memory usage statistics\n\nAlloced \d+ Freed \d+\n/)
  assert.deepEqual(r.sent.map((o) => [o.name, o.h_op]), [['vr_mem_stats_req', 1]])
  const json = await runCliAsync(['vrmemstats', '--json', '--socket', demo.emulator.path])
  assert.equal(typeof (JSON.parse(json.stdout) as {interface_object: number}).interface_object, 'number')
  const nonzero = await runCliAsync(['vrmemstats', '--nonzero', '--socket', demo.emulator.path])
  const all = r.stdout.split('\n').slice(5, -1)
  assert.deepEqual(nonzero.stdout.split('\n').slice(5, -1), all.filter((line) => !line.endsWith(' 0')), 'the same lines, less those of zero')
  assert.ok(nonzero.stdout.split('\n').length < r.stdout.split('\n').length && nonzero.stdout.includes('\nInterface '))
  const nonzeroJson = JSON.parse((await runCliAsync(['vrmemstats', '--nonzero', '--json', '--socket', demo.emulator.path])).stdout) as Record<string, number>
  assert.deepEqual(Object.entries(nonzeroJson).filter(([k, v]) => v === 0 && k !== 'freed'), [])
  assert.equal(nonzeroJson.interface_object, (JSON.parse(json.stdout) as {interface_object: number}).interface_object)
  const bad = await runCliAsync(['vrmemstats', '--all', '--legacy-exit'])
  assert.deepEqual([bad.status, bad.stdout], [234, 'Usage: memstats [--help]\n'])
})

test('errors under --json are one JSON object on stdout, with the truthful exit status', async () => {
  const missing = await run('vxlan', '--get', '4242', '--json')
  assert.equal(missing.status, 3)
  assert.deepEqual(JSON.parse(missing.stdout), {error: {kind: 'vrouter', message: 'vRouter(Response): No such file or directory (2)', errno: 2, errno_name: 'ENOENT'}})
  const usage = await run('mirror', '--create', '1', '--json')
  assert.equal(usage.status, 2)
  assert.equal((JSON.parse(usage.stdout) as {error: {kind: string}}).error.kind, 'usage')
  const nowhere = await runCliAsync(['vrftable', '--dump', '--sock-dir', `${demo.emulator.dir}/nowhere`, '--json'])
  assert.equal(nowhere.status, 4)
  assert.equal((JSON.parse(nowhere.stdout) as {error: {code: string}}).error.code, 'NO_SERVER')
})

test('--json output and --json errors validate against the published schemas (docs/json)', async () => {
  const ajv = new Ajv({allErrors: true, strict: true})
  const check = (schema: string, text: string) => {
    const validate = ajv.compile(JSON.parse(readFileSync(`docs/json/${schema}.schema.json`, 'utf8')) as object)
    assert.ok(validate(JSON.parse(text)), `${schema}: ${ajv.errorsText(validate.errors)}`)
  }
  assert.equal((await run('vrftable', '--create', '8', '--hbs-l', '1', '--hbs-r', '2')).status, 0)
  assert.equal((await run('mirror', '--create', '4', '--nh', '21', '--vni', '77', '--dyn')).status, 0)
  for (const tool of ['mpls', 'vxlan', 'mirror', 'vrftable']) check(tool, (await run(tool, '--dump', '--json')).stdout)
  check('vrfstats', (await runCliAsync(['vrfstats', '--dump', '--json', '--socket', demo.emulator.path])).stdout)
  check('vrmemstats', (await runCliAsync(['vrmemstats', '--json', '--socket', demo.emulator.path])).stdout)
  check('vrmemstats', (await runCliAsync(['vrmemstats', '--json', '--nonzero', '--socket', demo.emulator.path])).stdout)
  check('errors', (await run('mpls', '--get', '4242', '--json')).stdout)
  check('errors', (await run('mpls', '--json')).stdout)
  check('errors', (await runCliAsync(['mpls', '--dump', '--json', '--sock-dir', `${demo.emulator.dir}/nowhere`])).stdout)
  assert.equal((await run('vrftable', '--delete', '8')).status, 0)
  assert.equal((await run('mirror', '--delete', '4')).status, 0)
})

test('--table on the real command: no stock header, one row per entry', async () => {
  const r = await run('vxlan', '--dump', '--table')
  assert.equal(r.status, 0)
  assert.ok(!r.stdout.includes('VXLAN Table'))
  assert.match(r.stdout.split('\n')[1], /^│ vnid +│ nexthop │$/)
  assert.ok(r.stdout.split('\n').some((l) => /^│ 4097 +│ 21 +│$/.test(l)))
})
