/**
 * `rt`: the stock command line's walk (order matters: -c/-d/-b twice and --cmd end at once), and against the running
 * emulator the route programming of -c/-d — the request fields the stock tool fills, and the round trips.
 */
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {getopt} from '../../src/cli/legacy/getopt.js'
import {walkRtOptions} from '../../src/cli/legacy/rt-options.js'
import {etherAton} from '../../src/lib/model/addresses.js'
import {RT_COMMAND_USAGE, RT_USAGE} from '../../src/lib/render/rt.js'
import {DEMO_SCENARIO} from '../../src/emulator/scenario/demo.js'
import {loadScenario} from '../../src/emulator/scenario/load.js'
import {KsyncClient} from '../../src/lib/ksync/client.js'
import type {SandeshObject} from '../../src/lib/sandesh/schema.js'
import {objectOf} from '../helpers.js'
import {runCliAsync, startCli} from '../cli.js'
import {startEmulator} from '../emulator/harness.js'
import {useDemoEmulator} from './demo-emulator.js'

const TABLE = {
  long: [
    ...['cmd', 'monitor', 'help'].map((name) => ({name, arg: 'none' as const, id: name})),
    ...['dump', 'family', 'get', 'vrf', 'sock-dir'].map((name) => ({name, arg: 'required' as const, id: name})),
  ],
  short: 'TcdbmPM:n:p:l:v:t:s:e:f:u:r:Fx:',
  shortIds: {u: 'sock-dir', v: 'vrf'},
}
const walk = (...argv: string[]) => {
  const w = walkRtOptions(getopt('rt', argv, TABLE))
  return 'fault' in w ? w.fault : w.ok
}

test('walk: operations and their checks, as the stock tool orders them', () => {
  assert.equal(walk(), 'usage')
  assert.equal(walk('--help', '--cmd'), 'help')
  assert.equal(walk('--cmd', '--help'), 'command-usage', 'the first one wins')
  assert.equal(walk('-c', '-b'), 'command-usage', 'a second operation')
  assert.equal(walk('--dump', '2', '-c'), 'command-usage', '--dump is an operation too')
  assert.equal(walk('-m'), 'usage', '-m is in the option string but has no case: usage')
  assert.equal(walk('--family', 'ipx', '--dump', '1'), 'usage')
  assert.equal((walk('--dump', '2', '--monitor') as {operation: string}).operation, 'monitor', '--monitor skips every check')
  assert.equal(walk('--dump', '2', '--help'), 'help')
  assert.equal(walk('-c', '-v', '2', '-p', '10.0.0.0', '-l', '8'), 'command-usage', 'create needs a next hop')
  assert.equal(walk('-d', '-v', '2', '-p', '10.0.0.0', '-l', '8', '-n', '1'), 'command-usage', 'delete needs -r')
  assert.equal(walk('-d', '-v', '2', '-p', '10.0.0.0', '-l', '8', '-n', '1', '-r', '33'), 'command-usage', '-r beyond the address')
  assert.equal(walk('-c', '-f', '1', '-v', '2', '-n', '1'), 'command-usage', 'a bridge route needs -e')
  assert.equal(walk('--get', '10.1.1.1/32'), 'usage', '--get needs --vrf')

  const dump = walk('-b', '-v', '3')
  assert.ok(typeof dump === 'object' && dump.operation === 'dump' && dump.vrf === 3)
  const v6 = walk('-c', '-f', '7', '-v', '2', '-p', 'fd00::1', '-l', '128', '-n', '5', '-x', '0x40', '-P', '-M', 'ignored')
  assert.ok(typeof v6 === 'object')
  assert.deepEqual([v6.operation, v6.family, v6.flags, v6.customFlags, v6.prefix[0], v6.prefix[15]], ['create', 10, 0x12, 0x40, 0xfd, 1], '-f 7 is inet6')
  const get = walk('--get', ' 10.1.1.1 / 24 ', '--vrf', '0x2')
  assert.ok(typeof get === 'object')
  assert.deepEqual([get.getAddress, get.getPrefixLength, get.vrf], ['10.1.1.1', '24', 2])
})

