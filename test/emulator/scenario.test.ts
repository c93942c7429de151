/** Scenario files: the demo, located errors, the published schema, and save → load round trips. */
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {describe, test} from 'node:test'
import {DEMO_SCENARIO} from '../../src/emulator/scenario/demo.js'
import {ScenarioError, loadScenario} from '../../src/emulator/scenario/load.js'
import {saveScenario} from '../../src/emulator/scenario/save.js'
import {scenarioSchema} from '../../src/emulator/scenario/sections.js'
import {ROOT} from '../helpers.js'
import {req, startEmulator} from './harness.js'

describe('the demo scenario', () => {
  const state = loadScenario(DEMO_SCENARIO, 'demo')
  test('holds a compute node', () => {
    assert.equal(state.interfaces.table.size, 7)
    assert.equal(state.interfaces.get(3)!.fields.vifr_name, 'tapa1b2c3d4-e5')
    assert.equal(state.interfaces.get(3)!.drops.vds_invalid_arp, 3)
    assert.deepEqual(state.nexthops.get(40)!.nhr_nh_list, [21, 10])
    assert.equal(state.nexthops.get(10)!.nhr_tun_dip, 0x080aa8c0, 'tunnel addresses in host integers')
    assert.equal(state.mpls.get(16)!.mr_nhid, 21)
    assert.equal(state.drops.drops.vds_discard, 12)
  })
  test('and a drop log on both cores', () => {
    const core1 = state.dropLog.records(1).filter((r) => r.vpType !== 0)
    assert.deepEqual(core1.map((r) => [r.dropReason, r.vpType, r.line]), [[19, 2, 245], [1, 3, 2064]])
    assert.deepEqual(Array.from(core1[1].src.subarray(0, 2)), [0xfd, 0x00])
    assert.equal(state.dropLog.records(0)[1].header[9], 1, 'the packet bytes')
  })
})

describe('errors name the file, line and column', () => {
  const cases: [string, string, RegExp][] = [
    ['bad YAML', 'interfaces: [1,\n x', /^s\.yaml:2:\d+: not valid YAML/],
    ['an unknown section', 'interface:\n  - idx: 1\n', /^s\.yaml:1:1: interface: unknown key "interface"/],
    ['an unknown key', 'interfaces:\n  - idx: 1\n    nmae: eth0\n', /^s\.yaml:3:5: interfaces\[0\]\.nmae: unknown key "nmae"/],
    ['a bad MAC', 'interfaces:\n  - idx: 1\n    mac: 00:11\n', /^s\.yaml:3:10: interfaces\[0\]\.mac: "00:11" is not a MAC address/],
    ['an unknown flag', 'interfaces:\n  - idx: 1\n    flags: [l3, flying]\n', /^s\.yaml:3:12: interfaces\[0\]\.flags: not a valid value/],
    ['a dangling next hop', 'routes:\n  - {prefix: 10.0.0.0/8, nh_id: 7}\n', /^s\.yaml:2:33: routes\[0\]\.nh_id: next hop 7 is not defined in nexthops/],
    ['a dangling interface', 'nexthops:\n  - {id: 3, type: rcv, flags: [valid], encap_oif_id: [4]}\n', /^s\.yaml:2:54: nexthops\[0\]\.encap_oif_id: interface 4 is not defined/],
    ['what the forwarding plane refuses', 'routes:\n  - {prefix: 10.0.0.0/40, nh_id: 0}\n', /^s\.yaml:2:5: routes\[0\]: the forwarding plane refuses it: EINVAL/],
    ['a value of the wrong type', 'mpls:\n  - {label: sixteen, nhid: 0}\n', /^s\.yaml:2:\d+: mpls\[0\]\.label: not a valid value/],
    ['a drop reason that is none', 'drop_log:\n  entries:\n    - {reason: VP_DROP_MAX}\n', /^s\.yaml:3:\d+: drop_log\.entries\[0\]\.reason: not a valid value \(one of VP_DROP_DISCARD, /],
    ['a core it does not have', 'drop_log:\n  entries:\n    - {reason: VP_DROP_PULL, core: 2}\n', /^s\.yaml:3:\d+: drop_log\.entries\[0\]\.core: the forwarding plane has 2 cores \(0 to 1\)/],
    ['a drop-log address', 'drop_log:\n  entries:\n    - {reason: VP_DROP_PULL, src: 10.1.x.5}\n', /^s\.yaml:3:7: drop_log\.entries\[0\]: src: not an IPv4 or IPv6 address/],
  ]
  for (const [what, text, expected] of cases) {
    test(what, () => assert.throws(() => loadScenario(text, 's.yaml'), (e: unknown) => e instanceof ScenarioError && expected.test(e.message), what))
  }
})

test('the published JSON Schema is the one the loader uses', () => {
  assert.deepEqual(JSON.parse(readFileSync(`${ROOT}docs/scenario.schema.json`, 'utf8')), scenarioSchema())
})

test('save → load → save gives the same scenario, and the same answers', async () => {
  const first = await startEmulator({state: loadScenario(DEMO_SCENARIO, 'demo')})
  let saved: string
  try {
    saved = await saveScenario(await first.client(), {vrfs: [0, 1, 2, 3], description: 'round trip'})
  } finally {
    await first.close()
  }
  const second = await startEmulator({state: loadScenario(saved, 'saved.yaml')})
  try {
    const client = await second.client()
    assert.equal(await saveScenario(client, {vrfs: [0, 1, 2, 3], description: 'round trip'}), saved)
    const route = await client.get(req('vr_route_req', {h_op: 1, rtr_vrf_id: 2, rtr_family: 2, rtr_prefix: [10, 1, 2, 77], rtr_prefix_len: 32}))
    assert.deepEqual([route.fields.rtr_nh_id, route.fields.rtr_label, route.fields.rtr_prefix_len], [10, 38, 24])
  } finally {
    await second.close()
  }
})
