/**
 * pkt0 on real hosts. Kernel vRouter: in a network namespace made by the test (skipped, with the reason, where the
 * machine does not allow one), a veth pair veth0–pkt0 stands for the agent's tap; frames of the codec's fixtures are
 * written on both sides (test/cli/pkt0-host-writer.ts) while the real `pkt0 capture` watches pkt0 with AF_PACKET:
 * it decodes exactly those frames with their direction, its pcap reads back byte for byte in pcap-parser and
 * tcpdump, and `pkt0 decode -r` gives the same lines; without CAP_NET_RAW or without pkt0, one line and exit 4.
 * DPDK: the capture never removes or rebinds the agent's or the forwarding plane's socket. Windows: a busy device
 * is said so (through a test double of the connector). The source is chosen as the stock tools choose the platform.
 */
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, test} from 'node:test'
import {pkt0SourceOf} from '../../src/cli/pkt0-endpoint.js'
import {PKT0_PIPE} from '../../src/lib/model/pkt0.js'
import type {Layer} from '../../src/lib/model/packet.js'
import {encodePacket} from '../../src/lib/pkt0/packet.js'
import {DatagramSocket} from '../../src/lib/transport/datagram.js'
import {TransportError} from '../../src/lib/transport/endpoint.js'
import {AgentPkt0} from '../../src/lib/transport/pkt0.js'
import {command, runCli} from '../cli.js'
import {ROOT} from '../helpers.js'
import {FIXTURES, buildFixture} from '../lib/pkt0/fixtures.js'
import {TCPDUMP, pcapParserRead, tcpdumpBytes} from '../lib/pkt0/readers.js'

const dir = mkdtempSync(join(tmpdir(), 'pkt0-host-'))
after(() => rmSync(dir, {recursive: true, force: true}))

/** Runs its arguments in a new network and mount namespace whose /sys shows that namespace's interfaces. */
const BARE = join(dir, 'bare.sh')
writeFileSync(BARE, 'set -e\nmount -t sysfs sysfs /sys\nexec "$@"\n')
/** The same with the veth pair veth0–pkt0, up, without IPv6 (whose neighbour discovery would add frames). */
const VETH = join(dir, 'veth.sh')
writeFileSync(
  VETH,
  [
    'set -e',
    'mount -t sysfs sysfs /sys',
    'sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1',
    'ip link add veth0 type veth peer name pkt0',
    'ip link set veth0 up',
    'ip link set pkt0 up',
    'exec "$@"',
    '',
  ].join('\n'),
)

interface Run {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

function inNamespace(setup: string, argv: readonly string[], env: Record<string, string> = {}): Run {
  const r = spawnSync('unshare', ['-n', '-m', 'sh', setup, ...argv], {cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: {...process.env, NO_COLOR: '1', ...env}})
  return {status: r.status, stdout: r.stdout, stderr: r.stderr}
}

/** Why the namespace tests cannot run here, if they cannot. */
function unavailable(): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces are Linux only'
  const r = inNamespace(VETH, ['true'])
  return r.status === 0 ? undefined : `no network namespace with a veth pair here (unshare -n -m: ${(r.stderr || String(r.status)).trim()})`
}
const skip = unavailable()
if (skip) console.log(`# pkt0-host: namespace tests skipped: ${skip}`)

/** `pkt0 capture CAPTURE-ARGS` in the veth namespace while the writer writes `plan`; the capture's result. */
function captureWhileWriting(mode: 'each' | 'all', plan: readonly (readonly [iface: 'veth0' | 'pkt0', fixture: string])[], captureArgs: readonly string[]): Run {
  const writer = [process.execPath, '--import', 'tsx', `${ROOT}test/cli/pkt0-host-writer.ts`, mode, plan.map((p) => p.join(':')).join(','), '--', 'pkt0', 'capture', ...captureArgs]
  const r = inNamespace(VETH, writer)
  assert.equal(r.status, 0, `the writer failed: ${r.stderr}`)
  return JSON.parse(r.stdout) as Run
}

const fixture = (name: string) => FIXTURES.find((f) => f.name === name)!
/** Written on pkt0, a frame is transmitted there: to the agent; written on veth0, pkt0 receives it: from the agent. */
const directionOf = (iface: 'veth0' | 'pkt0') => (iface === 'pkt0' ? 'to-agent' : 'from-agent')

const BOTH_WAYS: readonly [iface: 'veth0' | 'pkt0', fixture: string][] = [
  ['veth0', 'arp-request'],
  ['pkt0', 'tcp-syn-flow-miss'],
  ['veth0', 'route-diag'],
  ['pkt0', 'udp-flow-action-hold'],
  ['pkt0', 'tcp6-vlan-handle-df'],
  ['veth0', 'dhcp-discover'],
]

