/**
 * The emulator's shared tables end to end: the demo's flows (IPv4 and IPv6, forward, drop, NAT, hold, a reverse pair,
 * an overflow chain) and bridge entries, read by the real `flow` and `rt --family bridge` from the table files the
 * emulator keeps in the real byte layout; golden text (UPDATE_GOLDEN=1 rewrites it), JSON against its schema, and
 * changes made over ksync showing in the table at once.
 */
import assert from 'node:assert/strict'
import {readFileSync, statSync, writeFileSync} from 'node:fs'
import {after, before, test} from 'node:test'
import {Ajv} from 'ajv'
import {DEMO_SCENARIO} from '../../src/emulator/scenario/demo.js'
import {loadScenario} from '../../src/emulator/scenario/load.js'
import {type Emulator, startEmulator} from '../emulator/harness.js'
import {runCliAsync} from '../cli.js'
import {GOLDEN} from '../helpers.js'

let emu: Emulator
before(async () => {
  emu = await startEmulator({state: loadScenario(DEMO_SCENARIO, 'demo')})
})
after(() => emu.close())

const run = async (...argv: string[]) => {
  const r = await runCliAsync([...argv, '--sock-dir', emu.dir])
  assert.equal(r.status, 0, `${argv.join(' ')}: ${r.stdout}${r.stderr}`)
  return r.stdout
}

function golden(name: string, text: string): void {
  const path = `${GOLDEN}/flow/${name}`
  if (process.env.UPDATE_GOLDEN) writeFileSync(path, text)
  assert.equal(text, readFileSync(path, 'utf8'), name)
}

const ajv = new Ajv({allErrors: true, strict: true})
function check(schema: string, value: unknown): void {
  const validate = ajv.compile(JSON.parse(readFileSync(`docs/json/${schema}.schema.json`, 'utf8')))
  assert.ok(validate(value), `${schema}: ${ajv.errorsText(validate.errors)}`)
}

test('the table files: the real sizes (524,288 + 105,472 flows, 262,144 + 53,248 bridge entries), beside the socket', async () => {
  await run('flow', '-l', '--match', 'vrf 9')
  await run('rt', '--dump', '9', '--family', 'bridge')
  assert.equal(statSync(`${emu.dir}/flow.shmem`).size, 161218560)
  assert.equal(statSync(`${emu.dir}/bridge.shmem`).size, 315392 * 64)
})

test('flow -l: every demo flow in slot order, the overflow chain of the shared bucket, the counters', async () => {
  const list = await run('flow', '-l')
  golden('demo-list.txt', list)
  assert.ok(list.startsWith('Flow table(size 161218560, entries 629760)\n\nEntries: Created 1 Added 12 Deleted 0 Changed 0Processed 0 Used Overflow entries 3\n(Created Flows/CPU: 0 1)(oflows 0)\n'))
  assert.match(list, /\n {4}91699 {16}10\.1\.1\.5:40139 .*\n.*\n.*\n.*\n {5}Oflow entries:\n\t 524290 524289 524288\n\n/, 'the chain of the last slot of the bucket, newest first')
  assert.match(list, /\n {3}108136<=>239248 {7}10\.1\.1\.5:40000 {38}6 \(2\)\n/)
  assert.match(list, /Action:D\(Policy\)/)
  assert.match(list, /Action:N\(DPdL\)/)
  assert.match(list, /Action:H, /)
})

test('flow --match, and JSON that validates against docs/json/flow.schema.json', async () => {
  golden('demo-match.txt', await run('flow', '--match', '10.1.1.6:80 & proto tcp'))
  const flows = JSON.parse(await run('flow', '-l', '--json')) as {index: number; family: string; action: string}[]
  check('flow', flows)
  assert.equal(flows.length, 12)
  assert.deepEqual([...new Set(flows.map((f) => f.action))].sort(), ['DROP', 'FORWARD', 'HOLD', 'NAT'])
  assert.ok(flows.some((f) => f.family === 'inet6'))
  check('flow', JSON.parse(await run('flow', '--get', '108136', '--json')))
  const v6 = await run('flow', '--match', '[fd00:10:1:2::7]:53')
  assert.match(v6, /Listing flows matching \(\[fd00:10:1:2::7\]:53\)\n\n/)
  assert.ok(v6.includes(`    90752                fd00:10:1:1::5:5353${' '.repeat(32)}17 (2)\n${' '.repeat(25)}fd00:10:1:2::7:53       \n`))
})