test('etherAton: glibc rules', () => {
  assert.deepEqual(etherAton('2:0:5e:0:1:a'), Uint8Array.of(2, 0, 0x5e, 0, 1, 10))
  assert.deepEqual(etherAton('02:00:5E:00:01:0aXYZ'), Uint8Array.of(2, 0, 0x5e, 0, 1, 10), 'after two digits anything may follow')
  assert.equal(etherAton('2:0:5e:0:1:ax'), undefined)
  assert.equal(etherAton('2-0-5e-0-1-a'), undefined)
  assert.equal(etherAton('2:0:5e:0:1'), undefined)
  assert.equal(etherAton('123:0:5e:0:1:a'), undefined)
})

const demo = useDemoEmulator()
const run = (...argv: string[]) => demo.run(argv)

const BRIDGE_HEADER = 'Flags: L=Label Valid, Df=DHCP flood, Mm=Mac Moved, L2c=L2 Evpn Control Word, N=New Entry, Ec=EvpnControlProcessing\nvRouter bridge table 0/2\nIndex       DestMac                  Flags           Label/VNID      Nexthop           Stats'
const HEADER = 'Flags: L=Label Valid, P=Proxy ARP, T=Trap ARP, F=Flood ARP, Ml=MAC-IP learnt route\nvRouter inet4 routing table 0/2/unicast\nDestination           PPL        Flags        Label         Nexthop    Stitched MAC(Index)\n'

test('-c then --get then -d: the route comes and goes, requests as the stock tool fills them', async () => {
  const create = await run('rt', '-c', '-v', '2', '-p', '10.9.0.0', '-l', '16', '-n', '21', '-t', '40', '-P', '-x', '10000')
  assert.deepEqual([create.status, create.stdout, create.stderr], [0, '', ''])
  assert.deepEqual(create.sent, [
    {
      name: 'vr_route_req', h_op: 0, rtr_vrf_id: 2, rtr_family: 2, rtr_prefix: [10, 9, 0, 0], rtr_prefix_len: 16, rtr_rid: 0,
      // proxy ARP | label valid; the custom 0x10000 falls off the 16-bit field
      rtr_label_flags: 0x3, rtr_label: 40, rtr_nh_id: 21, rtr_marker: [], rtr_marker_plen: 0, rtr_mac: [],
      rtr_replace_plen: -1, rtr_index: 0,
    },
  ])
  const get = await run('rt', '--get', '10.9.200.1/32', '--vrf', '2')
  assert.deepEqual(get.sent[0].rtr_mac, [0, 0, 0, 0, 0, 0], 'the stock tool always passes its (zero) MAC buffer')
  assert.equal(get.stdout, `Match 10.9.200.1/32 in vRouter inet4 table 0/2/unicast\n\n${HEADER}10.9.0.0/16             0           LP         40             21        -\n`)

  const remove = await run('rt', '-d', '-v', '2', '-p', '10.9.0.0', '-l', '16', '-n', '0', '-r', '0', '-x', '4', '-T')
  assert.equal(remove.status, 0)
  assert.deepEqual(
    remove.sent.map((o) => [o.h_op, o.rtr_label_flags, o.rtr_label, o.rtr_replace_plen, o.rtr_mac, o.rtr_nh_id]),
    [[2, 0x4, -1, 0, [0, 0, 0, 0, 0, 0], 0]],
    'a delete carries the (zero) MAC and not the -x bits',
  )
  const gone = await run('rt', '--get', '10.9.200.1/32', '--vrf', '2')
  // The leaves take the replacement the delete carried: length 0, next hop 0 and its flags (-T).
  assert.ok(gone.stdout.endsWith(`${HEADER}0.0.0.0/0               0            T          -              0        -\n`), gone.stdout)
})

