/**
 * `vif`: the stock command line's walk (values checked as they come, combinations after), and against the running
 * emulator the writes — --add (with the stock lookup before it), --set, --delete, --clear — and their round trips.
 */
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {getopt} from '../../src/cli/legacy/getopt.js'
import {type VifHost, walkVifOptions} from '../../src/cli/legacy/vif-options.js'
import {useDemoEmulator} from './demo-emulator.js'

const NONE = ['list', 'kernel', 'rate', 'get-drop-stats', 'policy', 'vhost-phys', 'dhcp-enable', 'pmd', 'pci', 'clear', 'help']
const REQUIRED = ['get', 'core', 'add', 'create', 'mac', 'vrf', 'type', 'transport', 'xconnect', 'vif', 'id', 'delete', 'set', 'vlan', 'sock-dir']
const TABLE = {
  long: [...NONE.map((name) => ({name, arg: 'none' as const, id: name})), ...REQUIRED.map((name) => ({name, arg: 'required' as const, id: name}))],
  short: 'ba:c:d:g:klm:t:T:v:p:C:DPi:s:',
  shortIds: {b: 'list', a: 'add', c: 'create', d: 'delete', g: 'get', k: 'kernel', l: 'list', m: 'mac', t: 'type', T: 'transport', v: 'vrf', p: 'policy', C: 'core', D: 'pmd', P: 'pci', i: 'short-id', s: 'sock-dir'},
}
const KERNEL_HOST: VifHost = {dpdk: false, interfaceIndex: (name) => ({eth0: 2, eth1: 3})[name] ?? 0}
const DPDK_HOST: VifHost = {dpdk: true, interfaceIndex: () => 0}
const walk = (argv: string[], host = KERNEL_HOST) => {
  const w = walkVifOptions(getopt('vif', argv, TABLE), host)
  return 'fault' in w ? ('context' in w ? `invalid: ${w.context}` : w.fault) : w.ok
}
const ADD = ['--add', 'tap1', '--mac', '2:0:0:0:0:1', '--vrf', '2']

test('walk: the first bad value ends the run, then the combinations are checked', () => {
  assert.equal(walk([]), 'usage')
  assert.equal(walk(['--sock-dir', '/x']), 'usage', '--sock-dir does not count')
  assert.equal(walk(['--help', '--list']), 'help')
  assert.equal(walk(['--get', '1x', '--vrf', 'y']), 'invalid: vif --get')
  assert.equal(walk(['--vrf', 'y', '--get', '1x']), 'invalid: vif set --vrf')
  assert.equal(walk(['-i', '3']), 'invalid: vif add --id', '-i never works')
  assert.equal(walk(['--list', '--get', '1']), 'usage')
  assert.equal(walk(['--list', '--get-drop-stats']), 'usage')
  assert.equal(typeof walk(['--list', '--core', '1', '--rate']), 'object')
  assert.equal(walk(['--list', '--core', '1', '--rate', '--kernel']), 'usage')
  assert.equal(typeof walk(['--get', '1', '--kernel', '--vrf', '3']), 'object', 'the loose stock check: any 3 options with --get')
  assert.equal(walk([...ADD]), 'usage', '--add needs --type')
  assert.equal(walk([...ADD, '--type', 'virt']), 'usage', 'the argument must start with the keyword')
  assert.equal(walk([...ADD, '--type', 'vhost']), 'usage', 'a vhost needs --xconnect')
  assert.equal(walk([...ADD, '--type', 'monitoring', '--vif', '3']), 'usage', 'monitoring is for DPDK only')
  assert.equal(walk(['--set', '3', '--vlan', '7']), 'usage', '--set needs --vrf')
  assert.equal(walk(['--vrf', '3']), 'usage', 'no operation: refused (the stock tool would ADD interface 0)')
  assert.equal(walk(['--create', 'vhost1', '--vrf', '0']), 'usage')
})