describe('pkt0 capture on a kernel vRouter\'s pkt0 interface (AF_PACKET, in a network namespace)', {skip}, () => {
  test('both directions: --json decodes exactly the frames written; the pcap reads back byte for byte; decode -r gives their lines', async () => {
    const pcap = join(dir, 'tap.pcap')
    const r = captureWhileWriting('each', BOTH_WAYS, ['--count', String(BOTH_WAYS.length), '--json', '--no-timestamp', '-w', pcap, '--frames'])
    assert.equal(r.status, 0, r.stderr)
    assert.equal(r.stderr, `pkt0: capturing on pkt0 (AF_PACKET, both directions), writing whole frames to ${pcap}\npkt0: 6 frame(s) shown of 6 received\n`)
    const objects = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as {direction: string; trap: string; ifindex: number; vrf: number; flowIndex?: number; genId?: number; summary: string; layers: Layer[]})
    assert.deepEqual(
      objects.map((o) => [o.direction, o.trap, o.ifindex, o.vrf, o.flowIndex, o.genId]),
      [
        ['from-agent', 'ARP', 3, 2, undefined, undefined],
        ['to-agent', 'FLOW_MISS', 3, 2, 120348, 1],
        ['from-agent', 'ROUTE', 0, 0, undefined, undefined],
        ['to-agent', 'FLOW_ACTION_HOLD', 3, 2, 524290, 9],
        ['to-agent', 'HANDLE_DF', 3, 2, 77, undefined],
        ['from-agent', 'L3_PROTOCOLS', 3, 2, undefined, undefined],
      ],
    )
    const written = BOTH_WAYS.map(([, name]) => buildFixture(fixture(name)))
    objects.forEach((o, i) => {
      assert.deepEqual(encodePacket(o.layers), written[i].subarray(44), `${BOTH_WAYS[i][1]}: the packet, byte for byte`)
      assert.ok(fixture(BOTH_WAYS[i][1]).line.endsWith(`: ${o.summary}`))
    })

    const read = await pcapParserRead(pcap)
    assert.equal(read.linkType, 1)
    assert.deepEqual(read.packets.map((p) => new Uint8Array(p.data)), written)
    if (TCPDUMP) assert.deepEqual(tcpdumpBytes(pcap), written)

    // A pcap has no room for the direction: the lines are the fixtures' own.
    const decoded = runCli(['pkt0', 'decode', '-r', pcap])
    assert.equal(decoded.status, 0, decoded.stderr)
    assert.deepEqual(decoded.stdout.trim().split('\n'), BOTH_WAYS.map(([, name]) => fixture(name).line))
  })

  test('interrupted (Ctrl-C), it stops cleanly with a complete pcapng, which keeps headers and directions: decode -r gives the live lines', () => {
    const pcapng = join(dir, 'tap.pcapng')
    const plan = BOTH_WAYS.slice(0, 4)
    const r = captureWhileWriting('each', plan, ['--no-timestamp', '-w', pcapng])
    assert.equal(r.status, 0, r.stderr)
    assert.match(r.stderr, /\npkt0: 4 frame\(s\) shown of 4 received\n$/)
    assert.deepEqual(r.stdout.trim().split('\n'), plan.map(([iface, name]) => `${directionOf(iface)} ${fixture(name).line}`))
    const decoded = runCli(['pkt0', 'decode', '-r', pcapng])
    assert.equal(decoded.stdout, r.stdout)
  })

  test('filters by trap, interface and flow index; the host\'s own frames on pkt0 are not shown', () => {
    // All written on pkt0: one path through the kernel, so they arrive in the order written.
    const plan = ['arp-request', 'tcp-syn-flow-miss/packet', 'tcp-syn-flow-miss', 'udp-flow-action-hold', 'route-diag', 'tcp6-vlan-handle-df'].map((n) => ['pkt0', n] as const)
    const filters = ['--filter', 'trap=ARP,FLOW_ACTION_HOLD,HANDLE_DF,ROUTE', '--filter', 'vif=3', '--filter', 'flow=524290,77']
    const r = captureWhileWriting('all', plan, ['--count', '2', '--no-timestamp', ...filters])
    assert.equal(r.status, 0, r.stderr)
    assert.deepEqual(r.stdout.trim().split('\n'), [`to-agent ${fixture('udp-flow-action-hold').line}`, `to-agent ${fixture('tcp6-vlan-handle-df').line}`])
    assert.match(r.stderr, /\npkt0: 2 frame\(s\) shown of 6 received, 1 not pkt0 frames\n$/)
  })

  test('without CAP_NET_RAW: one line that says so, exit 4', () => {
    const r = inNamespace(VETH, ['setpriv', '--bounding-set=-net_raw', '--inh-caps=-net_raw', ...command(['pkt0', 'capture']).flat()])
    assert.deepEqual([r.status, r.stdout, r.stderr], [4, '', 'pkt0 capture: capturing on pkt0 needs CAP_NET_RAW (run as root or grant the capability)\n'])
  })

  test('a kernel platform without a pkt0 interface: one line, exit 4', () => {
    const r = inNamespace(BARE, command(['pkt0', 'capture']).flat(), {VROUTER_UTILS_CONFIG: join(dir, 'no-agent.conf')})
    assert.deepEqual([r.status, r.stdout], [4, ''])
    assert.equal(r.stderr, 'pkt0 capture: no interface pkt0 here (is the vRouter agent running? on a DPDK vRouter pkt0 is a socket: see --platform)\n')
  })
})