test('-c for inet6 and for a bridge entry (-f 1 with -e: index -1, no prefix)', async () => {
  const v6 = await run('rt', '-c', '-f', '2', '-v', '2', '-p', 'fd00::99', '-l', '128', '-n', '21')
  assert.equal(v6.status, 0)
  assert.deepEqual([v6.sent[0].rtr_family, (v6.sent[0].rtr_prefix as number[]).length, v6.sent[0].rtr_label_flags], [10, 16, 0])
  const back = await run('rt', '--get', 'fd00::99/128', '--vrf', '2', '--family', 'inet6', '--json')
  assert.equal(JSON.parse(back.stdout).nexthop, 21)
  const table = await run('rt', '--get', 'fd00::99/128', '--vrf', '2', '--family', 'inet6', '--table', '--columns', 'prefix,nexthop')
  assert.equal(table.stdout.split('\n')[0], '┌──────────────┬─────────┐', 'the table alone, without the Match line')

  const bridge = await run('rt', '-c', '-f', '1', '-v', '2', '-e', '2:0:0:0:0:9', '-n', '21', '-t', '7')
  assert.equal(bridge.status, 0)
  const sent = bridge.sent[0]
  assert.deepEqual([sent.rtr_family, sent.rtr_prefix, sent.rtr_prefix_len, sent.rtr_index, sent.rtr_mac, sent.rtr_label_flags], [7, [], 0, -1, [2, 0, 0, 0, 0, 9], 1])

  // --get by MAC: the Match line, the table located (as the stock tool maps it), then one line from the route GET.
  const got = await run('rt', '--get', '02:00:00:00:00:09', '--vrf', '2', '--family', 'bridge')
  const lines = got.stdout.split('\n')
  assert.deepEqual([got.status, lines[0], lines[1]], [0, 'Match 2:0:0:0:0:9 in vRouter bridge table 0/2/unicast', ''])
  assert.equal(lines.slice(2, 5).join('\n'), BRIDGE_HEADER)
  // -t sets the route's label-valid bit (0x1), which a bridge entry reads as its valid bit: the label needs 0x2
  // (dp-core/vr_bridge.c __bridge_table_add), so the entry shows no flag letters and no label.
  assert.match(lines[5], /^\d+ +2:0:0:0:0:9 {39}- {11}21 {15}0$/)
  assert.deepEqual(got.sent.map((o) => o.name), ['vr_bridge_table_data', 'vr_route_req'])
  const get = got.sent[1]
  assert.deepEqual([get.h_op, get.rtr_vrf_id, get.rtr_family, get.rtr_index, get.rtr_mac, get.rtr_label_flags, get.rtr_label], [1, 2, 7, -1, [2, 0, 0, 0, 0, 9], 1, 0])
  const json = JSON.parse((await run('rt', '--get', '2:0:0:0:0:9', '--vrf', '2', '--family', 'bridge', '--json')).stdout)
  assert.deepEqual([json.mac, json.label, json.nexthop, json.packets], ['2:0:0:0:0:9', null, 21, 0])
  const absent = await run('rt', '--get', '2:0:0:0:0:8', '--vrf', '2', '--family', 'bridge')
  assert.deepEqual([absent.status, absent.stdout.split('\n').at(-2)], [3, 'vRouter(Response): No such file or directory (2)'])
  const bad = await run('rt', '--get', 'zz:0:0:0:0:8', '--vrf', '2', '--family', 'bridge')
  assert.deepEqual([bad.status, bad.stdout, bad.sent.length], [2, 'validate_options: ether_aton fails on zz:0:0:0:0:8\n', 0])
})

test('faults: the forwarding plane\'s error, the low-level usage, and nothing sent for bad command lines', async () => {
  const missing = await run('rt', '-c', '-v', '2', '-p', '10.9.0.0', '-l', '16', '-n', '9999')
  assert.deepEqual([missing.status, missing.stdout], [3, 'vRouter(Response): No such file or directory (2)\n'])
  assert.equal((await run('rt', '-c', '-v', '2', '-p', '10.9.0.0', '-l', '16', '-n', '9999', '--legacy-exit')).status, 0)

  const incomplete = await run('rt', '-c', '-v', '2', '-p', '10.9.0.0', '-l', '16')
  assert.deepEqual([incomplete.status, incomplete.stdout, incomplete.sent], [2, RT_COMMAND_USAGE, []])
  assert.equal((await run('rt', '--cmd', '--legacy-exit')).status, 1)
  const help = await run('rt', '--help', '--legacy-exit')
  assert.deepEqual([help.status, help.stdout], [1, RT_USAGE])

  const pton = await run('rt', '--get', '10.1.1.999/32', '--vrf', '2', '--legacy-exit')
  assert.deepEqual([pton.status, pton.stdout, pton.sent], [22, 'validate_options: inet_pton fails for 10.1.1.999\n', []])
  assert.equal((await run('rt', '--get', '10.1.1.999/32', '--vrf', '2')).status, 2)
})

