/**
 * `flow --get` end to end against the demo emulator: the requests the stock tool sends for one flow (utils/flow.c
 * flow_get_entry: source next hop and interface, mirrors, source and destination routes with their next hops,
 * interfaces and bridge routes, drop statistics), each built as utils/vr_util.c builds it, and the text and JSON.
 */
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {test} from 'node:test'
import {Ajv} from 'ajv'
import {type SentObject, useDemoEmulator} from './demo-emulator.js'

const demo = useDemoEmulator()
const S = ' '.repeat(30)
const GET = 1
const ZERO_MAC = [0, 0, 0, 0, 0, 0]

/** The members of a request that say what it asks for. */
function key(o: SentObject): unknown[] {
  const bytes = (v: unknown) => [...(v as Uint8Array)]
  switch (o.name) {
    case 'vr_nexthop_req':
      return [o.name, o.h_op, o.nhr_id]
    case 'vr_interface_req':
      return [o.name, o.h_op, o.vifr_idx, o.vifr_os_idx, o.vifr_core, o.vifr_flags]
    case 'vr_route_req':
      return [o.name, o.h_op, o.rtr_vrf_id, o.rtr_family, bytes(o.rtr_prefix), o.rtr_prefix_len, o.rtr_label_flags, o.rtr_index, bytes(o.rtr_mac)]
    case 'vr_mirror_req':
      return [o.name, o.h_op, o.mirr_index]
    case 'vr_drop_stats_req':
      return [o.name, o.h_op, o.vds_core]
    default:
      return [o.name]
  }
}

const nh = (id: number) => ['vr_nexthop_req', GET, id]
const vif = (idx: number) => ['vr_interface_req', GET, idx, -1, 0, 0]
const inet = (vrf: number, prefix: number[], mac = ZERO_MAC) => ['vr_route_req', GET, vrf, 2, prefix, 32, 1, 0, mac]
const bridge = (vrf: number, mac: number[]) => ['vr_route_req', GET, vrf, 7, [], 0, 1, -1, mac]
const DROPS = ['vr_drop_stats_req', GET, 0]

const interfaceLines = (direction: string, idx: number, out: number, inp: number) =>
  `${S}${direction} Interface(Index, VRF, OS): vif0/${idx}, 2, \n${S}Interface Statistics(Out, In, Errors): ${out}, ${inp}, 0\n`
const vm3 = (direction: string) => `${S}NextHop(Index, VRF, Type): 21, 2, ENCAP\n${interfaceLines(direction, 3, 31310, 42420)}`
const vm4 = `${S}NextHop(Index, VRF, Type): 22, 2, ENCAP\n${interfaceLines('Egress', 4, 1200, 1337)}`

test('the TCP flow: its source next hop and interface, both routes with theirs, the drop statistics, in the stock order', async () => {
  const r = await demo.run(['flow', '--get', '108136'])
  assert.equal(r.status, 0, r.stderr)
  assert.deepEqual(r.sent.map(key), [
    ['vr_flow_table_data'],
    nh(21),
    vif(3),
    inet(2, [10, 1, 1, 5]),
    nh(21),
    vif(3),
    inet(2, [10, 1, 1, 6]),
    nh(22),
    vif(4),
    DROPS,
  ])
  assert.equal(
    r.stdout,
    `Flow Index:                   108136
Flow Generation ID:           1
Reverse Flow Index:           239248
VRF:                          2
Destination VRF:              2
Flow Source:                  [10.1.1.5]:40000
Flow Destination:             [10.1.1.6]:80   
Flow Protocol:                TCP
Flow Action:                  FORWARD
Expected Source:              NextHop(Index, VRF, Type): 21, 2, ENCAP
${interfaceLines('Ingress', 3, 31310, 42420)}Source Information:           VRF: 2
${S}Layer 3 Route Information
${S}Matching Route: 10.1.1.5/32
${vm3('Ingress')}Destination Information:      VRF: 2
${S}Layer 3 Route Information
${S}Matching Route: 10.1.1.6/32
${vm4}
Flow Flags:                   
TCP FLAGS:                    SYN, SYN(REVERSE), ESTABLISHED, ESTABLISHED(REVERSE), 
UDP Source Port:              52000

Flow Statistics:              321/123456
System Wide Packet Drops:     35
${S}Reverse Path Failures: 0
${S}Flow Block Drops: 17
`,
  )
  const json = JSON.parse((await demo.run(['flow', '--get', '108136', '--json'])).stdout) as Record<string, {prefix?: string; system_wide?: number; nexthop?: {id: number}}>
  const validate = new Ajv({allErrors: true, strict: true}).compile(JSON.parse(readFileSync('docs/json/flow.schema.json', 'utf8')))
  assert.ok(validate(json), new Ajv().errorsText(validate.errors))
  assert.deepEqual([json.expected_source!.nexthop!.id, json.source_information!.prefix, json.destination_information!.prefix, json.drops!.system_wide, json.mirrors], [21, '10.1.1.5/32', '10.1.1.6/32', 35, null])
})