test('--interface naming no interface: one line, exit 4', () => {
  const r = runCli(['pkt0', 'capture', '--interface', 'nosuch0'])
  assert.deepEqual([r.status, r.stdout, r.stderr], [4, '', 'pkt0 capture: no interface nosuch0 here (is the vRouter agent running? on a DPDK vRouter pkt0 is a socket: see --platform)\n'])
})

test('the source is chosen as the stock tools choose the platform; a named interface, socket or pipe wins', () => {
  const dpdk = '[DEFAULT]\nplatform=dpdk\n'
  const sockets = {kind: 'endpoint', path: {kind: 'dgram', vrouter: '/var/run/vrouter/dpdk_pkt0', agent: '/var/run/vrouter/agent_pkt0'}}
  assert.deepEqual(pkt0SourceOf({}, undefined, 'linux'), {kind: 'interface', name: 'pkt0'}, 'no agent config: the kernel module')
  assert.deepEqual(pkt0SourceOf({}, '[DEFAULT]\nplatform=kernel\n', 'linux'), {kind: 'interface', name: 'pkt0'})
  assert.deepEqual(pkt0SourceOf({}, dpdk, 'linux'), sockets)
  assert.deepEqual(pkt0SourceOf({platform: 'dpdk'}, undefined, 'linux'), sockets)
  assert.deepEqual(pkt0SourceOf({platform: 'kernel'}, dpdk, 'linux'), {kind: 'interface', name: 'pkt0'})
  assert.deepEqual(pkt0SourceOf({interface: 'tap1'}, dpdk, 'linux'), {kind: 'interface', name: 'tap1'})
  assert.deepEqual(pkt0SourceOf({'sock-dir': '/tmp/vr'}, undefined, 'linux'), {kind: 'endpoint', path: {kind: 'dgram', vrouter: '/tmp/vr/dpdk_pkt0', agent: '/tmp/vr/agent_pkt0'}})
  assert.deepEqual(pkt0SourceOf({pipe: '/tmp/p'}, undefined, 'linux'), {kind: 'endpoint', path: {kind: 'stream', path: '/tmp/p'}})
})

describe('DPDK: the agent\'s and the forwarding plane\'s sockets are never removed or rebound', () => {
  test('a live agent socket: refused in one line, exit 4; both files stay, and the agent still gets its frames', async () => {
    const sockDir = mkdtempSync(join(dir, 'vr-'))
    const agent = await DatagramSocket.bound(join(sockDir, 'agent_pkt0'))
    const vrouter = await DatagramSocket.bound(join(sockDir, 'dpdk_pkt0'))
    const inodes = () => ['agent_pkt0', 'dpdk_pkt0'].map((f) => statSync(join(sockDir, f)).ino)
    const before = inodes()
    try {
      const r = runCli(['pkt0', 'capture', '--sock-dir', sockDir])
      assert.deepEqual([r.status, r.stdout], [4, ''])
      assert.equal(r.stderr, `pkt0 capture: ${sockDir}/agent_pkt0 exists: it is the agent's socket (or one a stopped agent left), which pkt0 capture never takes over or removes\n`)
      assert.deepEqual(inodes(), before)
      const got = new Promise<Uint8Array>((resolve) => agent.once('message', resolve))
      await vrouter.send(buildFixture(FIXTURES[0]), join(sockDir, 'agent_pkt0'))
      assert.deepEqual(await got, buildFixture(FIXTURES[0]))
    } finally {
      agent.close()
      vrouter.close()
    }
  })

  test('a file a stopped agent left: refused too, and left in place', () => {
    const sockDir = mkdtempSync(join(dir, 'vr-'))
    writeFileSync(join(sockDir, 'agent_pkt0'), '')
    const before = statSync(join(sockDir, 'agent_pkt0'))
    const r = runCli(['pkt0', 'capture', '--sock-dir', sockDir, '--count', '1'])
    assert.equal(r.status, 4)
    assert.match(r.stderr, /agent_pkt0 exists: .* never takes over or removes\n$/)
    assert.equal(statSync(join(sockDir, 'agent_pkt0')).ino, before.ino)
  })
})

test('Windows: a device another process has open is said to be busy (its one opener)', async () => {
  const busy = () => Promise.reject(new TransportError('NO_SERVER', `cannot connect to ${PKT0_PIPE}: Device or resource busy`, 'EBUSY'))
  await assert.rejects(AgentPkt0.attach({kind: 'stream', path: PKT0_PIPE}, busy), {
    name: 'TransportError',
    message: `${PKT0_PIPE} is busy: the pkt0 device admits one opener, and another process (the agent) has it open`,
    errno: 'EBUSY',
  })
  const absent = () => Promise.reject(new TransportError('NO_SERVER', `cannot connect to ${PKT0_PIPE}: No such file or directory`, 'ENOENT'))
  await assert.rejects(AgentPkt0.attach({kind: 'stream', path: PKT0_PIPE}, absent), {message: `cannot connect to ${PKT0_PIPE}: No such file or directory`})
})
