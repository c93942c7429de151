/**
 * The structured modes every tool shares: --json (array for lists, object for gets), --json=ndjson, --table with
 * --columns (nested keys dotted) and colour only when it is wanted (never under --no-color or NO_COLOR).
 */
import assert from 'node:assert/strict'
import {after, before, test} from 'node:test'
import {DEMO_SCENARIO} from '../../src/emulator/scenario/demo.js'
import {loadScenario} from '../../src/emulator/scenario/load.js'
import {tableText} from '../../src/lib/render/table.js'
import {type Emulator, startEmulator} from '../emulator/harness.js'
import {runCliAsync} from '../cli.js'

let emu: Emulator
before(async () => {
  emu = await startEmulator({state: loadScenario(DEMO_SCENARIO, 'demo')})
})
after(() => emu.close())

const run = (argv: string[], env: Record<string, string | undefined> = {}) => runCliAsync([...argv, '--sock-dir', emu.dir], {env})
const ESC = '\x1b['

test('table renderer: nested objects become dotted columns, --columns picks and orders, a painter colours the head', () => {
  const rows = [{index: 1, rx: {packets: 5, bytes: 50}, flags: ['P', 'L3']}, {index: 2, rx: {packets: 7, bytes: 70}, flags: []}]
  const all = tableText(rows)
  assert.match(all.split('\n')[1], /^│ index │ rx\.packets │ rx\.bytes │ flags +│$/)
  assert.match(all, /│ 1 +│ 5 +│ 50 +│ P,L3 +│/)
  const picked = tableText(rows, {columns: ['rx.bytes', 'index'], paintHead: (t) => `<${t}>`})
  assert.match(picked.split('\n')[1], /^│ <rx\.bytes> │ <index> │$/)
})

test('--json=ndjson: one object per line as the dump comes; --json: an object for a get', async () => {
  const nd = await run(['nh', '--list', '--json=ndjson'])
  assert.equal(nd.status, 0)
  const lines = nd.stdout.trimEnd().split('\n')
  assert.equal(lines.length, 11)
  assert.ok(lines.every((l) => typeof (JSON.parse(l) as {id: number}).id === 'number'))
  const get = await run(['mpls', '--get', '16', '--json'])
  assert.deepEqual(JSON.parse(get.stdout), {label: 16, nexthop: 21})
  const one = await run(['vif', '--get', '3', '--json=ndjson'])
  assert.equal(one.stdout.split('\n').length, 2, 'one line')
  const bad = await run(['mpls', '--dump', '--json=xml'])
  assert.deepEqual([bad.status, bad.stderr], [2, "mpls: --json takes no value or 'ndjson', not 'xml'\n"])
})

test('--table and --columns on lists and gets; an unknown column is named, with the ones there are', async () => {
  const vif = await run(['vif', '--list', '--table', '--columns', 'index,name,rx.packets'])
  assert.equal(vif.status, 0)
  assert.match(vif.stdout.split('\n')[1], /^│ index │ name +│ rx\.packets │$/)
  assert.equal(vif.stdout.split('\n').filter((l) => /^│ \d/.test(l)).length, 7)
  assert.ok(!vif.stdout.includes('Vrouter Interface Table'), 'no stock legend')
  const rt = await run(['rt', '--get', '10.1.2.77/32', '--vrf', '2', '--table'])
  assert.match(rt.stdout, /│ 10\.1\.2\.0\/24 │/)
  const typo = await run(['vif', '--list', '--table', '--columns', 'index,nmae'])
  assert.equal(typo.status, 2)
  assert.match(typo.stderr, /^vif: no column 'nmae'; the columns are index, name, type, /)
  const orphan = await run(['vif', '--list', '--columns', 'index'])
  assert.deepEqual([orphan.status, orphan.stderr], [2, 'vif: --columns goes with --table\n'])
})

test('colour: only when wanted (forced here, as no test has a terminal), never with --no-color or NO_COLOR', async () => {
  const plain = {NO_COLOR: undefined, FORCE_COLOR: undefined}
  const forced = {NO_COLOR: undefined, FORCE_COLOR: '1'}
  assert.ok(!(await run(['mpls', '--dump', '--table'], plain)).stdout.includes(ESC), 'not a terminal: no colour')
  assert.ok((await run(['mpls', '--dump', '--table'], forced)).stdout.includes(`${ESC}1m`))
  assert.ok(!(await run(['mpls', '--dump', '--table', '--no-color'], forced)).stdout.includes(ESC))
  assert.ok(!(await run(['mpls', '--dump', '--table'], {...forced, NO_COLOR: '1'})).stdout.includes(ESC))
  assert.ok(!(await run(['mpls', '--dump'], forced)).stdout.includes(ESC), 'never in legacy mode')
})

test('--timeout: a forwarding plane that never answers ends the run in the given time, exit 4', async () => {
  const {createServer} = await import('node:net')
  const path = `${emu.dir}/silent.sock`
  const silent = createServer(() => undefined)
  await new Promise<void>((resolve) => silent.listen(path, resolve))
  try {
    const r = await runCliAsync(['mpls', '--dump', '--socket', path, '--timeout', '0.3'])
    assert.equal(r.status, 4)
    assert.match(r.stderr, /^mpls: no reply within 300 ms\n$/)
    const bad = await runCliAsync(['mpls', '--dump', '--socket', path, '--timeout', 'soon'])
    assert.deepEqual([bad.status, bad.stderr], [2, "mpls: --timeout wants a positive number of seconds, not 'soon'\n"])
  } finally {
    silent.close()
  }
})