test('routes with MACs: the bridge routes, and the MAC buffer the stock tool reuses for the destination route GET', async () => {
  const mac5 = [0, 0, 0x5e, 0, 1, 0]
  const mac6 = [0, 0, 0x5e, 0, 1, 1]
  for (const [prefix, nexthop, mac] of [['10.1.1.5', '21', '00:00:5e:00:01:00'], ['10.1.1.6', '22', '00:00:5e:00:01:01']]) {
    assert.equal((await demo.run(['rt', '-c', '-f', '0', '-p', prefix!, '-l', '32', '-n', nexthop!, '-v', '2', '-e', mac!])).status, 0)
  }
  const r = await demo.run(['flow', '--get', '108136'])
  assert.deepEqual(r.sent.map(key).slice(3), [
    inet(2, [10, 1, 1, 5]),
    nh(21),
    vif(3),
    bridge(2, mac5),
    nh(21),
    vif(3),
    inet(2, [10, 1, 1, 6], mac5),
    nh(22),
    vif(4),
    bridge(2, mac6),
    nh(22),
    vif(4),
    DROPS,
  ])
  assert.ok(r.stdout.includes(`${S}Matching Route: 10.1.1.5/32\n${vm3('Ingress')}\n${S}Layer 2 Route Information\n${S}SourceMAC: 0:0:5e:0:1:0\n${vm3('Ingress')}Destination Information:`), r.stdout)
  assert.ok(r.stdout.includes(`${S}Matching Route: 10.1.1.6/32\n${vm4}\n${S}Layer 2 Route Information\n${S}DestinationMAC: 0:0:5e:0:1:1\n${vm4}\nFlow Flags:`), r.stdout)
})

test('mirrors: a GET for each index, then its next hop; a mirror that is not there is left out', async () => {
  assert.equal((await demo.run(['mirror', '--create', '3', '--nh', '10'])).status, 0)
  assert.equal((await demo.run(['flow', '-f', '524288', '--mirror', '3'])).status, 0)
  assert.equal((await demo.run(['mirror', '--delete', '3'])).status, 0)
  const r = await demo.run(['flow', '--get', '524288'])
  assert.equal(r.status, 0, r.stdout)
  // The flow set by -f has the mirror as its first, and mirror 0 as its second (fr_sec_mir_id 0).
  const sent = r.sent.map(key)
  assert.deepEqual(sent.slice(2, 5), [['vr_mirror_req', GET, 3], ['vr_mirror_req', GET, 0], nh(11)])
  assert.ok(r.stdout.includes(`\nMirror Index:                 3, 0, Secondary Mirror:             NextHop 11\n${S}To Destination 192.168.10.9 in VRF 0\n${S}Tunnel Source IP 192.168.10.7 \nFlow Statistics:`), r.stdout)
})

test('a refused GET ends the run as the stock reply callback does: its message, nothing of the block, exit 254', async () => {
  // The emulator, as the dp, frees a next hop whoever still uses it: the route to 10.1.1.6 keeps naming 22.
  assert.equal((await demo.run(['nh', '--delete', '22'])).status, 0)
  const r = await demo.run(['flow', '--get', '108136', '--legacy-exit'])
  assert.deepEqual([r.stdout, r.status], ['response_process: No such file or directory\n', 254])
  assert.deepEqual(r.sent.map(key).at(-1), nh(22), 'nothing is asked after the refusal')
  assert.equal((await demo.run(['flow', '--get', '108136'])).status, 3)
})
