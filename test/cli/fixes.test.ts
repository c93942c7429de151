/** --fix: the stock tools' bugs fixed only when asked, each tool naming its own; renderers and real commands. */
import assert from 'node:assert/strict'
import {after, before, test} from 'node:test'
import {DEMO_SCENARIO} from '../../src/emulator/scenario/demo.js'
import {loadScenario} from '../../src/emulator/scenario/load.js'
import {nhBlock} from '../../src/lib/render/nh.js'
import {RouteCollapser} from '../../src/lib/render/rt.js'
import {vifBlock} from '../../src/lib/render/vif.js'
import {memStatsText} from '../../src/lib/render/vrmemstats.js'
import type {MessageFields, MessageName} from '../../src/lib/sandesh/schema.js'
import {type Emulator, startEmulator} from '../emulator/harness.js'
import {runCliAsync} from '../cli.js'
import {objectOf} from '../helpers.js'

const object = <N extends MessageName>(name: N, fields: Partial<MessageFields<N>>): MessageFields<N> => objectOf(name, fields).fields as MessageFields<N>
const leaf = (prefix: number[], plen: number, ppl: number, nh: number) => object('vr_route_req', {rtr_prefix: prefix, rtr_prefix_len: plen, rtr_replace_plen: ppl, rtr_nh_id: nh})

test('collapse: leaves become the routes that cover them, each once, uncovered leaves left out', () => {
  const c = new RouteCollapser()
  const leaves = [
    leaf([0, 0, 0, 0], 8, 0, 0),
    leaf([10, 1, 0, 0], 24, 16, 7),
    leaf([10, 1, 1, 0], 32, 16, 7),
    leaf([10, 1, 1, 1], 32, 32, 9),
    leaf([10, 1, 1, 2], 32, 16, 7),
    leaf([10, 1, 2, 0], 24, 16, 7),
    leaf([11, 0, 0, 0], 8, 0, 0),
  ]
  const routes = [...leaves.map((l) => c.push(l)), c.end()].filter((r) => r !== undefined)
  assert.deepEqual(routes.map((r) => [Array.from(r.rtr_prefix).join('.'), r.rtr_prefix_len, r.rtr_nh_id]), [['10.1.0.0', 16, 7], ['10.1.1.1', 32, 9]])
})

test('renderers: nh flags without the last separator, vrmemstats labels, vif names and unsigned counters', () => {
  const nh = object('vr_nexthop_req', {nhr_id: 1, nhr_type: 1, nhr_flags: 3})
  assert.match(nhBlock(nh), /Flags:Valid, Policy, \n/)
  assert.match(nhBlock(nh, {trimFlags: true}), /Flags:Valid, Policy\n/)
  const mem = object('vr_mem_stats_req', {})
  assert.match(memStatsText(mem), /\nMirror MetMirror Meta {11}0\n/)
  const fixed = memStatsText(mem, {fixLabels: true})
  assert.match(fixed, /\nMirror Meta +0\n/)
  const columns = new Set(fixed.split('\n').slice(5).filter(Boolean).map((l) => l.search(/\d+$/)))
  assert.equal(columns.size, 1, 'every value in one column')
  const vif = object('vr_interface_req', {vifr_idx: 1, vifr_os_idx: 77, vifr_name: 'eth7', vifr_ipackets: -5, vifr_parent_vif_idx: -1})
  const options = {dpdk: false, dpdkProper: false, ifname: () => undefined}
  assert.match(vifBlock(vif, options), /vif0\/1 +OS: \(null\)\n[^]*RX packets:-5 /)
  assert.match(vifBlock(vif, {...options, remoteNames: true, unsignedCounters: true}), /vif0\/1 +OS: eth7\n[^]*RX packets:18446744073709551611 /)
})

let emu: Emulator
before(async () => {
  emu = await startEmulator({state: loadScenario(DEMO_SCENARIO, 'demo')})
})
after(() => emu.close())
const run = (...argv: string[]) => runCliAsync([...argv, '--sock-dir', emu.dir])
const RT_HEADER = 'Flags: L=Label Valid, P=Proxy ARP, T=Trap ARP, F=Flood ARP, Ml=MAC-IP learnt route\nvRouter inet4 routing table 0/0/unicast\nDestination           PPL        Flags        Label         Nexthop    Stitched MAC(Index)\n'

test('rt --collapse (--fix rt-dump-routes) and --fix get-no-plen against the emulator', async () => {
  const collapsed = await run('rt', '--dump', '0', '--collapse')
  assert.equal(
    collapsed.stdout,
    `${RT_HEADER}0.0.0.0/0               0                       -              1        -\n192.168.10.0/24        24                       -              2        -\n192.168.10.7/32        32                       -              1        -\n`,
  )
  assert.equal((await run('rt', '--dump', '0', '--fix', 'rt-dump-routes')).stdout, collapsed.stdout)
  const json = JSON.parse((await run('rt', '--dump', '2', '--collapse', '--json')).stdout) as {prefix: string}[]
  assert.deepEqual(json.map((r) => r.prefix), ['10.1.1.5/32', '10.1.1.6/32', '10.1.2.0/24', '10.1.3.0/24', '10.1.100.1/32'])
  const plain = await run('rt', '--get', '10.1.2.9', '--vrf', '2')
  assert.equal(plain.status, 2, 'the stock tool wants /length')
  const fixed = await run('rt', '--get', '10.1.2.9', '--vrf', '2', '--fix', 'get-no-plen')
  assert.match(fixed.stdout, /^Match 10\.1\.2\.9\/32 in vRouter inet4 table 0\/2\/unicast\n[^]*\n10\.1\.2\.0\/24 /)
})

test('vif and nh fixes; an unknown fix names the ones there are', async () => {
  assert.equal((await run('vif', '-i', '3', '--clear')).stdout, 'Invalid arguments for vif add --id \n')
  assert.equal((await run('vif', '-i', '3', '--clear', '--fix', 'short-id')).stdout, '\nVif stats cleared successfully for tapa1b2c3d4-e5 on all cores \n\n')
  const nobody = await run('vif', '--clear', '--id', '99')
  assert.deepEqual([nobody.status, nobody.stdout], [0, ''], 'no such interface: the dp answers with an empty object, the stock tool prints nothing')
  assert.equal((await run('vif', '--set', '5', '--vlan', '9', '--vrf', '2')).status, 0)
  assert.ok((await run('vif', '--get', '5', '--fix', 'vrf-assign-newline')).stdout.endsWith('9:2, \n'))
  const recursive = await run('nh', '--get', '40')
  const single = await run('nh', '--get', '40', '--no-recurse')
  assert.ok(recursive.stdout.split('Id:').length > 2)
  assert.equal(single.stdout.split('Id:').length, 2)
  assert.equal((await run('nh', '--get', '40', '--fix', 'nh-get-norecurse')).stdout, single.stdout)
  const unknown = await run('mpls', '--dump', '--fix', 'short-id')
  assert.deepEqual([unknown.status, unknown.stderr], [2, "mpls: no fix 'short-id'; this tool has none\n"])
  const typo = await run('vif', '--list', '--fix', 'shortid')
  assert.match(typo.stderr, /^vif: no fix 'shortid'; this tool's fixes are short-id, rate-notty, vrf-assign-newline, ifname-remote, unsigned-counters\n$/)
  const notty = await run('vif', '--list', '--rate', '--fix', 'all')
  assert.deepEqual([notty.status, notty.stderr], [2, 'vif: --rate needs a terminal\n'])
})
