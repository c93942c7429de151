/**
 * The published JSON Schemas of vif, nh, rt, dropstats, vrouter, dpdkinfo and vrinfo (docs/json) hold for what the
 * real commands print against the emulator; the vrouter schema follows the vrouter_ops message field for field.
 */
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {after, before, test} from 'node:test'
import {Ajv} from 'ajv'
import {DEMO_SCENARIO} from '../../src/emulator/scenario/demo.js'
import {loadScenario} from '../../src/emulator/scenario/load.js'
import {CURRENT_MESSAGES} from '../../src/lib/sandesh/messages.js'
import {type Emulator, startEmulator} from '../emulator/harness.js'
import {runCliAsync} from '../cli.js'

const schemaOf = (name: string) => JSON.parse(readFileSync(`docs/json/${name}.schema.json`, 'utf8')) as {properties: Record<string, {type: string}>}
const ajv = new Ajv({allErrors: true, strict: true})
function check(schema: string, text: string): unknown {
  const validate = ajv.compile(schemaOf(schema))
  const value = JSON.parse(text) as unknown
  assert.ok(validate(value), `${schema}: ${ajv.errorsText(validate.errors)}`)
  return value
}

let emu: Emulator
before(async () => {
  emu = await startEmulator({state: loadScenario(DEMO_SCENARIO, 'demo')})
})
after(() => emu.close())

const run = async (...argv: string[]) => {
  const r = await runCliAsync([...argv, '--json', '--sock-dir', emu.dir])
  assert.equal(r.status, 0, `${argv.join(' ')}: ${r.stdout}${r.stderr}`)
  return r.stdout
}

test('vif, nh and rt: lists and single objects', async () => {
  assert.equal((check('vif', await run('vif', '--list')) as unknown[]).length, 7)
  const vif = check('vif', await run('vif', '--get', '3', '--get-drop-stats')) as {drop_stats: Record<string, unknown>}
  assert.equal(vif.drop_stats.invalid_arp, 3)
  assert.equal((await runCliAsync(['vif', '--set', '6', '--vlan', '7', '--vrf', '2', '--sock-dir', emu.dir])).status, 0)
  assert.deepEqual((check('vif', await run('vif', '--get', '6')) as {vrf_assign: unknown}).vrf_assign, [{vlan: 7, vrf: 2}])
  const nh = check('nh', await run('nh', '--list')) as {type: string}[]
  assert.ok(nh.some((n) => n.type === 'Composite') && nh.some((n) => n.type === 'Tunnel'))
  check('nh', await run('nh', '--get', '40'))
  assert.ok((check('rt', await run('rt', '--dump', '2')) as unknown[]).length > 1000)
  assert.equal((check('rt', await run('rt', '--get', '10.1.2.77/32', '--vrf', '2')) as {prefix: string}).prefix, '10.1.2.0/24')
})

test('dropstats, vrouter, dpdkinfo and vrinfo', async () => {
  assert.equal((check('dropstats', await run('dropstats')) as {counters: Record<string, unknown>}).counters.flow_action_drop, 17)
  check('dropstats', await run('dropstats', '--core', '1'))
  check('vrouter', await run('vrouter', '--info'))
  check('info', await run('vrinfo', '--version'))
  check('info', await run('dpdkinfo', '--version'))
})

test('the vrouter schema names every vrouter_ops field (without vo_) with its JSON type', () => {
  const jsonType = (wire: string) => (wire.startsWith('list<') ? 'array' : wire === 'string' ? 'string' : 'integer')
  const expected = Object.fromEntries(
    CURRENT_MESSAGES.vrouter_ops.filter(([, name]) => name !== 'h_op').map(([, name, wire]) => [name.replace(/^vo_/, ''), jsonType(wire)]),
  )
  assert.deepEqual(Object.fromEntries(Object.entries(schemaOf('vrouter').properties).map(([k, v]) => [k, v.type])), expected)
})