test('walk: --add values, types, flags and cross-connects (names on the kernel, numbers on DPDK)', () => {
  const add = walk([...ADD, '--type', 'virtual-vlanX', '--transport', 'ethernet', '--policy', '--dhcp-enable', '--id', '9'])
  assert.ok(typeof add === 'object')
  assert.deepEqual([add.operation, add.name, add.osIndex, add.type, add.transport, add.flags, add.explicitIndex], ['add', 'tap1', 0, 6, 1, 0x101, 9])
  const vhost = walk(['--add', 'eth0', '--mac', '2:0:0:0:0:1', '--vrf', '0', '--type', 'vhost', '--xconnect', 'eth1,nope,eth0'])
  assert.ok(typeof vhost === 'object')
  assert.deepEqual([vhost.osIndex, vhost.crossConnect], [2, [3, -1, -1]], 'an unknown name ends the list silently')
  const dpdk = walk(['--add', '0', '--mac', '2:0:0:0:0:1', '--vrf', '0', '--type', 'vhost', '--xconnect', '0,1', '--pmd'], DPDK_HOST)
  assert.ok(typeof dpdk === 'object')
  assert.deepEqual([dpdk.osIndex, dpdk.crossConnect, dpdk.flags], [0, [0, -1, -1], 0x2000], 'a PMD number ends the list')
  const monitoring = walk(['--add', 'mon0', '--type', 'monitoring', '--vif', '3'], DPDK_HOST)
  assert.ok(typeof monitoring === 'object')
  assert.deepEqual([monitoring.vrf, monitoring.mac, monitoring.osIndex, monitoring.type], [0, [2, 0, 0, 0, 0, 0], 3, 9], 'monitoring presets VRF and MAC')
})

const demo = useDemoEmulator()
const run = (...argv: string[]) => demo.run(argv)

test('--add: the lookup, then the ADD as the stock tool fills it; --get shows it; --delete removes it', async () => {
  const add = await run('vif', '--add', 'tap12', '--mac', '02:00:00:00:00:0c', '--vrf', '2', '--type', 'virtual', '--transport', 'virtual', '--id', '12', '--policy')
  assert.deepEqual([add.status, add.stdout, add.stderr], [0, '', ''])
  assert.equal(add.sent.length, 2)
  const [lookup, create] = add.sent
  assert.deepEqual([lookup.h_op, lookup.vifr_idx, lookup.vifr_os_idx, lookup.vifr_core, lookup.vifr_flags], [1, -1, 0, 0, 0], 'GET by the host index (0: no such name here)')
  assert.deepEqual(
    [create.h_op, create.vifr_name, create.vifr_mac, create.vifr_vrf, create.vifr_mcast_vrf, create.vifr_os_idx, create.vifr_idx, create.vifr_type, create.vifr_flags, create.vifr_transport, create.vifr_cross_connect_idx],
    [0, 'tap12', [2, 0, 0, 0, 0, 12], 2, 65535, 0, 12, 3, 0x1, 0, []],
  )
  const get = await run('vif', '--get', '12')
  assert.match(get.stdout, /\nvif0\/12 {5}Virtual: tap12\n {12}Type:Virtual HWaddr:02:00:00:00:00:0c IPaddr:0\.0\.0\.0\n {12}Vrf:2 Mcast Vrf:65535 Flags:PL3L2 /)
  const json = JSON.parse((await run('vif', '--get', '12', '--json')).stdout)
  assert.deepEqual([json.index, json.name, json.vrf], [12, 'tap12', 2])

  assert.equal((await run('vif', '--delete', 'tap12')).status, 0)
  const gone = await run('vif', '--get', '12')
  assert.equal(gone.status, 3)
  assert.match(gone.stdout, /vRouter\(Response\): No such file or directory \(2\)\n$/)
})