test('rt --dump --family bridge: the stock text and JSON from the bridge table file', async () => {
  const text = await run('rt', '--dump', '2', '--family', 'bridge')
  golden('demo-bridge.txt', text)
  assert.equal(text.split('\n').length, 3 + 3 + 1)
  const json = JSON.parse(await run('rt', '--dump', '2', '--family', 'bridge', '--json')) as {mac: string; label: number | null}[]
  check('rt-bridge', json)
  assert.deepEqual(json.map((e) => [e.mac, e.label]).sort(), [['0:0:5e:0:1:0', null], ['0:0:5e:0:1:1', null], ['0:0:5e:0:9:1', 40]])
  // A route added over ksync is in the table at once (-x 2: the bridge's own label-valid bit; -t alone sets the route's).
  await run('rt', '-c', '-f', '1', '-v', '2', '-e', '02:aa:bb:cc:dd:01', '-n', '21', '-t', '25', '-x', '2')
  assert.match(await run('rt', '--dump', '2', '--family', 'bridge', '--pread'), /\n\d+ +2:aa:bb:cc:dd:1 {14}L {19}25 {11}21 {15}0\n/)
})

test('flow -d, -f, -i over ksync: the table changes at once; the stock checks of a FLOW_SET', async () => {
  // 524289 is in the middle of the chain: drop it, then delete it (the chain closes up).
  await run('flow', '-d', '524289')
  assert.match(await run('flow', '--get', '524289'), /Flow Action: {18}DROP: {30}Unknown\n/)
  await run('flow', '-f', '524289')
  assert.match(await run('flow', '--get', '524289'), /Flow Action: {18}FORWARD\n/)
  await run('flow', '-i', '524289')
  assert.equal(await run('flow', '--get', '524289'), 'Flow index 524289 is not active\n')
  assert.match(await run('flow', '-l'), /\n\t 524290 524288\n\n/)
  assert.match(await run('flow', '-l'), /Deleted 1 Changed 3Processed 0 /)
  // An inactive slot: no request at all (the stock tool sends none for a slot without a flow).
  const before = emu.requests()
  await run('flow', '-d', '5')
  assert.equal(emu.requests(), before + 1, 'only the table-data request')
})

test('-p N: the stock flow-setup benchmark makes N HOLD flows, then their reverse flows and sets both FORWARD', async () => {
  const before = JSON.parse(await run('flow', '-l', '--json')) as {protocol: number}[]
  const text = await run('flow', '-p', '40', '-b', '4')
  assert.match(text, /^Created 40 HOLD entries in \d+ msec\nCreated 40 HOLD and 40 FWD entries in \d+ msec\n$/)
  const flows = (JSON.parse(await run('flow', '-l', '--json')) as {protocol: number; action: string; source: string; destination: string; source_port: number; destination_port: number}[]).filter((f) => f.protocol === 255)
  assert.equal(before.filter((f) => f.protocol === 255).length, 0)
  assert.equal(flows.length, 80)
  assert.ok(flows.every((f) => f.action === 'FORWARD'), 'every HOLD flow was set FORWARD by its index and generation')
  const forward = flows.filter((f) => f.source === '1.1.1.1')
  assert.deepEqual(forward.map((f) => [f.source_port, f.destination_port]).sort((a, b) => a[1] - b[1]).slice(0, 2), [[1000, 0], [1000, 1]])
  assert.equal(flows.filter((f) => f.source === '2.2.2.2' && f.destination === '1.1.1.1').length, 40)
})