test('--monitor: vrouter_ops GET for the group, then a second connection waits (the DPDK vRouter sends no notifications) until it ends', async () => {
  const emulator = await startEmulator({state: loadScenario(DEMO_SCENARIO, 'demo')})
  const received: SandeshObject[] = []
  emulator.server.on('request', (_info: unknown, objects: readonly SandeshObject[]) => received.push(...objects))
  try {
    const {done} = await startCli(['rt', '--monitor', '--sock-dir', emulator.dir], /waiting/)
    assert.deepEqual(
      received.map((o) => [o.name, (o.fields as {h_op: number}).h_op]),
      [['vrouter_ops', 1]],
    )
    const table = await runCliAsync(['rt', '--monitor', '--table', '--sock-dir', emulator.dir])
    assert.deepEqual([table.status, table.stderr], [2, 'rt: --monitor is a stream of lines: --json makes them standard JSON, --table does not apply\n'])
    assert.equal(received.length, 1, 'nothing sent for it')
    await emulator.close()
    const r = await done
    assert.equal(r.stdout, '')
    assert.equal(r.stderr, 'rt: only the kernel vRouter sends route notifications; waiting, as the stock tool does (Ctrl-C stops)\nrt: the forwarding plane closed the connection\n')
    assert.equal(r.status, 4)
  } finally {
    await emulator.close()
  }
})

test('--prefix: only the leaves, or with --collapse the routes, inside a network; a bad one is refused before anything is sent', async () => {
  const leaves = await run('rt', '--dump', '2', '--prefix', '10.1.1.4/30')
  assert.equal(leaves.stdout, `${HEADER}10.1.1.4/32             0                       -              0        -\n10.1.1.5/32            32            P          -             21        -\n10.1.1.6/32            32            P          -             22        -\n10.1.1.7/32             0                       -              0        -\n`)
  const routes = await run('rt', '--dump', '2', '--prefix', '10.1.0.0/16', '--collapse', '--json')
  assert.deepEqual(JSON.parse(routes.stdout).map((r: {prefix: string}) => r.prefix), ['10.1.1.5/32', '10.1.1.6/32', '10.1.2.0/24', '10.1.3.0/24', '10.1.100.1/32'])
  for (const [prefix, message] of [
    ['10.1.0.0/33', "rt: --prefix takes an address/length, not '10.1.0.0/33'\n"],
    ['fd00::/8', 'rt: --prefix fd00::/8 is not an inet network\n'],
  ]) {
    const bad = await run('rt', '--dump', '2', '--prefix', prefix)
    assert.deepEqual([bad.status, bad.stdout, bad.stderr, bad.sent], [2, '', message, []])
  }
})

test('--dump --family bridge --file: a copied bridge table read without a forwarding plane, as from the live one', async () => {
  const client = await KsyncClient.connect(demo.emulator.path, {flavour: 'dpdk', family: 0})
  const data = await client.get(objectOf('vr_bridge_table_data', {btable_op: 1}))
  client.close()
  const live = await run('rt', '--dump', '2', '--family', 'bridge')
  const copied = await demo.run(['rt', '--dump', '2', '--family', 'bridge', '--file', data.fields.btable_file_path, '--sock-dir', `${demo.emulator.dir}/nowhere`], {sockDir: false})
  assert.deepEqual([copied.status, copied.stdout, copied.sent], [0, live.stdout, []])
  assert.ok(live.stdout.split('\n').length > 4, 'entries listed')
  const missing = await demo.run(['rt', '--dump', '2', '--family', 'bridge', '--file', `${demo.emulator.dir}/no-such-table`], {sockDir: false})
  assert.deepEqual([missing.status, missing.stdout], [1, `${demo.emulator.dir}/no-such-table: No such file or directory\n`])
  const misplaced = await run('rt', '--dump', '2', '--file', data.fields.btable_file_path)
  assert.deepEqual([misplaced.status, misplaced.stderr, misplaced.sent], [2, 'rt: --file goes with --dump V --family bridge\n', []])
})