test('--add of an interface the forwarding plane has: its index is reused', async () => {
  // Interface 0 of the demo has host index 2: the lookup by host index 2 finds it.
  const add = await run('vif', '--add', '2', '--mac', '2:0:0:0:0:1', '--vrf', '0', '--type', 'physical', '--pci', '--dhcp-enable')
  assert.equal(add.status, 0)
  assert.deepEqual(add.sent.map((o) => [o.h_op, o.vifr_idx, o.vifr_os_idx]), [[1, -1, 2], [0, 0, 2]])
  assert.match((await run('vif', '--get', '0')).stdout, /Flags:TcL3L2D /, 'the NIC capability (Tc) stays across a change')
})

test('--set adds a VLAN to VRF assignment to a service interface; bad values send nothing', async () => {
  const set = await run('vif', '--set', '4', '--vlan', '100', '--vrf', '3')
  assert.equal(set.status, 0)
  assert.deepEqual(set.sent.map((o) => o.name), ['vr_interface_req', 'vr_vrf_assign_req'])
  assert.deepEqual([set.sent[0].vifr_vrf, set.sent[0].vifr_flags, set.sent[1].var_vlan_id, set.sent[1].var_vif_vrf], [-1, 0x4, 100, 3])
  assert.match((await run('vif', '--get', '4')).stdout, /VRF table\(vlan:vrf\):\n(.*, )?100:3, $/)
  const json = JSON.parse((await run('vif', '--get', '4', '--json')).stdout) as {vrf_assign: {vlan: number; vrf: number}[]}
  assert.deepEqual(json.vrf_assign.at(-1), {vlan: 100, vrf: 3})

  for (const argv of [['--add', 'x', '--vrf', '2', '--mac', '1:2:3:4:5:6', '--type', 'nope'], ['--set', '4', '--vlan', 'v', '--vrf', '3'], ['--vrf', '2']]) {
    const bad = await run('vif', ...argv)
    assert.equal(bad.status, 2, argv.join(' '))
    assert.deepEqual(bad.sent, [], argv.join(' '))
  }
  assert.equal((await run('vif', '--set', '4', '--vlan', 'v', '--vrf', '3', '--legacy-exit')).status, 0)
})

test('--rate without a terminal: one sample per interval, bounded by --count; NDJSON under --json', async () => {
  const list = await run('vif', '--list', '--rate', '--count', '2', '--interval', '0.1')
  assert.equal(list.status, 0)
  const screens = list.stdout.split('Interface rate statistics\n-------------------------\n\n')
  assert.equal(screens.length, 3)
  assert.match(screens[1], /^Interface name {16}VIF ID/)
  assert.match(screens[2], /\nVirtual: tapa1b2c3d4-e5 {7}vif0\/3 {18}0 {8}0 {20}0 {8}0 {15}\n\n\n/)
  assert.match(screens[2], /Key 'q' for quit, key 'k' for previous page, key 'j' for next page\.\n\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4} \n$/)
  const json = await run('vif', '--get', '3', '--rate', '--count', '2', '--interval', '0.1', '--json')
  const lines = json.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as {interface: {index: number; rx: {packets: number}}})
  assert.deepEqual(lines.map((l) => [l.interface.index, l.interface.rx.packets]), [[3, 0], [3, 0]])
  const bad = await run('vif', '--list', '--rate', '--count', 'x')
  assert.deepEqual([bad.status, bad.stderr, bad.sent], [2, "vif: --count wants a positive whole number, not 'x'\n", []])
})

test('dropstats --watch: samples with their time, bounded by --count', async () => {
  const r = await run('dropstats', '--watch', '0.1', '--count', '2')
  assert.equal(r.status, 0)
  const samples = r.stdout.split(/^\d{4}-\d\d-\d\dT[\d:.]+Z\n/m)
  assert.deepEqual(samples.slice(1).map((s) => s.split('\n')[0]), ['Invalid ARP                   3', 'Invalid ARP                   3'])
})
